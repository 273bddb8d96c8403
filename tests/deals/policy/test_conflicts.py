"""Conflict detection: same prospect by domain or similar name, against other partners and the pipeline."""

import pytest
from django_scopes import scopes_disabled

from deals.models import DealState
from deals.policy import conflicts
from deals.policy.conflicts import (
    PIPELINE,
    REGISTRATION,
    find_conflicts,
    partner_conflict_notice,
    review_matches,
)
from tests.factories import (
    DealFactory,
    OrganizationFactory,
    PipelineEntryFactory,
    ProductFactory,
    ProspectFactory,
)

S = DealState


@pytest.fixture
def product(vendor):
    return ProductFactory(vendor=vendor, name="Endpoint Shield")


@pytest.fixture
def acme(vendor):
    return ProspectFactory(vendor=vendor, name="Acme Corporation", domain="acme.com")


@pytest.fixture
def our_deal(reseller, acme, product):
    return DealFactory(organization=reseller, prospect=acme, lines=[(product, 1000)])


@pytest.fixture
def acme_corp_deal(vendor, reseller, product):
    """Our registration for "ACME Corp" (acmecorp.net): a name like `acme`'s, another domain."""
    prospect = ProspectFactory(vendor=vendor, name="ACME Corp", domain="acmecorp.net")
    return DealFactory(organization=reseller, prospect=prospect, lines=[(product, 1000)])


def _theirs(other_reseller, prospect, product, state=S.SUBMITTED):
    return DealFactory(organization=other_reseller, prospect=prospect, lines=[(product, 500)], state=state)


def test_it_matches_another_partners_registration_by_domain(our_deal, other_reseller, acme, product):
    theirs = _theirs(other_reseller, acme, product)

    [match] = find_conflicts(our_deal)

    assert (match.kind, match.other, match.field, match.score) == (REGISTRATION, theirs, "domain", 1.0)
    assert match.products == [product]
    assert match.is_conflict
    assert match.explanation == "Same domain; overlapping products: Endpoint Shield"


@pytest.mark.parametrize(
    "state", [S.SUBMITTED, S.INFO_REQUESTED, S.APPROVED, S.QUOTED, S.EXTENDED, S.ORDERED]
)
def test_it_matches_registrations_in_every_live_state(state, our_deal, other_reseller, acme, product):
    _theirs(other_reseller, acme, product, state=state)
    assert len(find_conflicts(our_deal)) == 1


@pytest.mark.parametrize("state", [S.DRAFT, S.REJECTED, S.REVOKED, S.EXPIRED, S.WON, S.LOST, S.WITHDRAWN])
def test_it_ignores_drafts_and_closed_registrations(state, our_deal, other_reseller, acme, product):
    _theirs(other_reseller, acme, product, state=state)
    assert find_conflicts(our_deal) == []


def test_it_matches_a_similar_company_name_with_its_score(acme_corp_deal, other_reseller, acme, product):
    theirs = _theirs(other_reseller, acme, product)

    [match] = find_conflicts(acme_corp_deal)

    assert (match.other, match.field) == (theirs, "company name")
    assert 0.45 <= match.score < 1.0
    assert match.explanation.startswith(f"Similar company name ({match.score_percent}%)")


def test_it_does_not_match_a_dissimilar_name(vendor, reseller, other_reseller, product, our_deal):
    _theirs(
        other_reseller, ProspectFactory(vendor=vendor, name="Globex Industries", domain="globex.com"), product
    )
    assert find_conflicts(our_deal) == []


def test_it_follows_the_programs_similarity_threshold(acme_corp_deal, vendor, other_reseller, acme, product):
    _theirs(other_reseller, acme, product)
    with scopes_disabled():
        vendor.program.name_similarity_threshold = "0.95"
        vendor.program.save()
    acme_corp_deal.vendor.refresh_from_db()
    assert find_conflicts(acme_corp_deal) == []


def test_it_never_matches_another_vendors_registration(our_deal, other_vendor, product):
    foreign_org = OrganizationFactory(vendor=other_vendor)
    foreign_prospect = ProspectFactory(vendor=other_vendor, name="Acme Corporation", domain="acme.com")
    foreign_product = ProductFactory(vendor=other_vendor)
    DealFactory(
        organization=foreign_org, prospect=foreign_prospect, lines=[(foreign_product, 5)], state=S.APPROVED
    )
    PipelineEntryFactory(vendor=other_vendor, company_name="Acme Corporation", domain="acme.com")

    assert find_conflicts(our_deal) == []


def test_it_does_not_count_the_partners_own_registrations(our_deal, reseller, acme, product):
    DealFactory(organization=reseller, prospect=acme, lines=[(product, 10)], state=S.APPROVED)
    assert find_conflicts(our_deal) == []


def test_a_registration_of_other_products_matches_without_conflicting(our_deal, other_reseller, vendor, acme):
    other_product = ProductFactory(vendor=vendor, name="Patch Manager")
    _theirs(other_reseller, acme, other_product)

    [match] = find_conflicts(our_deal)

    assert match.products == []
    assert not match.is_conflict
    assert match.explanation == "Same domain; no overlapping product"
    assert not partner_conflict_notice(our_deal)


def test_it_matches_the_vendors_pipeline_account_by_domain(our_deal, vendor, product):
    entry = PipelineEntryFactory(
        vendor=vendor, company_name="Acme Corp (HQ)", domain="acme.com", product=None
    )

    [match] = find_conflicts(our_deal)

    assert (match.kind, match.other, match.field, match.score) == (PIPELINE, entry, "domain", 1.0)
    assert match.is_conflict  # an account without a product: the whole account is worked
    assert match.products == [product]


def test_it_matches_a_pipeline_opportunity_by_name_and_product(our_deal, vendor, product):
    entry = PipelineEntryFactory(
        vendor=vendor, company_name="Acme Corporation Ltd", domain="", product=product
    )

    [match] = find_conflicts(our_deal)

    assert (match.other, match.field, match.products) == (entry, "company name", [product])
    assert match.is_conflict


def test_it_ignores_inactive_pipeline_entries_and_blank_domains(our_deal, vendor):
    PipelineEntryFactory(vendor=vendor, company_name="Acme Corporation", domain="acme.com", is_active=False)
    PipelineEntryFactory(vendor=vendor, company_name="Unrelated Bakery", domain="")
    assert find_conflicts(our_deal) == []


def test_a_deal_without_products_yet_conflicts_with_any_match(
    vendor, reseller, other_reseller, acme, product
):
    draft = DealFactory(organization=reseller, prospect=acme, lines=[])
    _theirs(other_reseller, acme, product)
    assert [m.is_conflict for m in find_conflicts(draft)] == [True]


def test_products_being_chosen_in_the_form_override_the_saved_lines(our_deal, other_reseller, vendor, acme):
    other_product = ProductFactory(vendor=vendor)
    _theirs(other_reseller, acme, other_product)
    assert not partner_conflict_notice(our_deal)
    assert partner_conflict_notice(our_deal, product_ids=[other_product.pk])


def test_the_partner_notice_never_reveals_who_holds_the_prospect(
    our_deal, other_reseller, vendor, acme, product
):
    theirs = _theirs(other_reseller, acme, product, state=S.APPROVED)
    PipelineEntryFactory(
        vendor=vendor, company_name="Acme", domain="acme.com", owner="Sam Seller", external_id="OPP-9"
    )

    notice = partner_conflict_notice(our_deal)

    assert notice.has_conflict
    assert notice.message.startswith("A registration for this prospect already exists for Endpoint Shield.")
    for secret in (other_reseller.name, theirs.deal_number, "Sam Seller", "OPP-9", "pipeline", "sales team"):
        assert secret.lower() not in notice.message.lower()


def test_no_conflict_gives_an_empty_notice(our_deal):
    notice = partner_conflict_notice(our_deal)
    assert not notice
    assert notice.message == ""


def test_the_review_shows_every_match_side_by_side_conflicts_first(
    our_deal, other_reseller, vendor, acme, product
):
    harmless = _theirs(other_reseller, acme, ProductFactory(vendor=vendor, name="Other"))
    conflicting = _theirs(
        OrganizationFactory(vendor=vendor, name="Gamma IT"),
        ProspectFactory(vendor=vendor, name="Acme Corporation Inc", domain="acme-inc.com"),
        product,
        state=S.APPROVED,
    )

    matches = review_matches(our_deal)

    assert [m.other for m in matches] == [conflicting, harmless]
    assert matches[0].holder == "Gamma IT"
    assert matches[0].reference == conflicting.deal_number
    assert matches[0].status == "Approved"
    assert (matches[0].company_name, matches[0].domain) == ("Acme Corporation Inc", "acme-inc.com")
    assert matches[1].holder == other_reseller.name


def test_it_finds_conflicts_in_a_fixed_number_of_queries(
    our_deal, vendor, acme, product, django_assert_max_num_queries
):
    for n in range(8):
        org = OrganizationFactory(vendor=vendor)
        _theirs(org, acme, product)
        PipelineEntryFactory(vendor=vendor, company_name=f"Acme Corporation {n}", domain="acme.com")
    with django_assert_max_num_queries(6):
        matches = find_conflicts(our_deal)
    assert len(matches) == 16


def test_the_python_fallback_finds_the_same_matches_as_postgres(
    monkeypatch, acme_corp_deal, vendor, other_reseller, acme, product
):
    similar = _theirs(other_reseller, acme, product)
    _theirs(
        other_reseller, ProspectFactory(vendor=vendor, name="Globex Industries", domain="globex.com"), product
    )
    entry = PipelineEntryFactory(vendor=vendor, company_name="Initech", domain="acmecorp.net")
    on_postgres = {(m.other, m.field) for m in find_conflicts(acme_corp_deal)}

    monkeypatch.setattr(conflicts, "_on_postgres", lambda: False)
    in_python = find_conflicts(acme_corp_deal)

    assert (
        {(m.other, m.field) for m in in_python}
        == on_postgres
        == {(similar, "company name"), (entry, "domain")}
    )
    assert all(m.score >= 0.45 for m in in_python)


def test_an_unsaved_candidate_from_the_form_is_checked_with_its_pending_lines(
    vendor, reseller, other_reseller, acme
):
    from deals.models import Deal, DealLine

    wanted = ProductFactory(vendor=vendor, name="Patch Manager")
    _theirs(other_reseller, acme, wanted)
    candidate = Deal(vendor=vendor, organization=reseller, company_name="Acme Corporation", domain="acme.com")
    candidate.pending_lines = [DealLine(product=wanted, quantity=10)]

    notice = partner_conflict_notice(candidate)

    assert notice.message.startswith("A registration for this prospect already exists for Patch Manager.")
