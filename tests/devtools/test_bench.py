"""`manage.py bench` measures every budgeted operation and prints JSON (figures are not asserted)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from intake.models import InboundDelivery, WebhookChannel
from organizations.models import Membership, OrganizationDomain
from profiles.models import Contact, EndUser, Identity, MergeRecord
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_merges(monkeypatch):
    """The merge operations write 1,000 contacts per profile in every round; a few do here, to keep tests fast."""
    monkeypatch.setattr("devtools.management.commands.bench.MERGE_CONTACTS_PER_PROFILE", 30)


@pytest.fixture
def customers(db):
    for n in range(12):
        user = EndUserFactory(name=f"Cliente Souza{n}")
        add_identity(user=user, kind="email", value=f"cliente{n}@example.com")
        add_identity(user=user, kind="phone", value=f"+55 11 98765-43{n:02d}")


def test_bench_prints_json_with_timings_and_query_counts_for_each_operation(customers):
    out = StringIO()
    call_command("bench", runs=2, stdout=out)
    report = json.loads(out.getvalue())
    operations = report["operations"]
    assert {
        "baseline_pk_fetch",
        "exact_lookup_email",
        "exact_lookup_phone_national_format",
        "admin_enduser_list",
        "intake_contacts_per_second",
    } <= set(operations)
    for result in operations.values():
        assert result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
        assert result["max_queries"] >= 1
    assert report["end_users"] == 12


def test_bench_runs_only_the_operations_asked_for(customers):
    out = StringIO()
    call_command("bench", runs=1, only="exact_lookup_email", stdout=out)
    assert set(json.loads(out.getvalue())["operations"]) == {"baseline_pk_fetch", "exact_lookup_email"}


def table_sizes() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (EndUser, Identity, Contact, Membership))


def test_the_intake_figure_is_contacts_per_second_and_the_bench_deletes_what_it_recorded(customers):
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.example", auto_assign=True)
    before = table_sizes()
    out = StringIO()
    call_command("bench", runs=3, only="intake_contacts_per_second", stdout=out)
    intake = json.loads(out.getvalue())["operations"]["intake_contacts_per_second"]
    assert (intake["contacts"], intake["known_share"]) == (60, 0.5)
    assert intake["contacts_per_second"] > 0 and intake["seconds"] > 0
    assert intake["p50_ms"] <= intake["p95_ms"] <= intake["max_ms"]
    assert intake["max_queries"] >= 4
    assert table_sizes() == before


@pytest.mark.parametrize(
    ("operation", "kind", "value"),
    [
        ("whatsapp_webhook_messages_per_second", "whatsapp", "5521999{pk:06d}"),
        ("twilio_webhook_messages_per_second", "phone", "+5521998{pk:06d}"),
        ("email_webhook_messages_per_second", "email", "bench.customer.{pk}@example.com"),
    ],
)
def test_each_webhook_figure_is_messages_per_second_and_the_bench_deletes_what_it_recorded(
    customers, operation, kind, value
):
    for user in EndUser.objects.all()[:4]:
        add_identity(user=user, kind=kind, value=value.format(pk=user.pk))
    before = (*table_sizes(), WebhookChannel.objects.count(), InboundDelivery.objects.count())
    out = StringIO()
    call_command("bench", runs=2, only=operation, stdout=out)
    webhook = json.loads(out.getvalue())["operations"][operation]
    assert webhook["messages"] == 40
    assert 0 < webhook["known_share"] <= 0.5  # the known customers' contact points, the rest new ones
    assert webhook["messages_per_second"] > 0 and webhook["seconds"] > 0
    assert webhook["p50_ms"] <= webhook["p95_ms"] <= webhook["max_ms"]
    assert webhook["max_queries"] >= 4
    assert (*table_sizes(), WebhookChannel.objects.count(), InboundDelivery.objects.count()) == before


def test_the_merge_operations_merge_fresh_profiles_and_roll_every_round_back(customers):
    for user in EndUser.objects.all():
        MembershipFactory(user=user, is_default=True)
    before = (*table_sizes(), MergeRecord.objects.count())
    out = StringIO()
    call_command("bench", runs=2, only="merge_page,merge_two_profiles,merge_ten_profiles", stdout=out)
    operations = json.loads(out.getvalue())["operations"]
    assert set(operations) == {"baseline_pk_fetch", "merge_page", "merge_two_profiles", "merge_ten_profiles"}
    for name in ("merge_page", "merge_two_profiles", "merge_ten_profiles"):
        assert 0 < operations[name]["p50_ms"] <= operations[name]["p95_ms"] <= operations[name]["max_ms"]
    assert operations["merge_page"]["max_queries"] <= 15  # the budget for the confirmation page
    # Timed: the service's locks, moves and record, not the setup that wrote the profiles and their contacts.
    assert 10 <= operations["merge_two_profiles"]["max_queries"] < 40
    assert 10 <= operations["merge_ten_profiles"]["max_queries"] < 40
    assert (*table_sizes(), MergeRecord.objects.count()) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [({"runs": 0}, "--runs must be at least 1."), ({"only": "teleport"}, "Unknown operation(s): teleport.")],
)
def test_bench_refuses_bad_arguments_with_a_clear_message(customers, options, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("bench", stdout=StringIO(), **options)


def test_bench_on_an_empty_database_says_to_seed_first(db):
    with pytest.raises(CommandError, match=r"run `manage\.py seed_demo` first"):
        call_command("bench", runs=1, stdout=StringIO())


def test_bench_measures_profile_and_organization_pages_when_there_are_memberships(customers):
    from profiles.models import EndUser
    from tests.factories import MembershipFactory

    for user in EndUser.objects.all():
        MembershipFactory(user=user, is_default=True)
    out = StringIO()
    call_command("bench", runs=1, stdout=out)
    operations = json.loads(out.getvalue())["operations"]
    assert {"profile_page", "directory_by_organization", "organization_members", "organization_report"} <= set(
        operations
    )


def test_the_duplicate_operations_check_a_profile_and_show_the_queue_leaving_the_candidates_as_they_were(customers):
    from profiles.duplicates.scan import scan
    from profiles.models import DuplicateCandidate

    twin = EndUserFactory(name="Cliente Souza3")
    add_identity(user=twin, kind="whatsapp", value="+55 11 98765-4303")
    scan()
    before = list(DuplicateCandidate.objects.values_list("low_id", "high_id", "status", "score"))
    assert before
    names = "duplicate_check_incremental,duplicates_queue_page,duplicates_queue_by_reason,duplicate_compare_page"

    out = StringIO()
    call_command("bench", runs=2, only=names, stdout=out)

    operations = json.loads(out.getvalue())["operations"]
    assert set(operations) == {"baseline_pk_fetch", *names.split(",")}
    assert operations["duplicate_check_incremental"]["max_queries"] <= 19
    assert list(DuplicateCandidate.objects.values_list("low_id", "high_id", "status", "score")) == before


# --- bench_anchor: zdusers' pages against the tuned Django admin anchor, interleaved ----------------------------


FAKE_ANCHOR_BENCH = """
import json, sys
case = sys.argv[sys.argv.index("--cases") + 1]
if case == "2":
    sys.exit("anchor database missing")
print(json.dumps({"results": {"tuned": {f"{case}_case": {"p95_ms": 10.0 * int(case)}}}}))
"""


@pytest.fixture
def anchor_dir(tmp_path):
    """A stand-in for the anchor project: a bench.py that answers in the anchor's JSON form."""
    (tmp_path / "bench.py").write_text(FAKE_ANCHOR_BENCH, encoding="utf-8")
    return tmp_path


def test_bench_anchor_pairs_each_anchor_case_with_zdusers_operations_and_prints_ratios(customers, anchor_dir):
    out = StringIO()
    call_command("bench_anchor", anchor_dir=anchor_dir, rounds=1, runs=1, cases="3", as_json=True, stdout=out)
    text = out.getvalue()

    assert "| case | tuned admin | zdusers operation | zdusers | ratio |" in text
    figures = json.loads(text[text.index("[") :])
    assert [row["operation"] for row in figures] == ["directory_search_email", "admin_enduser_search_email"]
    for row in figures:
        assert row["anchor_p95_ms"] == 30.0
        assert row["ratio"] == round(row["p95_ms"] / 30.0, 2)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rounds": 0}, "--rounds and --runs must be at least 1."),
        ({"cases": "7"}, "Unknown case(s): 7; the anchor has cases 1 to 6."),
    ],
)
def test_bench_anchor_refuses_bad_arguments(customers, anchor_dir, options, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("bench_anchor", anchor_dir=anchor_dir, stdout=StringIO(), **options)


def test_bench_anchor_says_where_it_looked_for_the_anchor(customers, tmp_path):
    with pytest.raises(CommandError, match=f"No anchor at {tmp_path}"):
        call_command("bench_anchor", anchor_dir=tmp_path, stdout=StringIO())


def test_bench_anchor_reports_a_failing_anchor_with_its_last_words(customers, anchor_dir):
    with pytest.raises(CommandError, match=r"The anchor's bench\.py failed on case 2: anchor database missing"):
        call_command("bench_anchor", anchor_dir=anchor_dir, rounds=1, runs=1, cases="2", stdout=StringIO())
