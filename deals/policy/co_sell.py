"""Multi-partner (co-sell) registrations: who may take part, what makes a valid set, and how to read it.

Seed 003: several partners register one opportunity together, each with a role and an attribution share;
the shares add up to 100%. The registering organisation is the lead partner. Changing the set is
`deals.services.registration.deal_set_participants`; the checks here are shared by that service, the
deal form and `deals.policy.rules.AttributionRule`, so the partner reads the same sentence wherever a
rule is broken.
"""

from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.db.models import Exists, OuterRef
from django_scopes import scope

from partners.models import PartnerOrganization

from ..models import DealParticipant, format_share

Role = DealParticipant.Role
FULL_SHARE = Decimal("100.00")
CENT = Decimal("0.01")


class ParticipantInput(NamedTuple):
    """One organisation of a co-sell set as the registrant chose it (a plain tuple works too)."""

    organization: PartnerOrganization
    role: str
    share: Decimal


def is_co_sell_program(program) -> bool:
    return program.registration_mode == program.RegistrationMode.MULTI_PARTNER


def eligible_partners(vendor):
    """The organisations that may take part in a vendor's co-sell registrations: its active resellers.

    Distributors are on a deal through routing (and may be hidden from it until approval), not as
    sellers sharing the attribution.
    """
    return PartnerOrganization.objects.filter(
        vendor=vendor, kind=PartnerOrganization.Kind.RESELLER, status=PartnerOrganization.Status.ACTIVE
    ).order_by("name")


def as_share(value) -> Decimal | None:
    """A percentage with at most two decimals, or None when the value is not one."""
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not share.is_finite() or share != share.quantize(CENT):
        return None
    return share.quantize(CENT)


def total_of(shares) -> Decimal:
    return sum((s for s in shares if s is not None), Decimal("0.00")).quantize(CENT)


def total_problem(total: Decimal) -> str:
    return (
        f"The attribution shares add up to {format_share(total)}%; they must add up to exactly 100%."
        if total != FULL_SHARE
        else ""
    )


def participant_problems(deal, inputs: list[ParticipantInput]) -> list[str]:
    """Every reason this set of co-sell partners cannot be saved on the deal (empty when it can)."""
    problems = []
    lead = deal.organization
    with scope(vendor=deal.vendor_id):
        eligible_ids = set(
            eligible_partners(deal.vendor_id)
            .filter(pk__in=[getattr(i.organization, "pk", None) for i in inputs])
            .values_list("pk", flat=True)
        )
    seen = set()
    for organization, role, share in inputs:
        if organization.vendor_id != deal.vendor_id:
            # Never name another vendor's organisation; whoever sent its id learns nothing more.
            problems.append("One of the chosen organisations is not a partner of this program.")
            continue
        name = organization.name
        if organization.pk in seen:
            problems.append(f"{name} is listed twice; each organisation takes part once.")
            continue
        seen.add(organization.pk)
        if organization.pk != lead.pk and organization.pk not in eligible_ids:
            problems.append(f"{name} is not an active reseller of this program, so it cannot take part.")
        if role not in Role.values:
            problems.append(f"Choose the role of {name}.")
        elif organization.pk == lead.pk and role != Role.LEAD:
            problems.append(f"{name} registers this deal, so it takes part as the lead partner.")
        elif organization.pk != lead.pk and role == Role.LEAD:
            problems.append(
                f"Only {lead.name}, which registers this deal, is the lead partner; "
                f"choose another role for {name}."
            )
        checked = as_share(share)
        if checked is None or not (Decimal("0") < checked <= FULL_SHARE):
            problems.append(
                f"The share of {name} must be more than 0% and at most 100%, with at most two decimals."
            )
    if lead.pk not in seen:
        problems.append(f"{lead.name}, which registers this deal, must take part as the lead partner.")
    total = total_problem(total_of(as_share(share) for _, _, share in inputs))
    if total:
        problems.append(total)
    return problems


def describe(participants) -> str:
    """For the timeline: 'Alpha (Lead partner, 60%); Beta (Consulting partner, 40%)'."""
    return "; ".join(
        f"{p.organization.name} ({Role(p.role).label}, {format_share(p.share)}%)" for p in participants
    )


def participants_of(deal) -> list:
    """The deal's co-sell partners: those being edited in the form, else the saved ones (lead first).

    An unsaved deal without edited participants will be saved with its registrant as the lead (100%).
    """
    pending = getattr(deal, "pending_participants", None)
    if pending is not None:
        rows = list(pending)
    elif deal.pk is None:
        rows = [DealParticipant(deal=deal, organization=deal.organization, role=Role.LEAD, share=FULL_SHARE)]
    else:
        with scope(vendor=deal.vendor_id):
            rows = list(deal.participants.select_related("organization"))
    return sorted(rows, key=lambda p: (not p.is_lead, -p.share, p.organization.name))


def with_co_sell(queryset):
    """Annotate `is_co_sell`: the deal has a partner besides its registrant (the lists' badge)."""
    others = DealParticipant.objects.filter(deal=OuterRef("pk")).exclude(
        organization_id=OuterRef("organization_id")
    )
    return queryset.annotate(is_co_sell=Exists(others))
