"""Template tags of co-sell registrations (seed 003): the deal page's "Co-sell partners" panel."""

from django import template

from .. import participants

register = template.Library()


@register.inclusion_tag("deals/detail/_participants_panel.html", takes_context=True)
def participants_panel(context, deal):
    """The deal's partners, roles and shares: in multi-partner programs, and wherever a deal has some."""
    rows = participants.participants_of(deal)
    membership = getattr(context["request"], "membership", None)
    viewer_org_id = membership.organization_id if membership else None
    return {
        "deal": deal,
        "show": participants.is_co_sell_program(deal.vendor.program) or len(rows) > 1,
        "participants": rows,
        "total": participants.format_share(participants.total_of(p.share for p in rows)),
        "own": next((p for p in rows if p.organization_id == viewer_org_id), None),
        "is_registrant_view": viewer_org_id == deal.organization_id,
    }
