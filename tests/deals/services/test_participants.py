"""Multi-partner (co-sell) registrations: the set of partners, its rules, and the audit of each change."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django_scopes import scope, scopes_disabled

from deals.errors import DealActionError, DealRulesFailed
from deals.models import Deal, DealEvent, DealParticipant, DealState
from deals.policy import rules
from deals.policy.rules import AttributionRule, Status
from deals.services import orders, registration
from notifications.models import Notification
from partners.models import Membership, PartnerOrganization
from tests.factories import DealFactory, OrganizationFactory, actor_of, member
from tests.helpers import participants_of

Role = DealParticipant.Role
S = DealState


@pytest.fixture
def draft(co_sell_vendor, reseller, partner_user, registrant):
    """A complete draft of Alpha (the reseller), saved through the service: Alpha leads with 100%."""
    deal = DealFactory(organization=reseller, registered_by=partner_user)
    with scopes_disabled():
        DealParticipant.objects.create(deal=deal, organization=reseller, role=Role.LEAD, share=100)
    return deal


def events_of(deal, action="participants_changed"):
    with scopes_disabled():
        return list(DealEvent.objects.filter(deal=deal, action=action))


def set_participants(deal, actor, rows):
    with scope(vendor=deal.vendor_id):
        return registration.deal_set_participants(deal=deal, actor=actor, participants=rows)


# --- the service ---------------------------------------------------------------------------------


def test_it_starts_a_new_registration_with_its_registrant_as_lead_at_100(
    co_sell_vendor, reseller, registrant
):
    with scope(vendor=co_sell_vendor):
        deal = registration.deal_save_draft(
            actor=registrant, vendor=co_sell_vendor, organization=reseller, data={}, lines=[]
        )
    assert participants_of(deal) == [("Alpha Resellers", Role.LEAD, Decimal("100.00"))]


def test_an_exclusive_program_starts_a_registration_without_participants(vendor, reseller, partner_user):
    with scope(vendor=vendor):
        deal = registration.deal_save_draft(
            actor=actor_of(partner_user, vendor), vendor=vendor, organization=reseller, data={}, lines=[]
        )
    assert participants_of(deal) == []


def test_it_saves_the_partners_with_roles_and_shares_and_records_the_change(
    draft, reseller, other_reseller, registrant
):
    result = set_participants(
        draft,
        registrant,
        [(reseller, Role.LEAD, Decimal("60")), (other_reseller, Role.CONSULTING, "40.00")],
    )
    assert [(p.organization, p.role, p.share) for p in result] == [
        (reseller, Role.LEAD, Decimal("60.00")),
        (other_reseller, Role.CONSULTING, Decimal("40.00")),
    ]
    [event] = events_of(draft)
    assert event.note == "Alpha Resellers (Lead partner, 60%); Beta Resellers (Consulting partner, 40%)"
    assert event.actor == registrant.user


def test_it_refuses_shares_that_do_not_add_up_to_100_naming_the_sum_and_saves_nothing(
    draft, reseller, other_reseller, registrant
):
    with pytest.raises(DealActionError, match=r"add up to 90%; they must add up to exactly 100%"):
        set_participants(
            draft, registrant, [(reseller, Role.LEAD, 60), (other_reseller, Role.CONSULTING, 30)]
        )
    assert participants_of(draft) == [("Alpha Resellers", Role.LEAD, Decimal("100.00"))]
    assert events_of(draft) == []


def test_it_names_a_sum_above_100_with_its_decimals(draft, reseller, other_reseller, registrant):
    with pytest.raises(DealActionError, match=r"add up to 100.5%"):
        set_participants(
            draft, registrant, [(reseller, Role.LEAD, "60.25"), (other_reseller, Role.OTHER, "40.25")]
        )


def test_it_refuses_an_organisation_listed_twice(draft, reseller, other_reseller, registrant):
    rows = [
        (reseller, Role.LEAD, 50),
        (other_reseller, Role.CONSULTING, 25),
        (other_reseller, Role.SOFTWARE, 25),
    ]
    with pytest.raises(DealActionError, match="Beta Resellers is listed twice"):
        set_participants(draft, registrant, rows)
    assert len(participants_of(draft)) == 1


@pytest.mark.parametrize("status", [PartnerOrganization.Status.SUSPENDED, PartnerOrganization.Status.APPLIED])
def test_it_refuses_an_organisation_that_is_not_active(draft, reseller, co_sell_vendor, registrant, status):
    dormant = OrganizationFactory(vendor=co_sell_vendor, name="Dormant Partners", status=status)
    with pytest.raises(DealActionError, match="Dormant Partners is not an active reseller of this program"):
        set_participants(draft, registrant, [(reseller, Role.LEAD, 50), (dormant, Role.REFERRAL, 50)])
    assert len(participants_of(draft)) == 1


def test_it_refuses_a_distributor_as_co_sell_partner(draft, reseller, distributor, registrant):
    with pytest.raises(DealActionError, match="Dist One is not an active reseller"):
        set_participants(draft, registrant, [(reseller, Role.LEAD, 50), (distributor, Role.OTHER, 50)])


def test_it_refuses_another_vendors_organisation_without_naming_it(draft, reseller, other_vendor, registrant):
    foreign = OrganizationFactory(vendor=other_vendor, name="Foreign Secret Partner")
    with pytest.raises(DealActionError) as refused:
        set_participants(draft, registrant, [(reseller, Role.LEAD, 50), (foreign, Role.CONSULTING, 50)])
    assert "not a partner of this program" in str(refused.value)
    assert "Foreign Secret Partner" not in str(refused.value)
    assert len(participants_of(draft)) == 1


def test_it_refuses_a_set_without_the_lead(draft, other_reseller, registrant):
    with pytest.raises(DealActionError, match="Alpha Resellers, which registers this deal, must take part"):
        set_participants(draft, registrant, [(other_reseller, Role.CONSULTING, 100)])
    assert participants_of(draft) == [("Alpha Resellers", Role.LEAD, Decimal("100.00"))]


def test_only_the_registrant_is_the_lead_partner(draft, reseller, other_reseller, registrant):
    with pytest.raises(DealActionError, match="Only Alpha Resellers.*is the lead partner"):
        set_participants(draft, registrant, [(reseller, Role.LEAD, 50), (other_reseller, Role.LEAD, 50)])
    with pytest.raises(
        DealActionError, match="Alpha Resellers registers this deal, so it takes part as the lead"
    ):
        set_participants(
            draft, registrant, [(reseller, Role.SOFTWARE, 50), (other_reseller, Role.CONSULTING, 50)]
        )


@pytest.mark.parametrize("share", [0, -10, "100.01", "33.333", "abc"])
def test_each_share_is_more_than_0_and_at_most_100_with_two_decimals(
    draft, reseller, other_reseller, registrant, share
):
    with pytest.raises(DealActionError, match="The share of Beta Resellers must be more than 0%"):
        set_participants(draft, registrant, [(reseller, Role.LEAD, 100), (other_reseller, Role.OTHER, share)])
    assert len(participants_of(draft)) == 1


def test_an_exclusive_program_refuses_co_sell_partners(vendor, reseller, other_reseller, partner_user):
    deal = DealFactory(organization=reseller, registered_by=partner_user)
    with pytest.raises(DealActionError, match="This program registers one partner per deal"):
        set_participants(
            deal,
            actor_of(partner_user, vendor),
            [(reseller, Role.LEAD, 60), (other_reseller, Role.CONSULTING, 40)],
        )
    assert participants_of(deal) == []


def test_a_submitted_registration_keeps_its_partners(
    co_sell_vendor, reseller, other_reseller, partner_user, registrant
):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=S.SUBMITTED)
    with pytest.raises(DealActionError, match="is submitted: its co-sell partners can be changed only"):
        set_participants(deal, registrant, [(reseller, Role.LEAD, 60), (other_reseller, Role.CONSULTING, 40)])
    assert participants_of(deal) == []


def test_a_registration_returned_for_information_can_change_its_partners(
    co_sell_vendor, reseller, other_reseller, partner_user, registrant
):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=S.INFO_REQUESTED)
    set_participants(deal, registrant, [(reseller, Role.LEAD, 70), (other_reseller, Role.REFERRAL, 30)])
    assert len(participants_of(deal)) == 2


def test_only_the_registrant_chooses_the_partners(draft, reseller, other_reseller):
    beta_admin = member(Membership.Role.PARTNER_ADMIN, organization=other_reseller)
    with pytest.raises(DealActionError, match="Only the partner who registered this deal"):
        set_participants(
            draft,
            actor_of(beta_admin, draft.vendor),
            [(reseller, Role.LEAD, 50), (other_reseller, Role.CONSULTING, 50)],
        )
    assert len(participants_of(draft)) == 1


def test_changing_the_set_keeps_updates_and_removes_rows(
    draft, reseller, other_reseller, co_sell_vendor, registrant
):
    gamma = OrganizationFactory(vendor=co_sell_vendor, name="Gamma Integrators")
    set_participants(draft, registrant, [(reseller, Role.LEAD, 60), (other_reseller, Role.CONSULTING, 40)])
    with scopes_disabled():
        beta_row = DealParticipant.objects.get(deal=draft, organization=other_reseller)
    set_participants(
        draft,
        registrant,
        [(reseller, Role.LEAD, 50), (other_reseller, Role.SOFTWARE, 30), (gamma, Role.IMPLEMENTATION, 20)],
    )
    assert participants_of(draft) == [
        ("Alpha Resellers", Role.LEAD, Decimal("50.00")),
        ("Beta Resellers", Role.SOFTWARE, Decimal("30.00")),
        ("Gamma Integrators", Role.IMPLEMENTATION, Decimal("20.00")),
    ]
    with scopes_disabled():
        assert DealParticipant.objects.get(deal=draft, organization=other_reseller).pk == beta_row.pk
    set_participants(draft, registrant, [(reseller, Role.LEAD, 80), (gamma, Role.IMPLEMENTATION, 20)])
    assert [name for name, _, _ in participants_of(draft)] == ["Alpha Resellers", "Gamma Integrators"]
    assert len(events_of(draft)) == 3


def test_saving_the_same_set_again_records_nothing(draft, reseller, other_reseller, registrant):
    rows = [(reseller, Role.LEAD, 60), (other_reseller, Role.CONSULTING, 40)]
    set_participants(draft, registrant, rows)
    set_participants(draft, registrant, rows)
    assert len(events_of(draft)) == 1


# --- the database's guards -----------------------------------------------------------------------


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("-1"), Decimal("100.01")])
def test_the_database_refuses_a_share_out_of_range(draft, other_reseller, share):
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        DealParticipant.objects.create(deal=draft, organization=other_reseller, role=Role.OTHER, share=share)


def test_the_database_refuses_an_organisation_twice_on_a_deal(draft, reseller):
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        DealParticipant.objects.create(deal=draft, organization=reseller, role=Role.OTHER, share=1)


# --- the program rule ----------------------------------------------------------------------------


def verdict(deal):
    with scopes_disabled():
        return AttributionRule().check(deal)


def test_the_rule_does_not_apply_in_an_exclusive_program(vendor, reseller):
    result = verdict(DealFactory(organization=reseller))
    assert result.status == Status.PASS
    assert "one partner per deal" in result.reason


def test_the_rule_passes_shares_that_add_up_to_100_with_the_lead(draft, reseller, other_reseller, registrant):
    set_participants(draft, registrant, [(reseller, Role.LEAD, 60), (other_reseller, Role.CONSULTING, 40)])
    result = verdict(draft)
    assert result.status == Status.PASS
    assert "Beta Resellers (Consulting partner, 40%)" in result.reason


def test_the_rule_passes_the_lead_alone(draft):
    assert verdict(draft).status == Status.PASS


def test_the_rule_fails_shares_that_do_not_add_up(draft, other_reseller):
    with scopes_disabled():  # written around the service, as a broken import or old data could
        DealParticipant.objects.filter(deal=draft).update(share=70)
        DealParticipant.objects.create(deal=draft, organization=other_reseller, role=Role.OTHER, share=20)
    result = verdict(draft)
    assert result.status == Status.FAIL
    assert "add up to 90%" in result.reason


def test_the_rule_fails_without_the_lead(co_sell_vendor, reseller, other_reseller):
    deal = DealFactory(organization=reseller)
    with scopes_disabled():
        DealParticipant.objects.create(deal=deal, organization=other_reseller, role=Role.OTHER, share=100)
    result = verdict(deal)
    assert result.status == Status.FAIL
    assert "Alpha Resellers, which registers this deal, must take part as the lead partner" in result.reason


def test_the_rule_fails_a_partner_that_is_no_longer_active(draft, reseller, other_reseller, registrant):
    set_participants(draft, registrant, [(reseller, Role.LEAD, 60), (other_reseller, Role.CONSULTING, 40)])
    with scopes_disabled():
        PartnerOrganization.objects.filter(pk=other_reseller.pk).update(
            status=PartnerOrganization.Status.SUSPENDED
        )
    result = verdict(draft)
    assert result.status == Status.FAIL
    assert "No longer active partners of the program: Beta Resellers" in result.reason


def test_a_failing_attribution_blocks_submission(draft, other_reseller, registrant):
    with scopes_disabled():
        DealParticipant.objects.filter(deal=draft).update(share=50)
    with scope(vendor=draft.vendor_id), pytest.raises(DealRulesFailed, match="add up to 50%"):
        registration.deal_submit(deal=draft, actor=registrant)


def test_the_rule_is_part_of_every_checklist():
    assert any(isinstance(rule, AttributionRule) for rule in rules.RULES)


# --- renewals and the demo -----------------------------------------------------------------------


def test_a_co_sell_deals_renewal_keeps_its_partners(co_sell_vendor, reseller, other_reseller):
    won = DealFactory(organization=reseller, state=S.WON)
    with scopes_disabled():
        DealParticipant.objects.bulk_create(
            [
                DealParticipant(deal=won, organization=reseller, role=Role.LEAD, share=70),
                DealParticipant(deal=won, organization=other_reseller, role=Role.REFERRAL, share=30),
            ]
        )
    with scope(vendor=co_sell_vendor):
        renewal = orders.open_renewal(won_deal=won)
    assert participants_of(renewal) == [
        ("Alpha Resellers", Role.LEAD, Decimal("70.00")),
        ("Beta Resellers", Role.REFERRAL, Decimal("30.00")),
    ]
    assert verdict(renewal).status == Status.PASS


@pytest.mark.django_db
def test_the_demo_co_sell_vendor_quotes_a_deal_shared_by_two_partners():
    call_command("seed_demo", stdout=StringIO())
    with scopes_disabled():
        deal = Deal.objects.get(vendor__slug="cobalt", state=S.QUOTED, domain="northridge-univ.com")
        rows = [(p.role, p.share) for p in deal.participants.order_by("-share")]
        partner = deal.participants.get(role=Role.CONSULTING).organization
        admins = Membership.objects.filter(organization=partner, role=Membership.Role.PARTNER_ADMIN)
        told = Notification.objects.filter(
            deal=deal, event_type="participant_added", user__in=admins.values("user")
        )
        exclusive_deals = DealParticipant.objects.exclude(deal__vendor__slug="cobalt")
        assert rows == [(Role.LEAD, Decimal("60.00")), (Role.CONSULTING, Decimal("40.00"))]
        assert told.exists()
        assert not exclusive_deals.exists()
