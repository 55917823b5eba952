"""`manage.py find_duplicates`: scan for duplicate profiles and fill the review queue.

Resumable: a scan that was interrupted (Ctrl-C, a killed process) continues where
it stopped when the same command runs again; `--restart` starts over.
"""

from __future__ import annotations

import time
from datetime import datetime
from datetime import time as day_start

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from organizations.models import Organization
from profiles.duplicates.scan import ScanProgress, scan

PHASE_LABELS = {"keys": "blocking keys", "pairs": "scoring blocks"}


class Command(BaseCommand):
    help = "Find profiles that may be the same customer and put them in the duplicates review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since", help="Only profiles created or changed since this date (YYYY-MM-DD or an ISO date-time)."
        )
        parser.add_argument("--org", type=int, help="Only members of the organization with this id.")
        parser.add_argument("--restart", action="store_true", help="Start over instead of resuming an unfinished scan.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars (for logs).")

    def handle(self, *args, since: str | None, org: int | None, restart: bool, no_progress: bool, **options) -> None:
        since_at = _parse_since(since) if since else None
        organization = None
        if org is not None:
            organization = Organization.objects.filter(pk=org).first()
            if organization is None:
                raise CommandError(f"--org {org}: no organization has this id.")
        bars: dict[str, tqdm] = {}

        def show(progress: ScanProgress) -> None:
            if no_progress:
                return
            bar = bars.get(progress.phase)
            if bar is None:
                bar = bars[progress.phase] = tqdm(
                    total=progress.total, desc=PHASE_LABELS[progress.phase], unit="", file=self.stderr._out
                )
            bar.update(progress.done - bar.n)

        started = time.perf_counter()
        try:
            run = scan(since=since_at, organization=organization, restart=restart, progress=show)
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(
            f"Scan #{run.pk} done in {time.perf_counter() - started:.1f} s: {run.profiles_keyed:,} profiles keyed, "
            f"{run.pairs_compared:,} pairs compared, {run.candidates_found:,} new candidates."
        )


def _parse_since(value: str) -> datetime:
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:  # well-formed but impossible, like 2026-02-30
        raise CommandError(f"--since {value!r}: no such date.") from None
    if moment is None:
        if day is None:
            raise CommandError(f"--since {value!r}: write a date as YYYY-MM-DD or an ISO date-time.")
        moment = datetime.combine(day, day_start.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
