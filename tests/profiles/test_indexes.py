"""The lookups that must stay fast on a million profiles are served by indexes."""

from __future__ import annotations

import pytest
from django.db import connection

from profiles.db_functions import folded_name_contains
from profiles.models import EndUser, Identity
from profiles.selectors import enduser_search_q, identity_keys_matching
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db


def plan_of(queryset) -> str:
    """The query plan with sequential scans priced out, so a usable index always shows."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.postgres
def test_name_substring_search_uses_the_trigram_index_on_the_folded_name():
    EndUserFactory(name="Ana Souza")
    assert "enduser_name_folded_col_trgm" in plan_of(EndUser.objects.filter(folded_name_contains("SOÚZ")))


def test_the_folded_name_drops_accents_and_case_on_every_database():
    user = EndUserFactory(name="João ÁLVARES")
    user.refresh_from_db()
    assert user.name_folded == "joao alvares"


@pytest.mark.postgres
def test_a_phone_lookup_uses_the_identity_key_index():
    plan = plan_of(Identity.objects.filter(identity_keys_matching("+55 11 98765-4321")))
    assert "identity_kind_normalized_unique" in plan or "identity_normalized" in plan


@pytest.mark.postgres
def test_searching_by_name_external_id_and_contact_point_at_once_never_scans_every_profile():
    user = EndUserFactory(name="Ana Souza")
    add_identity(user=user, kind="email", value="ana@example.com")
    plan = plan_of(EndUser.objects.filter(enduser_search_q("ana@example.com"), merged_into__isnull=True))
    assert "Seq Scan" not in plan, plan


def test_the_combined_search_finds_the_owner_of_a_contact_point_and_name_matches():
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="email", value="ana@example.com")
    namesake = EndUserFactory(name="Ana@example.com fan club")
    EndUserFactory(name="Bruno")
    assert set(EndUser.objects.filter(enduser_search_q(" ANA@example.com "))) == {ana, namesake}
