"""The column spec (imports.columns): every column is read, written, updated and exported the same way on both paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection, transaction

from imports.columns import CHECK_ORDER, COLUMNS, FIELDS, HEADERS, KEY_HEADERS
from imports.csvfile import make_record
from imports.rows import UserRow, check_user_record
from imports.services import writers
from organizations.models import Membership
from profiles.models import EndUser, Identity
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

# A value in every column of the spec, with what COPY's text format must escape (tab, backslash, line breaks),
# JSON's quotes and backslashes in the tags, and text beyond ASCII.
EVERY_COLUMN = {
    "name": "  Ana   Souza-Ñúñez \\ ",
    "email": "Ana@Acme.example",
    "external_id": "crm\\1",
    "details": 'first line\nsecond\tline, a backslash \\ and "quotes"',
    "notes": "nota\r\nçã 日本",
    "phone": "+55 11 98765-4321",
    "role": "end-user",
    "organization": "Acme",
    "tags": 'vip b2b "quoted" back\\slash',
    "emails": "ana.souza@example.com | ana@work.example",
    "phones": "+55 11 3456-7890 | +55 21 2345-6789",
    "whatsapp": "+55 11 99876-5432",
    "messenger": "ana.messenger",
    "instagram": "@Ana.Souza",
    "x": "@ana_x",
    "telegram": "anasouza",
    "line": "ana-line",
    "sdk": "device-123",
    "other": "ana-other",
}


def test_the_sample_row_fills_every_column_of_the_spec():
    assert set(EVERY_COLUMN) == set(HEADERS)
    row = every_column_row()
    defaults = {name: EndUser._meta.get_field(name).get_default() for name in FIELDS}
    assert all(row.profile[name] not in (None, defaults[name]) for name in FIELDS)
    assert {identity.column for identity in row.identities} == {c.header for c in COLUMNS if c.kind}


def test_header_lists_and_check_order_are_derived_from_the_spec():
    assert HEADERS[:9] == ("name", "email", "external_id", "details", "notes", "phone", "role", "organization", "tags")
    assert KEY_HEADERS[:6] == ("external_id", "email", "emails", "phone", "phones", "whatsapp")
    assert [c.header for c in CHECK_ORDER][:3] == ["role", "name", "external_id"]
    assert CHECK_ORDER[-1].header == "organization"


def test_every_column_is_documented():
    documented = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text()
    assert [header for header in HEADERS if f"`{header}`" not in documented] == []


def test_every_profile_column_is_written_as_checked():
    organization = OrganizationFactory(name="Acme")
    row = every_column_row()
    writers.insert_profiles([row], [[(organization.pk, True)]])
    user = EndUser.objects.get()
    assert {name: getattr(user, name) for name in FIELDS} == row.profile
    assert user.name == "Ana Souza-Ñúñez \\" and sorted(user.tags) == sorted(['"quoted"', "b2b", "back\\slash", "vip"])
    expected, kinds = [], set()
    for identity in row.identities:  # the first of each kind is primary
        expected.append((identity.kind, identity.normalized, identity.kind not in kinds))
        kinds.add(identity.kind)
    assert sorted(Identity.objects.values_list("kind", "normalized", "is_primary")) == sorted(expected)
    assert Membership.objects.get().organization == organization


@pytest.mark.postgres
def test_copy_and_orm_paths_write_the_same_rows_for_every_column():
    organization = OrganizationFactory(name="Acme")
    by_copy = written(writers.insert_by_copy, organization.pk)
    by_orm = written(writers.insert_by_orm, organization.pk)
    assert by_copy == by_orm
    users, identities, memberships = by_copy
    assert len(users) == 1 and len(identities) == len(every_column_row().identities) and len(memberships) == 1


def every_column_row() -> UserRow:
    row = check_user_record(make_record(tuple(EVERY_COLUMN), 2, list(EVERY_COLUMN.values())))
    assert isinstance(row, UserRow), row
    return row


def written(insert, organization_id: int) -> tuple:
    """Every column of the rows `insert` writes for the sample row (ids and times aside), then rolled back."""
    with transaction.atomic():
        insert([every_column_row()], [[(organization_id, True)]])
        user = EndUser.objects.get()
        users = [_values(user, "id", "created_at", "updated_at")]
        identities = sorted(
            (_values(i, "id", "user_id", "created_at") for i in Identity.objects.all()), key=lambda v: v["normalized"]
        )
        memberships = [_values(m, "id", "user_id", "created_at") for m in Membership.objects.all()]
        assert connection.vendor == "postgresql"
        transaction.set_rollback(True)
    return users, identities, memberships


def _values(instance, *leave_out: str) -> dict:
    """Every concrete column of `instance` as loaded from the database (generated ones included)."""
    fields = instance._meta.concrete_fields
    return {f.attname: getattr(instance, f.attname) for f in fields if f.attname not in leave_out}
