"""The world the benchmark measures: a throwaway vendor ``bench-<random>`` at a realistic volume.

40 resellers of very different sizes, 4 distributors, 12 products in 4 territories, prospects with colliding
company names, the vendor's pipeline and registrations in every state (waiting for review, quoted,
expiring, silent for weeks, ...), with their lines, protections and first quotes. Built with bulk_create
(not measured), removed with everything under it.
"""

import math
from datetime import timedelta
from decimal import Decimal

from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from deals.models import (
    PROTECTED_STATES,
    Deal,
    DealLine,
    DealNumberSequence,
    DealState,
    PipelineEntry,
    Prospect,
    Protection,
    Quote,
    QuoteLine,
)
from deals.services.quotes import priced_line
from demo.logins import save_logins, seed_staff_totp
from notifications.models import OutboxEmail
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

S = DealState
Role = Membership.Role
BENCH_SLUG_PREFIX = "bench-"
DAY = timedelta(days=1)

# Share of the registrations in each state: a program that has run for a while.
STATE_SHARES = {
    S.DRAFT: 8,
    S.SUBMITTED: 10,
    S.INFO_REQUESTED: 2,
    S.APPROVED: 3,
    S.QUOTED: 25,
    S.EXTENDED: 4,
    S.ORDERED: 5,
    S.WON: 10,
    S.LOST: 8,
    S.EXPIRED: 8,
    S.REJECTED: 8,
    S.REVOKED: 3,
    S.WITHDRAWN: 6,
}
# States whose deal went through an approval, so it carries its first quote (APPROVED is the instant
# before the quote; deal_approve moves on to QUOTED at once).
QUOTED_ONCE = (S.QUOTED, S.EXTENDED, S.ORDERED, S.WON, S.LOST, S.EXPIRED, S.REVOKED)
APPROVED_ONCE = (S.APPROVED, *QUOTED_ONCE)

RESELLERS = 40
DISTRIBUTORS = 4
CHANNEL_MANAGERS = 3
TERRITORIES = {
    "NAM": ("North America", ["US", "CA"]),
    "LATAM": ("Latin America", ["BR", "MX", "AR"]),
    "EMEA": ("Europe, Middle East and Africa", ["GB", "DE", "FR", "NL", "SE", "ZA"]),
    "APAC": ("Asia Pacific", ["AU", "JP", "SG", "IN"]),
}
PRODUCTS = [
    ("EPS", "Endpoint Shield", "Endpoint Security", Product.Unit.ENDPOINTS, "12.00"),
    ("EPX", "Endpoint Shield XDR", "Endpoint Security", Product.Unit.ENDPOINTS, "21.00"),
    ("MDM", "Mobile Device Manager", "Device Management", Product.Unit.ENDPOINTS, "6.50"),
    ("PAT", "Patch Automation", "Device Management", Product.Unit.HOSTS, "9.00"),
    ("BKP", "Cloud Backup", "Data Protection", Product.Unit.USERS, "4.20"),
    ("DLP", "Data Loss Prevention", "Data Protection", Product.Unit.USERS, "7.75"),
    ("SIE", "SIEM Collector", "Security Operations", Product.Unit.HOSTS, "35.00"),
    ("SOA", "SOAR Playbooks", "Security Operations", Product.Unit.LICENCES, "1200.00"),
    ("IAM", "Identity Gateway", "Identity", Product.Unit.USERS, "3.10"),
    ("MFA", "MFA Tokens", "Identity", Product.Unit.USERS, "1.90"),
    ("VPN", "Zero Trust Access", "Network", Product.Unit.USERS, "5.40"),
    ("FWL", "Virtual Firewall", "Network", Product.Unit.HOSTS, "48.00"),
]


def _words(text: str) -> list[str]:
    return text.split()


# Company names built from these collide the way real ones do ("Atlas Health Inc" / "Atlas Health
# Group"), so the similarity search finds genuine near-matches, not only exact ones.
NAME_FIRST = _words(
    "Atlas Summit Pioneer Harbor Granite Silver Blue Red Green North South East West Pacific Atlantic "
    "Alpine Prairie River Lake Cedar Oak Maple Pine Willow Falcon Eagle Hawk Lion Bear Wolf Apex "
    "Vertex Nova Stellar Quantum Fusion Vector Matrix Nimbus Horizon Meridian Beacon Crest Keystone "
    "Liberty Union Royal Crown Metro Civic"
)
NAME_SECOND = _words(
    "Health Logistics Foods Energy Capital Insurance Manufacturing Analytics Retail Media Pharma "
    "Telecom Motors Airlines Bank Labs Construction Consulting Software Networks Hospitality "
    "Education Transport Textiles Chemicals Robotics Biotech Mining Shipping Realty Dental Legal "
    "Security Water Farms Steel Paper Glass Optics Semiconductors"
)
NAME_SUFFIX = _words("Inc LLC Ltd GmbH Group Holdings Corporation Partners AG SA")
NAME_REGION = ["", "", "", "", "International", "Europe", "Americas", "of Texas", "UK", "Nordic"]
TLDS = ["com", "com", "com", "net", "io", "co.uk", "de", "fr", "com.au", "ca"]


def apportion(total: int, shares: dict) -> dict:
    """Split `total` by `shares` (largest remainder), every share at least 1 when `total` allows."""
    weight = sum(shares.values())
    exact = {key: total * share / weight for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(shares, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    if total >= len(shares):
        for key in shares:
            if counts[key] == 0:
                largest = max(counts, key=counts.get)
                counts[largest] -= 1
                counts[key] = 1
    return counts


def remove_bench_vendor(slug: str) -> bool:
    """Delete a bench vendor and everything under it; False when there is none.

    PROTECT foreign keys decide the order: registrations first (they protect organisations, prospects,
    products and users), then organisations (they protect tiers), then the vendor with the rest, then
    the vendor's bench users.
    """
    with scopes_disabled(), transaction.atomic():
        vendor = Vendor.objects.filter(slug=slug).first()
        if vendor is not None:
            OutboxEmail.objects.filter(vendor=vendor).delete()
            Deal.objects.filter(vendor=vendor).delete()
            PartnerOrganization.objects.filter(vendor=vendor).delete()
            vendor.delete()
        users = User.objects.filter(email__endswith=f"@{slug}.invalid")
        had_users = users.exists()
        users.delete()
    return vendor is not None or had_users


def leftover_bench_vendors() -> list[str]:
    return list(Vendor.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).values_list("slug", flat=True))


class World:
    """The benchmark's vendor and everything under it; `build()` creates it, `remove()` deletes it."""

    def __init__(self, *, slug: str, deals: int, prospects: int, pipeline: int, rng):
        self.slug = slug
        self.deal_count = deals
        self.prospect_count = prospects
        self.pipeline_count = pipeline
        self.rng = rng

    def remove(self) -> bool:
        return remove_bench_vendor(self.slug)

    def _company_name(self) -> str:
        rng = self.rng
        parts = [
            rng.choice(NAME_FIRST),
            rng.choice(NAME_SECOND),
            rng.choice(NAME_REGION),
            rng.choice(NAME_SUFFIX),
        ]
        return " ".join(p for p in parts if p)

    def _domain(self, name: str, taken: set) -> str:
        words = name.lower().replace(" of ", " ").split()[:2]
        base, tld = "".join(words), self.rng.choice(TLDS)
        domain, n = f"{base}.{tld}", 1
        while domain in taken:
            n += 1
            domain = f"{base}{n}.{tld}"
        taken.add(domain)
        return domain

    def _email(self, local: str) -> str:
        return f"{local}@{self.slug}.invalid"

    def build(self) -> None:
        now = timezone.now()
        with scopes_disabled(), transaction.atomic():
            vendor = Vendor.objects.create(name=f"Benchmark {self.slug}", slug=self.slug)
            Program.objects.create(vendor=vendor, name="Benchmark Deal Registration Program")
            products, countries = self._catalogue(vendor)
            tiers, distributors, resellers, routes = self._partners(vendor, countries)
            registrants = self._people(vendor, resellers, distributors)
            prospects, domains = self._prospects(vendor, countries)
            self._pipeline(vendor, prospects, products, domains)
            deals, lines_of = self._registrations(
                vendor, now, products, prospects, resellers, routes, registrants
            )
            self._protections(vendor, deals, lines_of)
            self._quotes(vendor, deals, lines_of, {t.pk: t for t in tiers}, {r.pk: r for r in resellers})
        self._analyze()
        self.vendor = vendor
        with scopes_disabled():
            # Loaded as the tenant middleware loads a request's membership (portal.tenancy).
            related = ("user", "vendor", "organization", "organization__tier")
            self.manager = Membership.objects.select_related(*related).get(
                vendor=vendor, role=Role.CHANNEL_MANAGER, user__email=self._email("cm1")
            )
            # The partner with the most registrations: the heaviest partner list.
            busiest = max(resellers, key=lambda r: sum(1 for d in deals if d.organization_id == r.pk))
            self.partner_admin = Membership.objects.select_related(*related).get(
                organization=busiest, role=Role.PARTNER_ADMIN
            )

    def _catalogue(self, vendor):
        territories = Territory.objects.bulk_create(
            [
                Territory(vendor=vendor, code=code, name=name, countries=countries)
                for code, (name, countries) in TERRITORIES.items()
            ]
        )
        countries = [c for _, cs in TERRITORIES.values() for c in cs]
        products = Product.objects.bulk_create(
            [
                Product(
                    vendor=vendor,
                    sku=f"{code}-{n:02d}",
                    name=name,
                    family=family,
                    unit=unit,
                    list_price=Decimal(price),
                    min_quantity=0,
                )
                for n, (code, name, family, unit, price) in enumerate(PRODUCTS)
            ]
        )
        eligible = Product.eligible_territories.through
        eligible.objects.bulk_create(
            [eligible(product_id=p.pk, territory_id=t.pk) for p in products for t in territories]
        )
        return products, countries

    def _partners(self, vendor, countries):
        rng = self.rng
        tiers = PartnerTier.objects.bulk_create(
            [
                PartnerTier(vendor=vendor, name=name, rank=rank, discount_points=Decimal(points))
                for rank, (name, points) in enumerate([("Silver", "10"), ("Gold", "20"), ("Platinum", "30")])
            ]
        )
        distributors = self._organizations(vendor, countries, "distributor", DISTRIBUTORS)
        resellers = self._organizations(vendor, countries, "reseller", RESELLERS, tiers=tiers)
        routes = {r.pk: rng.sample(distributors, k=rng.choice([1, 1, 2])) for r in resellers}
        DistributorAgreement.objects.bulk_create(
            [
                DistributorAgreement(vendor=vendor, reseller_id=reseller_id, distributor=d)
                for reseller_id, ds in routes.items()
                for d in ds
            ]
        )

        return tiers, distributors, resellers, routes

    def _organizations(self, vendor, countries, kind: str, count: int, tiers=()) -> list:
        """`count` active organisations of `kind` (distributor, reseller), tiers and countries in turn."""
        return PartnerOrganization.objects.bulk_create(
            [
                PartnerOrganization(
                    vendor=vendor,
                    name=f"Bench {'Distribution' if kind == 'distributor' else 'Reseller'} {n + 1}",
                    kind=PartnerOrganization.Kind(kind),
                    status=PartnerOrganization.Status.ACTIVE,
                    tier=tiers[n % len(tiers)] if tiers else None,
                    country=countries[n % len(countries)],
                    contact_email=self._email(f"{kind}{n + 1}"),
                )
                for n in range(count)
            ]
        )

    def _people(self, vendor, resellers, distributors) -> dict:
        """Channel managers, a vendor admin, per reseller an admin and two users, per distributor one user.

        Unusable passwords: the benchmark logs in with force_login. Returns reseller id → registrants.
        """
        staff = [
            (f"cm{n + 1}", "Channel", f"Manager {n + 1}", None, Role.CHANNEL_MANAGER)
            for n in range(CHANNEL_MANAGERS)
        ]
        staff.append(("admin", "Vendor", "Admin", None, Role.VENDOR_ADMIN))
        partners = []
        for n, reseller in enumerate(resellers, start=1):
            partners.append((f"r{n}-admin", "Partner", f"Admin {n}", reseller, Role.PARTNER_ADMIN))
            partners += [
                (f"r{n}-user{k}", "Partner", f"User {n}.{k}", reseller, Role.PARTNER_USER) for k in (1, 2)
            ]
        partners += [
            (f"d{n}-user", "Distributor", f"User {n}", d, Role.DISTRIBUTOR_USER)
            for n, d in enumerate(distributors, start=1)
        ]
        people = staff + partners
        users = save_logins(
            [
                User(email=self._email(local), first_name=first, last_name=last)
                for local, first, last, _, _ in people
            ],
            password=None,
        )
        memberships = Membership.objects.bulk_create(
            [
                Membership(user=user, vendor=vendor, organization=org, role=role)
                for user, (_, _, _, org, role) in zip(users, people, strict=True)
            ]
        )
        # Vendor staff reach vendor pages only with TOTP set up; nobody types a code (force_login).
        seed_staff_totp({user.email: user for user in users[: len(staff)]}, generate_totp_secret())
        registrants = {}  # reseller id → the people who register its deals
        for membership in memberships:
            if membership.role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
                registrants.setdefault(membership.organization_id, []).append(membership.user)

        return registrants

    def _prospects(self, vendor, countries):
        rng = self.rng
        domains: set = set()
        prospects = []
        for _ in range(self.prospect_count):
            name = self._company_name()
            prospects.append(
                Prospect(
                    vendor=vendor,
                    name=name,
                    domain=self._domain(name, domains),
                    address_line1=f"{rng.randint(1, 999)} Commerce Street",
                    city="Springfield",
                    country=rng.choice(countries),
                )
            )
        prospects = Prospect.objects.bulk_create(prospects, batch_size=2000)

        return prospects, domains

    def _pipeline(self, vendor, prospects, products, domains) -> None:
        rng = self.rng
        pipeline = []
        for n in range(self.pipeline_count):
            # A fifth of the vendor's pipeline is a prospect partners also register.
            if rng.random() < 0.2:
                shared = rng.choice(prospects)
                name, domain = shared.name, shared.domain
            else:
                name = self._company_name()
                domain = self._domain(name, domains) if rng.random() < 0.8 else ""
            pipeline.append(
                PipelineEntry(
                    vendor=vendor,
                    company_name=name,
                    domain=domain,
                    product=rng.choice(products) if rng.random() < 0.7 else None,
                    owner=rng.choice(["Sam Seller", "Alex Account", "Robin Rep", ""]),
                    stage=rng.choice(["Qualification", "Proposal", "Negotiation"]),
                    external_id=f"CRM-{n:06d}",
                )
            )
        PipelineEntry.objects.bulk_create(pipeline, batch_size=2000)

    def _registrations(self, vendor, now, products, prospects, resellers, routes, registrants):
        """Resellers of very different sizes, states by STATE_SHARES, and a few deals registering a
        prospect another deal already claims (the domain conflicts of real life)."""
        rng = self.rng
        today = timezone.localdate(now)
        weights = [1 / math.sqrt(n + 1) for n in range(len(resellers))]
        states = [
            state for state, count in apportion(self.deal_count, STATE_SHARES).items() for _ in range(count)
        ]
        rng.shuffle(states)
        deals = []
        for n, state in enumerate(states):
            reseller = rng.choices(resellers, weights=weights)[0]
            fresh = n < len(prospects) and rng.random() >= 0.05  # else a prospect already claimed
            prospect = prospects[n] if fresh else rng.choice(prospects)
            deals.append(
                self._deal(vendor, n + 1, state, reseller, prospect, routes, registrants, now, today)
            )
        deals = Deal.objects.bulk_create(deals, batch_size=1000)
        DealNumberSequence.objects.create(vendor=vendor, last_number=len(deals))

        lines = []
        for deal in deals:
            for product in rng.sample(products, k=rng.choice([1, 1, 1, 2, 2, 3])):
                lines.append(
                    DealLine(deal=deal, product=product, quantity=rng.choice([50, 100, 250, 500, 1000, 2500]))
                )
        DealLine.objects.bulk_create(lines, batch_size=2000)
        lines_of = {}
        for line in lines:
            lines_of.setdefault(line.deal_id, []).append(line)

        return deals, lines_of

    def _protections(self, vendor, deals, lines_of) -> None:
        protections, protected = [], set()
        for deal in deals:
            if deal.state not in PROTECTED_STATES:
                continue
            for line in lines_of[deal.pk]:
                key = (deal.prospect_id, line.product_id)
                if key not in protected:  # one active protection per prospect and product
                    protected.add(key)
                    protections.append(
                        Protection(
                            vendor=vendor,
                            prospect_id=deal.prospect_id,
                            product_id=line.product_id,
                            deal=deal,
                            started_at=deal.approved_at,
                        )
                    )
        Protection.objects.bulk_create(protections, batch_size=2000)

    @staticmethod
    def _analyze() -> None:
        """Fresh planner statistics, as a database in use has: bulk-loaded tables look empty until then."""
        if connection.vendor != "postgresql":
            return
        models = (
            Vendor, User, Membership, PartnerOrganization, DistributorAgreement, Product, Territory, Prospect,
            PipelineEntry, Deal, DealLine, Protection, Quote, QuoteLine,
        )  # fmt: skip
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def _deal(self, vendor, number, state, reseller, prospect, routes, registrants, now, today) -> Deal:
        rng = self.rng
        distributor = rng.choice(routes[reseller.pk])
        deal = Deal(
            vendor=vendor,
            number=number,
            state=state,
            organization=reseller,
            distributor=distributor,
            hidden_from_distributor=rng.random() < 0.1,
            registered_by=rng.choice(registrants[reseller.pk]),
            created_at=now - rng.uniform(0, 200) * DAY,
            prospect=prospect,
            company_name=prospect.name,
            domain=prospect.domain,
            address_line1=prospect.address_line1,
            city=prospect.city,
            postal_code="62701",
            country=prospect.country,
            partner_contact_name="Pat Partner",
            partner_contact_email="pat@partner.invalid",
            partner_contact_phone="+1 201 555 0100",
            contact_first_name="Jane",
            contact_last_name="Buyer",
            contact_title="CIO",
            contact_email="jane.buyer@customer.invalid",
            contact_phone="+1 201 555 0199",
            contact_role=Deal.ContactRole.DECISION_MAKER,
            projected_value=Decimal(rng.randrange(5_000, 500_000, 500)),
            currency="USD",
            expected_close_date=today + timedelta(days=rng.randint(3, 200)),
            budget_status=rng.choice([Deal.BudgetStatus.APPROVED, Deal.BudgetStatus.PENDING]),
            authority="Jane Buyer, CIO",
            need="Replace an end-of-life antivirus on every laptop.",
            timeline="Purchase this quarter",
        )
        if state == S.DRAFT:
            return deal
        deal.submitted_at = now - rng.uniform(0, 6) * DAY
        deal.review_due_at = deal.submitted_at + rng.uniform(3, 5) * DAY  # some late, some due today
        if state in (S.SUBMITTED, S.INFO_REQUESTED, S.WITHDRAWN):
            return deal
        deal.decided_at = deal.submitted_at
        if state == S.REJECTED:
            deal.rejection_reason = "already_registered"
            deal.decision_note = "Another partner registered this prospect first."
            return deal
        # Approved once: protection ran from approval; clocked deals expire between two days ago and
        # sixty days from now, and went up to five weeks without a progress update.
        approved = now - rng.uniform(0, 62) * DAY
        if state in (S.EXPIRED, S.WON, S.LOST, S.REVOKED):
            approved = now - rng.uniform(63, 180) * DAY
        elif state == S.EXTENDED:
            approved = now - rng.uniform(30, 92) * DAY
            deal.extension_count = 1
        deal.submitted_at = min(deal.submitted_at, approved - DAY)
        deal.review_due_at = deal.submitted_at + 3 * DAY
        deal.approved_at = deal.decided_at = approved
        validity = 60 + (30 if state == S.EXTENDED else 0)
        deal.expires_at = approved + validity * DAY
        deal.last_progress_at = max(approved, now - rng.uniform(0, 35) * DAY)
        if state in (S.ORDERED, S.WON):
            deal.po_number = f"PO-{number:06d}"
        if state == S.LOST:
            deal.lost_reason = "The customer chose a competitor."
        if state == S.REVOKED:
            deal.revocation_reason = "stale"
            deal.decision_note = "No progress update within the program's limit."
        return deal

    def _quotes(self, vendor, deals, lines_of, tiers, resellers) -> None:
        program = Program.objects.get(vendor=vendor)
        quotes, quote_lines = [], []
        for deal in deals:
            if deal.state not in QUOTED_ONCE:
                continue
            tier = tiers.get(resellers[deal.organization_id].tier_id)
            points = tier.discount_points + program.reward_margin_points
            issued = deal.approved_at
            quote = Quote(
                deal=deal,
                sequence=1,
                currency="USD",
                issued_at=issued,
                issue_date=timezone.localdate(issued),
                valid_until=timezone.localdate(issued) + timedelta(days=program.quote_validity_days),
                tier_name=tier.name,
                tier_discount_points=tier.discount_points,
                reward_points=program.reward_margin_points,
                list_total=Decimal(0),
                net_total=Decimal(0),
                note="Issued on approval.",
            )
            for line in lines_of[deal.pk]:
                quote_line = priced_line(
                    quote=quote, product=line.product, quantity=line.quantity, discount_points=points
                )
                quote.list_total += quote_line.list_amount
                quote.net_total += quote_line.net_amount
                quote_lines.append(quote_line)
            quotes.append(quote)
        Quote.objects.bulk_create(quotes, batch_size=2000)
        for quote_line in quote_lines:
            quote_line.quote_id = quote_line.quote.pk
        QuoteLine.objects.bulk_create(quote_lines, batch_size=2000)
