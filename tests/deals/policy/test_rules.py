"""Program rules: each one passes, warns or fails with a reason a partner understands."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from deals.models import Deal, DealLine, DealState
from deals.policy import rules
from deals.policy.audience import Viewer
from deals.policy.rules import (
    RULES,
    SUBMISSION_REQUIRED_FIELDS,
    ActiveProductsRule,
    BantRule,
    CloseDateRule,
    CompleteInformationRule,
    ConflictRule,
    ExcludedSegmentRule,
    NetNewRule,
    PartnerActiveRule,
    Status,
    TerritoryEligibilityRule,
    ThresholdRule,
    evaluate,
    fiscal_quarter_end,
)
from partners.models import PartnerOrganization
from tests.factories import (
    AgreementFactory,
    DealFactory,
    DistributorFactory,
    OrganizationFactory,
    PipelineEntryFactory,
    ProductFactory,
    TerritoryFactory,
)
from tests.helpers import reload

TODAY = datetime.date(2026, 2, 10)  # a Tuesday in the first calendar quarter


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: TODAY)


@pytest.fixture
def deal(reseller):
    return DealFactory(organization=reseller, expected_close_date=TODAY + datetime.timedelta(days=20))


def _program(vendor, **changes):
    with scopes_disabled():
        program = vendor.program
        for name, value in changes.items():
            setattr(program, name, value)
        program.save()


def _check(rule, deal):
    with scopes_disabled():
        fresh = Deal.objects.select_related("vendor__program", "organization", "distributor").get(pk=deal.pk)
    return rule.check(fresh)


def _update(deal, **fields):
    """Change the stored deal directly: the rule under test must read it from the database."""
    with scopes_disabled():
        Deal.objects.filter(pk=deal.pk).update(**fields)


def _set_lines(deal, *lines):
    with scopes_disabled():
        deal.lines.all().delete()
        DealLine.objects.bulk_create([DealLine(deal=deal, product=p, quantity=q) for p, q in lines])


# --- the checklist as a whole -------------------------------------------------------------------


def test_a_complete_eligible_deal_passes_every_rule(deal):
    checklist = evaluate(deal)

    assert [(v.rule, v.status, v.reason) for v in checklist.verdicts if v.status != Status.PASS] == []
    assert not checklist.blocks_submission


def test_the_checklist_runs_every_rule_once_in_a_sensible_order(deal):
    names = [v.rule for v in evaluate(deal).verdicts]
    assert names == [rule.name for rule in RULES]
    assert names[0] == "Complete information" and names[-1] == "Conflicting registrations"
    assert len(set(names)) == len(names)


def test_a_failure_blocks_submission_and_a_warning_does_not(deal):
    _update(deal, deal_type=Deal.DealType.ADD_ON)
    checklist = evaluate(reload(deal))
    assert [v.rule for v in checklist.warnings] == ["Net-new business"]
    assert not checklist.blocks_submission

    _update(deal, deal_type=Deal.DealType.RENEWAL)
    checklist = evaluate(reload(deal))
    assert [v.rule for v in checklist.failures] == ["Net-new business"]
    assert checklist.blocks_submission


def test_it_judges_an_unsaved_candidate_with_the_lines_being_edited(deal, vendor):
    big = ProductFactory(vendor=vendor, min_quantity=5000)
    candidate = reload(deal)
    candidate.pending_lines = [DealLine(product=big, quantity=10)]

    checklist = evaluate(candidate)

    assert [v.rule for v in checklist.failures] == ["Minimum threshold"]
    assert evaluate(reload(deal)).failures == []  # the saved lines were not touched


def test_it_runs_in_a_bounded_number_of_queries(deal, django_assert_max_num_queries):
    fresh = reload(deal)
    with django_assert_max_num_queries(16):
        evaluate(fresh)


# --- Complete information -----------------------------------------------------------------------


def test_complete_information_passes_when_everything_is_filled_in(deal):
    verdict = _check(CompleteInformationRule(), deal)
    assert verdict.status == Status.PASS
    assert verdict.rule == "Complete information"


def test_complete_information_names_each_missing_field(deal):
    _update(deal, contact_email="", projected_value=None, country="", city=" ")

    verdict = _check(CompleteInformationRule(), deal)

    assert verdict.status == Status.FAIL
    assert verdict.reason == "Still missing: City, Country, End user email, Projected value."


def test_complete_information_needs_a_product_line(deal):
    _set_lines(deal)
    verdict = _check(CompleteInformationRule(), deal)
    assert verdict.status == Status.FAIL
    assert "at least one product with its quantity" in verdict.reason


def test_complete_information_needs_a_verified_domain(deal):
    _update(deal, domain="https://www.Example.com/x")
    verdict = _check(CompleteInformationRule(), deal)
    assert verdict.status == Status.FAIL
    assert "a valid primary domain" in verdict.reason


def test_complete_information_needs_the_distributor_in_a_two_tier_program(deal):
    _update(deal, distributor=None)
    verdict = _check(CompleteInformationRule(), deal)
    assert verdict.status == Status.FAIL
    assert "the distributor the customer buys through" in verdict.reason


def test_complete_information_needs_no_distributor_in_a_one_tier_program(deal, vendor):
    _program(vendor, two_tier=False)
    _update(deal, distributor=None)
    assert _check(CompleteInformationRule(), deal).status == Status.PASS


def test_the_required_fields_are_real_deal_fields_with_labels():
    field_names = {f.name for f in Deal._meta.get_fields()}
    assert set(SUBMISSION_REQUIRED_FIELDS) <= field_names
    assert all(label.strip() for label in SUBMISSION_REQUIRED_FIELDS.values())
    assert {"budget_status", "authority", "need", "timeline", "domain", "country"} <= set(
        SUBMISSION_REQUIRED_FIELDS
    )


# --- Active partner -----------------------------------------------------------------------------


def test_an_active_partner_with_an_authorised_distributor_passes(deal):
    verdict = _check(PartnerActiveRule(), deal)
    assert verdict.status == Status.PASS
    assert deal.distributor.name in verdict.reason


@pytest.mark.parametrize(
    ("status", "word"),
    [(PartnerOrganization.Status.SUSPENDED, "suspended"), (PartnerOrganization.Status.APPLIED, "applied")],
)
def test_an_inactive_partner_fails(deal, reseller, status, word):
    with scopes_disabled():
        PartnerOrganization.objects.filter(pk=reseller.pk).update(status=status)
    verdict = _check(PartnerActiveRule(), deal)
    assert verdict.status == Status.FAIL
    assert verdict.reason.startswith(f"Your organisation's membership in the program is {word}")


def test_a_distributor_without_an_agreement_fails(deal, vendor):
    stranger = DistributorFactory(vendor=vendor, name="Unknown Distribution")
    _update(deal, distributor=stranger)
    verdict = _check(PartnerActiveRule(), deal)
    assert verdict.status == Status.FAIL
    assert "no active distribution agreement with Unknown Distribution" in verdict.reason


def test_an_ended_agreement_fails(deal):
    with scopes_disabled():
        deal.organization.agreements.update(is_active=False)
    verdict = _check(PartnerActiveRule(), deal)
    assert verdict.status == Status.FAIL
    assert f"no active distribution agreement with {deal.distributor.name}" in verdict.reason


def test_a_reseller_without_any_distributor_agreement_fails(deal):
    with scopes_disabled():
        deal.organization.agreements.update(is_active=False)
        Deal.objects.filter(pk=deal.pk).update(distributor=None)
    verdict = _check(PartnerActiveRule(), deal)
    assert verdict.status == Status.FAIL
    assert "no active agreement with an authorised distributor" in verdict.reason


def test_a_suspended_distributor_fails(deal):
    with scopes_disabled():
        PartnerOrganization.objects.filter(pk=deal.distributor_id).update(
            status=PartnerOrganization.Status.SUSPENDED
        )
    verdict = _check(PartnerActiveRule(), deal)
    assert verdict.status == Status.FAIL
    assert "is not an active authorised distributor" in verdict.reason


def test_a_reseller_chosen_as_distributor_fails(deal, vendor):
    not_a_distributor = OrganizationFactory(vendor=vendor, name="Gamma Resellers")
    AgreementFactory(reseller=deal.organization, distributor=not_a_distributor)
    _update(deal, distributor=not_a_distributor)
    assert _check(PartnerActiveRule(), deal).status == Status.FAIL


def test_a_one_tier_program_needs_no_distributor(deal, vendor):
    _program(vendor, two_tier=False)
    _update(deal, distributor=None)
    assert _check(PartnerActiveRule(), deal).status == Status.PASS


# --- Products on sale ---------------------------------------------------------------------------


def test_active_products_pass(deal):
    assert _check(ActiveProductsRule(), deal).status == Status.PASS


def test_a_product_no_longer_sold_fails(deal, vendor):
    retired = ProductFactory(vendor=vendor, name="Legacy AV", is_active=False)
    _set_lines(deal, (retired, 1000))
    verdict = _check(ActiveProductsRule(), deal)
    assert verdict.status == Status.FAIL
    assert verdict.reason == "No longer sold, remove from the registration: Legacy AV."


def test_no_products_yet_is_not_checked(deal):
    _set_lines(deal)
    assert _check(ActiveProductsRule(), deal).status == Status.WARN


# --- Territory eligibility ----------------------------------------------------------------------


@pytest.fixture
def emea(vendor):
    return TerritoryFactory(
        vendor=vendor, code="EMEA", name="Europe, Middle East and Africa", countries=["DE", "FR"]
    )


def test_a_product_eligible_in_the_customers_territory_passes(deal, vendor, emea):
    _set_lines(deal, (ProductFactory(vendor=vendor, eligible_in=[emea]), 1000))
    _update(deal, country="DE")
    verdict = _check(TerritoryEligibilityRule(), deal)
    assert verdict.status == Status.PASS
    assert verdict.reason == "Every product is eligible in Europe, Middle East and Africa (Germany)."


def test_a_product_not_eligible_in_the_customers_territory_fails(deal, vendor, emea):
    _set_lines(deal, (ProductFactory(vendor=vendor, name="Secure Workspace", eligible_in=[]), 1000))
    _update(deal, country="FR")
    verdict = _check(TerritoryEligibilityRule(), deal)
    assert verdict.status == Status.FAIL
    assert verdict.reason == (
        "Not eligible for deal registration in Europe, Middle East and Africa (France): Secure Workspace."
    )


def test_a_country_in_no_territory_fails(deal):
    _update(deal, country="JP")
    verdict = _check(TerritoryEligibilityRule(), deal)
    assert verdict.status == Status.FAIL
    assert verdict.reason == "This program does not register deals for customers in Japan."


def test_another_vendors_territory_does_not_count(deal, other_vendor):
    TerritoryFactory(vendor=other_vendor, code="APAC", countries=["JP"])
    _update(deal, country="JP")
    assert _check(TerritoryEligibilityRule(), deal).status == Status.FAIL


def test_no_country_yet_is_not_checked(deal):
    _update(deal, country="")
    verdict = _check(TerritoryEligibilityRule(), deal)
    assert verdict.status == Status.WARN
    assert "choose the customer's country" in verdict.reason


# --- Minimum threshold --------------------------------------------------------------------------


def test_a_quantity_at_the_minimum_passes(deal, vendor):
    _set_lines(deal, (ProductFactory(vendor=vendor, min_quantity=1000), 1000))
    assert _check(ThresholdRule(), deal).status == Status.PASS


def test_a_quantity_below_the_minimum_fails(deal, vendor):
    _set_lines(deal, (ProductFactory(vendor=vendor, name="Endpoint Shield", min_quantity=1000), 999))
    verdict = _check(ThresholdRule(), deal)
    assert verdict.status == Status.FAIL
    assert verdict.reason == (
        "Below the program's minimum: Endpoint Shield needs at least 1,000 endpoints (registered: 999)."
    )


def test_a_list_value_below_the_minimum_fails(deal, vendor):
    product = ProductFactory(
        vendor=vendor, name="RAS", list_price=Decimal("12.50"), min_value=Decimal("10000")
    )
    _set_lines(deal, (product, 500))
    verdict = _check(ThresholdRule(), deal)
    assert verdict.status == Status.FAIL
    assert "RAS needs a list value of at least USD 10,000.00 (registered: USD 6,250.00)" in verdict.reason


def test_a_list_value_at_the_minimum_passes(deal, vendor):
    product = ProductFactory(vendor=vendor, list_price=Decimal("12.50"), min_value=Decimal("10000"))
    _set_lines(deal, (product, 800))
    assert _check(ThresholdRule(), deal).status == Status.PASS


def test_every_line_below_its_minimum_is_named(deal, vendor):
    _set_lines(
        deal,
        (ProductFactory(vendor=vendor, name="A", min_quantity=10), 5),
        (ProductFactory(vendor=vendor, name="B", min_quantity=1), 5),
        (ProductFactory(vendor=vendor, name="C", min_quantity=100), 5),
    )
    reason = _check(ThresholdRule(), deal).reason
    assert "A needs" in reason and "C needs" in reason and "B needs" not in reason


def test_no_products_yet_is_not_checked_for_thresholds(deal):
    _set_lines(deal)
    assert _check(ThresholdRule(), deal).status == Status.WARN


# --- Net-new business ---------------------------------------------------------------------------


def test_net_new_business_passes(deal):
    assert _check(NetNewRule(), deal).status == Status.PASS


def test_an_add_on_warns_when_the_program_takes_them_by_exception(deal):
    _update(deal, deal_type=Deal.DealType.ADD_ON)
    verdict = _check(NetNewRule(), deal)
    assert verdict.status == Status.WARN
    assert "by exception" in verdict.reason


def test_an_add_on_fails_when_the_program_does_not_take_them(deal, vendor):
    _program(vendor, addons_allowed=False)
    _update(deal, deal_type=Deal.DealType.ADD_ON)
    verdict = _check(NetNewRule(), deal)
    assert verdict.status == Status.FAIL
    assert "does not accept add-on business" in verdict.reason


# --- Excluded segments --------------------------------------------------------------------------


def test_an_end_customer_opportunity_passes(deal):
    assert _check(ExcludedSegmentRule(), deal).status == Status.PASS


def test_an_msp_opportunity_passes_when_the_program_allows_msps(deal, vendor):
    _program(vendor, msp_excluded=False)
    _update(deal, segment=Deal.Segment.MSP)
    assert _check(ExcludedSegmentRule(), deal).status == Status.PASS


# --- BANT -----------------------------------------------------------------------------------------


def test_complete_bant_passes(deal):
    assert _check(BantRule(), deal).status == Status.PASS


def test_a_pending_budget_passes(deal):
    _update(deal, budget_status=Deal.BudgetStatus.PENDING)
    assert _check(BantRule(), deal).status == Status.PASS


def test_incomplete_bant_fails_naming_the_gaps(deal):
    _update(deal, budget_status="", need="  ")
    verdict = _check(BantRule(), deal)
    assert verdict.status == Status.FAIL
    assert verdict.reason == "Complete the qualification (BANT): Budget, Need: what problem does it solve?."


def test_bant_gaps_are_left_to_the_bant_rule(deal):
    _update(deal, timeline="")
    assert _check(CompleteInformationRule(), deal).status == Status.PASS
    assert _check(BantRule(), deal).status == Status.FAIL


# --- One change to a complete deal, and how the rule's reason for its verdict starts ---------------

MSP_REFUSED = "MSP (managed service provider) opportunities cannot be registered"

ONE_CHANGE = [
    (PartnerActiveRule, {"distributor": None}, Status.WARN, "Not checked yet"),
    (NetNewRule, {"deal_type": Deal.DealType.RENEWAL}, Status.FAIL, "Renewals are not eligible"),
    (ExcludedSegmentRule, {"segment": Deal.Segment.MSP}, Status.FAIL, MSP_REFUSED),
    (BantRule, {"budget_status": Deal.BudgetStatus.NONE}, Status.WARN, "The customer has no budget yet"),
]
ONE_CHANGE_IDS = [
    "no_distributor_chosen_yet_warns_when_the_partner_has_one",
    "a_renewal_fails",
    "an_msp_opportunity_fails_when_the_program_excludes_msps",
    "no_budget_warns",
]


@pytest.mark.parametrize(("rule", "change", "status", "reason_start"), ONE_CHANGE, ids=ONE_CHANGE_IDS)
def test_one_change_gets_the_rules_verdict_with_its_reason(deal, rule, change, status, reason_start):
    _update(deal, **change)
    verdict = _check(rule(), deal)
    assert verdict.status == status
    assert verdict.reason.startswith(reason_start)


# --- Close date -----------------------------------------------------------------------------------


def _close_on(deal, day):
    _update(deal, expected_close_date=day)


def test_a_close_date_inside_protection_and_quarter_passes(deal):
    _close_on(deal, datetime.date(2026, 3, 31))  # last day of Q1; 49 days from TODAY
    verdict = _check(CloseDateRule(), deal)
    assert verdict.status == Status.PASS


def test_today_as_close_date_passes(deal):
    _close_on(deal, TODAY)
    assert _check(CloseDateRule(), deal).status == Status.PASS


def test_a_close_date_in_the_past_fails(deal):
    _close_on(deal, TODAY - datetime.timedelta(days=1))
    verdict = _check(CloseDateRule(), deal)
    assert verdict.status == Status.FAIL
    assert verdict.reason == "The expected close date (9 Feb 2026) is in the past."


# A close date past one limit (the fiscal quarter's end, or the protection's) warns naming only that one.
PAST_ONE_LIMIT = [
    ({}, datetime.date(2026, 4, 1), "current fiscal quarter (ends 31 Mar 2026)", "protection"),
    # Q1 runs Feb–Apr: 20 March is inside the quarter, after 30 days of protection.
    (
        {"validity_days": 30, "fiscal_year_start_month": 2},
        datetime.date(2026, 3, 20),
        "after the 30-day protection",
        "fiscal quarter",
    ),
]


@pytest.mark.parametrize(
    ("program", "close", "named", "not_named"),
    PAST_ONE_LIMIT,
    ids=["after_the_fiscal_quarter", "beyond_the_validity_window"],
)
def test_a_close_date_past_one_limit_warns_naming_only_that_limit(
    deal, vendor, program, close, named, not_named
):
    _program(vendor, **program)
    _close_on(deal, close)
    verdict = _check(CloseDateRule(), deal)
    assert verdict.status == Status.WARN
    assert named in verdict.reason
    assert not_named not in verdict.reason


def test_the_fiscal_year_start_moves_the_quarter_end(deal, vendor):
    _program(vendor, fiscal_year_start_month=12)  # quarters Dec–Feb, Mar–May, ...
    _close_on(deal, datetime.date(2026, 3, 1))
    verdict = _check(CloseDateRule(), deal)
    assert verdict.status == Status.WARN
    assert "(ends 28 Feb 2026)" in verdict.reason


def test_no_close_date_yet_is_not_checked(deal):
    _close_on(deal, None)
    assert _check(CloseDateRule(), deal).status == Status.WARN


@pytest.mark.parametrize(
    ("day", "start_month", "quarter_end"),
    [
        (datetime.date(2026, 2, 10), 1, datetime.date(2026, 3, 31)),
        (datetime.date(2026, 12, 31), 1, datetime.date(2026, 12, 31)),
        (datetime.date(2026, 1, 1), 1, datetime.date(2026, 3, 31)),
        (datetime.date(2026, 2, 10), 2, datetime.date(2026, 4, 30)),
        (datetime.date(2026, 1, 15), 2, datetime.date(2026, 1, 31)),
        (datetime.date(2026, 11, 5), 4, datetime.date(2026, 12, 31)),
        (datetime.date(2026, 12, 5), 12, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 12, 5), 11, datetime.date(2028, 1, 31)),
    ],
)
def test_fiscal_quarter_end(day, start_month, quarter_end):
    assert fiscal_quarter_end(day, start_month) == quarter_end


# --- Conflicting registrations -----------------------------------------------------------------


def test_no_conflict_passes(deal):
    assert _check(ConflictRule(), deal).status == Status.PASS


def test_another_partners_registration_warns_without_naming_it(deal, other_reseller):
    with scopes_disabled():
        product = deal.lines.get().product
    theirs = DealFactory(
        organization=other_reseller, prospect=deal.prospect, lines=[(product, 5)], state=DealState.APPROVED
    )

    verdict = _check(ConflictRule(), deal)

    assert verdict.status == Status.WARN
    assert verdict.reason.startswith("A registration for this prospect already exists")
    assert other_reseller.name not in verdict.reason and theirs.deal_number not in verdict.reason


def test_the_vendors_pipeline_warns_in_the_same_words(deal, vendor):
    PipelineEntryFactory(vendor=vendor, company_name="Somebody", domain=deal.domain, owner="Sam Seller")
    verdict = _check(ConflictRule(), deal)
    assert verdict.status == Status.WARN
    assert verdict.reason.startswith("A registration for this prospect already exists")
    assert "Sam Seller" not in verdict.reason


@pytest.mark.parametrize("viewer", [Viewer.REVIEWER, Viewer.OTHER])
def test_others_read_the_registering_organisations_name(deal, reseller, vendor, viewer):
    """The same verdicts as the registrant's, worded for a reader who is not the registering partner."""
    stranger = DistributorFactory(vendor=vendor, name="Unknown Distribution")
    _update(deal, distributor=stranger)
    verdict = PartnerActiveRule().check(reload(deal), viewer)
    assert verdict.status == Status.FAIL
    assert verdict.reason == (
        "Alpha Resellers has no active distribution agreement with Unknown Distribution; "
        "the deal must name one of its authorised distributors."
    )
    with scopes_disabled():
        PartnerOrganization.objects.filter(pk=reseller.pk).update(status=PartnerOrganization.Status.SUSPENDED)
    verdict = PartnerActiveRule().check(reload(deal), viewer)
    assert verdict.reason.startswith("Alpha Resellers' membership in the program is suspended")
    assert [v.status for v in evaluate(reload(deal), viewer=viewer).verdicts] == [
        v.status for v in evaluate(reload(deal)).verdicts
    ]
    assert not any("Your organisation" in v.reason for v in evaluate(reload(deal), viewer=viewer).verdicts)
