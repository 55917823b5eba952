"""Importing end users: create, update, unchanged, conflicts, and every kind of bad input refused clearly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.errors import FileProblem
from imports.models import ImportStatus
from imports.services.users import import_users, open_user_file
from organizations.models import Membership, Organization, OrganizationDomain
from profiles.merges.services import merge
from profiles.models import EndUser, EndUserSource, Identity
from tests.factories import EndUserFactory, IdentityFactory, OrganizationDomainFactory, OrganizationFactory
from tests.imports.conftest import SAMPLES
from tests.imports.helpers import issues, run_import

pytestmark = pytest.mark.django_db

HEADER = "name,email,external_id,details,notes,phone,role,organization,tags\n"


def nothing_written():
    return not EndUser.objects.exists() and not Identity.objects.exists() and not Organization.objects.exists()


def test_sample_file_imports_cleanly_and_again_changes_nothing():
    job = run_import(SAMPLES / "users.csv")
    assert job.status == ImportStatus.APPLIED
    assert (job.created, job.updated, job.conflicts, job.invalid) == (5, 0, 0, 0)
    assert job.organizations_created == 2
    ana = EndUser.objects.get(external_id="crm-1001")
    assert ana.source == EndUserSource.IMPORT
    assert ana.tags == ["b2b", "vip"]
    assert set(ana.identities.values_list("kind", "normalized")) == {
        ("email", "ana.souza@acme.example"),
        ("email", "ana@souza.example"),
        ("phone", "+5511987654321"),
        ("whatsapp", "+5511987654321"),
        ("instagram", "ana.souza"),
    }
    assert ana.identities.get(normalized="ana.souza@acme.example").is_primary
    assert Membership.objects.get(user=ana).organization.name == "Acme Logística"
    carla = EndUser.objects.get(external_id="crm-1003")
    assert carla.name == "Carla Mendes, Jr." and carla.notes == "Two lines\nof notes"

    again = run_import(SAMPLES / "users.csv")
    assert (again.created, again.updated, again.unchanged, again.invalid) == (0, 0, 5, 0)
    assert EndUser.objects.count() == 5


def test_rows_match_external_ids_and_emails_with_quotes_backslashes_and_braces(write_csv):
    # PostgreSQL receives the looked-up keys as array literals, where these characters are syntax.
    odd_id = 'crm "7", \\x{1}'
    by_id = EndUserFactory(name="By Id", external_id=odd_id)
    by_email = EndUserFactory(name="By Email")
    IdentityFactory(user=by_email, kind="email", value="{a}|b'c@example.com")
    quoted_id = '"' + odd_id.replace('"', '""') + '"'
    job = run_import(write_csv(f"name,email,external_id\nNew Id,,{quoted_id}\nNew Email,{{a}}|b'c@example.com,\n"))
    assert (job.created, job.updated) == (0, 2)
    by_id.refresh_from_db()
    by_email.refresh_from_db()
    assert (by_id.name, by_email.name) == ("New Id", "New Email")


def test_dry_run_predicts_and_writes_nothing():
    job = run_import(SAMPLES / "users.csv", apply=False)
    assert job.status == ImportStatus.PREVIEWED
    assert (job.created, job.organizations_created) == (5, 2)
    assert nothing_written()


def test_row_updates_profile_matched_by_email_then_phone(write_csv):
    by_email = EndUserFactory(name="Old Name", tags=["old"])
    IdentityFactory(user=by_email, kind="email", value="ana@example.com")
    by_phone = EndUserFactory(name="Bruno")
    IdentityFactory(user=by_phone, kind="whatsapp", value="+5521998765432")
    path = write_csv(
        HEADER
        + "Ana Souza,ANA@example.com,crm-1,,,,,,vip\nBruno Lima,bruno@example.com,,Notes here,,(21) 99876-5432,,,\n"
    )
    job = run_import(path)
    assert (job.created, job.updated, job.invalid, job.conflicts) == (0, 2, 0, 0)
    by_email.refresh_from_db()
    assert (by_email.name, by_email.external_id, by_email.tags) == ("Ana Souza", "crm-1", ["old", "vip"])
    assert set(by_phone.identities.values_list("kind", "normalized")) == {
        ("whatsapp", "+5521998765432"),
        ("phone", "+5521998765432"),
        ("email", "bruno@example.com"),
    }
    assert run_import(path).unchanged == 2


def test_identifiers_of_two_profiles_are_a_conflict_naming_both(write_csv):
    ana = EndUserFactory(name="Ana", external_id="crm-1")
    bruno = EndUserFactory(name="Bruno")
    IdentityFactory(user=bruno, kind="email", value="bruno@example.com")
    job = run_import(write_csv(HEADER + "Ana,bruno@example.com,crm-1,,,,,,\n"))
    assert job.conflicts == 1
    issue = job.issues.get()
    assert issue.line == 2 and issue.kind == "conflict"
    assert f"#{ana.pk}" in issue.message and f"#{bruno.pk}" in issue.message
    assert sorted(issue.profile_ids) == sorted([ana.pk, bruno.pk])
    assert not Identity.objects.filter(user=ana).exists()


def test_email_of_a_merged_away_profile_updates_its_survivor(write_csv):
    survivor, other = EndUserFactory(name="Ana"), EndUserFactory(name="Ana S.")
    IdentityFactory(user=other, kind="email", value="ana@example.com")
    merge(survivor=survivor, others=[other], actor=None)
    job = run_import(write_csv(HEADER + "Ana,ana@example.com,,,,,,,vip\n"))
    assert job.updated == 1
    survivor.refresh_from_db()
    assert survivor.tags == ["vip"]


def test_new_profiles_join_auto_assigning_domain(write_csv):
    acme = OrganizationFactory(name="Acme")
    OrganizationDomainFactory(organization=acme, domain="acme.com", auto_assign=True)
    run_import(write_csv(HEADER + "Ana,ana@acme.com,,,,,,,\n"))
    membership = Membership.objects.get(user__name="Ana")
    assert membership.organization == acme and membership.is_default


def test_new_profile_keeps_backslashes_tabs_and_line_breaks_exactly(write_csv):
    # PostgreSQL receives new profiles as COPY text, where these characters are escapes.
    row = 'Ana \\N\tSouza,ana@example.com,crm\\1,"a\\b\tc\r\nd","x\\N",,,,"São-Paulo vip"\n'
    job = run_import(write_csv(HEADER + row))
    assert job.created == 1
    ana = EndUser.objects.get()
    assert (ana.name, ana.external_id, ana.details, ana.notes) == ("Ana \\N Souza", "crm\\1", "a\\b\tc\r\nd", "x\\N")
    assert ana.tags == ["são-paulo", "vip"]
    assert ana.identities.get().is_primary


def test_new_profile_with_several_identities_of_a_kind_has_one_primary_each(write_csv):
    header = "name,email,emails,phone,whatsapp\n"
    run_import(write_csv(header + "Ana,ana@example.com,ana@work.example ana@home.example,+55 11 98765-4321,\n"))
    primaries = dict(Identity.objects.filter(is_primary=True).values_list("kind", "normalized"))
    assert primaries == {"email": "ana@example.com", "phone": "+5511987654321"}
    assert Identity.objects.filter(is_primary=False).count() == 2


def test_unknown_organization_refused_when_creation_is_off(write_csv):
    job = run_import(write_csv(HEADER + "Ana,ana@example.com,,,,,,Nowhere Inc,\n"), create_organizations=False)
    assert issues(job) == [
        (
            2,
            "organization",
            "invalid",
            "no organization is called 'Nowhere Inc': create it first, or allow creating the organizations "
            "named in the file",
        )
    ]
    assert nothing_written()


def test_wrong_encoding_names_the_line_and_writes_nothing(write_csv):
    path = write_csv(HEADER.encode() + "Jos\u00e9,jose@example.com,,,,,,,\n".encode("latin-1"))
    job = run_import(path)
    assert job.status == ImportStatus.FAILED
    assert job.error.startswith("Line 2 is not UTF-8 text")
    assert "CSV UTF-8" in job.error
    assert nothing_written()


def test_missing_header_is_explained(write_csv):
    job = run_import(write_csv("Ana Souza,ana@example.com\nBruno,bruno@example.com\n"))
    assert job.status == ImportStatus.FAILED
    assert job.error.startswith("Line 1 must be the header naming the columns (name, email, external_id")
    assert "'Ana Souza,ana@example.com'" in job.error
    assert nothing_written()


def test_empty_file_is_explained(write_csv):
    job = run_import(write_csv(""))
    assert job.error.startswith("The file is empty. The first line must be the header")
    assert nothing_written()


def test_unknown_columns_are_warned_and_ignored(write_csv):
    job = run_import(write_csv("Name;EMAIL;Shoe size\nAna;ana@example.com;38\n".encode("utf-8-sig")))
    assert len(job.warnings) == 1
    assert job.warnings[0].startswith("Line 1: unknown column(s) 'Shoe size' ignored. Known columns: name, email,")
    assert job.created == 1
    assert EndUser.objects.get().name == "Ana"


def test_row_with_too_many_fields_is_invalid_alone(write_csv):
    job = run_import(write_csv("name,email\nAna,ana@example.com,extra\nBruno,bruno@example.com\n"))
    assert issues(job) == [
        (
            2,
            "",
            "invalid",
            "the row has 1 field(s) more than the header has columns; a comma inside a value needs quotes around "
            "the value",
        )
    ]
    assert list(EndUser.objects.values_list("name", flat=True)) == ["Bruno"]


def test_invalid_email_and_phone_name_column_and_reason(write_csv):
    job = run_import(write_csv(HEADER + "Ana,ana@,,,,,,,\nBruno,bruno@example.com,,,,12,,,\n"))
    assert issues(job) == [
        (2, "email", "invalid", "'ana@' is not a valid email address: nothing comes after the @"),
        (3, "phone", "invalid", "'12' is not a valid phone number: it is too short for +55 (BR)"),
    ]
    assert nothing_written()


def test_duplicate_row_reports_the_earlier_line(write_csv):
    row = "Ana,ana@example.com,crm-1,,,,,,\n"
    job = run_import(write_csv(HEADER + row + "Bruno,bruno@example.com,,,,,,,\n" + row))
    assert issues(job) == [(4, "", "invalid", "the row repeats line 2")]
    assert EndUser.objects.count() == 2


def test_same_email_with_another_external_id_is_a_conflict_with_the_earlier_line(write_csv):
    job = run_import(write_csv(HEADER + "Ana,ana@example.com,crm-1,,,,,,\nAna B,ana@example.com,crm-2,,,,,,\n"))
    assert issues(job) == [
        (
            3,
            "email",
            "conflict",
            "the email ana@example.com is already on line 2: one row per person (merge the two rows, or correct "
            "the one that is wrong)",
        )
    ]
    assert list(EndUser.objects.values_list("external_id", flat=True)) == ["crm-1"]


def test_agent_role_is_refused(write_csv):
    job = run_import(write_csv(HEADER + "Ana,ana@example.com,,,,,agent,,\n"))
    assert issues(job)[0][:3] == (2, "role", "invalid")
    assert "only end users are imported here" in issues(job)[0][3]
    assert nothing_written()


def test_row_without_any_identifier_is_refused(write_csv):
    job = run_import(write_csv("name,email,tags\nAna,,vip\n"))
    assert "no email, phone, handle or external_id" in issues(job)[0][3]
    assert nothing_written()


def test_matching_email_of_a_profile_with_another_external_id_is_a_conflict(write_csv):
    ana = EndUserFactory(name="Ana", external_id="crm-9")
    IdentityFactory(user=ana, kind="email", value="ana@example.com")
    job = run_import(write_csv(HEADER + "Ana,ana@example.com,crm-1,,,,,,\n"))
    assert issues(job) == [
        (
            2,
            "email",
            "conflict",
            f"the email ana@example.com belongs to Ana (#{ana.pk}), whose external id is crm-9, not crm-1",
        )
    ]


def test_chunks_commit_and_a_broken_line_later_stops_with_how_far_it_got(write_csv):
    good = "".join(f"P{n},p{n}@example.com,,,,,,,\n" for n in range(5))
    path = write_csv(HEADER.encode() + good.encode() + b"Bad,\xff@example.com,,,,,,,\n")
    committed = []
    with path.open("rb") as stream, pytest.raises(FileProblem) as error:
        # Two rows per chunk: lines 2-3 and 4-5 commit; line 6 shares its chunk with the broken line 7.
        import_users(
            source=open_user_file(stream),
            apply=True,
            chunk_size=2,
            on_chunk=lambda outcome: committed.append(outcome.last_line),
        )
    assert error.value.message.startswith("Line 7 is not UTF-8 text")
    assert committed == [3, 5]
    assert EndUser.objects.count() == 4


def test_job_of_a_broken_file_says_how_far_it_got_and_resumes(write_csv):
    good = "".join(f"P{n},p{n}@example.com,,,,,,,\n" for n in range(3))
    job = run_import(write_csv(HEADER.encode() + good.encode() + b"Bad,\xff@example.com,,,,,,,\n"))
    assert job.status == ImportStatus.FAILED
    assert job.error.startswith("Line 5 is not UTF-8 text")
    # One chunk holds every row here: the broken line stops it before anything commits.
    assert job.last_line_committed == 0
    assert nothing_written()


def test_new_profiles_ask_for_auto_assigning_domains_once_a_chunk(write_csv, django_assert_max_num_queries):
    acme = OrganizationFactory(name="Acme")
    OrganizationDomainFactory(organization=acme, domain="acme.com", auto_assign=True)
    OrganizationDomainFactory(domain="other.example", auto_assign=False)
    rows = "".join(f"P{n},p{n}@acme.com,,,,,,,\n" for n in range(40))
    rows += "".join(f"Q{n},q{n}@other.example,,,,,,,\n" for n in range(40))
    rows += "".join(f"G{n},g{n}@gmail.com,,,,,,,\n" for n in range(40))
    path = write_csv(HEADER + rows)
    with path.open("rb") as stream, CaptureQueriesContext(connection) as queries:
        import_users(source=open_user_file(stream), apply=True)
    domain_queries = [q for q in queries if OrganizationDomain._meta.db_table in q["sql"]]
    assert len(domain_queries) == 1
    # As many as before auto_assign_targets; on PostgreSQL one more when the connection already has temporary
    # tables (an earlier test's import): its SET temp_buffers is refused and rolled back to a savepoint.
    assert len(queries) <= {"sqlite": 10, "postgresql": 21}[connection.vendor]
    assert Membership.objects.filter(organization=acme, is_default=True).count() == 40
    assert Membership.objects.count() == 40
