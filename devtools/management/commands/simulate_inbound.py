"""`manage.py simulate_inbound --count N [--seed S]`: channel connectors posting a realistic mix, for demos.

Each simulated message goes through `record_contact()` — the service behind
`POST /api/inbound/` — in its own transaction, as a connector's request would.
The mix (see devtools.simulation) has returning customers, known email
addresses, new numbers, callers giving an email another profile owns, new
emails and handles, and redeliveries. Prints what happened: contacts recorded,
replays, profiles created, conflicts, and contacts per channel.
"""

from __future__ import annotations

import logging
import random
import secrets
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.simulation import auto_assign_domains, known_contact_points, simulated_deliveries
from intake.services.contacts import record_contact
from profiles.errors import InvalidContact

MAX_COUNT = 1_000_000


class Command(BaseCommand):
    help = (
        "Post a realistic mix of inbound contacts (returning customers, new numbers, known emails, redeliveries) "
        "through the intake service and print a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100, help="How many messages to deliver (default 100).")
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed: the same seed and data give the same mix."
        )

    def handle(self, *args, count: int, seed: int | None, **options) -> None:
        if not 1 <= count <= MAX_COUNT:
            raise CommandError(f"--count must be between 1 and {MAX_COUNT:,} (got {count}).")
        if seed is None:
            seed = secrets.randbelow(1_000_000)
        run = secrets.token_hex(3)
        known = known_contact_points(random.Random(seed), size=min(count, 5_000))
        deliveries = simulated_deliveries(
            count=count, seed=seed, run=run, known=known, org_domains=auto_assign_domains()
        )
        intake_log = logging.getLogger("intake.services.contacts")
        level = intake_log.level
        if options["verbosity"] < 2:
            # One log line per duplicate signal is right for a server, noise for a demo; -v 2 shows them.
            intake_log.setLevel(logging.WARNING)
        started = time.perf_counter()
        by_channel: Counter[str] = Counter()
        by_scenario: Counter[str] = Counter()
        created = replays = new_profiles = conflicts = 0
        refused: list[str] = []
        try:
            for delivery in deliveries:
                by_scenario[delivery.scenario] += 1
                try:
                    result = record_contact(**delivery.arguments())
                except InvalidContact as invalid:
                    refused.append(f"{delivery.channel} {delivery.contact_point!r}: {invalid.message}")
                    continue
                if result.replay:
                    replays += 1
                    continue
                created += 1
                by_channel[delivery.channel] += 1
                new_profiles += result.created_user
                conflicts += len(result.conflicts)
        finally:
            intake_log.setLevel(level)
        seconds = time.perf_counter() - started
        self._report(count, seed, run, seconds, created, replays, new_profiles, conflicts, by_channel, by_scenario)
        if refused:
            self.stdout.write(self.style.WARNING(f"Refused {len(refused)} message(s):"))
            for line in refused[:10]:
                self.stdout.write(f"  {line}")

    def _report(
        self,
        count: int,
        seed: int,
        run: str,
        seconds: float,
        created: int,
        replays: int,
        new_profiles: int,
        conflicts: int,
        by_channel: Counter[str],
        by_scenario: Counter[str],
    ) -> None:
        write = self.stdout.write
        write(f"Simulated {count:,} inbound messages (seed {seed}, run {run}) in {seconds:.1f} s:")
        write(f"  {'contacts recorded':<30}{created:>8,}")
        write(f"  {'replays (redeliveries)':<30}{replays:>8,}")
        write(f"  {'profiles created':<30}{new_profiles:>8,}")
        write(f"  {'conflicts (duplicate signals)':<30}{conflicts:>8,}")
        write("Contacts per channel:")
        for channel, number in sorted(by_channel.items(), key=lambda item: (-item[1], item[0])):
            write(f"  {channel:<30}{number:>8,}")
        write("Messages per scenario:")
        for scenario, number in sorted(by_scenario.items(), key=lambda item: (-item[1], item[0])):
            write(f"  {scenario:<30}{number:>8,}")
