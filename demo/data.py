"""What the demo installation holds: vendors modelled on the seed programs (../shared/seeds/), their
partners and one login per role.

Plain data, read by ``manage.py seed_demo``. Every record is found again by its natural key (vendor
slug, tier name, territory code, SKU, organisation name, email), which is what makes seeding idempotent.
"""

from dataclasses import dataclass
from decimal import Decimal

from partners.models import Membership, PartnerOrganization, Program

from .people import DEMO_EMAIL_DOMAIN

Role = Membership.Role
Kind = PartnerOrganization.Kind
Status = PartnerOrganization.Status


@dataclass(frozen=True)
class TerritorySpec:
    code: str
    name: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class TierSpec:
    name: str
    rank: int
    discount_points: Decimal


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    family: str
    unit: str
    list_price: Decimal
    min_quantity: int = 0
    min_value: Decimal | None = None
    territories: tuple[str, ...] = ("NAM", "LATAM", "EMEA", "APAC")


@dataclass(frozen=True)
class OrganizationSpec:
    name: str
    kind: str
    status: str
    country: str
    website: str
    tier: str | None = None
    distributors: tuple[str, ...] = ()  # names of this vendor's distributors the reseller buys through
    application_note: str = ""


@dataclass(frozen=True)
class PersonSpec:
    local_part: str  # the email is <local_part>@demo.example
    first_name: str
    last_name: str
    is_staff: bool = False  # Django admin access (installation staff only)

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class MemberSpec:
    person: str  # PersonSpec.local_part
    role: str
    organization: str | None = None  # None: vendor staff


@dataclass(frozen=True)
class VendorSpec:
    name: str
    slug: str
    website: str
    currency: str
    modelled_on: str  # the seed program this vendor follows, for the progress output
    program: dict
    tiers: tuple[TierSpec, ...]
    products: tuple[ProductSpec, ...]
    organizations: tuple[OrganizationSpec, ...]
    members: tuple[MemberSpec, ...]
    territories: tuple[TerritorySpec, ...]


# The four sales regions of the seed programs, with the countries each covers.
TERRITORIES = (
    TerritorySpec("NAM", "North America", ("US", "CA")),
    TerritorySpec(
        "LATAM", "Latin America", ("MX", "BR", "AR", "CL", "CO", "PE", "UY", "CR", "PA", "EC", "DO", "GT")
    ),
    TerritorySpec(
        "EMEA",
        "Europe, Middle East and Africa",
        (
            "GB",
            "IE",
            "DE",
            "AT",
            "CH",
            "FR",
            "BE",
            "NL",
            "LU",
            "ES",
            "PT",
            "IT",
            "DK",
            "SE",
            "NO",
            "FI",
            "PL",
            "CZ",
            "HU",
            "RO",
            "GR",
            "TR",
            "IL",
            "AE",
            "SA",
            "QA",
            "EG",
            "ZA",
            "NG",
            "KE",
        ),
    ),
    TerritorySpec(
        "APAC",
        "Asia Pacific",
        ("AU", "NZ", "JP", "KR", "CN", "HK", "TW", "SG", "MY", "TH", "ID", "PH", "VN", "IN"),
    ),
)

# The usual ladder of a partner program: each tier adds standard discount points.
STANDARD_TIERS = (
    TierSpec("Registered", 1, Decimal("5")),
    TierSpec("Silver", 2, Decimal("10")),
    TierSpec("Gold", 3, Decimal("15")),
    TierSpec("Platinum", 4, Decimal("20")),
)

# What most seed programs agree on; each vendor's program() states only where it differs.
SHARED_RULES = {
    "two_tier": True,
    "registration_mode": Program.RegistrationMode.EXCLUSIVE,
    "validity_days": 60,
    "extension_days": 30,
    "stale_after_days": 30,
    "review_sla_business_days": 3,
    "reward_margin_points": Decimal("10"),
    "quote_validity_days": 30,
    "expire_with_quote": False,
    "addons_allowed": True,
    "msp_excluded": False,
    "renewal_auto_approved": False,
}


def program(name: str, ordering_party: str, **rules) -> dict:
    return {"name": name, **SHARED_RULES, **rules, "ordering_party": ordering_party}


PEOPLE = (
    PersonSpec("vendor.admin", "Valerie", "Adams"),
    PersonSpec("channel.manager", "Carlos", "Mendes"),
    PersonSpec("partner.admin", "Priya", "Anand"),
    PersonSpec("partner.user", "Peter", "Osei"),
    PersonSpec("rival.partner", "Rosa", "Lindqvist"),
    PersonSpec("distributor.user", "Dmitri", "Novak"),
    PersonSpec("applicant", "Hannah", "Brooks"),
    PersonSpec("suspended.partner", "Samuel", "Ortega"),
    PersonSpec("flexor.admin", "Frida", "Holm"),
    PersonSpec("flexor.cm", "Felix", "Wagner"),
    PersonSpec("sentinel.user", "Stefan", "Krause"),
    PersonSpec("mimeo.admin", "Miriam", "Cole"),
    PersonSpec("mimeo.cm", "Marcus", "Reid"),
    PersonSpec("postmark.admin", "Olivia", "Grant"),
    PersonSpec("cobalt.cm", "Chen", "Wei"),
    PersonSpec("summit.admin", "Sofia", "Marino"),
    PersonSpec("apex.user", "Aaron", "Patel"),
    PersonSpec("ops", "Ola", "Petersen", is_staff=True),
)

PARALLAX = VendorSpec(
    name="Parallax Virtualization",
    slug="parallax",
    website="https://parallax.example",
    currency="USD",
    modelled_on="seed 000: desktop virtualisation, two-tier, product matrix by territory",
    program=program(
        "Parallax Deal Registration Program",
        Program.OrderingParty.DISTRIBUTOR,
        quote_validity_days=60,
        # "A registered opportunity will expire upon the expiration of distributor's quotation."
        expire_with_quote=True,
    ),
    territories=TERRITORIES,
    tiers=STANDARD_TIERS,
    products=(
        ProductSpec(
            "PDBE", "Parallax Desktop Business Edition", "Parallax Desktop", "users", Decimal("149.99"), 25
        ),
        ProductSpec(
            "PSW", "Parallax Secure Workspace", "Parallax Secure Workspace", "users", Decimal("96.00"), 50
        ),
        ProductSpec("PRAS", "Parallax RAS", "Parallax RAS", "users", Decimal("120.00"), 50),
        ProductSpec(
            "PDCO", "Parallax Desktop for ChromeOS", "Parallax Desktop", "users", Decimal("70.00"), 25
        ),
        # Not yet sold in every region: the one gap of the eligibility matrix.
        ProductSpec(
            "PBI",
            "Parallax Browser Isolation",
            "Parallax Browser Isolation",
            "users",
            Decimal("60.00"),
            100,
            territories=("NAM", "EMEA"),
        ),
        ProductSpec(
            "PDAAS",
            "Parallax DaaS",
            "Parallax DaaS",
            "users",
            Decimal("240.00"),
            min_value=Decimal("10000.00"),
        ),
    ),
    organizations=(
        OrganizationSpec(
            "Meridian Distribution", Kind.DISTRIBUTOR, Status.ACTIVE, "US", "https://meridian-dist.example"
        ),
        OrganizationSpec(
            "Eurolink Distribution", Kind.DISTRIBUTOR, Status.ACTIVE, "DE", "https://eurolink.example"
        ),
        OrganizationSpec(
            "Northwind Systems",
            Kind.RESELLER,
            Status.ACTIVE,
            "US",
            "https://northwind.example",
            tier="Gold",
            distributors=("Meridian Distribution",),
        ),
        OrganizationSpec(
            "Bluefin IT Solutions",
            Kind.RESELLER,
            Status.ACTIVE,
            "GB",
            "https://bluefin-it.example",
            tier="Silver",
            distributors=("Eurolink Distribution",),
        ),
        OrganizationSpec(
            "Kestrel Networks",
            Kind.RESELLER,
            Status.ACTIVE,
            "AU",
            "https://kestrel.example",
            tier="Platinum",
            distributors=("Meridian Distribution", "Eurolink Distribution"),
        ),
        OrganizationSpec(
            "Harbor Tech Partners",
            Kind.RESELLER,
            Status.APPLIED,
            "CA",
            "https://harbortech.example",
            tier="Registered",
            distributors=("Meridian Distribution",),
            application_note="We resell desktop virtualisation to Ontario schools and register deals.",
        ),
        OrganizationSpec(
            "Crestline Computing",
            Kind.RESELLER,
            Status.SUSPENDED,
            "MX",
            "https://crestline.example",
            tier="Silver",
            distributors=("Meridian Distribution",),
        ),
    ),
    members=(
        MemberSpec("vendor.admin", Role.VENDOR_ADMIN),
        MemberSpec("channel.manager", Role.CHANNEL_MANAGER),
        MemberSpec("partner.admin", Role.PARTNER_ADMIN, "Northwind Systems"),
        MemberSpec("partner.user", Role.PARTNER_USER, "Northwind Systems"),
        MemberSpec("rival.partner", Role.PARTNER_USER, "Bluefin IT Solutions"),
        MemberSpec("distributor.user", Role.DISTRIBUTOR_USER, "Meridian Distribution"),
        MemberSpec("applicant", Role.PARTNER_ADMIN, "Harbor Tech Partners"),
        MemberSpec("suspended.partner", Role.PARTNER_USER, "Crestline Computing"),
    ),
)

FLEXOR = VendorSpec(
    name="Flexor Security",
    slug="flexor",
    website="https://flexor.example",
    currency="USD",
    modelled_on="seed 001: security software, 1000-endpoint threshold, MSP excluded, 30-day staleness",
    program=program(
        "Flexor Deal Registration Program",
        Program.OrderingParty.EITHER,
        # "Should an opportunity not receive any sufficient (real) updates for 30 days or longer ..."
        stale_after_days=30,
        stale_warning_day=23,
        stale_action=Program.StaleAction.REVOKE,
        addons_allowed=False,
        msp_excluded=True,
        # "Should the partner be successful in closing the deal he will ... receive approval for the renewal."
        renewal_auto_approved=True,
    ),
    territories=TERRITORIES,
    tiers=STANDARD_TIERS,
    products=(
        ProductSpec(
            "FVM",
            "Flexor Vulnerability Manager",
            "Vulnerability management",
            "endpoints",
            Decimal("18.00"),
            1000,
        ),
        ProductSpec(
            "FPA", "Flexor Patch Automation", "Vulnerability management", "endpoints", Decimal("9.50"), 1000
        ),
        ProductSpec(
            "FSI", "Flexor Software Inspector", "Software inventory", "endpoints", Decimal("6.00"), 1000
        ),
        ProductSpec(
            "FVR",
            "Flexor Vulnerability Research Feed",
            "Threat intelligence",
            "licences",
            Decimal("12000.00"),
            min_value=Decimal("12000.00"),
        ),
    ),
    organizations=(
        OrganizationSpec(
            "Meridian Distribution", Kind.DISTRIBUTOR, Status.ACTIVE, "US", "https://meridian-dist.example"
        ),
        OrganizationSpec(
            "Northwind Systems",
            Kind.RESELLER,
            Status.ACTIVE,
            "US",
            "https://northwind.example",
            tier="Platinum",
            distributors=("Meridian Distribution",),
        ),
        OrganizationSpec(
            "Sentinel Secure IT",
            Kind.RESELLER,
            Status.ACTIVE,
            "DE",
            "https://sentinel-secure.example",
            tier="Gold",
            distributors=("Meridian Distribution",),
        ),
        OrganizationSpec(
            "Lakeside Managed Services",
            Kind.RESELLER,
            Status.APPLIED,
            "US",
            "https://lakeside-msp.example",
            tier="Registered",
            distributors=("Meridian Distribution",),
            application_note="Managed service provider looking to add vulnerability management to our stack.",
        ),
    ),
    members=(
        MemberSpec("flexor.admin", Role.VENDOR_ADMIN),
        MemberSpec("flexor.cm", Role.CHANNEL_MANAGER),
        # The same person as at Parallax: one login, two vendors, switched from the navbar.
        MemberSpec("partner.admin", Role.PARTNER_ADMIN, "Northwind Systems"),
        MemberSpec("sentinel.user", Role.PARTNER_USER, "Sentinel Secure IT"),
    ),
)

MIMEO = VendorSpec(
    name="Mimeo Mail Security",
    slug="mimeo",
    website="https://mimeo.example",
    currency="GBP",
    modelled_on="seed 004: email security, per-user licences, approval produces a quote with reward margin",
    program=program(
        "Mimeo Deal Registration Program (DRP)",
        # Start Order / Submit Order are the reseller's steps in the seed's progress bar.
        Program.OrderingParty.PARTNER,
        two_tier=False,
        validity_days=90,
        review_sla_business_days=2,
        # "On approval of a deal, a quote is automatically generated based on ... any reward margin."
        reward_margin_points=Decimal("12"),
    ),
    territories=TERRITORIES,
    tiers=STANDARD_TIERS,
    products=(
        ProductSpec("MES", "Mimeo Email Security Gateway", "Email security", "users", Decimal("36.00"), 50),
        ProductSpec("MAR", "Mimeo Cloud Archive", "Archiving", "users", Decimal("24.00"), 50),
        ProductSpec("MCO", "Mimeo Mail Continuity", "Continuity", "users", Decimal("18.00"), 50),
        ProductSpec("MAT", "Mimeo Awareness Training", "Awareness", "users", Decimal("15.00")),
        ProductSpec("MDM", "Mimeo DMARC Analyzer", "Brand protection", "users", Decimal("8.00"), 100),
    ),
    organizations=(
        OrganizationSpec(
            "Postmark Partners",
            Kind.RESELLER,
            Status.ACTIVE,
            "GB",
            "https://postmark-partners.example",
            "Gold",
        ),
        OrganizationSpec(
            "Inbox Defense Co", Kind.RESELLER, Status.ACTIVE, "US", "https://inboxdefense.example", "Silver"
        ),
        OrganizationSpec(
            "Quillon IT", Kind.RESELLER, Status.ACTIVE, "IE", "https://quillon.example", "Registered"
        ),
    ),
    members=(
        MemberSpec("mimeo.admin", Role.VENDOR_ADMIN),
        MemberSpec("mimeo.cm", Role.CHANNEL_MANAGER),
        MemberSpec("postmark.admin", Role.PARTNER_ADMIN, "Postmark Partners"),
    ),
)

COBALT = VendorSpec(
    name="Cobalt Cloud Platform",
    slug="cobalt",
    website="https://cobalt.example",
    currency="EUR",
    modelled_on="seed 003: multi-partner (co-sell) registrations with attribution shares",
    program=program(
        "Cobalt Co-Sell Registration",
        Program.OrderingParty.PARTNER,
        two_tier=False,
        registration_mode=Program.RegistrationMode.MULTI_PARTNER,
        validity_days=120,
        extension_days=60,
        stale_after_days=45,
        stale_warning_day=35,
        stale_action=Program.StaleAction.FLAG,
        review_sla_business_days=5,
        reward_margin_points=Decimal("6"),
        quote_validity_days=45,
    ),
    territories=TERRITORIES,
    tiers=(
        TierSpec("Member", 1, Decimal("5")),
        TierSpec("Advanced", 2, Decimal("12")),
        TierSpec("Premier", 3, Decimal("18")),
    ),
    products=(
        ProductSpec("CDP", "Cobalt Data Platform", "Platform", "hosts", Decimal("4800.00"), 3),
        ProductSpec("CIS", "Cobalt Integration Suite", "Platform", "licences", Decimal("2500.00"), 1),
        ProductSpec(
            "CMS",
            "Cobalt Managed Success",
            "Services",
            "licences",
            Decimal("15000.00"),
            min_value=Decimal("15000.00"),
            territories=("NAM", "EMEA"),
        ),
    ),
    organizations=(
        OrganizationSpec(
            "Summit Consulting Group",
            Kind.RESELLER,
            Status.ACTIVE,
            "NL",
            "https://summit-consulting.example",
            "Premier",
        ),
        OrganizationSpec(
            "Apex Software Partners",
            Kind.RESELLER,
            Status.ACTIVE,
            "US",
            "https://apex-software.example",
            "Advanced",
        ),
    ),
    members=(
        MemberSpec("cobalt.cm", Role.CHANNEL_MANAGER),
        MemberSpec("summit.admin", Role.PARTNER_ADMIN, "Summit Consulting Group"),
        MemberSpec("apex.user", Role.PARTNER_USER, "Apex Software Partners"),
    ),
)

DEMO_VENDORS = (PARALLAX, FLEXOR, MIMEO, COBALT)
