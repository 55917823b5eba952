"""Every list answers any page number and search text a person or a tampered link can send: never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

LISTS = ["/users/", "/duplicates/", "/merges/", "/channels/", "/organizations/", "/imports/"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", ["99999999999999999999", "9223372036854775807", "400000000000000000"])
def test_a_page_number_past_what_a_database_can_offset_shows_the_first_page(admin_client, url, page):
    assert admin_client.get(url, {"page": page}).status_code == 200


def test_a_search_with_a_nul_character_says_so(admin_client):
    response = admin_client.get("/users/", {"q": "ana\x00souza"})

    assert response.status_code == 200
    assert "contains a NUL character" in response.content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(LISTS), page=st.text(max_size=30) | st.integers().map(str), q=st.text(max_size=40))
@example(url="/users/", page="-1", q="\x00")
@example(url="/users/", page="1e400", q="org:\x00")
def test_any_page_and_search_text_is_answered(admin_client, url, page, q):
    assert admin_client.get(url, {"page": page, "q": q}).status_code in (200, 302)
