"""Write the generated demo data set (devtools.demo_data) and reset the demo staff logins.

`load_demo_data()` writes everything in one transaction, so a failure leaves
nothing behind. On PostgreSQL the rows go in with COPY (psycopg 3) under a table
lock, with primary keys assigned here and the identity sequences moved past them
afterwards; on SQLite, the zero-setup demo, with bulk_create.
"""

from __future__ import annotations

import json
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from devtools.demo_data import (
    CONTACT_COLUMNS,
    DOMAIN_COLUMNS,
    IDENTITY_COLUMNS,
    MEMBERSHIP_COLUMNS,
    ORGANIZATION_COLUMNS,
    USER_COLUMNS,
    DemoData,
    FirstIds,
)
from organizations.models import Membership, Organization, OrganizationDomain
from profiles.errors import ProfileError
from profiles.models import Contact, EndUser, Identity
from zdusers.roles import ADMINS, AGENTS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db.models import Model

DEFAULT_SEED = 42
# (username, group, superuser): what `make run` prints every time.
DEMO_LOGINS = (("admin", ADMINS, True), ("agent", AGENTS, False))


class DemoDataPresent(ProfileError):
    """The database already has end users and the caller did not ask to add more."""

    def __init__(self, end_users: int) -> None:
        self.end_users = end_users
        super().__init__(f"The database already has {end_users:,} end users.")


@dataclass(frozen=True)
class DemoTable:
    label: str
    model: type[Model]
    columns: tuple[str, ...]  # the order of the generated tuples
    first_id: str  # the FirstIds field holding this table's first primary key
    json_columns: tuple[str, ...] = ()

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table


ORGANIZATIONS = DemoTable("organizations", Organization, ORGANIZATION_COLUMNS, "organization", ("tags",))
DOMAINS = DemoTable("organization domains", OrganizationDomain, DOMAIN_COLUMNS, "domain")
END_USERS = DemoTable("end users", EndUser, USER_COLUMNS, "user", ("tags",))
IDENTITIES = DemoTable("identities", Identity, IDENTITY_COLUMNS, "identity")
MEMBERSHIPS = DemoTable("memberships", Membership, MEMBERSHIP_COLUMNS, "membership")
CONTACTS = DemoTable("contacts", Contact, CONTACT_COLUMNS, "contact")
TABLES = (ORGANIZATIONS, DOMAINS, END_USERS, IDENTITIES, MEMBERSHIPS, CONTACTS)
# Time spent generating rows that did not overlap with the database's work.
WAITING_FOR_ROWS = "generating rows (Python)"
# Per end user, for the progress bars' totals (corrected to the real count at the end).
_ROWS_PER_USER = {END_USERS: 1.0, IDENTITIES: 2.1, MEMBERSHIPS: 0.8, CONTACTS: 3.0}


@dataclass
class LoadReport:
    """What was written: rows and seconds per table label, plus the Python generation and finishing steps."""

    engine: str
    users: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    def add(self, label: str, rows: int, seconds: float) -> None:
        self.rows[label] = self.rows.get(label, 0) + rows
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds


def load_demo_data(
    *,
    users: int,
    seed: int = DEFAULT_SEED,
    append: bool = False,
    progress: bool = False,
    chunk_size: int = 20_000,
    now: datetime | None = None,
) -> LoadReport:
    """Generate `users` end users with their organizations, identities, memberships and contacts, and write them.

    Guarantees: all rows or none (one transaction); every database constraint holds,
    also next to rows already present with `append=True`; later inserts by the
    application get fresh primary keys. Refuses with `DemoDataPresent` when end
    users exist and `append` is false, checked under the same lock as the load.
    """
    if users < 1:
        raise ProfileError(f"The demo data needs at least 1 end user (got {users}).")
    started = time.perf_counter()
    writer: _Writer = _PostgresWriter() if connection.vendor == "postgresql" else _SQLiteWriter()
    report = LoadReport(engine=connection.vendor, users=users, seed=seed)
    with transaction.atomic():
        writer.prepare()
        existing = EndUser.objects.count()
        if existing and not append:
            raise DemoDataPresent(existing)
        first_ids = writer.first_ids()
        data = DemoData(
            users=users,
            seed=seed,
            now=now or timezone.now(),
            first_ids=first_ids,
            fresh=existing == 0,
            taken_org_names=frozenset(Organization.objects.values_list("name", flat=True)),
            taken_domains=frozenset(OrganizationDomain.objects.values_list("domain", flat=True)),
        )
        report.add(WAITING_FOR_ROWS, 0, time.perf_counter() - started)
        _timed_write(writer, report, ORGANIZATIONS, data.organizations)
        _timed_write(writer, report, DOMAINS, data.domains)
        _write_profiles(writer, report, data, chunk_size, progress)
        tick = time.perf_counter()
        written = {table: getattr(first_ids, table.first_id) + report.rows[table.label] - 1 for table in TABLES}
        writer.finish({table: last for table, last in written.items() if report.rows[table.label]})
        report.add("sequences", 0, time.perf_counter() - tick)
        tick = time.perf_counter()
    report.add("commit", 0, time.perf_counter() - tick)
    tick = time.perf_counter()
    writer.after_commit()
    report.add("analyze", 0, time.perf_counter() - tick)
    report.total_seconds = time.perf_counter() - started
    return report


@transaction.atomic
def reset_demo_logins() -> list[tuple[str, str]]:
    """Create or reset the staff logins `admin` (superuser, Admins) and `agent` (Agents).

    Each gets a new random password, which is returned as (username, password)
    pairs and stored nowhere else; previous passwords stop working.
    """
    groups = {group.name: group for group in Group.objects.filter(name__in=[ADMINS, AGENTS])}
    missing = sorted({ADMINS, AGENTS} - set(groups))
    if missing:
        raise ProfileError(f"The group(s) {', '.join(missing)} do not exist; run `python manage.py migrate` first.")
    logins = []
    for username, group_name, superuser in DEMO_LOGINS:
        user = User.objects.select_for_update().filter(username=username).first() or User(username=username)
        user.is_staff, user.is_superuser, user.is_active = True, superuser, True
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        user.groups.set([groups[group_name]])
        logins.append((username, password))
    return logins


def _write_profiles(writer: _Writer, report: LoadReport, data: DemoData, chunk_size: int, progress: bool) -> None:
    tables = (END_USERS, IDENTITIES, MEMBERSHIPS, CONTACTS)
    bars = {
        table: tqdm(
            total=round(data.users * _ROWS_PER_USER[table]),
            desc=f"{table.label:<12}",
            unit=" rows",
            unit_scale=True,
            position=position,
            disable=not progress,
            mininterval=0.5,
        )
        for position, table in enumerate(tables)
    }
    chunks = data.chunks(chunk_size)
    # The next chunk is generated in a thread while this one is copied: the database works on one core and
    # Python on the other (the generator never touches the database, and one thread keeps it deterministic).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-rows") as generator:
        try:
            upcoming = generator.submit(next, chunks, None)
            while True:
                tick = time.perf_counter()
                chunk = upcoming.result()
                report.add(WAITING_FOR_ROWS, 0, time.perf_counter() - tick)
                if chunk is None:
                    break
                upcoming = generator.submit(next, chunks, None)
                for table, rows in zip(
                    tables, (chunk.users, chunk.identities, chunk.memberships, chunk.contacts), strict=True
                ):
                    _timed_write(writer, report, table, rows)
                    bars[table].update(len(rows))
        finally:
            for bar in bars.values():
                bar.total = bar.n  # the totals were estimates
                bar.close()


def _timed_write(writer: _Writer, report: LoadReport, table: DemoTable, rows: Sequence[tuple]) -> None:
    tick = time.perf_counter()
    if rows:
        writer.write(table, rows)
    report.add(table.label, len(rows), time.perf_counter() - tick)


class _Writer(Protocol):
    def prepare(self) -> None: ...
    def first_ids(self) -> FirstIds: ...
    def write(self, table: DemoTable, rows: Sequence[tuple]) -> None: ...
    def finish(self, last_ids: dict[DemoTable, int]) -> None: ...
    def after_commit(self) -> None: ...


class _PostgresWriter:
    """COPY FROM STDIN with explicit primary keys; sequences set past them at the end."""

    def prepare(self) -> None:
        with connection.cursor() as cursor:
            # The primary keys are assigned here, not by the sequences: keep other writers out until commit.
            tables = ", ".join(connection.ops.quote_name(table.db_table) for table in TABLES)
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at COMMIT, millions of
            # queued checks would pile up in memory. Check them at the end of each COPY instead.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def first_ids(self) -> FirstIds:
        # Past both the highest id and the sequence: a sequence can be ahead after deletes or rollbacks.
        values = {}
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(
                    "SELECT GREATEST(COALESCE(MAX(id), 0),"
                    " COALESCE(pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass), 0)) + 1"
                    f" FROM {connection.ops.quote_name(table.db_table)}",
                    [table.db_table],
                )
                values[table.first_id] = cursor.fetchone()[0]
        return FirstIds(**values)

    def write(self, table: DemoTable, rows: Sequence[tuple]) -> None:
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.db_table), sql.SQL(", ").join(map(sql.Identifier, table.columns))
        )
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)

    def finish(self, last_ids: dict[DemoTable, int]) -> None:
        with connection.cursor() as cursor:
            for table, last_id in last_ids.items():
                # setval(seq, n) makes the next nextval() return n + 1; first_ids() started past the sequence.
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table.db_table, last_id])

    def after_commit(self) -> None:
        # Fresh statistics, so the planner picks the indexes right away on a big load.
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table.db_table)}")


class _SQLiteWriter:
    """bulk_create in batches; the transaction (IMMEDIATE on this project) already keeps other writers out."""

    def prepare(self) -> None:
        pass

    def first_ids(self) -> FirstIds:
        values = {}
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(table.db_table)}")
                values[table.first_id] = cursor.fetchone()[0]
        return FirstIds(**values)

    def write(self, table: DemoTable, rows: Sequence[tuple]) -> None:
        model, columns = table.model, table.columns
        json_columns = table.json_columns
        objects = []
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            for name in json_columns:
                values[name] = json.loads(values[name])
            objects.append(model(**values))
        model.objects.bulk_create(objects, batch_size=500)
        # bulk_create lets auto_now/auto_now_add overwrite the generated timestamps; put them back.
        stamps = [
            name
            for name in columns
            if getattr(model._meta.get_field(name), "auto_now", False)
            or getattr(model._meta.get_field(name), "auto_now_add", False)
        ]
        if not stamps:
            return
        qn, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
        positions = [columns.index(name) for name in stamps]
        assignments = ", ".join(f"{qn(name)} = %s" for name in stamps)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {qn(table.db_table)} SET {assignments} WHERE id = %s",
                [[adapt(row[p]) for p in positions] + [row[0]] for row in rows],
            )

    def finish(self, last_ids: dict[DemoTable, int]) -> None:
        pass  # AUTOINCREMENT continues after the highest id by itself

    def after_commit(self) -> None:
        pass
