"""The benchmark (`python -m bench`) at a tiny size: it prints every figure and leaves nothing behind.

Correctness only — the figures themselves are timings and are never asserted.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from bench.benchmark import BENCH_SLUG_PREFIX, ROW_LABELS
from bench.command import Command
from deals.models import Deal, Prospect
from notifications.models import OutboxEmail
from partners.models import User, Vendor
from tests.factories import VendorFactory

# Real commits: approvals notify after their transaction commits, as they do in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def results(tmp_path):
    """Where a run writes its JSON (never the committed bench/results.json)."""
    return tmp_path / "results.json"


def run_benchmark(results, **options) -> str:
    out = StringIO()
    call_command(Command(), stdout=out, json_path=results, **options)
    return out.getvalue()


def table_rows(output: str) -> dict[str, list[str]]:
    """The figures table, by measurement: {label: [result, queries, notes]}."""
    rows = {}
    for line in output.splitlines():
        if line.startswith("| ") and not line.startswith("| Measurement"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def test_it_prints_a_figure_for_every_measurement_and_removes_its_data(results):
    output = run_benchmark(results, deals=20, repeat=2, approvals=2)

    rows = table_rows(output)
    assert list(rows) == list(ROW_LABELS)
    for label, (result, queries, _notes) in rows.items():
        assert result, f"{label} has no result"
        assert queries, f"{label} has no query count"
    assert "[1/9] Setting up bench-" in output  # progress, a line per step
    assert "[9/9] Removing bench-" in output
    with scopes_disabled():
        assert not Vendor.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).exists()
        assert not User.objects.filter(email__contains=f"@{BENCH_SLUG_PREFIX}").exists()
        assert not Deal.objects.exists()
        assert not Prospect.objects.exists()
        assert not OutboxEmail.objects.exists()

    # The same figures as JSON: one entry per printed row, in order, with the machine and the sizes.
    written = json.loads(results.read_text(encoding="utf-8"))
    assert [row["label"] for row in written["rows"]] == list(rows)
    for row in written["rows"]:
        assert {"label", "result", "p50_ms", "p95_ms", "queries", "note"} <= row.keys()
        assert row["result"] == rows[row["label"]][0]
    assert {"cpus", "load_average"} <= written["machine"].keys()
    assert written["sizes"]["deals"] == 20
    assert written["date"]


def test_it_refuses_a_database_holding_real_vendors_and_touches_nothing(results):
    VendorFactory(name="Acme Software", slug="acme")

    with pytest.raises(CommandError, match="vendors other than benchmark ones"):
        run_benchmark(results, deals=20, repeat=1, approvals=1)

    assert list(Vendor.objects.values_list("slug", flat=True)) == ["acme"]
    assert not results.exists()


def test_it_refuses_sizes_too_small_to_measure(results):
    with pytest.raises(CommandError, match="--deals must be at least 20"):
        run_benchmark(results, deals=5)
