"""`manage.py seed_demo`: the demo installation, modelled on the seed programs, created idempotently."""

from decimal import Decimal
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django_scopes import scopes_disabled

from demo.management.commands import seed_demo
from demo.people import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from partners.models import (
    DistributorAgreement,
    Membership,
    PartnerOrganization,
    PartnerTier,
    Program,
    User,
    Vendor,
)
from products.models import Product, Territory

pytestmark = pytest.mark.django_db

SEEDED_MODELS = (
    User,
    EmailAddress,
    Vendor,
    Program,
    PartnerTier,
    Territory,
    Product,
    Product.eligible_territories.through,
    PartnerOrganization,
    DistributorAgreement,
    Membership,
)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {model._meta.label: model.objects.count() for model in SEEDED_MODELS}


def program_of(slug: str) -> Program:
    with scopes_disabled():
        return Program.objects.select_related("vendor").get(vendor__slug=slug)


def products_of(slug: str) -> list[Product]:
    with scopes_disabled():
        return list(Product.objects.filter(vendor__slug=slug).prefetch_related("eligible_territories"))


def test_it_duplicates_nothing_when_run_twice():
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first
    assert first["partners.Vendor"] >= 3


def test_it_puts_back_a_changed_rule_on_the_next_run():
    seed()
    with scopes_disabled():
        Program.objects.filter(vendor__slug="parallax").update(validity_days=5)
    seed()
    assert program_of("parallax").validity_days == 60


def test_it_leaves_nothing_behind_when_a_step_fails(monkeypatch):
    def broken_step(*args, **kwargs):
        raise RuntimeError("memberships failed")

    monkeypatch.setattr(seed_demo, "seed_members", broken_step)
    with pytest.raises(RuntimeError, match="memberships failed"):
        seed()
    assert set(row_counts().values()) == {0}


@pytest.mark.parametrize("role", Membership.Role.values)
def test_it_gives_every_role_a_demo_login_that_works(role):
    seed()
    with scopes_disabled():
        membership = Membership.objects.filter(role=role, is_active=True).select_related("user").first()
    assert membership is not None, f"no demo login for {role}"
    email = membership.user.email
    assert email.endswith(f"@{DEMO_EMAIL_DOMAIN}")
    assert authenticate(email=email, password=DEMO_PASSWORD) == membership.user
    # allauth's mandatory verification would otherwise stop the demo user at the login page.
    address = EmailAddress.objects.get(user=membership.user, email=email)
    assert address.verified and address.primary


def test_it_keeps_the_demo_password_even_after_a_user_changed_it():
    seed()
    user = User.objects.get(email=f"channel.manager@{DEMO_EMAIL_DOMAIN}")
    user.set_password("something-else-entirely")
    user.save()
    seed()
    assert authenticate(email=user.email, password=DEMO_PASSWORD) == user


def test_it_gives_one_person_memberships_in_two_vendors_to_switch_between():
    seed()
    with scopes_disabled():
        vendors_by_user = {}
        for membership in Membership.objects.select_related("user", "vendor"):
            vendors_by_user.setdefault(membership.user.email, set()).add(membership.vendor.slug)
    assert any(len(slugs) >= 2 for slugs in vendors_by_user.values())


def test_it_seeds_partners_of_several_tiers_and_statuses():
    seed()
    with scopes_disabled():
        organizations = PartnerOrganization.objects.filter(vendor__slug="parallax")
        statuses = set(organizations.values_list("status", flat=True))
        tiers = set(organizations.exclude(tier=None).values_list("tier__name", flat=True))
        kinds = set(organizations.values_list("kind", flat=True))
        agreements = DistributorAgreement.objects.select_related("reseller", "distributor", "vendor")
        assert agreements.exists()
        for agreement in agreements:
            assert agreement.reseller.vendor == agreement.distributor.vendor == agreement.vendor
            assert agreement.distributor.is_distributor
            assert not agreement.reseller.is_distributor
    assert {"active", "applied", "suspended"} <= statuses
    assert len(tiers) >= 3
    assert kinds == {"reseller", "distributor"}


def test_the_desktop_virtualisation_vendor_follows_seed_000():
    seed()
    program = program_of("parallax")
    assert program.validity_days == 60
    assert program.two_tier
    assert program.expire_with_quote
    with scopes_disabled():
        territories = {t.code: t for t in Territory.objects.filter(vendor=program.vendor)}
    assert set(territories) == {"NAM", "LATAM", "EMEA", "APAC"}
    assert "US" in territories["NAM"].countries
    assert "BR" in territories["LATAM"].countries
    assert "DE" in territories["EMEA"].countries
    assert "JP" in territories["APAC"].countries
    products = products_of("parallax")
    assert {p.name for p in products} >= {
        "Parallax Desktop Business Edition",
        "Parallax Secure Workspace",
        "Parallax RAS",
        "Parallax Desktop for ChromeOS",
        "Parallax Browser Isolation",
        "Parallax DaaS",
    }
    eligible = {p.name: {t.code for t in p.eligible_territories.all()} for p in products}
    everywhere = [name for name, codes in eligible.items() if codes == set(territories)]
    restricted = [name for name, codes in eligible.items() if codes and codes != set(territories)]
    assert len(everywhere) >= 4
    assert restricted, "the matrix should show at least one product not sold everywhere"


def test_the_security_software_vendor_follows_seed_001():
    seed()
    program = program_of("flexor")
    assert program.msp_excluded
    assert program.stale_after_days == 30
    assert program.renewal_auto_approved
    endpoint_products = [p for p in products_of("flexor") if p.unit == Product.Unit.ENDPOINTS]
    assert endpoint_products
    assert all(p.min_quantity == 1000 for p in endpoint_products)


def test_the_email_security_vendor_follows_seed_004():
    seed()
    program = program_of("mimeo")
    assert program.reward_margin_points > Decimal("0")
    assert program.quote_validity_days > 0
    products = products_of("mimeo")
    assert products
    assert all(p.unit == Product.Unit.USERS for p in products)


def test_it_seeds_a_co_sell_vendor_like_seed_003():
    seed()
    assert program_of("cobalt").is_multi_partner


def test_it_prints_each_step_and_a_table_of_logins():
    output = seed()
    assert "Parallax Virtualization" in output
    assert "Demo logins" in output
    for email in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").values_list("email", flat=True):
        assert email in output


def test_its_vendor_staff_have_the_published_authenticator_and_partners_none():
    from allauth.mfa.models import Authenticator

    from demo.people import DEMO_TOTP_SECRET
    from partners.selectors import has_totp

    seed()
    seed()  # idempotent: still one authenticator each
    with scopes_disabled():
        memberships = list(Membership.objects.filter(is_active=True).select_related("user"))
    for membership in memberships:
        if membership.is_vendor_staff:
            [authenticator] = Authenticator.objects.filter(user=membership.user)
            assert DEMO_TOTP_SECRET in str(authenticator.data)
    assert not has_totp(User.objects.get(email=f"partner.user@{DEMO_EMAIL_DOMAIN}"))
