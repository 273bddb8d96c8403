"""Read queries of the demo installation."""

import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django_scopes import scopes_disabled

from partners.models import Membership

from .people import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    vendor: str
    place: str
    password: str


def demo_accounts() -> list[DemoAccount]:
    """The seeded demo's logins for the login page (shown only in DEMO_MODE).

    The login page belongs to no vendor, so this reads across tenants on purpose.
    """
    with scopes_disabled():
        memberships = (
            Membership.objects.filter(
                user__email__iendswith=f"@{DEMO_EMAIL_DOMAIN}", is_active=True, vendor__is_active=True
            )
            .select_related("user", "vendor", "organization")
            .order_by("vendor__name", "organization__name", "role", "user__email")
        )
        return [
            DemoAccount(
                email=m.user.email,
                role=m.get_role_display(),
                vendor=m.vendor.name,
                place=m.organization.name if m.organization_id else "Vendor staff",
                password=DEMO_PASSWORD,
            )
            for m in memberships
        ]


@dataclass(frozen=True)
class DemoTotp:
    secret: str
    code: str


def demo_totp() -> DemoTotp:
    """The demo staff's shared TOTP secret and the code it gives right now (valid for this period)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return DemoTotp(DEMO_TOTP_SECRET, format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
