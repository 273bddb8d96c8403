"""Logins made by code rather than by sign-up: the demo's people (``manage.py seed_demo``) and the
benchmark's (bench/world.py), created by the one ``save_logins``.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from partners.models import Membership, PartnerOrganization, User, Vendor

from .data import PersonSpec, VendorSpec


def save_logins(users: list[User], *, password: str | None) -> list[User]:
    """Create the users, or bring those already there (same email) up to date, in two queries.

    Each gets `password` (None: an unusable one) and a verified primary address, without which allauth's
    mandatory verification lets nobody in.
    """
    for user in users:
        user.set_password(password)
    users = User.objects.bulk_create(
        users,
        update_conflicts=True,
        unique_fields=["email"],
        update_fields=["first_name", "last_name", "is_active", "is_staff", "is_superuser", "password"],
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        update_conflicts=True,
        unique_fields=["user", "email"],
        update_fields=["verified", "primary"],
    )
    return users


def seed_people(people: tuple[PersonSpec, ...], password: str) -> dict[str, User]:
    """One login per person, keyed by the local part of the email."""
    users = save_logins(
        [
            User(
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                is_active=True,
                is_staff=person.is_staff,
                is_superuser=person.is_staff,
            )
            for person in people
        ],
        password=password,
    )
    return {person.local_part: user for person, user in zip(people, users, strict=True)}


def seed_members(vendor: Vendor, spec: VendorSpec, users: dict[str, User]) -> str:
    organizations = {o.name: o for o in PartnerOrganization.objects.filter(vendor=vendor)}
    for item in spec.members:
        organization = organizations[item.organization] if item.organization else None
        Membership.objects.update_or_create(
            user=users[item.person],
            vendor=vendor,
            organization=organization,
            defaults={"role": item.role, "is_active": True},
        )
    return f"{len(spec.members)} memberships"


def seed_staff_totp(users: dict[str, User], secret: str) -> str:
    """Every demo login holding a vendor-staff membership gets an authenticator app with `secret`."""
    staff = [
        user
        for user in users.values()
        if Membership.objects.filter(user=user, organization__isnull=True, is_active=True).exists()
    ]
    for user in staff:
        Authenticator.objects.update_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
        )
    return f"{len(staff)} vendor staff with two-factor authentication (TOTP)"


def login_table(people: tuple[PersonSpec, ...]) -> list[str]:
    """Who can log in as what and where, as the lines of a table (the second one a rule)."""
    rows = [("Email", "Role", "Where")]
    for person in people:
        memberships = Membership.objects.filter(user__email=person.email).select_related(
            "vendor", "organization"
        )
        places = [(m.get_role_display(), f"{m.place_name} (/v/{m.vendor.slug}/)") for m in memberships]
        if person.is_staff:
            places.append(("Installation staff", "Django admin (/admin/)"))
        for index, (role, where) in enumerate(places):
            rows.append((person.email if index == 0 else "", role, where))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        ("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]
    lines.insert(1, "  " + "  ".join("-" * width for width in widths))
    return lines
