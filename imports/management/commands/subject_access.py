"""`manage.py subject_access ID [--out FILE]`: everything the desk holds about one person, as JSON.

For a request under the LGPD, the GDPR or the LFPDPPP (imports/subject_access.py says what the
report gathers). Without --out the JSON goes to standard output.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.subject_access import subject_access_report
from profiles.models import EndUser


class Command(BaseCommand):
    help = "Write everything held about one end user (and the profiles merged into it) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user_id", type=int, help="The end user's id (a merged-away id reports its survivor).")
        parser.add_argument("--out", type=Path, help="Write the JSON to this file instead of standard output.")

    def handle(self, *args, user_id: int, out: Path | None, **options) -> None:
        user = EndUser.objects.filter(pk=user_id).first()
        if user is None:
            raise CommandError(f"No end user has the id {user_id}.")
        while user.merged_into_id is not None:  # the person's data now lives on the survivor
            user = EndUser.objects.get(pk=user.merged_into_id)
        text = json.dumps(subject_access_report(user), ensure_ascii=False, indent=2)
        if out is None:
            self.stdout.write(text)
            return
        if not out.parent.is_dir():
            raise CommandError(f"Cannot write {out}: the directory {out.parent} does not exist.")
        out.write_text(text + "\n", encoding="utf-8")
        self.stderr.write(f"Wrote the report on {user.name} (#{user.pk}) to {out}.")
