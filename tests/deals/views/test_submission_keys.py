"""One change per rendered form: a double submit, a retry after an error or a second click shows the first
one's result instead of making the change again (the `submission_key` every deal form carries)."""

import re
import uuid
from decimal import Decimal as D

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from deals.errors import DealActionError
from deals.models import DealState, DealUpdate, Quote
from deals.services import kernel
from partners.permissions import Role
from tests.concurrency import race
from tests.factories import DealFactory, ProductFactory, member, quoted_deal
from tests.helpers import deal_page, deal_post, deal_url, deals_of, lines_post, reload

ALREADY = "This was already saved"
KEY = re.compile(r'name="submission_key" value="([0-9a-f]{32})"')


def key() -> str:
    return uuid.uuid4().hex


def updates_of(deal):
    with scopes_disabled():
        return list(DealUpdate.objects.filter(deal=deal).values_list("body", flat=True))


@pytest.fixture
def quoted(reseller, distributor, vendor):
    product = ProductFactory(vendor=vendor, name="Endpoint Shield", list_price=D("10.00"))
    return quoted_deal(organization=reseller, distributor=distributor, lines=[(product, 100)])


@pytest.fixture
def approved(reseller, partner_user):
    return DealFactory(organization=reseller, registered_by=partner_user, state=DealState.APPROVED)


def test_every_render_of_a_deal_form_carries_a_fresh_key(login, partner_user, vendor, approved):
    client = login(partner_user)
    first = KEY.findall(client.get(deal_page(vendor, approved)).content.decode())
    second = KEY.findall(client.get(deal_page(vendor, approved)).content.decode())
    form = KEY.findall(client.get(f"/v/{vendor.slug}/deals/new/").content.decode())
    assert first and second and form
    assert set(first).isdisjoint(second)


@pytest.mark.django_db(transaction=True)
def test_the_same_registration_form_posted_twice_at_once_saves_one_registration(
    login, partner_user, vendor, distributor
):
    product = ProductFactory(vendor=vendor, name="Endpoint Shield", min_quantity=100)
    login(partner_user)  # verifies the address once
    data = {**deal_post(product, distributor), "submission_key": key()}

    def post():
        client = Client()
        client.force_login(partner_user)
        return client.post(f"/v/{vendor.slug}/deals/new/", data)

    first, second = race([post, post])

    [deal] = deals_of(vendor)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/v/{vendor.slug}/deals/{deal.number}/"


def test_a_progress_update_posted_twice_with_one_key_is_posted_once(login, partner_user, vendor, approved):
    client = login(partner_user)
    data = {"body": "Demo held.", "submission_key": key()}
    client.post(deal_page(vendor, approved, "updates/"), data)
    again = client.post(deal_page(vendor, approved, "updates/"), data, follow=True)
    assert updates_of(approved) == ["Demo held."]
    assert again.redirect_chain[-1][0] == deal_page(vendor, approved)
    assert ALREADY in again.content.decode()


def test_a_decision_posted_twice_with_one_key_shows_the_first_ones_result(
    login, channel_manager, vendor, reseller
):
    deal = DealFactory(organization=reseller, state=DealState.SUBMITTED)
    client = login(channel_manager)
    data = {"reject-reason": "below_threshold", "reject-note": "Only 50 seats.", "submission_key": key()}
    client.post(deal_url("deal_reject", deal), data)
    again = client.post(deal_url("deal_reject", deal), data, follow=True)
    assert reload(deal).state == DealState.REJECTED
    assert ALREADY in again.content.decode()
    assert "could not" not in again.content.decode().lower()


def test_a_quote_posted_twice_with_one_key_is_issued_once(login, quoted):
    client = login(quoted.registered_by)
    with scopes_disabled():
        product = quoted.lines.get().product
    data = {**lines_post(product, 250), "submission_key": key()}
    client.post(deal_url("quote_new", quoted), data)
    again = client.post(deal_url("quote_new", quoted), data)
    with scopes_disabled():
        assert Quote.objects.filter(deal=quoted).count() == 2
    assert again.status_code == 302
    assert again["Location"] == deal_url("quote_detail", quoted, 2)


def test_a_change_that_fails_after_the_key_leaves_no_key_so_the_retry_is_saved(
    login, partner_user, vendor, approved, monkeypatch
):
    client = login(partner_user)
    data = {"body": "Demo held.", "submission_key": key()}
    record = kernel.record

    def broken(*args, **kwargs):
        raise DealActionError("The connection was lost.")

    monkeypatch.setattr(kernel, "record", broken)
    client.post(deal_page(vendor, approved, "updates/"), data)
    assert updates_of(approved) == []

    monkeypatch.setattr(kernel, "record", record)
    retry = client.post(deal_page(vendor, approved, "updates/"), data, follow=True)
    assert updates_of(approved) == ["Demo held."]
    assert ALREADY not in retry.content.decode()


def test_a_key_is_its_users_own(login, partner_user, reseller, vendor, approved):
    colleague = member(Role.PARTNER_USER, organization=reseller)
    theirs = DealFactory(organization=reseller, registered_by=colleague, state=DealState.APPROVED)
    shared = key()
    login(partner_user).post(
        deal_page(vendor, approved, "updates/"), {"body": "Mine.", "submission_key": shared}
    )
    login(colleague).post(
        deal_page(vendor, theirs, "updates/"), {"body": "Theirs.", "submission_key": shared}
    )
    assert updates_of(approved) == ["Mine."]
    assert updates_of(theirs) == ["Theirs."]
