"""factory-boy factories. Creation runs with scopes disabled: fixtures build several tenants at once."""

from decimal import Decimal

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django_scopes import scopes_disabled

from partners.models import (
    DistributorAgreement,
    Membership,
    PartnerOrganization,
    PartnerTier,
    Program,
    User,
    Vendor,
)


class UnscopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class UserFactory(UnscopedFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


class VendorFactory(UnscopedFactory):
    class Meta:
        model = Vendor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")

    @factory.post_generation
    def program(self, create, extracted, **kwargs):
        if create:
            with scopes_disabled():
                Program.objects.get_or_create(vendor=self, defaults=kwargs)


class VendorOwnedFactory(UnscopedFactory):
    """A row of one vendor's (a new vendor unless `vendor=` is given)."""

    class Meta:
        abstract = True

    vendor = factory.SubFactory(VendorFactory)


class TierFactory(VendorOwnedFactory):
    class Meta:
        model = PartnerTier

    name = factory.Sequence(lambda n: f"Tier {n}")
    rank = 1
    discount_points = Decimal("20.00")


class OrganizationFactory(VendorOwnedFactory):
    class Meta:
        model = PartnerOrganization

    name = factory.Sequence(lambda n: f"Reseller {n} Ltd")
    kind = PartnerOrganization.Kind.RESELLER
    status = PartnerOrganization.Status.ACTIVE
    tier = factory.LazyAttribute(lambda o: TierFactory(vendor=o.vendor))
    country = "US"
    contact_email = factory.Sequence(lambda n: f"partner{n}@reseller.example")


class DistributorFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Distributor {n} Inc")
    kind = PartnerOrganization.Kind.DISTRIBUTOR
    tier = None


class AgreementFactory(UnscopedFactory):
    class Meta:
        model = DistributorAgreement

    reseller = factory.SubFactory(OrganizationFactory)
    distributor = factory.SubFactory(DistributorFactory, vendor=factory.SelfAttribute("..reseller.vendor"))
    vendor = factory.SelfAttribute("reseller.vendor")


def distributor_of(reseller, name):
    """A distributor called `name` at the reseller's vendor, with an active agreement to supply `reseller`."""
    distributor = DistributorFactory(vendor=reseller.vendor, name=name)
    AgreementFactory(reseller=reseller, distributor=distributor)
    return distributor


class MembershipFactory(VendorOwnedFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = None
    role = Membership.Role.CHANNEL_MANAGER


def member(role, *, vendor=None, organization=None, user=None):
    """A user holding `role` at a vendor (staff) or in an organisation (partners)."""
    if organization is not None:
        vendor = organization.vendor
    user = user or UserFactory()
    membership = MembershipFactory(user=user, vendor=vendor, organization=organization, role=role)
    if membership.is_vendor_staff:
        with_totp(user)
    return user


# Vendor staff must have TOTP (partners.permissions.must_use_mfa): staff made here get this secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_totp(user):
    """The user with an authenticator app set up (allauth MFA), secret TOTP_SECRET."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)}
        )
    return user


def set_program(vendor, **values):
    """Change the vendor's program rules, e.g. set_program(vendor, renewal_auto_approved=False)."""
    with scopes_disabled():
        for field, value in values.items():
            setattr(vendor.program, field, value)
        vendor.program.save()


def make_co_sell(vendor):
    """Switch the vendor's program to multi-partner (co-sell) registrations; returns the vendor."""
    with scopes_disabled():
        Program.objects.filter(vendor=vendor).update(registration_mode=Program.RegistrationMode.MULTI_PARTNER)
    vendor.refresh_from_db()  # forgets the cached program
    return vendor


class InvitationFactory(UnscopedFactory):
    """An open invitation to an organisation (pass organization=None and vendor=... for vendor staff)."""

    class Meta:
        model = "partners.Invitation"

    organization = factory.SubFactory(OrganizationFactory)
    vendor = factory.LazyAttribute(lambda o: o.organization.vendor if o.organization else VendorFactory())
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.PARTNER_USER
    expires_at = factory.LazyFunction(lambda: _invitation_expiry())


def _invitation_expiry():
    from django.utils import timezone

    from partners.models import Invitation

    return timezone.now() + Invitation.VALID_FOR


# --- products and deals -------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from django.utils import timezone  # noqa: E402

from deals.models import PROTECTED_STATES, Deal, DealLine, PipelineEntry, Prospect, Protection  # noqa: E402
from products.models import Product, Territory  # noqa: E402


class TerritoryFactory(VendorOwnedFactory):
    class Meta:
        model = Territory

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.LazyAttribute(lambda o: f"Territory {o.code}")
    countries = factory.LazyFunction(list)


def territory_with(vendor, country="US"):
    """The vendor's territory containing `country`, created (with just that country) when there is none."""
    with scopes_disabled():
        for territory in Territory.objects.filter(vendor=vendor):
            if country in [c.code for c in territory.countries]:
                return territory
    return TerritoryFactory(
        vendor=vendor, code=f"T-{country}", name=f"Territory of {country}", countries=[country]
    )


class ProductFactory(VendorOwnedFactory):
    """An active product; `eligible_in=[territory, ...]` sets where it is eligible (default: the US)."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Endpoint Shield {n}")
    family = "Endpoint Security"
    unit = Product.Unit.ENDPOINTS
    list_price = Decimal("10.00")
    currency = "USD"
    min_quantity = 0
    min_value = None

    @factory.post_generation
    def eligible_in(self, create, extracted, **kwargs):
        if not create:
            return
        territories = [territory_with(self.vendor, "US")] if extracted is None else extracted
        with scopes_disabled():
            self.eligible_territories.set(territories)


class ProspectFactory(VendorOwnedFactory):
    class Meta:
        model = Prospect

    name = factory.Sequence(lambda n: f"Prospect {n} Corporation")
    domain = factory.Sequence(lambda n: f"prospect-{n}.com")
    country = "US"


class PipelineEntryFactory(VendorOwnedFactory):
    class Meta:
        model = PipelineEntry

    company_name = factory.Sequence(lambda n: f"Pipeline Account {n}")
    domain = factory.Sequence(lambda n: f"pipeline-account-{n}.org")
    product = None
    owner = "Sam Seller"
    stage = "Qualification"
    external_id = factory.Sequence(lambda n: f"CRM-{n:05d}")


def _next_deal_number(vendor):
    from deals.services.kernel import allocate_deal_number

    with scopes_disabled():
        return allocate_deal_number(vendor=vendor)


def _registrant(organization):
    return member(Membership.Role.PARTNER_USER, organization=organization)


def _authorised_distributor(organization):
    """In a two-tier program a reseller's deal names one of its distributors (created when it has none)."""
    with scopes_disabled():
        if not (
            organization.vendor.program.two_tier and organization.kind == PartnerOrganization.Kind.RESELLER
        ):
            return None
        agreement = DistributorAgreement.objects.filter(reseller=organization, is_active=True).first()
    if agreement is not None:
        return agreement.distributor
    return AgreementFactory(reseller=organization).distributor


class DealFactory(UnscopedFactory):
    """A complete registration (every field a submission needs) with one eligible product line.

    In a two-tier program the reseller's authorised distributor is chosen (one is created if needed).

    `lines=[(product, quantity), ...]` (or `lines=[]`) replaces the default line; a deal built in a
    protected state also gets its active Protection rows, as an approval would write them.
    """

    class Meta:
        model = Deal
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    vendor = factory.SelfAttribute("organization.vendor")
    number = factory.LazyAttribute(lambda o: _next_deal_number(o.vendor))
    registered_by = factory.LazyAttribute(lambda o: _registrant(o.organization))
    distributor = factory.LazyAttribute(lambda o: _authorised_distributor(o.organization))
    prospect = factory.LazyAttribute(lambda o: ProspectFactory(vendor=o.vendor))
    company_name = factory.LazyAttribute(lambda o: o.prospect.name if o.prospect else "")
    domain = factory.LazyAttribute(lambda o: o.prospect.domain if o.prospect else "")
    address_line1 = "1 Main Street"
    city = "Springfield"
    state_region = "IL"
    postal_code = "62701"
    country = "US"
    partner_contact_name = "Pat Partner"
    partner_contact_email = "pat@reseller.example"
    partner_contact_phone = "+1 201 555 0100"
    contact_first_name = "Jane"
    contact_last_name = "Buyer"
    contact_title = "CIO"
    contact_email = "jane.buyer@prospect.example"
    contact_phone = "+1 201 555 0199"
    contact_role = Deal.ContactRole.DECISION_MAKER
    projected_value = Decimal("25000.00")
    currency = "USD"
    expected_close_date = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=20))
    deal_type = Deal.DealType.NET_NEW
    budget_status = Deal.BudgetStatus.APPROVED
    authority = "Jane Buyer, CIO"
    need = "Replace an end-of-life antivirus on every laptop."
    timeline = "Purchase this quarter"

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [(ProductFactory(vendor=self.vendor), 1000)]
        with scopes_disabled():
            DealLine.objects.bulk_create(
                [DealLine(deal=self, product=product, quantity=quantity) for product, quantity in extracted]
            )

    @factory.post_generation
    def protections(self, create, extracted, **kwargs):
        if not (create and self.state in PROTECTED_STATES and self.prospect_id):
            return
        with scopes_disabled():
            Protection.objects.bulk_create(
                [
                    Protection(
                        vendor=self.vendor, prospect=self.prospect, product_id=ln.product_id, deal=self
                    )
                    for ln in self.lines.all()
                ]
            )


class DealLineFactory(UnscopedFactory):
    class Meta:
        model = DealLine

    deal = factory.SubFactory(DealFactory, lines=[])
    product = factory.LazyAttribute(lambda o: ProductFactory(vendor=o.deal.vendor))
    quantity = 1000


# --- quotes and orders -------------------------------------------------------------------------------

from partners.permissions import Actor  # noqa: E402


def actor_of(user, vendor) -> Actor:
    """The Actor a request by `user` at `vendor` would carry (their first membership there)."""
    with scopes_disabled():
        membership = (
            Membership.objects.select_related("organization", "vendor")
            .filter(user=user, vendor=vendor)
            .first()
        )
    return Actor(user, membership)


def quoted_deal(**deal_kwargs) -> Deal:
    """A registration approved by a channel manager through the real service: it carries its first quote."""
    from django_scopes import scope

    from deals.models import DealState
    from deals.services.review import deal_approve

    deal = DealFactory(state=DealState.SUBMITTED, **deal_kwargs)
    reviewer = member(Membership.Role.CHANNEL_MANAGER, vendor=deal.vendor)
    with scope(vendor=deal.vendor):
        return deal_approve(deal=deal, actor=actor_of(reviewer, deal.vendor))


def quote_for(deal, *, valid_days: int = 30):
    """A current quote of the deal's products as approval issues it, written directly (no event, no
    transition): for deals a factory put straight into a quoted state."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from deals.models import Quote, QuoteLine
    from deals.services.quotes import priced_line

    with scopes_disabled():
        lines = list(deal.lines.select_related("product"))
        today = timezone.localdate()
        quote = Quote(
            deal=deal,
            sequence=deal.quotes.count() + 1,
            currency=lines[0].product.currency,
            issue_date=today,
            valid_until=today + timedelta(days=valid_days),
            tier_discount_points=Decimal(0),
            reward_points=Decimal(0),
            list_total=Decimal(0),
            net_total=Decimal(0),
        )
        priced = [
            priced_line(quote=quote, product=line.product, quantity=line.quantity, discount_points=Decimal(0))
            for line in lines
        ]
        quote.list_total = sum((line.list_amount for line in priced), Decimal(0))
        quote.net_total = sum((line.net_amount for line in priced), Decimal(0))
        quote.save()
        QuoteLine.objects.bulk_create(priced)
    return quote
