"""`python manage.py import_users FILE [--dry-run] [--organizations] [--no-create-organizations] [--actor USERNAME]
[--phone-region XX]`."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from tqdm import tqdm

from imports.models import ImportKind, ImportStatus
from imports.selectors import job_problems, job_warnings
from imports.services.jobs import create_command_job, finish_dry_run, run_stream
from profiles.identities import phone_region
from zdusers.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import end users (or, with --organizations, organizations) from a CSV file in Zendesk's format. "
        "With --dry-run nothing is written: the summary says what would happen, and the history lists the run "
        "as a dry run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file (UTF-8, comma or semicolon separated, with a header)")
        parser.add_argument("--dry-run", action="store_true", help="preview only: report what would change")
        parser.add_argument("--organizations", action="store_true", help="the file holds organizations")
        parser.add_argument(
            "--no-create-organizations",
            action="store_true",
            help="refuse rows naming an organization that does not exist (default: create it)",
        )
        parser.add_argument("--actor", default="", help="username recorded as the importer in the history")
        setting = settings.ZDUSERS_DEFAULT_PHONE_REGION
        parser.add_argument(
            "--phone-region",
            metavar="XX",
            default="",
            help=(
                "the country numbers without a country code are read in, e.g. BR for (11) 98765-4321. Default: the "
                f"ZDUSERS_DEFAULT_PHONE_REGION setting, now {setting or 'unset (such numbers are invalid rows)'}. "
                "`make run` sets BR for the web server only, so pass it here to import a file as the UI does."
            ),
        )

    def handle(self, *args, file: str, dry_run: bool, organizations: bool, no_create_organizations: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        region, region_from = settings.ZDUSERS_DEFAULT_PHONE_REGION, "ZDUSERS_DEFAULT_PHONE_REGION"
        if options["phone_region"]:
            try:
                region, region_from = phone_region(options["phone_region"]), "--phone-region"
            except DomainError as error:
                raise CommandError(error.message) from None
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No staff user is called {options['actor']!r}.")
        size = path.stat().st_size
        job = create_command_job(
            file_name=path.name,
            file_size=size,
            kind=ImportKind.ORGANIZATIONS if organizations else ImportKind.USERS,
            create_organizations=not no_create_organizations,
            actor=actor,
        )
        show = options["verbosity"] > 0
        with (
            path.open("rb") as stream,
            tqdm(
                total=size, unit="B", unit_scale=True, disable=not show, desc="preview" if dry_run else "import"
            ) as bar,
        ):

            def progress(job):
                bar.update(job.bytes_read - bar.n)
                bar.set_postfix(rows=job.rows_read, refresh=False)

            with override_settings(ZDUSERS_DEFAULT_PHONE_REGION=region):  # what every row check reads
                job = run_stream(job=job, stream=stream, apply=not dry_run, progress=progress)
            bar.update(job.bytes_read - bar.n)
        if dry_run:
            job = finish_dry_run(job)
        self._summary(job, dry_run)
        if region:
            self.stdout.write(f"  Numbers without a country code were read as {region} ({region_from}).")
        else:
            self.stdout.write("  Numbers without a country code need one: no phone region is set (--phone-region XX).")
        if job.status == ImportStatus.FAILED:
            where = f" Every row up to line {job.last_line_committed} is applied." if job.last_line_committed else ""
            raise CommandError(f"{job.error}{where} (import #{job.pk})")

    def _summary(self, job, dry_run: bool) -> None:
        for warning in job.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        verb = ("would be created", "would be updated") if dry_run else ("created", "updated")
        lines = [
            f"Import #{job.pk} of {job.file_name}: {job.rows_read:,} rows read"
            + (" (dry run: nothing written)." if dry_run else "."),
            f"  {job.created:,} {verb[0]}, {job.updated:,} {verb[1]}, {job.unchanged:,} unchanged, "
            f"{job.conflicts:,} conflicts, {job.invalid:,} invalid.",
        ]
        if job.warned:
            lines.append(f"  {job.warned:,} {'would be ' if dry_run else ''}applied with a warning (listed below).")
        if job.kind == ImportKind.USERS and job.organizations_created:
            lines.append(f"  {job.organizations_created:,} organizations {'would be ' if dry_run else ''}created.")
        self.stdout.write("\n".join(lines))
        # Refused rows first, then warnings under their own heading: those rows are applied all the same.
        for title, issues, total in (
            ("", list(job_problems(job)[:20]), job.conflicts + job.invalid),
            ("Warnings (these rows are applied):", list(job_warnings(job)[:20]), job.warned),
        ):
            if title and issues:
                self.stdout.write(f"  {title}")
            for issue in issues:
                column = f" [{issue.column}]" if issue.column else ""
                self.stdout.write(f"  line {issue.line}{column} {issue.kind}: {issue.message}")
            if total - len(issues) > 0:
                self.stdout.write(f"  … and more: the full report is on /imports/{job.pk}/.")
