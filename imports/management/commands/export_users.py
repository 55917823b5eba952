"""`python manage.py export_users [FILE] [--organizations]`: every live end user (or organization) as import CSV."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from imports.export import csv_lines, enduser_rows, organization_rows
from organizations.models import Organization
from profiles.models import EndUser


class Command(BaseCommand):
    help = "Export end users (or organizations) in the import format; `import_users` reads it back."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="where to write (default: standard output)")
        parser.add_argument("--organizations", action="store_true", help="export organizations instead")

    def handle(self, *args, file: str, organizations: bool, **options):
        rows = (
            organization_rows(Organization.objects.order_by("id"))
            if organizations
            else enduser_rows(EndUser.objects.order_by("id"))
        )
        if file == "-":
            for line in csv_lines(rows, bom=False):
                sys.stdout.write(line)
            return
        with Path(file).open("w", encoding="utf-8", newline="") as out:
            out.writelines(csv_lines(rows))
