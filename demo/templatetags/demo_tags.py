from django import template
from django.conf import settings

from demo import selectors

register = template.Library()


@register.simple_tag
def demo_accounts():
    """The seeded demo's logins, or nothing outside DEMO_MODE (they must never show in production)."""
    if not settings.DEMO_MODE:
        return []
    return selectors.demo_accounts()


@register.simple_tag
def demo_totp():
    """The demo staff's TOTP secret and current code, or None outside DEMO_MODE."""
    if not settings.DEMO_MODE:
        return None
    return selectors.demo_totp()
