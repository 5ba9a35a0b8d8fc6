"""The ontology layer: ontology/{ontology,concepts,reference,shapes}.ttl.

Each fixture in tests/fixtures/shapes/ is one test: a *-valid.ttl must conform to the shapes;
a *-invalid.ttl must not, and the validation report must contain the message fragment its
first line names (`# expect: <fragment>`). Validation is the build's own, graph/validate.py:
pySHACL, data graph merged with concepts.ttl and reference.ttl, ontology.ttl as ont_graph, no
inference (https://www.w3.org/TR/shacl/#validation-report). The other tests keep the shapes and concept schemes honest: every constraint explains itself, every concept is
labelled and in a scheme, and every label a parser matches is unambiguous in its scheme.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, SKOS

from ofsted_kg.graph.rdf.validate import validate

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"

OKG = Namespace("https://w3id.org/ofsted-kg/def#")
DEF = "https://w3id.org/ofsted-kg/def/"
SCHEMA = Namespace("https://schema.org/")

TTL_FILES = ["ontology.ttl", "concepts.ttl", "reference.ttl", "shapes.ttl"]


@lru_cache(maxsize=None)
def load(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.ttl"))


def expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name}: first line must be '# expect: <message fragment>'"
    return first.removeprefix("# expect: ").strip()


# --- the fixtures -------------------------------------------------------------------------


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    # Through the build's own validator, so the fixtures test what `ofsted-kg build` runs.
    result = validate(Graph().parse(path, format="turtle"))
    conforms, text = result.conforms, result.report
    if path.stem.endswith("-valid"):
        assert conforms, f"{path.name} should conform:\n{text}"
    else:
        assert path.stem.endswith("-invalid"), f"{path.name}: fixture names end in -valid or -invalid"
        assert not conforms, f"{path.name} should not conform"
        fragment = expected_message(path)
        assert fragment in text, f"{path.name}: expected {fragment!r} in the report:\n{text}"


def test_every_shape_has_a_fixture_pair() -> None:
    shapes = load("shapes.ttl")
    targeted = {s for s in shapes.subjects(SH.targetClass, None)}
    names = {p.stem for p in fixture_files()}
    for shape in targeted:
        stem = str(shape).split("#")[1].removesuffix("Shape").lower()
        assert f"{stem}-valid" in names, f"no {stem}-valid.ttl for {shape}"
        assert any(n.endswith("-invalid") and _shape_of(n, stem) for n in names), f"no invalid fixture for {shape}"


def _shape_of(fixture: str, stem: str) -> bool:
    """An invalid fixture belongs to a shape by name, or names the evidence chain it breaks."""
    evidence = {"annotation", "specificresource", "textquoteselector", "textpositionselector"}
    return fixture.startswith(stem + "-") or (stem in evidence and fixture.startswith("evidence-"))


# --- the shapes graph ----------------------------------------------------------------------

CONTRACT_CLASSES = [
    OKG.Catalogue, OKG.CatalogueEntry,
    OKG.LocalAuthority, OKG.SafeguardingBoard, OKG.Inspection, OKG.SIFInspection, OKG.ILACSInspection,
    OKG.Visit, OKG.MonitoringVisit, OKG.FocusedVisit, OKG.LegacyInspection, OKG.Judgement,
    URIRef("http://xmlns.com/foaf/0.1/Person"), URIRef("http://www.w3.org/ns/org#Post"), OKG.Tenure,
    URIRef("http://www.w3.org/2006/time#Interval"), URIRef("http://www.w3.org/2006/time#Instant"),
    OKG.TeamMembership, OKG.Finding, OKG.Recommendation, OKG.Statistic, OKG.SourceDocument,
    OKG.InspectionReport, OKG.InspectionLetter, OKG.NewsArticle, OKG.PressRelease,
    URIRef("http://www.w3.org/ns/oa#Annotation"), URIRef("http://www.w3.org/ns/oa#SpecificResource"),
    URIRef("http://www.w3.org/ns/oa#TextQuoteSelector"), URIRef("http://www.w3.org/ns/oa#TextPositionSelector"),
    URIRef("http://www.w3.org/ns/org#FormalOrganization"),
]


@pytest.mark.parametrize("cls", CONTRACT_CLASSES, ids=lambda c: str(c).rsplit("/", 1)[-1])
def test_every_contract_class_is_a_shape_target(cls: URIRef) -> None:
    assert (None, SH.targetClass, cls) in load("shapes.ttl"), f"no shape targets {cls}"


def _members_of_logical_lists(shapes: Graph) -> set:
    """Shapes inside sh:or / sh:and / sh:xone / sh:not: alternatives, reported by their parent."""
    members = set()
    for op in (SH["or"], SH["and"], SH.xone):
        for _, head in shapes.subject_objects(op):
            members.update(Collection(shapes, head))
    members.update(shapes.objects(None, SH["not"]))
    members.update(shapes.objects(None, SH.qualifiedValueShape))
    return members


def test_every_constraint_has_a_message() -> None:
    shapes = load("shapes.ttl")
    nested = _members_of_logical_lists(shapes)
    property_shapes = set(shapes.subjects(SH.path, None)) - nested
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert property_shapes and node_shapes
    missing = []
    for shape in property_shapes | node_shapes:
        messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal) and str(m).strip()]
        if not messages:
            missing.append(shapes.qname(shape) if isinstance(shape, URIRef) else f"[{shapes.value(shape, SH.path)}]")
    assert not missing, f"shapes without sh:message: {missing}"
    # Every property shape is reached from a node shape (or is nested): none is dead.
    used = set(shapes.objects(None, SH.property))
    assert property_shapes <= used, f"unused property shapes: {property_shapes - used}"


def test_node_shapes_have_readable_iris() -> None:
    shapes = load("shapes.ttl")
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert isinstance(shape, URIRef) and str(shape).startswith(DEF + "shapes#"), shape


# --- the concept schemes -------------------------------------------------------------------


def _scheme(name: str) -> URIRef:
    return URIRef(DEF + name)


def test_every_concept_has_a_label_a_definition_and_a_scheme() -> None:
    concepts = load("concepts.ttl")
    all_concepts = set(concepts.subjects(RDF.type, SKOS.Concept))
    assert len(all_concepts) > 50
    for concept in all_concepts:
        schemes = set(concepts.objects(concept, SKOS.inScheme))
        assert schemes, f"{concept} is in no scheme"
        for scheme in schemes:
            assert (scheme, RDF.type, SKOS.ConceptScheme) in concepts, f"{scheme} is not a scheme"
            # The contract's IRI pattern def/{scheme}/{key}; grades keep def/grade/ in both grade schemes.
            family = "grade" if str(scheme).endswith("grade") else str(scheme).removeprefix(DEF)
            assert str(concept).startswith(f"{DEF}{family}/"), f"{concept} does not follow def/{family}/{{key}}"
        labels = list(concepts.objects(concept, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en", f"{concept} needs one @en prefLabel"
        assert concepts.value(concept, SKOS.definition), f"{concept} has no skos:definition"


CONTRACT_SCHEMES = {
    "grade": ["outstanding", "good", "requires-improvement", "inadequate"],
    "legacy-grade": ["outstanding", "good", "adequate", "requires-improvement", "inadequate"],
    "sif-area": ["help-and-protection", "looked-after", "adoption", "care-leavers", "leadership", "overall", "lscb"],
    "ilacs-area": ["leaders", "help-and-protection", "in-care-and-care-leavers", "in-care", "care-leavers", "overall"],
    "legacy-area": ["safeguarding", "looked-after", "looked-after-capacity", "looked-after-outcomes",
                    "looked-after-provision", "looked-after-leadership"],
    "inspection-kind": ["sif", "sif-reinspection", "ilacs-standard", "ilacs-short", "ilacs", "monitoring-visit",
                        "focused-visit", "jtai", "legacy-safeguarding", "legacy-looked-after"],
    "role": ["director-of-childrens-services", "interim-director-of-childrens-services",
             "acting-director-of-childrens-services", "dfe-commissioner", "council-leader", "cabinet-member",
             "lead-member-for-childrens-services", "lscb-chair", "chief-executive"],
    "team-role": ["lead-inspector", "deputy-lead-inspector", "team-inspector", "senior-data-analyst",
                  "quality-assurance-manager", "shadow-inspector", "inspector"],
    "polarity": ["strength", "weakness", "area-for-improvement"],
    "measure": ["children-looked-after", "children-looked-after-rate", "child-protection-plans", "children-in-need",
                "privately-fostered-children", "adoptions", "special-guardianship-orders", "ceased-looked-after",
                "average-caseload", "private-fostering-arrangements", "care-leavers", "care-leavers-at-university",
                "care-leavers-in-apprenticeships", "care-leavers-staying-put", "local-authority-childrens-homes",
                "children-in-unregulated-placements", "children-in-unregistered-homes",
                "unaccompanied-asylum-seeking-children", "repeat-contacts-and-re-referrals", "backlog-of-cases",
                "looked-after-under-section-20-percentage", "children-in-care-council-attendees"],
}


@pytest.mark.parametrize("scheme", sorted(CONTRACT_SCHEMES))
def test_contract_concepts_exist(scheme: str) -> None:
    concepts = load("concepts.ttl")
    family = "grade" if scheme.endswith("grade") else scheme
    members = {str(c) for c in concepts.subjects(SKOS.inScheme, _scheme(scheme))}
    expected = {f"{DEF}{family}/{key}" for key in CONTRACT_SCHEMES[scheme]}
    assert members == expected, f"{scheme}: missing {expected - members}, unexpected {members - expected}"


def test_adequate_is_only_on_the_legacy_scale() -> None:
    concepts = load("concepts.ttl")
    adequate = URIRef(DEF + "grade/adequate")
    assert set(concepts.objects(adequate, SKOS.inScheme)) == {_scheme("legacy-grade")}


def test_labels_are_unambiguous_within_a_scheme() -> None:
    """Parsers look a printed phrase up case-insensitively in one scheme: one phrase, one concept."""
    concepts = load("concepts.ttl")
    seen: dict[tuple, set] = defaultdict(set)
    for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
        for concept, label in concepts.subject_objects(prop):
            for scheme in concepts.objects(concept, SKOS.inScheme):
                seen[(scheme, str(label).casefold())].add(concept)
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert not clashes, f"labels shared by concepts of one scheme: {clashes}"


def test_apostrophe_labels_have_a_typographic_twin() -> None:
    """News sites print ’ (U+2019) where reports print ': a phrase a parser matches needs both.

    Labels of themes and polarities are for display (their keywords and cues are matched)."""
    concepts = load("concepts.ttl")
    display_only = {_scheme("theme"), _scheme("polarity")}
    for concept in set(concepts.subjects(RDF.type, SKOS.Concept)):
        matched = [OKG.keyword, OKG.cue]
        if not set(concepts.objects(concept, SKOS.inScheme)) & display_only:
            matched += [SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel]
        phrases = {str(o) for p in matched for o in concepts.objects(concept, p)}
        for phrase in phrases:
            if "'" in phrase:
                assert phrase.replace("'", "\u2019") in phrases, f"{concept}: no twin of {phrase!r} with ’"


@pytest.mark.parametrize(
    ("concept", "phrase"),
    [
        ("sif-area/help-and-protection", "The experiences and progress of children who need help and protection"),
        ("sif-area/looked-after", "The experiences and progress of children looked after and achieving permanence"),
        ("sif-area/care-leavers", "The experience and progress of care leavers"),
        ("sif-area/care-leavers", "2.2 Experiences and progress of care leavers".removeprefix("2.2 ")),
        ("sif-area/lscb", "Review of the effectiveness of the Local Safeguarding Children Board"),
        ("ilacs-area/in-care-and-care-leavers", "The experiences and progress of children in care and care leavers"),
        ("ilacs-area/leaders", "The impact of leaders on social work practice with children and families"),
        ("grade/requires-improvement", "requires improvement"),
        ("role/dfe-commissioner", "Department for Education-appointed commissioner"),
        ("role/acting-director-of-childrens-services", "Acting Director of Children's Services"),
        ("role/director-of-childrens-services", "DCS"),
        ("role/lscb-chair", "independent chair"),
        ("team-role/team-inspector", "Team inspectors"),
        ("team-role/inspector", "Her Majesty’s Inspectors"),
    ],
)
def test_printed_phrases_match_their_concept(concept: str, phrase: str) -> None:
    concepts = load("concepts.ttl")
    node = URIRef(DEF + concept)
    labels = {str(o).casefold() for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel) for o in concepts.objects(node, p)}
    assert phrase.casefold() in labels, f"{phrase!r} does not match {concept}"


def test_roles_are_org_roles() -> None:
    concepts = load("concepts.ttl")
    roles = set(concepts.subjects(SKOS.inScheme, _scheme("role")))
    assert roles and all((r, RDF.type, URIRef("http://www.w3.org/ns/org#Role")) in concepts for r in roles)
    dcs = URIRef(DEF + "role/director-of-childrens-services")
    for key in ("interim", "acting"):
        assert (URIRef(f"{DEF}role/{key}-director-of-childrens-services"), SKOS.broader, dcs) in concepts


def test_themes_have_keywords() -> None:
    concepts = load("concepts.ttl")
    themes = set(concepts.subjects(SKOS.inScheme, _scheme("theme")))
    assert len(themes) >= 20, f"only {len(themes)} themes"
    for theme in themes:
        keywords = [str(k) for k in concepts.objects(theme, OKG.keyword)]
        assert 3 <= len(keywords) <= 10, f"{theme} has {len(keywords)} keywords, not 3-10"
        assert all(k == k.lower() and k.strip() == k and k for k in keywords), f"{theme}: keywords must be lower case"


def test_polarities_have_cues_and_measures_have_units() -> None:
    concepts = load("concepts.ttl")
    for polarity in concepts.subjects(SKOS.inScheme, _scheme("polarity")):
        assert len(list(concepts.objects(polarity, OKG.cue))) >= 4, f"{polarity} has too few cues"
    for measure in concepts.subjects(SKOS.inScheme, _scheme("measure")):
        assert concepts.value(measure, OKG.unit), f"{measure} has no okg:unit"


# --- the ontology and the files ------------------------------------------------------------


@pytest.mark.parametrize("name", TTL_FILES)
def test_turtle_parses(name: str) -> None:
    assert len(load(name)) > 0


def test_ontology_header() -> None:
    onto = load("ontology.ttl")
    ontology = URIRef("https://w3id.org/ofsted-kg/def")
    assert (ontology, RDF.type, OWL.Ontology) in onto
    assert (ontology, OWL.versionInfo, Literal("0.1.0")) in onto
    assert (OKG.evidence, OWL.inverseOf, URIRef("http://www.w3.org/ns/oa#hasBody")) in onto
    assert (OKG.keyword, RDFS.subPropertyOf, SKOS.hiddenLabel) in onto


def test_every_okg_term_used_is_declared_and_documented() -> None:
    """A term in the shapes, schemes, overlay or fixtures that the ontology does not define is a typo."""
    onto = load("ontology.ttl")
    used = set()
    graphs = [load(n) for n in ("concepts.ttl", "reference.ttl", "shapes.ttl")]
    graphs += [Graph().parse(p, format="turtle") for p in fixture_files() if p.stem.endswith("-valid")]
    for g in graphs:
        for triple in g:
            used.update(t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(OKG)))
    for term in used:
        assert onto.value(term, RDFS.label), f"{term} is used but has no rdfs:label in ontology.ttl"
        assert onto.value(term, RDFS.comment) or term.endswith("Component"), f"{term} has no rdfs:comment"
