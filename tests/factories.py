"""factory-boy factories. Creation runs with scopes disabled: fixtures build several tenants at once."""

from decimal import Decimal

import factory
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


class TierFactory(UnscopedFactory):
    class Meta:
        model = PartnerTier

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    rank = 1
    discount_points = Decimal("20.00")


class OrganizationFactory(UnscopedFactory):
    class Meta:
        model = PartnerOrganization

    vendor = factory.SubFactory(VendorFactory)
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


class MembershipFactory(UnscopedFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    vendor = factory.SubFactory(VendorFactory)
    organization = None
    role = Membership.Role.CHANNEL_MANAGER


def member(role, *, vendor=None, organization=None, user=None):
    """A user holding `role` at a vendor (staff) or in an organisation (partners)."""
    if organization is not None:
        vendor = organization.vendor
    user = user or UserFactory()
    return MembershipFactory(user=user, vendor=vendor, organization=organization, role=role).user
