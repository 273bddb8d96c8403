"""Reads: what the pages, jobs and the benchmark show. lists (deal lists, search, the approval queue and
its review SLA), detail (the deal and review pages), quotes (quote page and panel), lifecycle (clocks,
extension panel, expiring registrations)."""
