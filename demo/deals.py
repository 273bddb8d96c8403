"""Demo registrations in every state, created through the real services so they obey the program.

Called by ``manage.py seed_demo`` for each demo vendor. Idempotent: a demo deal is identified by its
prospect domain and registering organisation, and is created only when missing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from deals import access
from deals.errors import DealActionError
from deals.models import Deal, DealParticipant, DealState, RejectionReason, RevocationReason
from deals.policy import co_sell
from deals.services import lifecycle, orders, registration, review
from partners.models import Membership, PartnerOrganization
from partners.permissions import SYSTEM, Actor
from products.models import Product

Role = Membership.Role


@dataclass(frozen=True)
class DemoDeal:
    company: str
    domain: str
    country: str
    target: str  # the state the demo shows, or "submitted_late" (a submission past its review SLA)
    rival: bool = False  # registered by the vendor's second reseller
    deal_type: str = Deal.DealType.NET_NEW


DEMO_DEALS = (
    DemoDeal("Contoso Health", "contoso-health.com", "US", "draft"),
    DemoDeal("Fabrikam Logistics", "fabrikam-logistics.com", "US", "submitted"),
    DemoDeal("Tailspin Airlines", "tailspin-air.com", "CA", "submitted_late"),
    DemoDeal("Wingtip Retail", "wingtip-retail.com", "US", "info_requested"),
    DemoDeal("Northridge University", "northridge-univ.com", "US", DealState.QUOTED),
    DemoDeal("Adventure Works", "adventure-works.com", "US", DealState.EXTENDED),
    DemoDeal("Litware Insurance", "litware-ins.com", "US", DealState.EXPIRED),
    DemoDeal("Proseware Media", "proseware-media.com", "US", DealState.REVOKED),
    DemoDeal("Lucerne Publishing", "lucerne-pub.com", "US", DealState.REJECTED, rival=True),
    DemoDeal("Margie's Travel", "margies-travel.com", "US", DealState.ORDERED),
    DemoDeal("Trey Research", "trey-research.com", "US", DealState.WON),
    DemoDeal("Coho Vineyard", "coho-vineyard.com", "US", DealState.LOST),
    DemoDeal("Alpine Ski House", "alpine-ski.com", "US", DealState.WITHDRAWN),
    # A second partner chasing an already protected prospect: the queue shows the conflict.
    DemoDeal("Northridge Univ.", "northridge-univ.com", "US", "submitted", rival=True),
)


def _member(vendor, organization, roles) -> Actor | None:
    membership = (
        Membership.objects.filter(vendor=vendor, organization=organization, role__in=roles, is_active=True)
        .select_related("user", "organization", "vendor")
        .order_by("role")
        .first()
    )
    return Actor(membership.user, membership) if membership else None


def _cast(vendor):
    """The demo's people at this vendor: a channel manager and one or two registering resellers."""
    cm = _member(vendor, None, [Role.CHANNEL_MANAGER, Role.VENDOR_ADMIN])
    registrants = []
    # The reseller with the most people is the demo's main registrant; the next one is its rival.
    resellers = (
        PartnerOrganization.objects.filter(
            vendor=vendor, kind=PartnerOrganization.Kind.RESELLER, status=PartnerOrganization.Status.ACTIVE
        )
        .annotate(people=Count("memberships"))
        .order_by("-people", "name")
    )
    for reseller in resellers:
        actor = _member(vendor, reseller, [Role.PARTNER_USER, Role.PARTNER_ADMIN])
        if actor:
            registrants.append(actor)
    return cm, registrants


def _lines(vendor):
    """The first eligible product in quantities that meet its minimums."""
    product = Product.objects.filter(vendor=vendor, is_active=True).order_by("family", "name").first()
    quantity = max(product.min_quantity, 10)
    if product.min_value and product.list_price:
        while quantity * product.list_price < product.min_value:
            quantity += 1
    return [registration.LineInput(product=product, quantity=quantity)], quantity * product.list_price


def _data(spec: DemoDeal, registrant: Actor, value) -> dict:
    today = timezone.localdate()
    organization = registrant.organization
    data = {
        "company_name": spec.company,
        "domain": spec.domain,
        "address_line1": "100 Market Street",
        "city": "Springfield",
        "state_region": "IL" if spec.country == "US" else "",
        "postal_code": "62701",
        "country": spec.country,
        "partner_contact_name": registrant.user.get_full_name() or registrant.user.email,
        "partner_contact_email": registrant.user.email,
        "partner_contact_phone": "+1 201 555 0100",
        "contact_first_name": "Jordan",
        "contact_last_name": "Lee",
        "contact_title": "IT Director",
        "contact_email": f"jordan.lee@{spec.domain}",
        "contact_phone": "+1 201 555 0199",
        "contact_role": Deal.ContactRole.DECISION_MAKER,
        "projected_value": value,
        "currency": "",
        "expected_close_date": today + timedelta(days=25),
        "deal_type": spec.deal_type,
        "budget_status": Deal.BudgetStatus.APPROVED,
        "authority": "Jordan Lee, IT Director (signs off purchases)",
        "need": "Replace an ageing, unsupported estate before the audit in the spring.",
        "timeline": "Pilot this month, purchase before quarter end",
        "current_tools": "Legacy on-premises tools",
        "next_actions": "Technical workshop with the customer's IT team next week.",
        "evidence_notes": "Met the IT director on site; budget confirmed by email.",
        "meeting_date": today - timedelta(days=3),
    }
    program = registrant.membership.vendor.program
    if program.two_tier:
        distributor = organization.distributors.filter(
            status=PartnerOrganization.Status.ACTIVE, reseller_agreements__is_active=True
        ).first()
        data["distributor"] = distributor
    return data


def _co_sell(draft, registrant: Actor, vendor) -> None:
    """In a multi-partner program the quoted demo deal is sold together: the lead 60%, a consultant 40%."""
    if not co_sell.is_co_sell_program(vendor.program):
        return
    partner = co_sell.eligible_partners(vendor).exclude(pk=draft.organization_id).first()
    if partner is None:
        return
    registration.deal_set_participants(
        deal=draft,
        actor=registrant,
        participants=[
            (draft.organization, DealParticipant.Role.LEAD, 60),
            (partner, DealParticipant.Role.CONSULTING, 40),
        ],
    )


def _orderer(vendor, deal, registrant: Actor) -> Actor:
    if access.may_order(registrant, deal):
        return registrant
    return _member(vendor, deal.distributor, [Role.DISTRIBUTOR_USER, Role.PARTNER_ADMIN]) or registrant


def _drive(deal, target: str, *, vendor, cm: Actor, registrant: Actor) -> Deal:
    """Take a fresh draft to the target state the way people would."""
    if target == DealState.DRAFT:
        return deal
    deal = registration.deal_submit(deal=deal, actor=registrant)
    if target == "submitted_late":
        # Submitted a week ago: the review SLA has passed and the queue shows it late.
        week_ago = timezone.now() - timedelta(days=7)
        Deal.objects.filter(pk=deal.pk).update(
            submitted_at=week_ago, review_due_at=week_ago + timedelta(days=3)
        )
        return deal
    if target == DealState.SUBMITTED:
        return deal
    if target == DealState.INFO_REQUESTED:
        return review.deal_request_info(
            deal=deal,
            actor=cm,
            note="Please add the number of seats per site and the customer's budget owner.",
        )
    if target == DealState.REJECTED:
        return review.deal_reject(
            deal=deal,
            actor=cm,
            reason=RejectionReason.NO_IMMEDIATE_NEED,
            note="Our call with the customer showed no project before next year.",
        )
    if target == DealState.WITHDRAWN:
        return registration.deal_withdraw(
            deal=deal, actor=registrant, note="The customer postponed the project."
        )
    deal = review.deal_approve(deal=deal, actor=cm, note="Qualified on the call with the customer.")
    if target == DealState.EXTENDED:
        request = lifecycle.deal_request_extension(
            deal=deal, actor=registrant, reason="The customer's board meets after the current expiry."
        )
        review.deal_decide_extension(extension_request=request, actor=cm, grant=True, note="Granted.")
    elif target == DealState.EXPIRED:
        Deal.objects.filter(pk=deal.pk).update(expires_at=timezone.now() - timedelta(days=1))
        lifecycle.deal_expire(deal=deal, actor=SYSTEM)
    elif target == DealState.REVOKED:
        review.deal_revoke(
            deal=deal,
            actor=cm,
            reason=RevocationReason.CRITERIA_NOT_MET,
            note="The customer is now buying directly from our enterprise team.",
        )
    elif target == DealState.LOST:
        lifecycle.deal_lose(deal=deal, actor=registrant, reason="Customer chose a competitor on price.")
    elif target in (DealState.ORDERED, DealState.WON):
        orderer = _orderer(vendor, deal, registrant)
        deal = orders.deal_start_order(deal=deal, actor=orderer, po_number=f"PO-{deal.number:05d}")
        if target == DealState.WON:
            orders.deal_submit_order(deal=deal, actor=orderer)
    return Deal.objects.get(pk=deal.pk)


def seed_deals(vendor) -> str:
    """Create the vendor's demo deals that are missing; returns a one-line summary."""
    cm, registrants = _cast(vendor)
    if cm is None or not registrants:
        return "no deals (the vendor has no channel manager or no active reseller with users)"
    lines, value = _lines(vendor)
    created, skipped = 0, []
    for spec in DEMO_DEALS:
        registrant = registrants[1] if spec.rival and len(registrants) > 1 else registrants[0]
        if Deal.objects.filter(
            vendor=vendor, domain=spec.domain, organization=registrant.organization
        ).exists():
            continue
        data = _data(spec, registrant, value)
        try:
            with transaction.atomic():  # a story that fails half-way leaves no half-driven deal
                draft = registration.deal_save_draft(
                    actor=registrant,
                    vendor=vendor,
                    organization=registrant.organization,
                    data=data,
                    lines=lines,
                )
                if spec.target == DealState.QUOTED:
                    _co_sell(draft, registrant, vendor)
                _drive(draft, spec.target, vendor=vendor, cm=cm, registrant=registrant)
            created += 1
        except DealActionError as exc:
            # A program whose rules refuse a demo story (e.g. a conflict) simply shows one deal fewer.
            skipped.append(f"{spec.company}: {exc}")
    summary = f"{created} demo deals created" if created else "demo deals already present"
    return summary + (f" ({len(skipped)} skipped: {'; '.join(skipped)})" if skipped else "")
