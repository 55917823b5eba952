"""Training the matching model on the reviewers' verdicts: refused on a tiny desk, stored, in force, undoable."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from profiles.duplicates.calibration import MIN_VERDICTS
from profiles.duplicates.matching import score
from profiles.duplicates.scan import scan
from profiles.duplicates.services import dismiss, load_facts
from profiles.duplicates.training import TrainingRefused, current_calibration, train, use_default_weights
from profiles.models import CandidateStatus, DuplicateCandidate, EndUser, MatchingModel
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory

pytestmark = pytest.mark.django_db

HOW = reverse("profiles:duplicates_how")
TRAIN = reverse("profiles:duplicates_train")
DEFAULTS = reverse("profiles:duplicates_default_weights")
SHARED_PHONE = [
    {"kind": "phone", "text": "same phone", "weight": 60, "level": "same_phone", "base": 60},
    {"kind": "name", "text": "first name matches", "weight": 12, "level": "first_name_only", "base": 12},
]
SHARED_MAILBOX = [
    {"kind": "email", "text": "same mailbox", "weight": 50, "level": "plus_tag", "base": 50},
    {"kind": "name", "text": "same name", "weight": 30, "level": "name_same", "base": 30},
]


def reviewed(reasons: list[dict], status: str, count: int) -> None:
    """`count` reviewed pairs of fresh profiles with these stored reasons."""
    for _ in range(count):
        low, high = EndUserFactory(), EndUserFactory()
        score = min(100, sum(reason["weight"] for reason in reasons))
        DuplicateCandidate.objects.create(
            low=low, high=high, score=score, reasons=reasons, status=status, reviewed_at=timezone.now()
        )


def a_desk_of_families() -> None:
    """Reviewers dismissed two shared-phone pairs in three, and merged every shared-mailbox pair."""
    reviewed(SHARED_PHONE, CandidateStatus.MERGED, 20)
    reviewed(SHARED_PHONE, CandidateStatus.DISMISSED, 40)
    reviewed(SHARED_MAILBOX, CandidateStatus.MERGED, 30)


def customer(name: str, **identities: str) -> EndUser:
    user = EndUserFactory(name=name)
    for kind, value in identities.items():
        add_identity(user=user, kind=kind, value=value)
    return user


def test_on_a_new_desk_training_is_refused_with_the_counts_and_the_defaults_stay():
    reviewed(SHARED_MAILBOX, CandidateStatus.MERGED, 3)

    with pytest.raises(
        TrainingRefused, match=re.escape("reviewers have merged 3 and dismissed 0. The default weights stay.")
    ):
        train()

    assert not MatchingModel.objects.exists()
    assert not current_calibration().trained


def test_training_stores_the_model_with_its_figures_and_puts_it_in_force():
    a_desk_of_families()
    training = train()

    stored = MatchingModel.objects.get()
    assert (stored.merged_pairs, stored.dismissed_pairs) == (50, 40)
    assert stored.multipliers == dict(training.calibration.multipliers)
    assert stored.multipliers["same_phone"] < 1 < stored.multipliers["plus_tag"]
    # Held out of training the defaults show every pair (50 of 90 merged); the learned weights fewer, more of
    # them right.
    assert stored.figures["default"] == {"shown": 90, "right": 50, "merged": 50}
    assert stored.figures["learned"]["right"] / stored.figures["learned"]["shown"] > 50 / 90
    assert current_calibration().multipliers == stored.multipliers


def test_checks_score_with_the_trained_weights_and_a_dismissed_pair_never_comes_back():
    # One family's line (a phone, and WhatsApp without Brazil's 9th digit): a mother and her daughter.
    mother = customer("Ana Souza", phone="+55 11 98765-4321")
    daughter = customer("Ana", whatsapp="551187654321")
    brother = customer("Bruno Lima", phone="+55 21 99876-5432")
    bruno = customer("Bruno", whatsapp="552198765432")
    scan()
    dismissed = DuplicateCandidate.objects.get(low=mother, high=daughter)
    dismiss(candidate=dismissed, actor=None)
    open_before = DuplicateCandidate.objects.get(low=brother, high=bruno)
    a_desk_of_families()

    train()
    scan(restart=True)

    assert DuplicateCandidate.objects.get(pk=dismissed.pk).status == CandidateStatus.DISMISSED
    # In this desk a shared line and a first name are no longer a possible pair: the scan let it go.
    assert not DuplicateCandidate.objects.filter(pk=open_before.pk).exists()
    facts = load_facts([brother.pk, bruno.pk])
    phone = next(r for r in score(facts[brother.pk], facts[bruno.pk], calibration=current_calibration()).reasons)
    assert (phone.level, phone.base, phone.weight) == (
        "same_phone",
        60,
        round(60 * current_calibration().multipliers["same_phone"]),
    )
    assert phone.weight < 45


def test_retraining_never_changes_a_verdict_and_the_defaults_can_come_back():
    a_desk_of_families()
    verdicts = list(DuplicateCandidate.objects.order_by("pk").values_list("pk", "status", "reasons"))

    train()
    train()
    use_default_weights()

    assert list(DuplicateCandidate.objects.order_by("pk").values_list("pk", "status", "reasons")) == verdicts
    assert MatchingModel.objects.count() == 3
    assert not current_calibration().trained


def test_the_command_explains_a_refusal_and_stores_nothing_on_a_dry_run(capsys):
    with pytest.raises(CommandError, match=f"needs at least {MIN_VERDICTS} merged"):
        call_command("train_matching")

    a_desk_of_families()
    call_command("train_matching", "--dry-run")
    out = capsys.readouterr().out

    assert "Verdicts: 50 merged, 40 not a duplicate" in out
    assert "The same phone line" in out and "Dry run: nothing stored" in out
    assert not MatchingModel.objects.exists()

    call_command("train_matching")
    assert MatchingModel.objects.get().multipliers
    call_command("train_matching", "--defaults")
    assert not current_calibration().trained


def test_the_command_refuses_dry_run_with_defaults():
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("train_matching", "--dry-run", "--defaults")


def test_admins_train_from_the_page_and_read_what_was_learned(admin_client):
    a_desk_of_families()

    answer = admin_client.post(TRAIN, follow=True)

    page = answer.content.decode()
    assert "Weights learned from 50 merged and 40 dismissed pairs are in force." in page
    assert "Learned weights are in force" in page
    learned_phone = round(60 * MatchingModel.objects.get().multipliers["same_phone"])
    assert f'<td>The same phone line</td><td class="num">+60</td><td class="num">{learned_phone:+d}</td>' in page

    page = admin_client.post(DEFAULTS, follow=True).content.decode()
    assert "The default weights are in force again." in page


def test_training_from_the_page_on_a_new_desk_says_why_not_and_stores_nothing(admin_client):
    page = admin_client.post(TRAIN, follow=True).content.decode()

    assert "Training needs at least 30 merged and 30 dismissed pairs" in page
    assert not MatchingModel.objects.exists()


def test_agents_cannot_train_and_training_is_a_post(agent_client, admin_client):
    a_desk_of_families()

    assert agent_client.post(TRAIN).status_code == 403
    assert agent_client.post(DEFAULTS).status_code == 403
    assert admin_client.get(TRAIN).status_code == 405
    assert not MatchingModel.objects.exists()


def test_the_django_admin_shows_the_models_history_and_writes_nothing(superuser_client):
    a_desk_of_families()
    train()

    listing = superuser_client.get(reverse("admin:profiles_matchingmodel_changelist"))

    assert listing.status_code == 200 and "matching model of" in listing.content.decode()
    assert superuser_client.get(reverse("admin:profiles_matchingmodel_add")).status_code == 403
    stored = MatchingModel.objects.get()
    assert superuser_client.post(reverse("admin:profiles_matchingmodel_delete", args=[stored.pk])).status_code == 403
    assert MatchingModel.objects.filter(pk=stored.pk).exists()
