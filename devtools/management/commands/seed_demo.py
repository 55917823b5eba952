"""`manage.py seed_demo`: a believable demo data set plus the demo staff logins, printed.

`make run` calls `seed_demo --if-empty` every time: the first run fills the
database, later runs keep the data and only reset the two logins' passwords, so
whoever starts the demo always sees credentials that work.
"""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.demo_loader import (
    DEFAULT_SEED,
    DemoDataPresent,
    LoadReport,
    load_demo_data,
    reset_demo_logins,
)
from zdusers.errors import DomainError

# From this size on a run takes long enough to deserve progress bars.
PROGRESS_FROM_USERS = 20_000


class Command(BaseCommand):
    help = (
        "Fill the database with demo end users, organizations, identities and contacts (PostgreSQL: COPY), "
        "then create or reset the staff logins 'admin' and 'agent' with new random passwords and print them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=300, help="Number of end users to create (default 300).")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed: the same seed gives the same data set (default {DEFAULT_SEED}).",
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--if-empty",
            action="store_true",
            help="When end users already exist, create nothing and only reset the demo logins.",
        )
        existing.add_argument("--append", action="store_true", help="Add the end users next to existing ones.")
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=f"Show progress bars (default: from {PROGRESS_FROM_USERS:,} users on).",
        )

    def handle(
        self, *args, users: int, seed: int, if_empty: bool, append: bool, progress: bool | None, **options
    ) -> None:
        if users < 1:
            raise CommandError(f"--users must be 1 or more (got {users}).")
        if progress is None:
            progress = users >= PROGRESS_FROM_USERS
        try:
            report = load_demo_data(users=users, seed=seed, append=append, progress=progress)
        except DemoDataPresent as present:
            if not if_empty:
                raise CommandError(
                    f"The database already has {present.end_users:,} end users; "
                    "use --if-empty to keep them or --append to add more."
                ) from None
            self.stdout.write(f"Demo data already present ({present.end_users:,} end users); demo logins reset:")
        except DomainError as error:
            raise CommandError(str(error)) from None
        else:
            self._print_report(report)
        try:
            logins = reset_demo_logins()
        except DomainError as error:
            raise CommandError(str(error)) from None
        self._print_logins(logins)

    def _print_report(self, report: LoadReport) -> None:
        self.stdout.write(
            f"Created {report.users:,} demo end users (seed {report.seed}) on {report.engine} "
            f"in {report.total_seconds:.1f} s:"
        )
        self.stdout.write(f"  {'table / step':<26}{'rows':>12}{'seconds':>10}")
        for label, seconds in report.seconds.items():
            rows = f"{report.rows[label]:,}" if report.rows.get(label) else ""
            self.stdout.write(f"  {label:<26}{rows:>12}{seconds:>10.2f}")
        self.stdout.write(f"  {'total':<26}{'':>12}{report.total_seconds:>10.2f}")

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        lines = ["Demo logins (staff; passwords are new on every run):"]
        lines += [f"  {username} / {password}" for username, password in logins]
        width = max(len(line) for line in lines) + 2
        self.stdout.write("┌" + "─" * width + "┐")
        for line in lines:
            self.stdout.write(self.style.SUCCESS(f"│ {line:<{width - 2}} │"))
        self.stdout.write("└" + "─" * width + "┘")
