"""Read queries of the demo installation."""

from dataclasses import dataclass

from django_scopes import scopes_disabled

from partners.models import Membership

from .people import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD


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
