"""`python manage.py bench_anchor`: zdusers' pages against the hand-tuned Django admin, ratio for ratio, in one run.

The anchor (`../shared/anchors/django-admin-baseline/`, a copy of it, or `--anchor-dir`) is a
stock Django project over the same kind of data (1M end users, 2M identities) in its own
PostgreSQL database `anchor_admin` (load it once with its README's steps: `migrate`,
`load_pg.py`, and the trigram index its "tuned" figures use). For each of its six cases,
round after round, this command runs the anchor's own `bench.py` (tuned site, that case,
in a subprocess with this interpreter) and then zdusers' paired operations (`bench`'s,
on the current database: `seed_demo --users 1000000`), so both sides see the same machine
load. Each side's p95 is the median of its rounds' p95s; the ratio is zdusers ÷ anchor
(≤ 1.0 means zdusers is at least as fast). Prints a Markdown table and, with `--json`, the figures.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.management.commands.bench import _measure, _operations, _samples, _staff_client

DEFAULT_ANCHOR = Path(settings.BASE_DIR).parent / "shared" / "anchors" / "django-admin-baseline"
# The anchor's case number, what it measures, and zdusers' operations (bench's names) that do the same.
CASES = [
    ("1", "list, first page", ["directory_page_first", "admin_enduser_list"]),
    ("2", "deep page (offset about 500,000)", ["directory_page_deepest", "admin_enduser_list_deep"]),
    ("3", "exact email", ["directory_search_email", "admin_enduser_search_email"]),
    ("4", "name fragment", ["directory_search_name", "admin_enduser_search_name"]),
    ("5", "one organization", ["directory_by_organization", "admin_enduser_by_organization"]),
    ("6", "one profile", ["profile_page", "admin_enduser_change_page"]),
]


class Command(BaseCommand):
    help = "Time zdusers' pages and the tuned Django admin anchor, interleaved, and print p95 ratios."

    def add_arguments(self, parser):
        parser.add_argument("--anchor-dir", type=Path, default=DEFAULT_ANCHOR, help="the anchor project's folder")
        parser.add_argument("--rounds", type=int, default=3, help="alternations per case (default 3)")
        parser.add_argument("--runs", type=int, default=20, help="timed requests per side and round (default 20)")
        parser.add_argument("--cases", default="1,2,3,4,5,6", help="anchor case numbers to run")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print the figures as JSON after the table"
        )

    def handle(self, *args, anchor_dir: Path, rounds: int, runs: int, cases: str, as_json: bool, **options):
        if rounds < 1 or runs < 1:
            raise CommandError("--rounds and --runs must be at least 1.")
        bench_script = anchor_dir / "bench.py"
        if not bench_script.is_file():
            raise CommandError(f"No anchor at {anchor_dir} (bench.py not found); pass --anchor-dir.")
        wanted = {case.strip() for case in cases.split(",") if case.strip()}
        unknown = wanted - {number for number, _, _ in CASES}
        if unknown:
            raise CommandError(f"Unknown case(s): {', '.join(sorted(unknown))}; the anchor has cases 1 to 6.")
        rng = random.Random(7)
        samples = _samples(rng, size=max(runs, 10))
        if not samples["emails"]:
            raise CommandError("There are no end users to measure; run `manage.py seed_demo --users 1000000` first.")
        operations = _operations(_staff_client(), samples)
        figures = []
        for number, label, ours in CASES:
            if number not in wanted:
                continue
            anchor_p95, our_p95 = [], {name: [] for name in ours if name in operations}
            for _ in range(rounds):
                anchor_p95.append(self._anchor_p95(bench_script, number, runs))
                for name in our_p95:
                    our_p95[name].append(_measure(operations[name], runs=runs, rng=rng)["p95_ms"])
            anchor = statistics.median(anchor_p95)
            for name, values in our_p95.items():
                ours_ms = statistics.median(values)
                figures.append(
                    {"case": f"{number} {label}", "anchor_p95_ms": anchor, "operation": name, "p95_ms": ours_ms}
                )
                figures[-1]["ratio"] = round(ours_ms / anchor, 2)
        self._table(figures, rounds, runs)
        if as_json:
            self.stdout.write(json.dumps(figures, indent=2))

    def _anchor_p95(self, bench_script: Path, case: str, runs: int) -> float:
        command = [sys.executable, str(bench_script), "--sites", "tuned", "--cases", case, "--reps", str(runs)]
        environment = {**os.environ, "ANCHOR_DB": "pg", "PYTHONDONTWRITEBYTECODE": "1"}
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run(
            [*command, "--warmup", "3"], cwd=bench_script.parent, env=environment, capture_output=True, text=True
        )
        if done.returncode != 0:
            last_line = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise CommandError(f"The anchor's bench.py failed on case {case}: {last_line}")
        results = json.loads(done.stdout)["results"]["tuned"]
        return next(iter(results.values()))["p95_ms"]

    def _table(self, figures: list[dict], rounds: int, runs: int) -> None:
        write = self.stdout.write
        write(f"p95 ms, median of {rounds} interleaved rounds of {runs} requests; ratio = zdusers / tuned admin")
        write("")
        write("| case | tuned admin | zdusers operation | zdusers | ratio |")
        write("|---|---|---|---|---|")
        for row in figures:
            write(
                f"| {row['case']} | {row['anchor_p95_ms']:.1f} | `{row['operation']}` | {row['p95_ms']:.1f} "
                f"| {row['ratio']:.2f} |"
            )
