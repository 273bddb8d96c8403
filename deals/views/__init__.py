"""The deal pages, by area; each view finds its deal through deals.access, validates one form, calls one
service and shows its result or refusal (deals.views.common)."""
