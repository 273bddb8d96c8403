"""Every page names its icon, and the address browsers ask for by themselves does not 404."""

from django.urls import reverse


def test_every_page_links_the_favicon(client):
    page = client.get(reverse("account_login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in page


def test_the_favicon_files_are_served(client, db):
    for name in ("favicon.svg", "favicon.ico"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        response.close()


def test_slash_favicon_ico_is_found(client, db):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/static/favicon.ico"
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    response.close()
