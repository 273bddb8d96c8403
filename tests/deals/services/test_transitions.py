"""Every transition of a registration, allowed and refused, for every role.

A refused action raises DealActionError with a message for the person, leaves the state as it was
and writes no DealEvent.
"""

import pytest
from django_scopes import scopes_disabled

from deals.errors import DealActionError
from deals.models import Deal, DealEvent, DealState, Protection, RejectionReason, RevocationReason
from deals.services import lifecycle, orders, registration, review
from partners.models import Membership
from partners.permissions import SYSTEM
from tests.factories import DealFactory, actor_of, member, quote_for
from tests.helpers import reload

S = DealState
Role = Membership.Role

ROLES = [
    "registrant",
    "partner_admin",
    "colleague",
    "other_partner",
    "distributor_user",
    "channel_manager",
    "vendor_admin",
    "outsider",
    "system",
]
PARTNER = {"registrant", "partner_admin"}
REVIEWER = {"channel_manager", "vendor_admin", "system"}
ORDERER = {"registrant", "partner_admin", "distributor_user"}

# transition: (service, extra kwargs, source states, target state, roles allowed)
TRANSITIONS = {
    "submit": (registration.deal_submit, {}, [S.DRAFT], S.SUBMITTED, PARTNER),
    "resubmit": (registration.deal_submit, {}, [S.INFO_REQUESTED], S.SUBMITTED, PARTNER),
    "request_info": (
        review.deal_request_info, {"note": "How many endpoints are in scope?"}, [S.SUBMITTED],
        S.INFO_REQUESTED, REVIEWER,
    ),
    # Approval issues the first quote in the same transaction: approved → quoted.
    "approve": (review.deal_approve, {"note": "Welcome aboard"}, [S.SUBMITTED], S.QUOTED, REVIEWER),
    "reject": (
        review.deal_reject, {"reason": RejectionReason.NO_IMMEDIATE_NEED, "note": "No project this year."},
        [S.SUBMITTED, S.INFO_REQUESTED], S.REJECTED, REVIEWER,
    ),
    "revoke": (
        review.deal_revoke, {"reason": RevocationReason.CRITERIA_NOT_MET, "note": "Customer went direct."},
        [S.APPROVED, S.QUOTED, S.EXTENDED], S.REVOKED, REVIEWER,
    ),
    "expire": (lifecycle.deal_expire, {}, [S.APPROVED, S.QUOTED, S.EXTENDED], S.EXPIRED, {"system"}),
    "grant_extension": (
        review.deal_grant_extension, {"note": "Customer delayed by a month."},
        [S.APPROVED, S.QUOTED, S.EXTENDED, S.EXPIRED], S.EXTENDED, REVIEWER,
    ),
    "start_order": (
        orders.deal_start_order, {"po_number": "PO-4711"}, [S.QUOTED, S.EXTENDED], S.ORDERED, ORDERER,
    ),
    # Submitting the order also opens the renewal: the won deal comes first.
    "submit_order": (lambda **kw: orders.deal_submit_order(**kw)[0], {}, [S.ORDERED], S.WON, ORDERER),
    "lose": (
        lifecycle.deal_lose, {"reason": "The customer chose a competitor."},
        [S.APPROVED, S.QUOTED, S.EXTENDED, S.ORDERED], S.LOST, PARTNER,
    ),
    "withdraw": (
        registration.deal_withdraw, {}, [S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED], S.WITHDRAWN, PARTNER,
    ),
}  # fmt: skip

CASES = [
    pytest.param(name, source, role, id=f"{name}-from-{source}-by-{role}")
    for name, (_service, _kwargs, sources, _target, _allowed) in TRANSITIONS.items()
    for source in sources
    for role in ROLES
]


@pytest.fixture
def cast(vendor, reseller, other_reseller, other_vendor):
    """The deal's people: who registered it, their colleagues, the vendor's staff, strangers."""

    def build(deal):
        users = {
            "registrant": deal.registered_by,
            "partner_admin": member(Role.PARTNER_ADMIN, organization=reseller),
            "colleague": member(Role.PARTNER_USER, organization=reseller),
            "other_partner": member(Role.PARTNER_USER, organization=other_reseller),
            "distributor_user": member(Role.DISTRIBUTOR_USER, organization=deal.distributor),
            "channel_manager": member(Role.CHANNEL_MANAGER, vendor=vendor),
            "vendor_admin": member(Role.VENDOR_ADMIN, vendor=vendor),
            "outsider": member(Role.CHANNEL_MANAGER, vendor=other_vendor),
        }
        actors = {
            role: actor_of(user, other_vendor if role == "outsider" else vendor)
            for role, user in users.items()
        }
        actors["system"] = SYSTEM
        return actors

    return build


def _events(deal):
    with scopes_disabled():
        return list(DealEvent.objects.filter(deal_id=deal.pk).order_by("id"))


@pytest.mark.parametrize(("name", "source", "role"), CASES)
def test_transition_per_role(name, source, role, reseller, cast, in_scope):
    service, kwargs, _sources, target, allowed = TRANSITIONS[name]
    deal = DealFactory(organization=reseller, state=source)
    if name == "start_order":
        quote_for(deal)  # an order is placed against the current quote
    actor = cast(deal)[role]

    if role in allowed:
        result = service(deal=deal, actor=actor, **kwargs)
        assert result.state == target
        assert reload(deal).state == target
        transition_events = [e for e in _events(deal) if e.from_state]
        assert transition_events[0].from_state == source
        assert transition_events[0].actor == (None if role == "system" else actor.user)
    else:
        with pytest.raises(DealActionError) as refused:
            service(deal=deal, actor=actor, **kwargs)
        assert str(refused.value)
        assert reload(deal).state == source
        assert _events(deal) == []


# deal_submit serves both submit (from draft) and resubmit (from info_requested).
SUBMITTABLE = {S.DRAFT, S.INFO_REQUESTED}
STATES_REFUSING = {
    name: [
        s for s in S.values if s not in sources and not (name in ("submit", "resubmit") and s in SUBMITTABLE)
    ]
    for name, (_svc, _kw, sources, _t, _a) in TRANSITIONS.items()
}


@pytest.mark.parametrize(
    ("name", "source"),
    [pytest.param(n, s, id=f"{n}-from-{s}") for n, states in STATES_REFUSING.items() for s in states],
)
def test_a_transition_from_the_wrong_state_is_refused_with_a_message(name, source, reseller, cast, in_scope):
    service, kwargs, _sources, _target, allowed = TRANSITIONS[name]
    deal = DealFactory(organization=reseller, state=source)
    role = (
        "channel_manager"
        if "channel_manager" in allowed
        else ("system" if "system" in allowed else "registrant")
    )
    actor = cast(deal)[role]

    with pytest.raises(DealActionError) as refused:
        service(deal=deal, actor=actor, **kwargs)

    assert f"{deal.deal_number} is {deal.get_state_display().lower()}" in str(refused.value)
    assert reload(deal).state == source
    assert _events(deal) == []


def test_each_transition_is_recorded_with_actor_time_states_and_reason(reseller, cast, in_scope):
    deal = DealFactory(organization=reseller, state=S.SUBMITTED)
    reviewer = cast(deal)["channel_manager"]

    review.deal_reject(
        deal=deal, actor=reviewer, reason=RejectionReason.BELOW_THRESHOLD, note="Only 20 seats."
    )

    [event] = _events(deal)
    assert (event.action, event.from_state, event.to_state) == ("reject", S.SUBMITTED, S.REJECTED)
    assert (event.reason, event.note, event.actor) == ("below_threshold", "Only 20 seats.", reviewer.user)
    assert event.created_at is not None
    stored = reload(deal)
    assert (stored.rejection_reason, stored.decision_note) == ("below_threshold", "Only 20 seats.")


def test_approval_sets_expiry_protection_and_the_review_clock(reseller, vendor, cast, in_scope):
    deal = DealFactory(organization=reseller, state=S.DRAFT)
    actors = cast(deal)
    registration.deal_submit(deal=deal, actor=actors["registrant"])
    submitted = reload(deal)
    assert submitted.submitted_at is not None and submitted.review_due_at > submitted.submitted_at

    review.deal_approve(deal=deal, actor=actors["channel_manager"])

    approved = reload(deal)
    assert (approved.expires_at - approved.approved_at).days == vendor.program.validity_days
    with scopes_disabled():
        assert Protection.objects.filter(deal=deal, ended_at__isnull=True).count() == 1
    assert [e.action for e in _events(deal) if e.from_state] == ["submit", "approve", "mark_quoted"]


@pytest.mark.parametrize(
    ("service", "kwargs", "message"),
    [
        (review.deal_reject, {"reason": "", "note": "x"}, "Choose one of the rejection reasons."),
        (
            review.deal_reject,
            {"reason": RejectionReason.OTHER, "note": "  "},
            "Please explain the rejection",
        ),
        (review.deal_request_info, {"note": ""}, "Please explain the information you need"),
        (review.deal_revoke, {"reason": "bogus", "note": "x"}, "Choose one of the revocation reasons."),
    ],
)
def test_a_decision_without_its_reason_is_refused_and_nothing_changes(
    service, kwargs, message, reseller, cast, in_scope
):
    source = S.QUOTED if service is review.deal_revoke else S.SUBMITTED
    deal = DealFactory(organization=reseller, state=source)

    with pytest.raises(DealActionError, match=message):
        service(deal=deal, actor=cast(deal)["channel_manager"], **kwargs)

    assert reload(deal).state == source
    assert _events(deal) == []


def test_starting_an_order_needs_a_po_number(reseller, cast, in_scope):
    deal = DealFactory(organization=reseller, state=S.QUOTED)
    with pytest.raises(DealActionError, match="purchase order number"):
        orders.deal_start_order(deal=deal, actor=cast(deal)["registrant"], po_number="  ")
    assert reload(deal).state == S.QUOTED


def test_extensions_stop_at_the_programs_maximum(reseller, vendor, cast, in_scope):
    deal = DealFactory(organization=reseller, state=S.EXTENDED, extension_count=vendor.program.max_extensions)
    with pytest.raises(DealActionError, match="maximum of 2 extensions"):
        review.deal_grant_extension(deal=deal, actor=cast(deal)["channel_manager"])
    assert _events(deal) == []


def test_a_failing_rule_blocks_submission_with_its_reason(reseller, cast, in_scope):
    from deals.errors import DealRulesFailed

    deal = DealFactory(organization=reseller, deal_type=Deal.DealType.RENEWAL)
    with pytest.raises(DealRulesFailed) as refused:
        registration.deal_submit(deal=deal, actor=cast(deal)["registrant"])
    assert "Renewals are not eligible" in str(refused.value)
    assert [v.rule for v in refused.value.checklist.failures] == ["Net-new business"]
    assert reload(deal).state == S.DRAFT
    assert _events(deal) == []


def test_the_state_field_cannot_be_assigned_directly(reseller):
    deal = reload(DealFactory(organization=reseller))
    with pytest.raises(AttributeError):
        deal.state = S.APPROVED
