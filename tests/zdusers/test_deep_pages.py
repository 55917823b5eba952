"""Deep slices of end-user querysets select the page's ids first and give exactly the rows a plain OFFSET gives."""

from __future__ import annotations

import pytest
from django.db.models import Count, QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.models import EndUser
from tests.factories import EndUserFactory, IdentityFactory
from zdusers import deep_pages

pytestmark = pytest.mark.django_db

NAMES = ["Ana Souza", "ana souza", "Bruno Lima", "Carla Dias", "Diego Reyes", "Élodie Martin", "Zé"]


@pytest.fixture
def shallow(monkeypatch):
    """Deep from the 5th row on, so that a few profiles show the deep path."""
    monkeypatch.setattr(deep_pages, "DEEP_OFFSET", 5)


@pytest.fixture
def profiles(db):
    return [EndUserFactory(name=NAMES[n % len(NAMES)]) for n in range(30)]


def plain(queryset: QuerySet, start: int, stop: int) -> list[int]:
    return [row.pk for row in QuerySet.__getitem__(queryset, slice(start, stop))]


def test_a_deep_slice_is_one_query_for_the_page_s_ids_and_rows(shallow, profiles, django_assert_num_queries):
    queryset = EndUser.objects.order_by("name", "id")

    with django_assert_num_queries(1) as captured:
        rows = list(queryset[10:16])

    assert [row.pk for row in rows] == plain(queryset, 10, 16)
    assert "IN (SELECT" in captured.captured_queries[0]["sql"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, 35), length=st.integers(1, 12), descending=st.booleans(), live_only=st.booleans())
def test_any_slice_gives_the_rows_a_plain_offset_gives_in_the_same_order(
    shallow, profiles, start, length, descending, live_only
):
    queryset = EndUser.objects.order_by("-name" if descending else "name", "id")
    if live_only:
        queryset = queryset.filter(merged_into__isnull=True)

    assert [row.pk for row in queryset[start : start + length]] == plain(queryset, start, start + length)


def test_annotations_and_prefetches_are_kept_for_the_page_s_rows(shallow, profiles, django_assert_num_queries):
    for user in profiles[::3]:
        IdentityFactory(user=user)
    queryset = (
        EndUser.objects.annotate(points=Count("identities")).prefetch_related("identities").order_by("name", "id")
    )

    with django_assert_num_queries(2):  # the page, then its identities
        rows = list(queryset[6:20])

    assert [(row.pk, row.points) for row in rows] == [
        (row.pk, row.points) for row in QuerySet.__getitem__(queryset, slice(6, 20))
    ]
    assert [len(row.identities.all()) for row in rows] == [row.points for row in rows]


@pytest.mark.parametrize(
    "make",
    [
        lambda: EndUser.objects.order_by("name").distinct(),
        lambda: EndUser.objects.order_by("name").values("pk", "name"),
        lambda: EndUser.objects.order_by("name")[0:20],
    ],
    ids=["distinct", "values", "already-sliced"],
)
def test_querysets_the_deep_path_cannot_serve_are_sliced_plainly(shallow, profiles, make, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        list(make()[6:9])

    assert "IN (SELECT" not in captured.captured_queries[0]["sql"]


def test_the_directory_shows_a_deep_page_s_rows(shallow, profiles, admin_client):
    in_order = list(EndUser.objects.order_by("name", "id").values_list("pk", flat=True))

    page = admin_client.get("/users/", {"page": 2}).content.decode()

    shown = [pk for pk in in_order if f'href="/users/{pk}/"' in page]
    assert shown == in_order[25:30]


def test_the_admin_shows_a_deep_page_s_rows(shallow, superuser_client):
    EndUser.objects.bulk_create(EndUser(name=f"Cliente {n:03d}") for n in range(105))
    newest_first = list(EndUser.objects.order_by("-id").values_list("pk", flat=True))  # the admin's order

    page = superuser_client.get("/admin/profiles/enduser/", {"p": 3}).content.decode()  # 50 a page, from 1

    shown = [pk for pk in newest_first if f"/admin/profiles/enduser/{pk}/change/" in page]
    assert shown == newest_first[100:]
