"""Response headers: a script policy without inline code, no browser features we do not use, and nothing a
signed-in person saw (pages or downloads) left in a shared or back-button cache."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from deals.services import registration
from tests.factories import DealFactory, ProductFactory, actor_of, quoted_deal
from tests.helpers import deal_url


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_carry_a_content_security_policy_without_inline_code(client):
    csp = directives(client.get(reverse("account_login")))
    for kind in ("script-src", "style-src"):
        sources = csp.get(kind, csp["default-src"])
        assert sources == ["'self'"], kind  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def test_htmx_is_told_not_to_inject_its_inline_indicator_style(client):
    page = client.get(reverse("account_login")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page


def test_pages_carry_a_permissions_policy(client):
    policy = client.get(reverse("account_login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def no_store(response):
    return {"private", "no-store"} <= {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_signed_in_pages_are_private_and_not_stored(login, partner_user, vendor):
    client = login(partner_user)
    assert no_store(client.get(reverse("dashboard", args=[vendor.slug])))
    assert no_store(client.get(reverse("notification_inbox")))


def test_anonymous_pages_and_static_files_keep_their_caching(client, db):
    assert not no_store(client.get("/static/css/portal.css"))


@pytest.fixture
def quoted(reseller, distributor, vendor):
    product = ProductFactory(vendor=vendor, name="Endpoint Shield", list_price=D("10.00"))
    return quoted_deal(organization=reseller, distributor=distributor, lines=[(product, 100)])


def test_quote_downloads_are_private_and_not_stored(quoted, login):
    client = login(quoted.registered_by)
    for name in ("quote_pdf", "quote_csv"):
        response = client.get(deal_url(name, quoted, 1))
        assert response.status_code == 200 and no_store(response), name


def test_attachment_downloads_are_private_and_not_stored(reseller, partner_user, login):
    deal = DealFactory(organization=reseller, registered_by=partner_user)
    with scope(vendor=deal.vendor):
        attachment = registration.deal_add_attachment(
            deal=deal,
            actor=actor_of(partner_user, deal.vendor),
            upload=SimpleUploadedFile("notes.txt", b"met the CIO"),
        )
    response = login(partner_user).get(deal_url("deal_attachment", deal, attachment.pk))
    assert response.status_code == 200 and no_store(response)
    response.close()
