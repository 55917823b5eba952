"""Export in the import format, then import into an empty database: the same profiles and identities come back."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from imports.export import csv_lines, enduser_rows, organization_rows
from organizations.models import Organization
from profiles.models import EndUser, Identity
from tests.factories import EndUserFactory, IdentityFactory, MembershipFactory, OrganizationFactory
from tests.imports.conftest import SAMPLES
from tests.imports.helpers import run_import

pytestmark = pytest.mark.django_db


def snapshot():
    profiles = {
        (u.name, u.external_id, u.details, u.notes, tuple(u.tags), u.source)
        for u in EndUser.objects.filter(merged_into__isnull=True)
    }
    identities = set(Identity.objects.values_list("user__name", "kind", "normalized", "value", "is_primary"))
    defaults = set(
        EndUser.objects.filter(memberships__is_default=True).values_list("name", "memberships__organization__name")
    )
    return profiles, identities, defaults


def test_export_then_import_into_an_empty_database_reproduces_profiles_and_identities(tmp_path):
    acme = OrganizationFactory(name="Acme", tags=["enterprise"])
    ana = EndUserFactory(name="Ana Souza", external_id="crm-1", details="Line one\\nline two", notes="n", tags=["vip"])
    IdentityFactory(user=ana, kind="email", value="ana@acme.com", is_primary=True)
    IdentityFactory(user=ana, kind="email", value="ana.souza@example.com")
    IdentityFactory(user=ana, kind="phone", value="+55 11 98765-4321", is_primary=True)
    IdentityFactory(user=ana, kind="phone", value="+55 11 3456-7890")
    IdentityFactory(user=ana, kind="whatsapp", value="+55 11 98765-4321", is_primary=True)
    IdentityFactory(user=ana, kind="instagram", value="ana.souza", is_primary=True)
    IdentityFactory(user=ana, kind="telegram", value="anasouza", is_primary=True)
    MembershipFactory(user=ana, organization=acme, is_default=True)
    bruno = EndUserFactory(name="Bruno, the second", source="import", notes='=HYPERLINK("http://evil.example","x")')
    IdentityFactory(user=bruno, kind="email", value="bruno@example.com", is_primary=True)
    users_file = tmp_path / "users.csv"
    users_file.write_text("".join(csv_lines(enduser_rows(EndUser.objects.order_by("id")))), encoding="utf-8")
    assert "'=HYPERLINK" in users_file.read_text()  # a spreadsheet shows the note as text
    orgs_file = tmp_path / "orgs.csv"
    orgs_file.write_text("".join(csv_lines(organization_rows(Organization.objects.all()))), encoding="utf-8")
    before = snapshot()

    Identity.objects.all().delete()
    from organizations.models import Membership

    Membership.objects.all().delete()
    EndUser.objects.all().delete()
    Organization.objects.all().delete()

    assert run_import(orgs_file, kind="organizations").created == 1
    job = run_import(users_file)
    assert (job.created, job.invalid, job.conflicts) == (2, 0, 0)
    profiles, identities, defaults = snapshot()
    # Every profile comes back as an import; everything else is the same.
    assert {p[:5] for p in profiles} == {p[:5] for p in before[0]}
    assert identities == before[1]
    assert defaults == before[2]
    assert Organization.objects.get().tags == ["enterprise"]


def test_export_of_the_sample_reimports_unchanged(tmp_path):
    run_import(SAMPLES / "users.csv")
    exported = tmp_path / "again.csv"
    exported.write_text("".join(csv_lines(enduser_rows(EndUser.objects.all()))), encoding="utf-8")
    job = run_import(exported)
    assert (job.unchanged, job.created, job.updated) == (5, 0, 0)


def test_directory_export_streams_the_filtered_selection_in_the_import_format(agent_client):
    run_import(SAMPLES / "users.csv")
    response = agent_client.get(reverse("imports:export_selection"), {"tag": "vip"})
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(row["name"], row["email"], row["organization"], row["role"]) for row in rows] == [
        ("Ana Souza", "ana.souza@acme.example", "Acme Logística", "end-user")
    ]


def test_organizations_sample_imports_cleanly_and_again_changes_nothing():
    job = run_import(SAMPLES / "organizations.csv", kind="organizations")
    assert (job.created, job.invalid, job.conflicts) == (3, 0, 0)
    acme = Organization.objects.get(external_id="org-1")
    assert sorted(acme.domains.values_list("domain", flat=True)) == ["acme-logistica.example", "acme.example"]
    again = run_import(SAMPLES / "organizations.csv", kind="organizations")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_organization_rows_with_a_taken_or_free_mail_domain_are_invalid(write_csv):
    other = OrganizationFactory(name="Other")
    from organizations.models import OrganizationDomain

    OrganizationDomain.objects.create(organization=other, domain="taken.com")
    job = run_import(
        write_csv("name,domain_names\nAcme,taken.com\nGlobex,gmail.com\nInitech,initech.com\n"), kind="organizations"
    )
    assert [(i.line, i.column) for i in job.issues.order_by("line")] == [(2, "domain_names"), (3, "domain_names")]
    assert "taken.com already belongs to the organization Other" in job.issues.get(line=2).message
    assert list(Organization.objects.order_by("name").values_list("name", flat=True)) == ["Initech", "Other"]
