"""The desk's name counts: kept in step with every profile change, rebuilt by a full scan, and behind "a rare name"."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from profiles.duplicates.frequencies import for_facts
from profiles.duplicates.matching import ProfileFacts
from profiles.duplicates.scan import scan
from profiles.duplicates.services import check_profile
from profiles.merges.services import merge
from profiles.models import DuplicateCandidate, EndUser, NameFrequency
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "name_only_duplicates.csv"


def counts() -> dict[tuple[str, str], int]:
    return {(kind, term): n for kind, term, n in NameFrequency.objects.values_list("kind", "term", "profiles") if n}


def checked(name: str, **identities: str) -> EndUser:
    user = EndUserFactory(name=name)
    for kind, value in identities.items():
        add_identity(user=user, kind=kind, value=value)
    check_profile(user_id=user.pk)
    return user


def test_the_check_counts_a_names_words_and_the_whole_name_folded():
    checked("Tomás Quiroga Ferrán")
    checked("Tomas Quiroga")

    assert counts() == {
        ("name", "ferran quiroga tomas"): 1,
        ("name", "quiroga tomas"): 1,
        ("word", "tomas"): 2,
        ("word", "quiroga"): 2,
        ("word", "ferran"): 1,
    }


def test_a_rename_counts_the_old_name_down_and_the_new_one_up():
    user = checked("Ana Souza")
    EndUser.objects.filter(pk=user.pk).update(name="Ana Paula Souza")

    check_profile(user_id=user.pk)

    assert counts() == {("name", "ana paula souza"): 1, ("word", "ana"): 1, ("word", "paula"): 1, ("word", "souza"): 1}


def test_checking_an_unchanged_profile_again_counts_nothing_twice():
    user = checked("Ana Souza")

    check_profile(user_id=user.pk)

    assert counts()[("word", "ana")] == 1


def test_a_merged_away_profile_is_no_longer_counted(django_capture_on_commit_callbacks):
    survivor = checked("Ana Souza", email="ana@example.com")
    other = checked("Ana Souza", phone="+55 11 98765-4321")
    assert counts()[("name", "ana souza")] == 2

    with django_capture_on_commit_callbacks(execute=True):
        merge(survivor=survivor, others=[other], actor=None)

    assert counts()[("name", "ana souza")] == 1


def test_a_full_scan_rebuilds_the_counts_the_checks_kept():
    for name in ["Ana Souza", "Ana Lima", "Bruno Lima", "Ana Souza"]:
        checked(name)
    kept = counts()
    NameFrequency.objects.create(kind="word", term="ghost", profiles=7)  # drifted: a profile deleted meanwhile
    NameFrequency.objects.filter(term="ana").update(profiles=99)

    scan()

    assert counts() == kept


def test_counts_are_read_only_for_the_names_in_hand():
    for name in ["Ana Souza", "Bruno Lima", "Carla Dias"]:
        checked(name)

    names = for_facts([ProfileFacts(id=1, name="Ana Souza")])

    assert names.profiles == 3
    assert names.tokens == {"ana": 1, "souza": 1}
    assert names.names == {"ana souza": 1}


def test_a_rare_name_shared_by_an_email_profile_and_a_phone_profile_of_an_import_reaches_the_queue():
    # The README's example: a customer wrote once by email (from the shop) and once by phone (from the
    # CRM), among twenty other customers and twelve Maria Silvas.
    call_command("import_users", str(SAMPLE), verbosity=0)

    call_command("find_duplicates", verbosity=0)

    tomas = EndUser.objects.filter(name__startswith="Tom").order_by("pk")
    candidate = DuplicateCandidate.objects.get(low=tomas[0], high=tomas[1])
    assert candidate.score >= 60
    assert "same name 'Tomás Quiroga Ferrán' / 'Tomas Quiroga Ferran' — 2 of 34 profiles are named so" in [
        reason["text"] for reason in candidate.reasons
    ]
    # Twelve Maria Silvas are a common name: never a likely pair on the name alone.
    marias = set(EndUser.objects.filter(name="Maria Silva").values_list("pk", flat=True))
    assert not DuplicateCandidate.objects.filter(low__in=marias, high__in=marias, score__gte=60).exists()
