"""The directory's CSV export: an agent's selection is capped, an admin's is not, and every export is logged."""

from __future__ import annotations

import csv
import io
import logging

import pytest
from django.urls import reverse

from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("imports:export_selection")


@pytest.fixture
def three_vips(settings):
    settings.ZDUSERS_AGENT_EXPORT_LIMIT = 2
    for name in ("Ana Souza", "Bruno Lima", "Carla Dias"):
        EndUserFactory(name=name, tags=["vip"])
    EndUserFactory(name="Diego Melo")


def names_in(response) -> list[str]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["name"] for row in csv.DictReader(io.StringIO(content))]


def test_an_agent_exports_a_selection_within_the_limit_and_it_is_logged(agent_client, three_vips, caplog):
    with caplog.at_level(logging.INFO, logger="zdusers.exports"):
        response = agent_client.get(EXPORT, {"q": "name:souza"})

    assert names_in(response) == ["Ana Souza"]
    assert [record.getMessage() for record in caplog.records if record.name == "zdusers.exports"] == [
        "directory export by agent (at most 2 rows): q=name%3Asouza"
    ]


def test_an_agent_asking_for_more_than_the_limit_gets_nothing_and_a_reason(agent_client, three_vips, caplog):
    with caplog.at_level(logging.INFO, logger="zdusers.exports"):
        response = agent_client.get(EXPORT, {"tag": "vip"}, follow=True)

    assert not response.streaming
    assert response.redirect_chain[-1][0] == reverse("profiles:directory") + "?tag=vip"
    page = response.content.decode()
    assert "Nothing exported: this selection holds more than 2 profiles. Narrow the search, or ask an admin" in page
    assert not [record for record in caplog.records if record.name == "zdusers.exports"]


def test_an_admin_exports_every_profile_whatever_the_limit(admin_client, three_vips, caplog):
    with caplog.at_level(logging.INFO, logger="zdusers.exports"):
        response = admin_client.get(EXPORT)

    assert names_in(response) == ["Ana Souza", "Bruno Lima", "Carla Dias", "Diego Melo"]
    assert "(no limit): every profile" in caplog.text
