"""Quotes: approval issues the first one (approved → quoted). Implemented with issue 4."""


def issue_first_quote(*, deal) -> None:
    """Hook called by deals.services.deal_approve inside the approving transaction."""
