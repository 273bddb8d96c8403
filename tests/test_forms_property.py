"""Property-based: whatever is typed into the deal, quote, co-sell, program-settings and invitation forms,
the answer is never a server error; a refusal carries a message and saves nothing at all."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deals.models import Deal, DealLine, DealParticipant, Quote
from partners.models import Invitation, Program
from tests.factories import ProductFactory, quoted_deal
from tests.helpers import cosell_post, deal_url, lines_post

# Fixtures are made once per test, not per example: each example checks its own before and after.
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

typed = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    typed,
)

pytestmark = pytest.mark.django_db


def _counts(*models):
    with scopes_disabled():
        return [model.objects.count() for model in models]


def assert_answered(response, before, after):
    """A 302 saved what it said; a 400 says why and saved nothing."""
    assert response.status_code in (200, 302, 400, 409)
    if response.status_code != 302:
        html = response.content.decode()
        assert "invalid-feedback" in html or "alert-danger" in html or "text-danger" in html
        assert after == before


@FAST
@given(quantity=numbers, value=numbers, domain=typed, phone=typed, intent=st.sampled_from(["save", "submit"]))
def test_the_deal_form_never_fails(login, partner_user, vendor, quantity, value, domain, phone, intent):
    product = ProductFactory(vendor=vendor)
    before = _counts(Deal, DealLine)
    response = login(partner_user).post(
        reverse("deal_create", args=[vendor.slug]),
        {
            **lines_post(product, quantity),
            "company_name": "Contoso",
            "domain": domain,
            "projected_value": value,
            "contact_phone": phone,
            "intent": intent,
        },
    )
    assert_answered(response, before, _counts(Deal, DealLine))


@FAST
@given(quantity=numbers)
def test_the_quote_form_never_fails(login, reseller, distributor, vendor, quantity):
    product = ProductFactory(vendor=vendor, list_price=D("10.00"))
    deal = quoted_deal(organization=reseller, distributor=distributor, lines=[(product, 10)])
    before = _counts(Quote)
    response = login(deal.registered_by).post(deal_url("quote_new", deal), lines_post(product, quantity))
    if response.status_code == 302:
        return
    assert_answered(response, before, _counts(Quote))


@FAST
@given(lead_share=numbers, share=numbers)
def test_the_co_sell_form_never_fails(login, partner_user, co_sell_vendor, other_reseller, lead_share, share):
    product = ProductFactory(vendor=co_sell_vendor)
    before = _counts(Deal, DealParticipant)
    response = login(partner_user).post(
        reverse("deal_create", args=[co_sell_vendor.slug]),
        {
            **lines_post(product, "10", company_name="Contoso", intent="save"),
            **cosell_post(other_reseller, share, lead_share=lead_share),
        },
    )
    assert_answered(response, before, _counts(Deal, DealParticipant))


PROGRAM_FIELDS = [
    "validity_days",
    "extension_days",
    "max_extensions",
    "stale_after_days",
    "stale_warning_day",
    "review_sla_business_days",
    "name_similarity_threshold",
    "reward_margin_points",
    "quote_validity_days",
    "fiscal_year_start_month",
    "expiry_warning_days",
]


def _program(vendor):
    with scopes_disabled():
        program = Program.objects.get(vendor=vendor)
        return [getattr(program, name) for name in PROGRAM_FIELDS]


@FAST
@given(field=st.sampled_from(PROGRAM_FIELDS), value=numbers)
def test_the_program_settings_never_fail(login, vendor_admin, vendor, field, value):
    from tests.test_numeric_bounds import PROGRAM_POST

    before = _program(vendor)
    response = login(vendor_admin).post(
        reverse("program_settings", args=[vendor.slug]), {**PROGRAM_POST, field: value}
    )
    assert_answered(response, before, _program(vendor) if response.status_code != 302 else before)


@FAST
@given(email=typed, role=typed)
def test_the_invitation_form_never_fails(login, partner_admin, vendor, email, role):
    before = _counts(Invitation)
    response = login(partner_admin).post(reverse("team", args=[vendor.slug]), {"email": email, "role": role})
    assert_answered(response, before, _counts(Invitation))
