"""Writes: every change of a deal, each in one transaction on the kernel (lock, check, run, record).

kernel (shared steps), registration (draft, co-sell, files, submit, withdraw), review (decisions and
extensions), lifecycle (expiry, updates, extension requests, lost), quotes, orders (and the renewal),
notices (who hears about a deal event), pipeline (the vendor's CRM import).
"""
