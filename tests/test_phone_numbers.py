"""Phone numbers are real numbers: parsed with the country's rules, stored in E.164, shown internationally."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from deals.models import Deal
from partners.models import PartnerOrganization
from portal.phones import e164_or_as_typed
from tests.factories import DealFactory, OrganizationFactory, ProductFactory, UserFactory
from tests.helpers import deal_page, deal_post, deals_of
from tests.partners.test_applications import application_data, apply_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(db):
    return UserFactory(email="pat@northwind.example")


@pytest.fixture
def product(vendor):
    return ProductFactory(vendor=vendor, min_quantity=1)


def new_deal_url(vendor):
    return reverse("deal_create", args=[vendor.slug])


def saved_draft(vendor):
    [deal] = deals_of(vendor)
    return deal


@pytest.mark.parametrize("typed", ["------", "123"])
def test_the_deal_form_refuses_what_is_not_a_phone_number(
    login, partner_user, vendor, product, distributor, typed
):
    data = deal_post(product, distributor, contact_phone=typed, intent="save")
    response = login(partner_user).post(new_deal_url(vendor), data)
    assert response.status_code == 400
    assert deals_of(vendor) == []
    assert "Enter a valid phone number" in response.content.decode()


@pytest.mark.parametrize("typed", ["+1 415 555 2671", "(415) 555-2671"])
def test_the_deal_form_stores_a_us_number_in_e164(login, partner_user, vendor, product, distributor, typed):
    data = deal_post(product, distributor, contact_phone=typed, partner_contact_phone=typed, intent="save")
    assert login(partner_user).post(new_deal_url(vendor), data).status_code == 302
    deal = saved_draft(vendor)
    with scopes_disabled():
        stored = Deal.objects.filter(pk=deal.pk).values_list("contact_phone", "partner_contact_phone").get()
    assert stored == ("+14155552671", "+14155552671")


def test_the_deal_form_reads_a_national_number_by_the_organisations_country(
    login, partner_user, reseller, vendor, product
):
    with scopes_disabled():
        PartnerOrganization.objects.filter(pk=reseller.pk).update(country="DE")
    data = deal_post(product, None, contact_phone="030 901820", country="DE", intent="save")
    assert login(partner_user).post(new_deal_url(vendor), data).status_code == 302
    with scopes_disabled():
        assert Deal.objects.values_list("contact_phone", flat=True).get() == "+4930901820"


def test_the_deal_page_shows_phone_numbers_in_international_format(login, partner_user, reseller, vendor):
    deal = DealFactory(organization=reseller, registered_by=partner_user, contact_phone="+14155552671")
    html = login(partner_user).get(deal_page(vendor, deal)).content.decode()
    assert "+1 415-555-2671" in html
    assert "+14155552671" not in html


@pytest.mark.parametrize("typed", ["------", "123"])
def test_the_application_form_refuses_what_is_not_a_phone_number(login, applicant, vendor, typed):
    response = login(applicant).post(apply_url(vendor), application_data(kind="distributor", phone=typed))
    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    with scope(vendor=vendor):
        assert not PartnerOrganization.objects.filter(name="Northwind Traders").exists()


def test_the_application_form_reads_a_national_number_by_the_companys_country(login, applicant, vendor):
    data = application_data(kind="distributor", country="DE", phone="030 901820")
    assert login(applicant).post(apply_url(vendor), data).status_code == 302
    with scope(vendor=vendor):
        stored = PartnerOrganization.objects.filter(name="Northwind Traders").values_list("phone", flat=True)
        assert list(stored) == ["+4930901820"]


def test_the_partner_page_shows_the_phone_number_in_international_format(login, vendor, vendor_admin):
    partner = OrganizationFactory(vendor=vendor, country="DE", phone="+4930901820")
    html = login(vendor_admin).get(reverse("partner_detail", args=[vendor.slug, partner.pk])).content.decode()
    assert "+49 30 901820" in html


@pytest.mark.parametrize(
    ("stored", "country", "migrated"),
    [
        ("(415) 555-2671", "US", "+14155552671"),
        ("+1 415 555 2671", "DE", "+14155552671"),
        ("030 901820", "DE", "+4930901820"),
        ("+1 555 0100", "US", "+1 555 0100"),  # not a valid number: kept as typed
        ("------", "US", "------"),
        ("ask for Bob", "", "ask for Bob"),
    ],
)
def test_the_migration_stores_valid_numbers_in_e164_and_keeps_the_rest_as_typed(stored, country, migrated):
    assert e164_or_as_typed(stored, country) == migrated


BEFORE_PHONE_FIELDS = [
    ("partners", "0003_merge_holiday_calendar_numeric_bounds"),
    ("deals", "0011_numeric_bounds"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_rewrite_stored_numbers_by_the_organisations_country():
    MigrationExecutor(connection).migrate(BEFORE_PHONE_FIELDS)
    old = MigrationExecutor(connection).loader.project_state(BEFORE_PHONE_FIELDS).apps
    vendor = old.get_model("partners", "Vendor")._base_manager.create(name="V", slug="v-phones")
    organizations = old.get_model("partners", "PartnerOrganization")._base_manager
    berlin = organizations.create(
        vendor=vendor, name="A", country="DE", phone="030 901820", contact_email="a@a.example"
    )
    organizations.create(vendor=vendor, name="B", country="US", phone="------", contact_email="b@b.example")
    user = old.get_model("partners", "User")._base_manager.create(email="u@a.example")
    old.get_model("deals", "Deal")._base_manager.create(
        vendor=vendor,
        organization=berlin,
        registered_by=user,
        number=1,
        contact_phone="030 901820",
        partner_contact_phone="+1 555 0100",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute(
            "select name, phone from partners_partnerorganization where vendor_id = %s order by name",
            [vendor.pk],
        )
        assert cursor.fetchall() == [("A", "+4930901820"), ("B", "------")]
        cursor.execute(
            "select contact_phone, partner_contact_phone from deals_deal where vendor_id = %s", [vendor.pk]
        )
        assert cursor.fetchall() == [("+4930901820", "+1 555 0100")]
