"""Who reads a deal's checklist and conflict notice: the one place that decides the audience.

The rules judge a deal the same way for everyone; only their sentences change with the reader. The
registering organisation is addressed as "Your organisation" and told what it can still do; the
channel manager and the other partners on the deal (co-sell partners, the distributor) read the
registering organisation's name.
"""

from enum import StrEnum

from partners.permissions import Actor, Perm


class Viewer(StrEnum):
    REGISTRANT = "registrant"  # a member of the organisation that registers the deal
    REVIEWER = "reviewer"  # vendor staff who decide on it (the channel manager)
    OTHER = "other"  # anyone else who may see it: co-sell partners, the distributor, other vendor staff


def viewer_of(actor: Actor, deal) -> Viewer:
    """The audience this actor belongs to for this deal (saved, or a candidate from the form)."""
    organization_id = actor.membership.organization_id if actor.membership else None
    if organization_id is not None and organization_id == deal.organization_id:
        return Viewer.REGISTRANT
    if actor.has(Perm.REVIEW_DEALS):
        return Viewer.REVIEWER
    return Viewer.OTHER


def organisation_as(viewer: Viewer, organization) -> str:
    """The registering organisation as the subject of a sentence."""
    return "Your organisation" if viewer == Viewer.REGISTRANT else organization.name


def organisations(viewer: Viewer, organization) -> str:
    """The registering organisation's possessive: "Your organisation's", "Alpha Resellers'"."""
    subject = organisation_as(viewer, organization)
    return f"{subject}'" if subject.endswith("s") else f"{subject}'s"
