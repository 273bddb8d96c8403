"""Template tags of the registration lifecycle: the deal page's clocks and extension panel."""

from django import template

from partners.permissions import Actor

from .. import lifecycle
from ..lifecycle_forms import ExtensionRequestForm

register = template.Library()


@register.inclusion_tag("deals/lifecycle/_panel.html", takes_context=True)
def lifecycle_panel(context, deal):
    """Expiry and staleness countdowns plus the extension request / decision, for whoever is looking."""
    request = context["request"]
    actor = Actor.from_request(request)
    return {
        "deal": deal,
        "request": request,
        "current_vendor": context.get("current_vendor"),
        "clocks": lifecycle.deal_clocks(deal),
        "extension": lifecycle.extension_panel(deal, actor),
        "request_form": ExtensionRequestForm(),
        "program": deal.vendor.program,
    }


@register.inclusion_tag("deals/lifecycle/_action_button.html", takes_context=True)
def extension_button(context, deal):
    """The "Request extension" button in the deal's action bar, when the viewer may ask."""
    actor = Actor.from_request(context["request"])
    return {"extension": lifecycle.extension_panel(deal, actor)}
