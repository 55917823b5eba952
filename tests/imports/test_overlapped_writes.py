"""Big imports on PostgreSQL write each chunk on a second connection while the next one is planned.

These tests commit for real (the writer's connection cannot see a test's open
transaction) and force the overlap on files of two-row chunks.
"""

from __future__ import annotations

import pytest
from django.db import connection

from imports.services.users import import_users, open_user_file
from organizations.models import Membership, Organization
from profiles.models import EndUser, Identity
from tests.factories import EndUserFactory, IdentityFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HEADER = "name,email,external_id,details,notes,phone,role,organization,tags\n"


@pytest.fixture(autouse=True)
def _region(settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"


def run_overlapped(path, on_chunk=lambda outcome: None) -> list:
    outcomes = []

    def record(outcome):
        outcomes.append(outcome)
        on_chunk(outcome)

    with path.open("rb") as stream:
        import_users(source=open_user_file(stream), apply=True, chunk_size=2, on_chunk=record, overlap_writes=True)
    return outcomes


def backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_overlapped_chunks_create_update_and_report_like_one_connection(write_csv):
    known = EndUserFactory(name="Known", tags=["old"])
    IdentityFactory(user=known, kind="email", value="known@example.com")
    before = backends()
    rows = (
        "Ana,ana@example.com,crm-1,,,,,New Org,vip\n"  # line 2: created, joins a new organization
        "Bia,bia@example.com,,,,+55 11 98765-4321,,,\n"  # line 3: created
        "Known Again,known@example.com,,,,,,New Org,b2b\n"  # line 4: updates Known, joins the same new organization
        "Ana twin,ana@example.com,,,,,,,\n"  # line 5: the email of line 2
        "Bad,not-an-email,,,,,,,\n"  # line 6: invalid
        "Caio,caio@example.com,,,,,,,\n"  # line 7: created
    )
    outcomes = run_overlapped(write_csv(HEADER + rows))
    assert [(o.first_line, o.last_line) for o in outcomes] == [(2, 3), (4, 5), (6, 7)]
    assert sum(o.created for o in outcomes) == 3
    assert sum(o.updated for o in outcomes) == 1
    assert [(line, problem.column) for o in outcomes for line, problem in o.problems] == [(5, "email"), (6, "email")]
    assert sum(o.organizations_created for o in outcomes) == 1
    new_org = Organization.objects.get()
    assert set(Membership.objects.filter(organization=new_org).values_list("user__name", flat=True)) == {
        "Ana",
        "Known Again",
    }
    known.refresh_from_db()
    assert known.tags == ["b2b", "old"]
    assert EndUser.objects.count() == 4
    assert Identity.objects.filter(normalized="+5511987654321").get().user.name == "Bia"
    assert backends() == before  # the writer's connection is closed, not left behind


def test_an_update_sees_what_the_chunk_written_just_before_changed(write_csv):
    # Line 2 gives the profile an external id and a tag; lines 4 and 5 (the next chunk, planned while line 2
    # may still be writing) reach it by phone and by another email: line 4's tag adds to line 2's, and line 5's
    # other external id is a conflict.
    ana = EndUserFactory(name="Ana", tags=[])
    IdentityFactory(user=ana, kind="email", value="ana@example.com")
    IdentityFactory(user=ana, kind="email", value="ana@work.example")
    IdentityFactory(user=ana, kind="phone", value="+55 11 98765-4321")
    rows = (
        "Ana,ana@example.com,crm-1,,,,,,first\n"
        "Zé,ze@example.com,,,,,,,\n"
        ",,,,,+55 11 98765-4321,,,second\n"
        ",ana@work.example,crm-2,,,,,,third\n"
    )
    outcomes = run_overlapped(write_csv(HEADER + rows))
    ana.refresh_from_db()
    assert ana.external_id == "crm-1"
    assert ana.tags == ["first", "second"]
    assert [(line, problem.message) for o in outcomes for line, problem in o.problems] == [
        (
            5,
            f"the email ana@work.example belongs to Ana (#{ana.pk}), whose external id is crm-1, not crm-2",
        )
    ]


def test_a_chunk_that_fails_to_write_stops_the_import_and_keeps_the_chunks_before(write_csv):
    rows = "".join(f"P{n},p{n}@example.com,,,,,,,\n" for n in range(6))

    def fail_on_the_second_chunk(outcome):
        if outcome.first_line == 4:
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError, match="the disk is full"):
        run_overlapped(write_csv(HEADER + rows), on_chunk=fail_on_the_second_chunk)
    assert sorted(EndUser.objects.values_list("name", flat=True)) == ["P0", "P1"]
