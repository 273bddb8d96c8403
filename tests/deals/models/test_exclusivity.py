"""The database guarantees exclusivity: one protected registration per vendor + prospect + product.

The concurrent tests run real threads on separate PostgreSQL connections (transaction=True), so
each approval commits or fails on its own, exactly as two channel managers clicking at once.
"""

import pytest
from django_scopes import scope, scopes_disabled

from deals.errors import ProtectionConflict
from deals.models import DealEvent, DealNumberSequence, DealState, Protection, RevocationReason
from deals.services import lifecycle, orders, registration, review
from partners.models import Membership
from partners.permissions import SYSTEM
from tests.concurrency import race
from tests.factories import (
    DealFactory,
    OrganizationFactory,
    ProductFactory,
    ProspectFactory,
    VendorFactory,
    actor_of,
    member,
    quote_for,
)
from tests.helpers import reload

S = DealState
Role = Membership.Role


def _active_protections(**filters):
    with scopes_disabled():
        return list(Protection.objects.filter(ended_at__isnull=True, **filters))


def _event_count(deal):
    with scopes_disabled():
        return DealEvent.objects.filter(deal_id=deal.pk).count()


@pytest.fixture
def market(vendor):
    """One prospect, one product, a reviewer."""
    return {
        "prospect": ProspectFactory(vendor=vendor, name="Initech", domain="initech.com"),
        "product": ProductFactory(vendor=vendor, name="Endpoint Shield"),
        "reviewer": actor_of(member(Role.CHANNEL_MANAGER, vendor=vendor), vendor),
    }


def _registration(organization, market, state=S.SUBMITTED, product=None):
    return DealFactory(
        organization=organization,
        prospect=market["prospect"],
        lines=[(product or market["product"], 1000)],
        state=state,
    )


# --- one after the other --------------------------------------------------------------------------


def test_a_second_partner_cannot_be_approved_for_a_protected_product(
    reseller, other_reseller, market, in_scope
):
    holder = _registration(reseller, market, state=S.QUOTED)
    latecomer = _registration(other_reseller, market)

    with pytest.raises(ProtectionConflict) as refused:
        review.deal_approve(deal=latecomer, actor=market["reviewer"])

    assert "already protects a product of this deal" in str(refused.value)
    assert reload(latecomer).state == S.SUBMITTED
    assert _event_count(latecomer) == 0
    assert [p.deal_id for p in _active_protections(prospect=market["prospect"])] == [holder.pk]


def test_a_different_product_at_the_same_prospect_can_be_protected_by_another_partner(
    vendor, reseller, other_reseller, market, in_scope
):
    _registration(reseller, market, state=S.QUOTED)
    other_product = _registration(other_reseller, market, product=ProductFactory(vendor=vendor))

    review.deal_approve(deal=other_product, actor=market["reviewer"])

    assert reload(other_product).state == S.QUOTED
    assert len(_active_protections(prospect=market["prospect"])) == 2


def test_the_same_product_at_another_vendor_is_independent(other_vendor, reseller, market, in_scope):
    _registration(reseller, market, state=S.QUOTED)
    foreign = DealFactory(
        organization=OrganizationFactory(vendor=other_vendor),
        prospect=ProspectFactory(vendor=other_vendor, name="Initech", domain="initech.com"),
        state=S.SUBMITTED,
    )
    reviewer = actor_of(member(Role.CHANNEL_MANAGER, vendor=other_vendor), other_vendor)

    with scope(vendor=other_vendor):
        review.deal_approve(deal=foreign, actor=reviewer)

    assert reload(foreign).state == S.QUOTED


def test_the_database_itself_refuses_a_second_active_protection(reseller, other_reseller, market):
    from django.db import IntegrityError, transaction

    holder = _registration(reseller, market, state=S.QUOTED)
    other = _registration(other_reseller, market)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Protection.objects.create(
            vendor=holder.vendor, prospect=market["prospect"], product=market["product"], deal=other
        )


def _end_by_revoke(deal, market):
    review.deal_revoke(deal=deal, actor=market["reviewer"], reason=RevocationReason.STALE, note="No updates.")


def _end_by_expiry(deal, market):
    lifecycle.deal_expire(deal=deal, actor=SYSTEM)


def _end_by_loss(deal, market):
    lifecycle.deal_lose(deal=deal, actor=actor_of(deal.registered_by, deal.vendor), reason="Budget cut.")


def _end_by_win(deal, market):
    registrant = actor_of(deal.registered_by, deal.vendor)
    quote_for(deal)  # an order is placed against the current quote
    orders.deal_start_order(deal=deal, actor=registrant, po_number="PO-1")
    orders.deal_submit_order(deal=deal, actor=registrant)


@pytest.mark.parametrize(
    ("end_protection", "ended_state"),
    [(_end_by_revoke, S.REVOKED), (_end_by_expiry, S.EXPIRED), (_end_by_loss, S.LOST), (_end_by_win, S.WON)],
    ids=["revoked", "expired", "lost", "won"],
)
def test_ending_protection_frees_the_product_for_another_partner(
    end_protection, ended_state, reseller, other_reseller, market, in_scope
):
    holder = _registration(reseller, market, state=S.QUOTED)
    waiting = _registration(other_reseller, market)

    end_protection(holder, market)
    review.deal_approve(deal=waiting, actor=market["reviewer"])

    assert reload(holder).state == ended_state
    assert reload(waiting).state == S.QUOTED
    assert [p.deal_id for p in _active_protections(prospect=market["prospect"])] == [waiting.pk]
    with scopes_disabled():
        assert Protection.objects.get(deal=holder).ended_at is not None


def test_an_extension_after_expiry_is_refused_when_another_partner_took_the_product(
    reseller, other_reseller, market, in_scope
):
    expired = _registration(reseller, market, state=S.QUOTED)
    lifecycle.deal_expire(deal=expired, actor=SYSTEM)
    review.deal_approve(deal=_registration(other_reseller, market), actor=market["reviewer"])

    with pytest.raises(ProtectionConflict):
        review.deal_grant_extension(deal=expired, actor=market["reviewer"])

    assert reload(expired).state == S.EXPIRED
    assert reload(expired).extension_count == 0


# --- at the same time ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("partners", [2, 4])
def test_concurrent_approvals_protect_exactly_one_partner(partners):
    vendor = VendorFactory()
    market = {
        "prospect": ProspectFactory(vendor=vendor, name="Initech", domain="initech.com"),
        "product": ProductFactory(vendor=vendor),
    }
    deals = [_registration(OrganizationFactory(vendor=vendor), market) for _ in range(partners)]
    reviewers = [actor_of(member(Role.CHANNEL_MANAGER, vendor=vendor), vendor) for _ in deals]

    def approve(deal, reviewer):
        def work():
            with scope(vendor=vendor):
                return review.deal_approve(deal=deal, actor=reviewer).state

        return work

    outcomes = race([approve(d, r) for d, r in zip(deals, reviewers, strict=True)])

    winners = [o for o in outcomes if o == S.QUOTED]
    losers = [o for o in outcomes if isinstance(o, ProtectionConflict)]
    assert (len(winners), len(losers)) == (1, partners - 1), outcomes
    states = sorted(reload(d).state for d in deals)
    assert states == sorted([S.QUOTED] + [S.SUBMITTED] * (partners - 1))
    for deal in deals:
        if reload(deal).state == S.SUBMITTED:
            assert _event_count(deal) == 0
    assert len(_active_protections(prospect=market["prospect"], product=market["product"])) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_unique_sequential_numbers():
    vendor = VendorFactory()
    organization = OrganizationFactory(vendor=vendor)
    registrant = member(Role.PARTNER_USER, organization=organization)
    actor = actor_of(registrant, vendor)
    first = DealFactory(organization=organization, registered_by=registrant)
    workers_count = 8

    def register():
        with scope(vendor=vendor):
            return registration.deal_save_draft(
                actor=actor,
                vendor=vendor,
                organization=organization,
                data={"company_name": "Draft Co"},
                lines=[],
            ).number

    numbers = race([register] * workers_count)

    assert all(isinstance(n, int) for n in numbers), numbers
    assert sorted(numbers) == list(range(first.number + 1, first.number + 1 + workers_count))
    with scopes_disabled():
        assert DealNumberSequence.objects.get(vendor=vendor).last_number == first.number + workers_count
