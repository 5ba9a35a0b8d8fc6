"""The favicon: linked from every page, and at /favicon.ico for a browser showing an answer that is no page."""

BROWSER = {"Accept": "text/html"}


def test_the_favicon_answers_at_the_address_browsers_ask_without_a_link(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert 'rel="icon"' in client.get("/people", headers=BROWSER).get_data(as_text=True)
