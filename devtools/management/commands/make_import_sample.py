"""`python manage.py make_import_sample FILE --rows N`: an end-user CSV of new people, to measure imports."""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.csvfile import USER_COLUMNS

FIRST = ["Ana", "João", "Maria", "Pedro", "Luiza", "Carlos", "Fernanda", "Rafael", "Beatriz", "Lucas", "Juliana"]
LAST = ["Souza", "Silva", "Oliveira", "Santos", "Pereira", "Lima", "Costa", "Ribeiro", "Almeida", "Gomes"]
DOMAINS = ["example.com", "example.org", "example.net", "acme.example", "globex.example"]
TAGS = ["vip", "newsletter", "b2b", "trial", "churn-risk", "beta"]


class Command(BaseCommand):
    help = "Write an end-user import file of N new people (email, phone, tags; a tenth in organizations)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--rows", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="imp", help="distinguishes the emails and ids of different files")

    def handle(self, *args, file: str, rows: int, seed: int, prefix: str, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1.")
        rng = random.Random(seed)
        with Path(file).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(USER_COLUMNS)
            for n in range(rows):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                local = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode().lower()
                # Unique numbers: +55 11 9xxxx-xxxx with n spread over the 8 digits.
                phone = f"+55 11 9{n // 10000 % 10000:04d}-{n % 10000:04d}"
                writer.writerow(
                    [
                        f"{first} {last}",
                        f"{local}.{prefix}{n}@{rng.choice(DOMAINS)}",
                        f"{prefix}-{n}",
                        "",
                        "",
                        phone,
                        "end-user",
                        f"Org {n % 50}" if n % 10 == 0 else "",
                        " ".join(rng.sample(TAGS, rng.randint(0, 2))),
                    ]
                )
        self.stdout.write(f"Wrote {rows:,} rows to {file}.")
