"""`manage.py simulate_inbound`: a realistic mix of inbound contacts through the intake service, summarized."""

from __future__ import annotations

import random
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devtools.demo_loader import load_demo_data
from devtools.simulation import known_contact_points, simulated_deliveries
from profiles.models import Contact, EndUser

pytestmark = pytest.mark.django_db


def simulate(**options) -> tuple[str, dict[str, int]]:
    out = StringIO()
    call_command("simulate_inbound", stdout=out, **options)
    text = out.getvalue()
    figures = {
        label.strip(): int(number.replace(",", "")) for label, number in re.findall(r"^  (.+?)\s+([\d,]+)$", text, re.M)
    }
    return text, figures


@pytest.fixture
def demo(db):
    load_demo_data(users=80, seed=5)


def test_the_simulation_records_every_message_once_and_reports_what_it_did(demo):
    users_before, contacts_before = EndUser.objects.count(), Contact.objects.count()
    known_ids = set(EndUser.objects.values_list("pk", flat=True))
    text, figures = simulate(count=300, seed=11)
    assert text.startswith("Simulated 300 inbound messages (seed 11, run ")
    assert "Refused" not in text
    recorded, replays = figures["contacts recorded"], figures["replays (redeliveries)"]
    assert recorded + replays == 300
    assert replays == figures["redelivery"] > 0
    assert Contact.objects.count() - contacts_before == recorded
    assert EndUser.objects.count() - users_before == figures["profiles created"] > 0
    assert figures["conflicts (duplicate signals)"] > 0
    channels = (
        "email",
        "whatsapp",
        "voice",
        "sms",
        "instagram",
        "messenger",
        "telegram",
        "x",
        "web_chat",
        "sdk",
        "line",
    )
    assert sum(figures.get(channel, 0) for channel in channels) == recorded
    # Returning customers' messages landed on the profiles they already had.
    new_contacts = Contact.objects.order_by("-pk")[:recorded]
    assert sum(1 for contact in new_contacts if contact.requester_id in known_ids) >= figures["returning"] // 2


def test_the_same_seed_and_data_give_the_same_messages_with_fresh_message_ids(demo):
    def stream(run: str) -> list:
        known = known_contact_points(random.Random(4), size=100)
        return list(simulated_deliveries(count=80, seed=4, run=run, known=known, org_domains=["acme.example"]))

    first, second = stream("a"), stream("b")
    assert [(d.scenario, d.channel, d.contact_point, d.subject) for d in first] == [
        (d.scenario, d.channel, d.contact_point, d.subject) for d in second
    ]
    assert not {d.source_ref for d in first} & {d.source_ref for d in second}


def test_a_second_run_with_the_same_seed_delivers_new_messages(demo):
    simulate(count=60, seed=4)
    _, again = simulate(count=60, seed=4)
    assert again["replays (redeliveries)"] == again.get("redelivery", 0)


def test_an_empty_database_gets_only_new_customers(db):
    _, figures = simulate(count=40, seed=1)
    assert "returning" not in figures and "known_email" not in figures
    assert figures["contacts recorded"] + figures["replays (redeliveries)"] == 40
    assert EndUser.objects.count() == figures["profiles created"] > 0


def test_every_simulated_message_is_valid_for_the_intake_service(demo):
    known = known_contact_points(random.Random(2), size=200)
    deliveries = list(simulated_deliveries(count=500, seed=2, run="t", known=known, org_domains=["acme.example"]))
    assert {d.scenario for d in deliveries} >= {"returning", "known_email", "new_number", "new_number_known_email"}
    assert len({(d.channel, d.source_ref) for d in deliveries}) == sum(d.scenario != "redelivery" for d in deliveries)


@pytest.mark.parametrize("count", [0, -3])
def test_a_count_below_one_is_refused_with_a_clear_message(db, count):
    with pytest.raises(CommandError, match=rf"--count must be between 1 and 1,000,000 \(got {count}\)\."):
        call_command("simulate_inbound", count=count, stdout=StringIO())
    assert not Contact.objects.exists()
