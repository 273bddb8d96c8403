"""The options of `python -m bench` (a Django command object, not registered in any app: see bench/)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .benchmark import Benchmark, BenchmarkRefused, format_table

RESULTS = Path(__file__).resolve().parent / "results.json"
# The options handed to Benchmark, with the least value each accepts (None: any).
LEAST = {"deals": 20, "prospects": 1, "pipeline": 0, "repeat": 1, "approvals": 1, "seed": None}


class Command(BaseCommand):
    help = (
        "Builds a throwaway vendor with realistic volume, measures what the pages and jobs run (the review "
        "page's rules and conflict detection, the list and detail selectors, the pages through the test "
        "client, approvals, the periodic jobs and outbox delivery: milliseconds and queries), prints a "
        "table of figures and deletes its data. Run it against a database of its own, e.g. "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench (make bench)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--deals", type=int, default=5000, help="Registrations to create (default 5000).")
        parser.add_argument(
            "--prospects", type=int, default=None, help="Prospects to create (default: as many as deals)."
        )
        parser.add_argument(
            "--pipeline",
            type=int,
            default=None,
            help="Vendor pipeline entries (default: a fifth of prospects).",
        )
        parser.add_argument("--repeat", type=int, default=30, help="Samples per latency figure (default 30).")
        parser.add_argument(
            "--approvals", type=int, default=200, help="Registrations to approve (default 200)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generated data (default 1).")
        parser.add_argument(
            "--json",
            dest="json_path",
            type=Path,
            default=RESULTS,
            help="Where to write the figures as JSON (default bench/results.json).",
        )

    def handle(self, *args, json_path: Path, **options):
        settings = {name: options[name] for name in LEAST}
        for name, least in LEAST.items():
            if least is not None and settings[name] is not None and settings[name] < least:
                raise CommandError(f"--{name} must be at least {least}.")

        def progress(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        benchmark = Benchmark(**settings, progress=progress)
        try:
            figures = benchmark.run()
        except BenchmarkRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(format_table(benchmark.header, figures))
        write_results(json_path, benchmark.results())
        self.stdout.write(f"Figures written to {json_path}.")
        self.stdout.write(self.style.SUCCESS(f"Done; {benchmark.slug} and its data were removed."))


def write_results(path: Path | str, results: dict) -> None:
    Path(path).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
