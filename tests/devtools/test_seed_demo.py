"""seed_demo: a believable data set that respects every constraint, and demo logins that work."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.test import RequestFactory

from devtools.demo_data import DemoData
from devtools.demo_loader import TABLES
from devtools.demo_phones import PHONE_PLANS
from devtools.demo_words import fold
from organizations.models import Membership, Organization, OrganizationDomain
from profiles.identities import normalize
from profiles.models import Contact, EndUser, Identity
from zdusers.roles import ADMINS, AGENTS

pytestmark = pytest.mark.django_db

CHANNELS_OF_KIND = {
    "email": {"email"},
    "phone": {"voice", "sms"},
    "whatsapp": {"whatsapp"},
    "messenger": {"messenger"},
    "instagram": {"instagram"},
    "telegram": {"telegram"},
    "x": {"x"},
    "line": {"line"},
    "sdk": {"web_chat", "sdk"},
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every run hashes two new passwords; the production hasher would dominate this file's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"\b(admin|agent) / (\S+)", output))


def row_counts() -> dict[str, int]:
    return {table.label: table.model.objects.count() for table in TABLES}


def name_tokens(name: str) -> set[str]:
    return set(fold(name).lower().split())


@pytest.fixture
def seeded() -> str:
    return seed("--users", "60")


def test_seed_creates_a_small_believable_data_set(seeded):
    assert "Created 60 demo end users (seed 42)" in seeded
    assert EndUser.objects.count() == 60
    assert Organization.objects.count() == 8  # users / 30, at least 8
    assert 8 <= OrganizationDomain.objects.count() <= 16
    assert OrganizationDomain.objects.filter(auto_assign=True).exists()
    assert 90 <= Identity.objects.count() <= 180
    assert 90 <= Contact.objects.count() <= 360
    members = EndUser.objects.filter(memberships__isnull=False).distinct().count()
    assert 27 <= members <= 54
    assert Membership.objects.values("user").annotate(n=Count("id")).filter(n=2).exists()
    assert {"email", "phone", "whatsapp"} <= set(Identity.objects.values_list("kind", flat=True))
    assert len(set(Contact.objects.values_list("channel", flat=True))) >= 4
    assert len(set(Contact.objects.values_list("status", flat=True))) >= 3
    assert set(EndUser.objects.values_list("source", flat=True)) == {"import", "agent", "channel", "api"}
    external_ids = list(EndUser.objects.exclude(external_id=None).values_list("external_id", flat=True))
    assert 6 <= len(external_ids) <= 30
    assert all(re.fullmatch(r"crm-\d{6}", external_id) for external_id in external_ids)
    assert any(fold(name) != name for name in EndUser.objects.values_list("name", flat=True))  # "João", "Núñez"


def test_every_identity_is_stored_with_the_key_normalize_gives_its_value(seeded):
    identities = list(Identity.objects.values_list("kind", "value", "normalized"))
    assert identities
    assert [(kind, value, normalize(kind, value)) for kind, value, _ in identities] == identities


def test_generated_identities_normalize_to_their_keys_on_a_larger_set():
    data = DemoData(users=1500, seed=3, now=datetime(2026, 1, 1, tzinfo=UTC))
    rows = [row for chunk in data.chunks() for row in chunk.identities]
    keys = [(kind, normalized) for _, _, kind, _, normalized, *_ in rows]
    assert len(keys) == len(set(keys))
    assert [row[4] for row in rows] == [normalize(row[2], row[3]) for row in rows]


def test_every_phone_prefix_in_every_written_format_is_a_valid_number():
    class FirstChoice:
        def __init__(self, index: int) -> None:
            self.index = index

        def choice(self, options):
            return options[self.index]

        def random(self) -> float:
            return 0.0  # whatsapp(): bare international digits

    for plan in PHONE_PLANS.values():
        for prefix_index in range(len(plan.prefixes)):
            for subscriber in (0, plan.scale - 1):
                e164, area, local = plan.at(prefix_index, subscriber)
                written = [plan.written(FirstChoice(i), area, local) for i in range(len(plan.formats))]
                written.append(plan.whatsapp(FirstChoice(0), e164, area, local))
                assert {normalize("phone", value) for value in written} == {e164}, written


def test_every_profile_with_memberships_has_exactly_one_default(seeded):
    defaults = Membership.objects.values("user").annotate(defaults=Count("id", filter=Q(is_default=True)))
    assert defaults
    assert {row["defaults"] for row in defaults} == {1}


def test_every_profile_has_exactly_one_primary_identity_per_kind(seeded):
    primaries = Identity.objects.values("user", "kind").annotate(primaries=Count("id", filter=Q(is_primary=True)))
    assert {row["primaries"] for row in primaries} == {1}


def test_contacts_follow_their_identity_and_the_requester_default_organization(seeded):
    default_org = dict(Membership.objects.filter(is_default=True).values_list("user_id", "organization_id"))
    now = datetime.now(UTC)
    for contact in Contact.objects.select_related("via_identity", "requester"):
        if contact.via_identity:
            assert contact.via_identity.user_id == contact.requester_id
            assert contact.channel in CHANNELS_OF_KIND[contact.via_identity.kind]
        else:
            assert contact.channel in {"walk_in", "voice", "other"}
        assert contact.organization_id == default_org.get(contact.requester_id)
        assert contact.requester.created_at <= contact.created_at <= now
        assert contact.created_at >= now - timedelta(days=731)
        assert contact.created_at.utcoffset() == timedelta(0)


def test_demo_logins_authenticate_with_the_printed_passwords(seeded):
    passwords = printed_passwords(seeded)
    admin = authenticate(login_request(), username="admin", password=passwords["admin"])
    agent = authenticate(login_request(), username="agent", password=passwords["agent"])
    assert admin.is_staff and admin.is_superuser
    assert list(admin.groups.values_list("name", flat=True)) == [ADMINS]
    assert agent.is_staff and not agent.is_superuser
    assert list(agent.groups.values_list("name", flat=True)) == [AGENTS]


def test_if_empty_on_a_seeded_database_creates_nothing_and_resets_the_passwords(seeded):
    before = row_counts()
    old = printed_passwords(seeded)

    output = seed("--if-empty")

    assert "Demo data already present (60 end users); demo logins reset:" in output
    assert row_counts() == before
    new = printed_passwords(output)
    for username in ("admin", "agent"):
        assert authenticate(login_request(), username=username, password=old[username]) is None
        assert authenticate(login_request(), username=username, password=new[username]).username == username


def test_if_empty_on_an_empty_database_seeds_it():
    output = seed("--if-empty", "--users", "20")

    assert EndUser.objects.count() == 20
    assert authenticate(login_request(), username="admin", password=printed_passwords(output)["admin"]) is not None


def test_a_database_with_end_users_is_refused_without_if_empty_or_append(seeded):
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        seed("--users", "10")

    assert str(refused.value) == (
        "The database already has 60 end users; use --if-empty to keep them or --append to add more."
    )
    assert row_counts() == before


def test_append_adds_end_users_next_to_the_existing_ones_with_the_same_seed(seeded):
    seed("--append", "--users", "40")

    assert EndUser.objects.count() == 100
    assert Identity.objects.filter(user__in=EndUser.objects.order_by("-id")[:40]).exists()


@pytest.mark.parametrize("users", ["0", "-5"])
def test_fewer_than_one_user_is_refused_and_nothing_is_written(users):
    with pytest.raises(CommandError, match=rf"^--users must be 1 or more \(got {users}\)\.$"):
        seed("--users", users)

    assert set(row_counts().values()) == {0}
    assert not User.objects.filter(username__in=["admin", "agent"]).exists()


def test_duplicates_include_the_same_number_as_phone_on_one_profile_and_whatsapp_on_another(seeded):
    phone_owners = {
        number: (user_id, name)
        for number, user_id, name in Identity.objects.filter(kind="phone").values_list(
            "normalized", "user_id", "user__name"
        )
    }
    pairs = [
        (phone_owners[number][1], name)
        for number, user_id, name in Identity.objects.filter(kind="whatsapp").values_list(
            "normalized", "user_id", "user__name"
        )
        if number in phone_owners and phone_owners[number][0] != user_id
    ]
    assert any(name_tokens(first) & name_tokens(second) for first, second in pairs)


def test_duplicates_include_an_email_only_profile_and_a_phone_only_profile_of_one_person(seeded):
    kinds: dict[int, set[str]] = {}
    for user_id, kind in Identity.objects.values_list("user_id", "kind"):
        kinds.setdefault(user_id, set()).add(kind)
    names = dict(EndUser.objects.values_list("id", "name"))
    email_only = [user for user, k in kinds.items() if k == {"email"}]
    phone_only = [user for user, k in kinds.items() if k and k <= {"phone", "whatsapp"}]
    assert any(len(name_tokens(names[a]) & name_tokens(names[b])) >= 2 for a in email_only for b in phone_only if a < b)


def test_the_same_seed_gives_the_same_rows_whatever_the_chunk_size():
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def rows(seed: int, chunk_size: int) -> list[list[tuple]]:
        data = DemoData(users=300, seed=seed, now=now)
        tables: list[list[tuple]] = [data.organizations, data.domains, [], [], [], []]
        for chunk in data.chunks(chunk_size):
            for table, chunk_rows in zip(
                tables[2:], (chunk.users, chunk.identities, chunk.memberships, chunk.contacts), strict=True
            ):
                table.extend(chunk_rows)
        return tables

    assert rows(7, 50) == rows(7, 1000)
    assert rows(7, 50) != rows(8, 50)


def test_generated_columns_are_exactly_the_model_fields():
    # A new model field must be generated too, or COPY would leave it NULL.
    for table in TABLES:
        # Generated columns (EndUser.name_folded) are computed by the database, never loaded.
        stored = {f.attname for f in table.model._meta.concrete_fields if not f.generated}
        assert set(table.columns) == stored, table.label


def login_request():
    """A request to pass to authenticate(): the login throttling (django-axes) keys its count on it."""
    return RequestFactory().post("/login/")
