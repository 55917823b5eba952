"""The right of access: one JSON report of everything held about a person, every copy included; admins only."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.models import ImportIssue, ImportJob
from imports.subject_access import subject_access_report
from intake.models import DeliveryOutcome, InboundDelivery, Provider, WebhookChannel
from intake.services.contacts import record_contact
from profiles.duplicates.scan import scan
from profiles.merges.services import merge
from profiles.models import EndUser
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(db) -> EndUser:
    """Ana, her WhatsApp profile merged into her, a contact, an organization, a duplicate pair, an import problem
    and an inbound log line: every place the desk copies her data to."""
    ana = EndUserFactory(name="Ana Souza", notes="Prefers WhatsApp")
    add_identity(user=ana, kind="email", value="ana.souza@gmail.com")
    MembershipFactory(user=ana, organization=OrganizationFactory(name="Acme Logística"))
    whatsapp = record_contact(channel="whatsapp", contact_point="5511987654321", name="Aninha", summary="Oi!")
    merge(survivor=ana, others=[EndUser.objects.get(pk=whatsapp.user_id)], actor=None)
    namesake = EndUserFactory(name="Ana Souza")
    add_identity(user=namesake, kind="email", value="anasouza+shop@gmail.com")
    scan()
    job = ImportJob.objects.create(file_name="crm.csv")
    ImportIssue.objects.create(
        job=job, line=7, kind="conflict", message="ana.souza@gmail.com: two rows", profile_ids=[ana.pk]
    )
    channel = WebhookChannel.objects.create(
        provider=Provider.WHATSAPP,
        name="Brasil",
        slug="br",
        verify_token="a-verify-token-of-length",
        secret="app-secret",
    )
    InboundDelivery.objects.create(
        channel=channel, outcome=DeliveryOutcome.RECORDED, sender="5511987654321", detail="Oi!"
    )
    return ana


def test_the_report_holds_the_profile_and_every_copy_of_its_data(ana):
    report = subject_access_report(ana)

    assert report["profile"]["name"] == "Ana Souza" and report["profile"]["notes"] == "Prefers WhatsApp"
    assert [p["name"] for p in report["profiles_merged_into_it"]] == ["Aninha"]
    assert {c["normalized"] for c in report["contact_points"]} == {"ana.souza@gmail.com", "+5511987654321"}
    assert [(c["channel"], c["summary"]) for c in report["contacts"]] == [("whatsapp", "Oi!")]
    assert [o["organization__name"] for o in report["organizations"]] == ["Acme Logística"]
    assert "Aninha" in json.dumps(report["merges"][0]["values_kept_for_undo"], ensure_ascii=False)
    assert [c["status"] for c in report["duplicate_candidates"]] == ["open"]
    assert [(p["line"], p["message"]) for p in report["import_problems"]] == [(7, "ana.souza@gmail.com: two rows")]
    assert [(line["sender"], line["detail"]) for line in report["inbound_log"]] == [("5511987654321", "Oi!")]
    json.dumps(report)  # dates and values are JSON already


def test_admins_download_it_from_the_profile_page_and_it_is_logged(admin_client, ana, caplog):
    page = admin_client.get(reverse("profiles:detail", args=[ana.pk])).content.decode()
    url = reverse("imports:subject_access", args=[ana.pk])
    assert f'href="{url}"' in page

    with caplog.at_level("INFO", logger="zdusers.exports"):
        answer = admin_client.get(url)

    assert answer["Content-Disposition"] == f'attachment; filename="profile-{ana.pk}-subject-access.json"'
    assert json.loads(answer.content)["profile"]["id"] == ana.pk
    assert f"subject-access report of profile #{ana.pk} by admin" in caplog.text


def test_agents_neither_see_the_link_nor_get_the_report(agent_client, ana):
    url = reverse("imports:subject_access", args=[ana.pk])

    assert f'href="{url}"' not in agent_client.get(reverse("profiles:detail", args=[ana.pk])).content.decode()
    assert agent_client.get(url).status_code == 403


def test_an_unknown_profile_is_a_404(admin_client):
    assert admin_client.get(reverse("imports:subject_access", args=[999_999])).status_code == 404


def test_the_command_writes_the_report_and_a_merged_away_id_reports_its_survivor(ana, tmp_path):
    aninha = EndUser.objects.get(name="Aninha")
    out = tmp_path / "ana.json"

    call_command("subject_access", str(aninha.pk), "--out", str(out), stderr=StringIO())

    assert json.loads(out.read_text(encoding="utf-8"))["profile"]["id"] == ana.pk


def test_the_command_refuses_an_unknown_id(ana):
    with pytest.raises(CommandError, match=r"No end user has the id 999999\."):
        call_command("subject_access", "999999", stdout=StringIO())


def test_the_command_refuses_a_place_it_cannot_write(ana):
    with pytest.raises(CommandError, match="the directory /nonexistent does not exist"):
        call_command("subject_access", str(ana.pk), "--out", "/nonexistent/x.json", stdout=StringIO())
