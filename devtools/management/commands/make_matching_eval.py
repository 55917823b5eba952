"""`manage.py make_matching_eval`: (re)write the labeled evaluation set of duplicate detection.

Deterministic: the same seed always writes the same bytes, so the committed
`devtools/matching_eval/profiles.jsonl` can be regenerated and compared.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.matching_eval import DATA_FILE, DEFAULT_SEED
from devtools.matching_eval.generate import dumps, generate


class Command(BaseCommand):
    help = (
        "Generate the synthetic, labeled profiles that `evaluate_matching` scores duplicate detection on "
        "(one JSON object per line; profiles of one 'group' are one person)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed: the same seed gives the same file (default {DEFAULT_SEED}, the committed set).",
        )
        parser.add_argument(
            "--out", type=Path, default=DATA_FILE, help=f"File to write (default {DATA_FILE.name} in the package)."
        )

    def handle(self, *args, seed: int, out: Path, **options) -> None:
        if not out.parent.is_dir():
            raise CommandError(f"Cannot write {out}: the directory {out.parent} does not exist.")
        if out.is_dir():
            raise CommandError(f"Cannot write {out}: it is a directory.")
        records = generate(seed)
        try:
            out.write_text(dumps(records), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        groups = Counter(record["group"] for record in records)
        pairs = sum(size * (size - 1) // 2 for size in groups.values())
        self.stdout.write(
            f"Wrote {len(records):,} profiles of {len(groups):,} people ({pairs:,} true duplicate pairs) "
            f"to {out} (seed {seed})."
        )
        for scenario, count in sorted(Counter(record["scenario"] for record in records).items()):
            self.stdout.write(f"  {scenario:<28} {count:>5} profiles")
