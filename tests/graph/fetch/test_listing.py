"""The pure parts of fetch: reading the site's pages, naming files, reading Retry-After."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from ofsted_kg.graph.fetch.failures import LayoutChanged
from ofsted_kg.graph.fetch.listing import Publication, parse_listing, parse_provider
from ofsted_kg.graph.fetch.mirror import placements, short_name
from ofsted_kg.graph.fetch.polite import retry_after

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "ofsted_site"
SITE = "https://reports.ofsted.gov.uk/search?level_1_types=3"
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "reports"


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8").replace("{files}", "https://files.ofsted.gov.uk")


def test_listing_rows_give_urn_name_and_absolute_url():
    links = parse_listing(page("listing-1"), SITE)
    assert [(l.urn, l.name) for l in links] == [("80564", "Stoke-on-Trent City Council"),
                                               ("80445", "Cambridgeshire County Council"),
                                               ("80455", "Council of the Isles of Scilly")]
    assert links[0].url == "https://reports.ofsted.gov.uk/provider/44/80564"


def test_a_listing_page_with_no_rows_lists_nobody():
    assert parse_listing(page("listing-empty"), SITE) == ()
    assert parse_listing(page("listing-changed"), SITE) == ()  # the crawl calls that a changed layout on page 1


def test_listing_rows_without_provider_links_are_a_changed_layout():
    html = '<ul class="results-list"><li><h3><a href="/school/1">A school</a></h3></li></ul>'
    with pytest.raises(LayoutChanged, match=r"listing rows without provider links"):
        parse_listing(html, SITE)


def test_a_provider_link_must_end_with_a_urn():
    html = '<ul class="results-list"><li><a href="/provider/44/stoke">Stoke</a></li></ul>'
    with pytest.raises(LayoutChanged, match=r"not a URN: '/provider/44/stoke'"):
        parse_listing(html, SITE)


def test_a_provider_page_lists_its_pdfs_newest_first_with_title_date_and_type():
    provider = parse_provider(page("provider-80564"), "https://reports.ofsted.gov.uk/provider/44/80564")
    assert provider.name == "Stoke-on-Trent City Council"
    first = provider.publications[0]
    assert first == Publication("Children's services inspection", "25 November 2022", date(2022, 11, 25),
                                "https://files.ofsted.gov.uk/v1/file/50202020",
                                "Inspection of local authority children's services")
    assert [p.published.year for p in provider.publications] == [2022, 2019, 2015]


def test_a_provider_with_no_publications_has_an_empty_timeline():
    assert parse_provider(page("provider-80455"), "u").publications == ()


@pytest.mark.parametrize("html, missing", [
    (page("provider-changed"), "no publication list (ol.timeline)"),
    ("<html><body><ol class='timeline'></ol></body></html>", "no provider name (h1.heading--title)"),
    ("<h1 class='heading--title'>X</h1><ol class='timeline'><li><a class='publication-link' href='/f'>Report</a></li></ol>",
     "a publication link without its description"),
    ("<h1 class='heading--title'>X</h1><ol class='timeline'><li><a class='publication-link' href='/f'>"
     "<span class='nonvisual'>Report published in May</span></a></li></ol>", "not '<title>, PDF - <d Month yyyy>'"),
    ("<h1 class='heading--title'>X</h1><ol class='timeline'><li><a class='publication-link' href='/f'>"
     "<span class='nonvisual'>Report, PDF - 31 Smarch 2020</span></a></li></ol>", "dated '31 Smarch 2020'"),
])
def test_a_provider_page_without_its_structure_names_what_is_missing(html, missing):
    with pytest.raises(LayoutChanged) as raised:
        parse_provider(html, "https://reports.ofsted.gov.uk/provider/44/1")
    assert missing in str(raised.value) and str(raised.value).startswith("https://reports.ofsted.gov.uk/provider/44/1: ")


def test_a_file_linked_twice_is_one_publication():
    item = ("<li class='timeline__day'><a class='publication-link' href='https://f/v1/file/7'>"
            "<span class='nonvisual'>Focused visit, PDF - 3 December 2024</span></a></li>")
    html = f"<h1 class='heading--title'>X</h1><ol class='timeline'>{item}{item}</ol>"
    assert len(parse_provider(html, "u").publications) == 1


def test_publications_in_other_formats_are_passed_over():
    html = ("<h1 class='heading--title'>X</h1><ol class='timeline'><li><a class='publication-link' href='/f'>"
            "<span class='nonvisual'>Data tables, Excel - 1 May 2020</span></a></li></ol>")
    assert parse_provider(html, "u").publications == ()


@pytest.mark.parametrize("listed, folder", [
    ("Stoke-on-Trent City Council", "stoke-on-trent"),
    ("City of Bradford Metropolitan District Council", "bradford"),
    ("Royal Borough of Kensington and Chelsea", "kensington and chelsea"),
    ("London Borough of Tower Hamlets", "tower hamlets"),
    ("Council of the Isles of Scilly", "isles of scilly"),
    ("Cambridgeshire County Council", "cambridgeshire"),
    ("Telford & Wrekin Council", "telford & wrekin"),
])
def test_folder_names_are_the_corpus_short_names(listed, folder):
    assert short_name(listed) == folder
    if CORPUS.is_dir():  # the corpus's own folders, where the shared corpus is beside the checkout
        assert any(p.name.split("_", 1)[1] == folder for p in CORPUS.iterdir())


def test_two_publications_of_one_title_and_day_are_told_apart_before_the_date():
    same = [Publication("Monitoring visit", "22 June 2022", date(2022, 6, 22), f"https://f/v1/file/{n}", "")
            for n in (50188811, 50188810)]
    assert [path for _, path in placements("80445", "Cambridgeshire County Council", tuple(same))] == [
        "80445_cambridgeshire/monitoring visit (50188811) - 22 june 2022.pdf",
        "80445_cambridgeshire/monitoring visit (50188810) - 22 june 2022.pdf"]


def test_a_slash_in_a_title_does_not_make_a_folder():
    odd = Publication("Joint targeted area inspection / letter", "1 May 2020", date(2020, 5, 1), "https://f/1", "")
    assert placements("1", "X Council", (odd,))[0][1] == "1_x/joint targeted area inspection - letter - 1 may 2020.pdf"


def test_retry_after_in_seconds_or_as_an_http_date():
    assert retry_after("120") == 120.0
    assert retry_after(None) is None and retry_after("soon") is None
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    assert 80 <= retry_after(later) <= 91
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
