"""Conflict detection: is this prospect already registered by another partner, or worked by the vendor?

A registration is compared, within its vendor only, with
- the live registrations of other partner organisations (submitted up to ordered), through their
  prospect: the same registrable domain, or a company name at least as similar as the program's
  `name_similarity_threshold`;
- the vendor's own pipeline (active PipelineEntry rows): the same domain or a similar name.

A match conflicts when it covers a product of this registration (a pipeline entry without a product
covers the whole account). Names are compared with PostgreSQL's pg_trgm `similarity()` (GIN indexes in
migration deals/0003); on SQLite (the embedded demo) the same comparison runs in Python with difflib.
Partners are told only *that* a conflict exists; channel managers see every match with its score.
"""

import difflib
from dataclasses import dataclass, field, replace

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django_scopes import scope

from ..models import (
    EDITABLE_STATES,
    LIVE_STATES,
    OPEN_FOR_REVIEW,
    Deal,
    DealLine,
    DealState,
    PipelineEntry,
    Protection,
)
from .audience import Viewer

REGISTRATION = "registration"
PIPELINE = "pipeline"
BY_DOMAIN = "domain"
BY_NAME = "company name"

# pg_trgm's default `%` threshold: above it the indexed `%` operator narrows the candidates first.
PG_TRGM_DEFAULT_THRESHOLD = 0.3

PARTNER_CONFLICT_MESSAGE = "A registration for this prospect already exists"


@dataclass(frozen=True)
class Match:
    kind: str  # REGISTRATION or PIPELINE
    other: object  # the other Deal or PipelineEntry
    field: str  # BY_DOMAIN or BY_NAME: what matched
    score: float  # 1.0 for the same domain, else the name similarity (0..1)
    products: list = field(default_factory=list)  # products of this registration the match covers
    is_conflict: bool = False
    holds_protection: bool = False  # its active protection blocks approving this registration

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)

    @property
    def company_name(self) -> str:
        if self.kind == REGISTRATION:
            return self.other.prospect.name if self.other.prospect_id else self.other.company_name
        return self.other.company_name

    @property
    def domain(self) -> str:
        if self.kind == REGISTRATION:
            return self.other.prospect.domain if self.other.prospect_id else self.other.domain
        return self.other.domain

    @property
    def holder(self) -> str:
        """Who holds the match — for channel managers only, never shown to partners."""
        if self.kind == REGISTRATION:
            return self.other.organization.name
        return f"Vendor sales ({self.other.owner})" if self.other.owner else "Vendor sales"

    @property
    def reference(self) -> str:
        return self.other.deal_number if self.kind == REGISTRATION else (self.other.external_id or "—")

    @property
    def status(self) -> str:
        return (
            self.other.get_state_display() if self.kind == REGISTRATION else (self.other.stage or "Pipeline")
        )

    @property
    def explanation(self) -> str:
        matched = (
            "Same domain" if self.field == BY_DOMAIN else f"Similar company name ({self.score_percent}%)"
        )
        if self.products:
            return f"{matched}; overlapping products: {', '.join(p.name for p in self.products)}"
        if self.is_conflict:
            return f"{matched}; the whole account"
        return f"{matched}; no overlapping product"


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


def _threshold(deal) -> float:
    return float(deal.vendor.program.name_similarity_threshold)


def _identity(deal) -> tuple[str, str]:
    """The registrable domain and company name this registration claims."""
    prospect = deal.prospect if deal.prospect_id else None
    domain = (deal.domain or (prospect.domain if prospect else "")).strip().lower()
    name = (deal.company_name or (prospect.name if prospect else "")).strip()
    return domain, name


def _matching(queryset, *, domain_field: str, name_field: str, domain: str, name: str, threshold: float):
    """(object, field, score) for each row of `queryset` with the same domain or a similar name.

    PostgreSQL scores names in the query; SQLite scores the vendor's candidates in Python.
    """
    if not domain and not name:
        return []
    same_domain = Q(**{domain_field: domain}) if domain else Q(pk__in=[])
    if _on_postgres():
        if name:
            lowered = name.lower()
            queryset = queryset.annotate(
                lowered_name=Lower(name_field), name_score=TrigramSimilarity(Lower(name_field), lowered)
            )
            similar = Q(name_score__gte=threshold)
            if threshold >= PG_TRGM_DEFAULT_THRESHOLD:
                similar &= Q(lowered_name__trigram_similar=lowered)  # `%`: served by the GIN index
            rows = queryset.filter(same_domain | similar)
        else:
            rows = queryset.filter(same_domain)
        return [_scored(row, domain_field, domain, getattr(row, "name_score", 0.0)) for row in rows]
    results = []
    for row in queryset:
        score = _python_similarity(_path(row, name_field), name) if name else 0.0
        if (domain and _path(row, domain_field) == domain) or score >= threshold:
            results.append(_scored(row, domain_field, domain, score))
    return results


def _scored(row, domain_field, domain, name_score):
    if domain and _path(row, domain_field) == domain:
        return row, BY_DOMAIN, 1.0
    return row, BY_NAME, round(float(name_score or 0.0), 3)


def _path(obj, dotted: str):
    for part in dotted.split("__"):
        obj = getattr(obj, part, None) if obj is not None else None
    return obj or ""


def _python_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower().strip(), b.lower().strip()).ratio()


def find_conflicts(deal, *, product_ids=None) -> list[Match]:
    """Every registration of another partner and every pipeline entry that matches this deal's prospect.

    The deal's products are `product_ids` if given, else the lines being edited (`deal.pending_lines`,
    set on a form's unsaved candidate), else its saved lines. A deal without products yet conflicts
    with any match, since it may still add the matched products.
    """
    domain, name = _identity(deal)
    threshold = _threshold(deal)
    with scope(vendor=deal.vendor_id):
        pending = getattr(deal, "pending_lines", None)  # an unsaved candidate from the deal form
        if product_ids is None and pending is not None:
            own_products = {line.product_id: line.product for line in pending if line.product_id}
        elif product_ids is None:
            own_lines = (
                list(DealLine.objects.filter(deal_id=deal.pk).select_related("product")) if deal.pk else []
            )
            own_products = {line.product_id: line.product for line in own_lines}
        else:
            own_products = {pk: None for pk in product_ids}
        others = (
            # The prospect's vendor is the deal's, always; saying so lets PostgreSQL score only this
            # vendor's prospect names, not every tenant's (with a second vendor of 5,000 prospects in
            # the database, the benchmark's query went from 44 to 19 ms).
            Deal.objects.filter(
                vendor_id=deal.vendor_id, prospect__vendor_id=deal.vendor_id, state__in=LIVE_STATES
            )
            .exclude(organization_id=deal.organization_id)
            .exclude(pk=deal.pk)
            .select_related("organization", "prospect")
            .prefetch_related(Prefetch("lines", queryset=DealLine.objects.select_related("product")))
        )
        pipeline = PipelineEntry.objects.filter(vendor_id=deal.vendor_id, is_active=True).select_related(
            "product"
        )
        matches = []
        for other, matched_by, score in _matching(
            others, domain_field="prospect__domain", name_field="prospect__name",
            domain=domain, name=name, threshold=threshold,
        ):  # fmt: skip
            covered = [line.product for line in other.lines.all() if line.product_id in own_products]
            matches.append(
                Match(REGISTRATION, other, matched_by, score, covered, bool(covered) or not own_products)
            )
        for entry, matched_by, score in _matching(
            pipeline, domain_field="domain", name_field="company_name",
            domain=domain, name=name, threshold=threshold,
        ):  # fmt: skip
            if entry.product_id is None:
                covered, conflict = [p for p in own_products.values() if p is not None], True
            else:
                covered = [entry.product] if entry.product_id in own_products else []
                conflict = bool(covered) or not own_products
            matches.append(Match(PIPELINE, entry, matched_by, score, covered, conflict))
    return matches


@dataclass(frozen=True)
class ConflictNotice:
    """What the registering partner may know: that a conflict exists — never whose it is."""

    has_conflict: bool
    message: str = ""

    def __bool__(self):
        return self.has_conflict


def partner_conflict_notice(deal, *, product_ids=None, viewer: Viewer = Viewer.REGISTRANT) -> ConflictNotice:
    conflicts = [m for m in find_conflicts(deal, product_ids=product_ids) if m.is_conflict]
    if not conflicts:
        return ConflictNotice(False)
    products = sorted({p.name for m in conflicts for p in m.products})
    covered = f" for {', '.join(products)}" if products else ""
    advice = conflict_advice(deal, viewer)
    return ConflictNotice(True, f"{PARTNER_CONFLICT_MESSAGE}{covered}." + (f" {advice}" if advice else ""))


def conflict_advice(deal, viewer: Viewer) -> str:
    """What a conflict means for this reader now: the registrant may still submit until it has; the
    channel manager decides while it is under review; once decided there is nothing left to advise."""
    if deal.state in EDITABLE_STATES and viewer == Viewer.REGISTRANT:
        return "You can still submit; the channel manager decides which registration is protected."
    if deal.state == DealState.DRAFT:
        return "Once it is submitted, the channel manager decides which registration is protected."
    if deal.state in OPEN_FOR_REVIEW:
        if viewer == Viewer.REVIEWER:
            return "You decide which registration is protected."
        return "The channel manager decides which registration is protected."
    return ""


def protection_holders(deal) -> dict:
    """The other deals whose active protection covers a product of this deal at its prospect, each with
    those products: approving this deal would need the same protection, which the database refuses."""
    if deal.pk is None or not deal.prospect_id:
        return {}
    with scope(vendor=deal.vendor_id):
        rows = (
            Protection.objects.filter(
                prospect_id=deal.prospect_id,
                product_id__in=DealLine.objects.filter(deal_id=deal.pk).values("product_id"),
                ended_at__isnull=True,
            )
            .exclude(deal_id=deal.pk)
            .select_related("deal__organization", "product")
            .order_by("deal_id", "product__name")
        )
        holders: dict = {}
        for row in rows:
            holders.setdefault(row.deal, []).append(row.product)
    return holders


def review_matches(deal) -> list[Match]:
    """Every match for the channel manager, side by side: conflicts first, then the closest; a
    registration holding protection that blocks the approval is marked."""
    holder_ids = {holder.pk for holder in protection_holders(deal)}
    matches = [
        replace(m, holds_protection=True) if m.kind == REGISTRATION and m.other.pk in holder_ids else m
        for m in find_conflicts(deal)
    ]
    return sorted(matches, key=lambda m: (not m.is_conflict, -m.score, m.kind, m.reference))
