"""Duplicate candidates in the database: the scan, the incremental check, reviewers' decisions and merges."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from intake.services.contacts import record_contact
from intake.services.new_profiles import NewIdentity, create_profile
from profiles.duplicates import matching
from profiles.duplicates import scan as duplicate_scan
from profiles.duplicates.matching import WEIGHTS
from profiles.duplicates.scan import scan
from profiles.duplicates.services import CandidateClosed, check_profile, dismiss
from profiles.merges.services import merge, unmerge
from profiles.models import CandidateStatus, DuplicateCandidate, DuplicateScan, EndUser, MatchKey
from profiles.services.identities import add_identity, remove_identity
from profiles.services.profiles import update_profile
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def customer(name: str, **identities: str) -> EndUser:
    user = EndUserFactory(name=name)
    for kind, value in identities.items():
        add_identity(user=user, kind=kind, value=value)
    return user


def pairs(status: str = CandidateStatus.OPEN) -> set[tuple[int, int]]:
    return set(DuplicateCandidate.objects.filter(status=status).values_list("low_id", "high_id"))


def pair(a: EndUser, b: EndUser) -> tuple[int, int]:
    return (min(a.pk, b.pk), max(a.pk, b.pk))


# --- the scan -------------------------------------------------------------------------------------


def test_scanning_an_empty_database_finds_nothing_and_finishes():
    run = scan()

    assert run.phase == DuplicateScan.Phase.DONE
    assert run.finished_at is not None
    assert (run.profiles_keyed, run.pairs_compared, run.candidates_found) == (0, 0, 0)


def test_scanning_one_profile_finds_nothing():
    customer("Ana Souza", phone="+55 11 98765-4321")

    run = scan()

    assert run.profiles_keyed == 1
    assert pairs() == set()


def test_the_scan_finds_the_same_line_written_two_ways_and_explains_why():
    ana = customer("Ana Souza", phone="+55 11 93765-4321")
    whatsapp = customer("Ana", whatsapp="551137654321")
    customer("Pedro Lima", phone="+55 21 99876-5432")

    scan()

    candidate = DuplicateCandidate.objects.get()
    assert (candidate.low_id, candidate.high_id) == pair(ana, whatsapp)
    phone, name = candidate.reasons
    assert phone == {
        "kind": "phone",
        "text": "+5511937654321 and +551137654321 are the same line written two ways",
        "weight": 55,
        # The rule and its default points: what training on reviewers' verdicts reads back.
        "level": "phone_variant",
        "base": 55,
    }
    # Two of this desk's three profiles are called Ana: the first name is weak evidence here.
    assert name["text"] == "first name matches 'Ana Souza' / 'Ana' — a common first name here"
    assert 0 < name["weight"] < WEIGHTS["first_name_only"]
    assert candidate.score == 55 + name["weight"]
    assert candidate.reason_kinds == " name phone "
    assert candidate.status == CandidateStatus.OPEN


def test_a_rescan_refreshes_an_open_pair_and_never_reopens_a_dismissed_one(agent):
    ana = customer("Ana Souza", email="ana.souza@gmail.com")
    twin = customer("Ana Souza", email="anasouza@gmail.com")
    other = customer("Bia Lima", phone="+55 21 99876-5432")
    other_twin = customer("Bia Lima", whatsapp="+55 21 99876-5432")
    scan()
    dismissed = dismiss(candidate=DuplicateCandidate.objects.get(low=min(ana.pk, twin.pk)), actor=agent)

    scan()
    scan(restart=True)

    assert pairs(CandidateStatus.DISMISSED) == {pair(ana, twin)}
    assert DuplicateCandidate.objects.get(pk=dismissed.pk).reviewed_by == agent
    assert pairs() == {pair(other, other_twin)}
    assert DuplicateCandidate.objects.count() == 2


def test_a_full_scan_drops_open_pairs_that_no_longer_match():
    ana = customer("Ana Souza", phone="+55 11 98765-4321")
    twin = customer("Ana Souza", whatsapp="+55 11 98765-4321")
    scan()
    assert pairs() == {pair(ana, twin)}

    remove_identity(identity=twin.identities.get())  # not committed in this test: no incremental check
    scan()

    assert pairs() == set()


def test_an_interrupted_scan_resumes_where_it_stopped(monkeypatch):
    monkeypatch.setattr(duplicate_scan, "KEYS_BATCH", 2)
    monkeypatch.setattr(duplicate_scan, "BLOCK_ROWS_BATCH", 3)
    people = [customer(f"Cliente {n} Souza", phone=f"+55 11 93765-432{n}") for n in range(5)]
    twins = [customer(f"Cliente {n} Souza", whatsapp=f"55113765432{n}") for n in range(5)]
    calls = []

    def stop_after_two_steps(progress):
        calls.append(progress)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scan(progress=stop_after_two_steps)
    unfinished = DuplicateScan.objects.get()
    assert unfinished.phase == DuplicateScan.Phase.KEYS
    assert unfinished.profiles_keyed == 4

    calls.clear()
    finished = scan(progress=lambda progress: calls.append(progress))

    assert finished.pk == unfinished.pk
    assert finished.profiles_keyed == 10
    assert [p.done for p in calls if p.phase == "keys"] == [6, 8, 10]
    assert pairs() == {pair(a, b) for a, b in zip(people, twins, strict=True)}
    keys = list(MatchKey.objects.filter(user__in=people).values_list("user_id", "key"))
    assert len(keys) == len(set(keys)) == 5 * 4  # written once: a phone line and three name keys each
    assert DuplicateScan.objects.count() == 1


def matchkey_has_its_foreign_key() -> bool:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, MatchKey._meta.db_table)
    return any(c["foreign_key"] == ("profiles_enduser", "id") for c in constraints.values())


@pytest.mark.postgres
def test_a_rebuild_drops_the_keys_foreign_key_while_loading_and_restores_it_without_orphans(monkeypatch):
    monkeypatch.setattr(duplicate_scan, "KEYS_BATCH", 2)
    people = [customer(f"Cliente {n} Souza", phone=f"+55 11 93765-432{n}") for n in range(3)]
    twin = customer("Cliente 0 Souza", whatsapp="5511937654320")

    def stop_in_the_keys_phase(progress):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scan(progress=stop_in_the_keys_phase)
    assert not matchkey_has_its_foreign_key()
    # Keys of a profile deleted while the foreign key was away (written from facts read just before).
    gone = EndUserFactory()
    MatchKey.objects.create(user=gone, key="p:+5511900000000")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM profiles_enduser WHERE id = %s", [gone.pk])

    scan()
    assert matchkey_has_its_foreign_key()
    assert not MatchKey.objects.filter(user_id=gone.pk).exists()
    assert pairs() == {pair(people[0], twin)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_big_full_scan_reads_its_next_blocks_while_scoring_and_finds_the_same_pairs(monkeypatch):
    # Committed data (the reads run on a second connection), a threshold lowered to these few profiles.
    monkeypatch.setattr(duplicate_scan, "PREFETCH_FROM", 1)
    monkeypatch.setattr(duplicate_scan, "BLOCK_ROWS_BATCH", 3)
    people = [customer(f"Cliente {n} Souza", phone=f"+55 11 93765-432{n}") for n in range(5)]
    twins = [customer(f"Cliente {n} Souza", whatsapp=f"55113765432{n}") for n in range(5)]
    scan()
    assert pairs() == {pair(a, b) for a, b in zip(people, twins, strict=True)}


def test_a_scan_since_a_date_looks_only_at_profiles_changed_since():
    old = customer("Ana Souza", phone="+55 11 98765-4321")
    old_twin = customer("Ana Souza", whatsapp="+55 11 98765-4321")
    EndUser.objects.filter(pk__in=[old.pk, old_twin.pk]).update(
        created_at=timezone.now() - timedelta(days=30), updated_at=timezone.now() - timedelta(days=30)
    )
    from profiles.models import Identity

    Identity.objects.update(created_at=timezone.now() - timedelta(days=30))
    new = customer("Bia Lima", phone="+55 21 99876-5432")
    new_twin = customer("Bia Lima", whatsapp="+55 21 99876-5432")

    scan(since=timezone.now() - timedelta(days=1))

    assert pairs() == {pair(new, new_twin)}


def test_a_scan_of_one_organization_compares_its_members_with_everyone():
    acme = OrganizationFactory(name="Acme")
    member = customer("Ana Souza", phone="+55 11 98765-4321")
    MembershipFactory(user=member, organization=acme)
    outsider_twin = customer("Ana Souza", whatsapp="+55 11 98765-4321")
    customer("Bia Lima", phone="+55 21 99876-5432")
    customer("Bia Lima", whatsapp="+55 21 99876-5432")
    scan()  # everyone's keys: a limited scan compares its profiles with the keys already stored
    DuplicateCandidate.objects.all().delete()

    scan(organization=acme)

    assert pairs() == {pair(member, outsider_twin)}


def test_namesakes_in_one_organization_are_compared_but_colleagues_are_not():
    acme = OrganizationFactory(name="Acme")
    people = [customer(name) for name in ("Ana Souza", "Ana Souza", "Pedro Lima")]
    for person in people:
        MembershipFactory(user=person, organization=acme)

    run = scan()

    assert run.pairs_compared == 1  # Ana/Ana only: Pedro's name is nothing alike


# --- the incremental check ------------------------------------------------------------------------


def test_creating_a_profile_checks_it_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ana = customer("Ana Souza", email="ana.souza@gmail.com")

    with django_capture_on_commit_callbacks(execute=True):
        new = create_profile(name="Ana Souza", identities=[NewIdentity("email", "anasouza+promo@gmail.com")])

    assert pairs() == {pair(ana, new)}


def test_adding_and_removing_an_identity_updates_the_profile_s_candidates(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ana = customer("Ana Souza", phone="+55 11 98765-4321")
        other = customer("Ana Souza")

    with django_capture_on_commit_callbacks(execute=True):
        identity = add_identity(user=other, kind="whatsapp", value="5511987654321")
    assert pairs() == {pair(ana, other)}

    with django_capture_on_commit_callbacks(execute=True):
        remove_identity(identity=identity)
    assert pairs() == set()


def test_renaming_a_profile_checks_it_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        maria = customer("Maria Silva", phone="+55 11 98765-4321")
        son = customer("Pedro Silva", whatsapp="+55 11 98765-4321")
    assert pairs() == set()  # a family sharing a phone

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(user=son, name="Maria Silva")

    assert pairs() == {pair(maria, son)}


def test_a_checked_profile_meets_profiles_keyed_by_an_earlier_scan():
    ana = customer("Ana Souza", phone="+55 11 98765-4321")
    scan()
    twin = customer("Ana Souza", whatsapp="+55 11 98765-4321")

    assert check_profile(user_id=twin.pk) == 1
    assert pairs() == {pair(ana, twin)}


@pytest.mark.parametrize(("members", "compared"), [(3, True), (4, False)])
def test_the_check_compares_namesakes_of_an_organization_only_up_to_the_population_limit(
    monkeypatch, members, compared
):
    monkeypatch.setattr(matching, "MAX_POPULATION_BLOCK", 3)
    monkeypatch.setattr(matching, "MAX_NAME_BLOCK", 3)  # the same name is a block of its own
    acme = OrganizationFactory(name="Acme")
    people = [customer("Ana Souza") for _ in range(members)]
    for person in people:
        MembershipFactory(user=person, organization=acme)
    for person in people:  # each checked after the ones before: the last meets the whole organization
        check_profile(user_id=person.pk)
    # Two Ana Souzas of one organization are a pair; an organization past the limit is no evidence at all.
    assert (pair(people[0], people[-1]) in pairs()) is compared


def test_the_check_is_a_handful_of_queries(django_assert_max_num_queries):
    acme = OrganizationFactory(name="Acme")
    for n in range(30):
        MembershipFactory(user=customer(f"Colleague {n}", phone=f"+55 11 98765-43{n:02d}"), organization=acme)
    scan()
    new = customer("Colleague 7", whatsapp="+55 11 98765-4307")
    MembershipFactory(user=new, organization=acme)

    # Facts (3), keys rewritten (2) and names counted (1), blocks (1 + 2 per population), the mates' facts (3),
    # name counts and desk size (2), the weights in force (1), candidates upserted and stale ones closed: the
    # same for any desk size, within the incremental check's budget of 20.
    with django_assert_max_num_queries(20):
        check_profile(user_id=new.pk)

    assert len(pairs()) == 1


def test_intake_offers_a_pair_when_a_contact_point_given_in_a_chat_belongs_to_another_profile(
    django_capture_on_commit_callbacks, task_worker
):
    owner = customer("Ana Souza", email="ana@acme.com")
    whatsapp = customer("Ana", whatsapp="+55 11 98765-4321")

    with django_capture_on_commit_callbacks(execute=True):
        record_contact(channel="whatsapp", contact_point="5511987654321", identities=[("email", "ana@acme.com")])
    task_worker()

    candidate = DuplicateCandidate.objects.get()
    assert (candidate.low_id, candidate.high_id) == pair(owner, whatsapp)
    assert "conflict" in candidate.reason_kinds
    assert candidate.reasons[0]["text"] == "a contact point given in a conversation of one belongs to the other"


def test_intake_creating_a_channel_profile_checks_it_in_the_task_worker(
    django_capture_on_commit_callbacks, task_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        ana = customer("Ana Souza", phone="+55 11 93765-4321")

    with django_capture_on_commit_callbacks(execute=True):
        result = record_contact(channel="whatsapp", contact_point="551137654321", name="Ana")
    assert pairs() == set()  # the provider's request did not wait for the check

    task_worker()

    assert pairs() == {pair(ana, EndUser.objects.get(pk=result.user_id))}


def test_with_the_check_in_the_request_intake_finds_the_pair_before_it_answers(
    django_capture_on_commit_callbacks, settings
):
    settings.ZDUSERS_DUPLICATE_CHECK_IN_BACKGROUND = False
    with django_capture_on_commit_callbacks(execute=True):
        ana = customer("Ana Souza", phone="+55 11 93765-4321")

    with django_capture_on_commit_callbacks(execute=True):
        result = record_contact(channel="whatsapp", contact_point="551137654321", name="Ana")

    assert pairs() == {pair(ana, EndUser.objects.get(pk=result.user_id))}


# --- decisions and merges -------------------------------------------------------------------------


def test_dismissing_twice_is_refused_with_a_message(agent):
    customer("Ana Souza", phone="+55 11 98765-4321")
    customer("Ana Souza", whatsapp="+55 11 98765-4321")
    scan()
    candidate = DuplicateCandidate.objects.get()
    dismiss(candidate=candidate, actor=agent)

    with pytest.raises(CandidateClosed, match=r"already closed \(not a duplicate\)"):
        dismiss(candidate=candidate, actor=agent)


def test_a_merge_closes_its_pairs_and_hands_the_rest_to_the_survivor(agent, django_capture_on_commit_callbacks):
    ana = customer("Ana Souza", phone="+55 11 98765-4321")
    twin = customer("Ana Souza", whatsapp="+55 11 98765-4321", email="ana.souza@gmail.com")
    triplet = customer("Ana Souza", email="anasouza@gmail.com")
    scan()
    assert pairs() == {pair(ana, twin), pair(twin, triplet)}

    with django_capture_on_commit_callbacks(execute=True):
        merge(survivor=ana, others=[twin], actor=agent)

    assert pairs(CandidateStatus.MERGED) == {pair(ana, twin)}
    assert pairs() == {pair(ana, triplet)}  # the twin's Gmail moved to Ana, and so did the pair
    assert not MatchKey.objects.filter(user=twin).exists()


def test_an_undone_merge_gives_the_restored_profiles_their_candidates_back(agent, django_capture_on_commit_callbacks):
    ana = customer("Ana Souza", phone="+55 11 98765-4321")
    twin = customer("Ana Souza", whatsapp="+55 11 98765-4321", email="ana.souza@gmail.com")
    triplet = customer("Ana Souza", email="anasouza@gmail.com")
    scan()
    with django_capture_on_commit_callbacks(execute=True):
        record = merge(survivor=ana, others=[twin], actor=agent)

    with django_capture_on_commit_callbacks(execute=True):
        unmerge(merge_record=record, actor=agent)

    assert pairs(CandidateStatus.MERGED) == {pair(ana, twin)}  # a merged pair never comes back by itself
    assert pairs() == {pair(twin, triplet)}


def test_checking_a_merged_away_profile_drops_its_keys_and_open_pairs():
    ana = customer("Ana Souza", phone="+55 11 98765-4321")
    twin = customer("Ana Souza", whatsapp="+55 11 98765-4321")
    scan()
    EndUser.objects.filter(pk=twin.pk).update(merged_into=ana)

    assert check_profile(user_id=twin.pk) == 0
    assert pairs() == set()
    assert not MatchKey.objects.filter(user=twin).exists()


def test_deleting_a_profile_deletes_its_candidates():
    customer("Ana Souza", phone="+55 11 98765-4321")
    twin = customer("Ana Souza", whatsapp="+55 11 98765-4321")
    scan()

    twin.identities.all().delete()
    twin.delete()

    assert DuplicateCandidate.objects.count() == 0


# --- the command ----------------------------------------------------------------------------------


def test_find_duplicates_reports_what_it_did(capsys):
    customer("Ana Souza", phone="+55 11 98765-4321")
    customer("Ana Souza", whatsapp="+55 11 98765-4321")

    call_command("find_duplicates", "--no-progress")

    out = capsys.readouterr().out
    assert "2 profiles keyed, 1 pairs compared, 1 new candidates." in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--since", "yesterday"], "--since 'yesterday': write a date as YYYY-MM-DD or an ISO date-time."),
        (["--since", "2026-02-30"], "--since '2026-02-30': no such date."),
        (["--org", "999"], "--org 999: no organization has this id."),
    ],
)
def test_find_duplicates_refuses_bad_arguments_and_starts_no_scan(arguments, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("find_duplicates", "--no-progress", *arguments)

    assert not DuplicateScan.objects.exists()


def test_a_rescan_of_unchanged_pairs_rewrites_no_candidate():
    ana = customer("Ana Souza", phone="+55 11 93765-4321")
    customer("Ana Souza", whatsapp="551137654321")
    scan()
    before = DuplicateCandidate.objects.get(low=ana)

    second = scan(restart=True)

    after = DuplicateCandidate.objects.get(low=ana)
    assert (after.updated_at, after.reasons, after.score) == (before.updated_at, before.reasons, before.score)
    assert after.found_in_scan == second.pk
