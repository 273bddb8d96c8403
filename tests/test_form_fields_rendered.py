"""Every field a form requires is on its page.

A required field the template forgets cannot be filled in: the form then says "correct the fields marked
below" with nothing marked (a distributor could not register a deal for its reseller). Each page below is
drawn as its user sees it; every required field of every form it renders must have an input of that name.
"""

import re

import pytest
from django import forms
from django.urls import reverse
from django_scopes import scopes_disabled

from deals.forms.registration import DealForm
from deals.models import Deal, DealState
from deals.policy.rules import SUBMISSION_REQUIRED_FIELDS
from tests.factories import DealFactory, ProductFactory, TerritoryFactory, UserFactory, quoted_deal
from tests.helpers import deal_url


def _forms_in(value):
    """The forms in a context value: a form, the forms of a formset, or those a list, dict or one of the
    project's form holders (e.g. the co-sell partners) holds."""
    if isinstance(value, forms.BaseForm):
        return [value]
    if isinstance(value, forms.BaseFormSet):
        return [value.management_form, *value.forms]
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list | tuple):
        items = list(value)
    elif type(value).__module__.startswith(("deals.", "partners.", "products.")) and hasattr(
        value, "__dict__"
    ):
        items = list(vars(value).values())
    else:
        return []
    return [form for item in items if isinstance(item, FORMISH) for form in _forms_in(item)]


FORMISH = (forms.BaseForm, forms.BaseFormSet)
PROJECT_APPS = ("deals.", "partners.", "products.")


def _required(form) -> list[str]:
    names = [name for name, field in form.fields.items() if field.required and not field.disabled]
    if isinstance(form, DealForm):  # a draft needs nothing, a submission these
        names += [name for name in SUBMISSION_REQUIRED_FIELDS if name in form.fields]
        names += [name for name in ("distributor",) if name in form.fields]
    return [form.add_prefix(name) for name in names]


def assert_required_fields_rendered(response, keys=None):
    assert response.status_code == 200
    html = response.content.decode()
    context = {}
    for layer in response.context:  # the page's own context first, then those of its includes
        for key, value in layer.flatten().items():
            context.setdefault(key, value)
    checked = []
    for key, value in context.items():
        if keys is not None and key not in keys:
            continue
        for form in _forms_in(value):
            for name in _required(form):
                checked.append(name)
                assert re.search(rf'name="{re.escape(name)}"', html), (
                    f"{type(form).__name__} requires “{name}” but the page has no input of that name"
                )
    assert checked, "the page rendered no form with a required field"


@pytest.fixture
def two_tier(vendor):
    from tests.factories import set_program

    set_program(vendor, two_tier=True)
    return vendor


def test_the_deal_form_of_a_reseller_renders_every_required_field(login, partner_user, vendor, two_tier):
    ProductFactory(vendor=vendor)
    response = login(partner_user).get(reverse("deal_create", args=[vendor.slug]))
    assert_required_fields_rendered(response, keys={"form", "lines", "cosell"})


def test_the_deal_form_of_a_distributor_renders_the_reseller_picker(
    login, distributor_user, vendor, reseller, two_tier
):
    ProductFactory(vendor=vendor)
    response = login(distributor_user).get(reverse("deal_create", args=[vendor.slug]))
    assert_required_fields_rendered(response, keys={"form", "lines", "cosell"})
    assert reseller.name in response.content.decode()


def test_the_co_sell_deal_form_renders_every_required_field(login, partner_user, co_sell_vendor):
    ProductFactory(vendor=co_sell_vendor)
    response = login(partner_user).get(reverse("deal_create", args=[co_sell_vendor.slug]))
    assert_required_fields_rendered(response, keys={"form", "lines", "cosell"})


def test_the_quote_form_renders_every_required_field(login, reseller, distributor, vendor):
    product = ProductFactory(vendor=vendor)
    deal = quoted_deal(organization=reseller, distributor=distributor, lines=[(product, 10)])
    response = login(deal.registered_by).get(deal_url("quote_new", deal))
    assert_required_fields_rendered(response, keys={"form", "lines"})


def test_the_review_decisions_render_every_required_field(login, channel_manager, reseller):
    deal = DealFactory(organization=reseller, state=DealState.SUBMITTED)
    response = login(channel_manager).get(deal_url("deal_review", deal))
    assert_required_fields_rendered(response, keys={"approve_form", "reject_form", "request_info_form"})


def test_the_partner_application_renders_every_required_field(login, vendor):
    vendor.accepts_applications = True
    vendor.save()
    response = login(UserFactory()).get(reverse("partner_apply", kwargs={"slug": vendor.slug}))
    assert_required_fields_rendered(response)


@pytest.mark.parametrize("page", ["program_settings", "product_create", "territory_list"])
def test_the_program_pages_render_every_required_field(login, vendor_admin, vendor, page):
    response = login(vendor_admin).get(reverse(page, args=[vendor.slug]))
    assert_required_fields_rendered(response, keys={"form"})


def test_the_product_edit_and_territory_pages_render_every_required_field(login, vendor_admin, vendor):
    product = ProductFactory(vendor=vendor)
    territory = TerritoryFactory(vendor=vendor)
    client = login(vendor_admin)
    assert_required_fields_rendered(client.get(reverse("product_edit", args=[vendor.slug, product.pk])))
    response = client.get(reverse("territory_edit", args=[vendor.slug, territory.pk]))
    assert response.status_code == 200  # its one field (countries) is optional: an empty territory is allowed


@pytest.mark.parametrize("who", ["partner_admin", "vendor_admin"])
def test_the_invitation_form_renders_every_required_field(login, vendor, who, request):
    response = login(request.getfixturevalue(who)).get(reverse("team", args=[vendor.slug]))
    assert_required_fields_rendered(response, keys={"form"})


def test_the_application_decision_renders_every_required_field(login, vendor, vendor_admin):
    from tests.factories import OrganizationFactory

    applicant = OrganizationFactory(vendor=vendor, status="applied")
    response = login(vendor_admin).get(
        reverse("partner_application_detail", args=[vendor.slug, applicant.pk])
    )
    assert_required_fields_rendered(response, keys={"approve_form", "decline_form"})


def test_a_distributor_registers_a_draft_for_the_reseller_it_picks(
    login, distributor_user, vendor, reseller, two_tier
):
    response = login(distributor_user).post(
        reverse("deal_create", args=[vendor.slug]),
        {
            "reseller": str(reseller.pk),
            "company_name": "Contoso Ltd",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "20",
            "intent": "save",
        },
    )

    assert response.status_code == 302
    with scopes_disabled():
        deal = Deal.objects.get(company_name="Contoso Ltd")
    assert deal.organization == reseller
