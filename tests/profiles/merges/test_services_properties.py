"""Properties of merge() and unmerge() on random profiles: nothing is lost, and an undo restores exactly.

Each example builds its own profiles inside a savepoint that is rolled back at the
end, so examples never see each other's rows.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.models import Membership, Organization
from profiles.merges.services import merge, unmerge
from profiles.models import MERGE_FIELDS, Contact, EndUser, Identity

pytestmark = pytest.mark.django_db

KINDS = ("email", "phone", "x")
ORGANIZATIONS = 3
WHEN = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)

kind_spec = st.tuples(st.integers(0, 3), st.none() | st.integers(0, 2))  # how many, which one is primary
profile_spec = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Ana", "Ana Souza", "Bob"]),
        "locale": st.sampled_from(["", "en", "pt-BR"]),
        "time_zone": st.sampled_from(["", "UTC", "Europe/Lisbon"]),
        "details": st.sampled_from(["", "VIP customer"]),
        "notes": st.sampled_from(["", "Called twice.", "Prefers email"]),
        "tags": st.lists(st.sampled_from(["b2b", "churn", "vip"]), unique=True).map(sorted),
        "external_id": st.booleans(),
        "suspended": st.booleans(),
        "identities": st.tuples(*(kind_spec for _ in KINDS)),
        "contacts": st.integers(0, 4),
        "memberships": st.lists(st.integers(0, ORGANIZATIONS - 1), unique=True, max_size=ORGANIZATIONS),
        "default_membership": st.integers(0, ORGANIZATIONS - 1),  # which of its memberships is the default
    }
)
merge_spec = st.fixed_dictionaries(
    {
        "profiles": st.lists(profile_spec, min_size=2, max_size=4),
        "survivor": st.integers(0, 3),
        "choices": st.dictionaries(st.sampled_from(MERGE_FIELDS), st.integers(0, 3)),
        "default_organization": st.none() | st.integers(0, ORGANIZATIONS - 1),
    }
)


def build(spec: dict) -> tuple[EndUser, list[EndUser], dict[str, int]]:
    """The profiles of `spec`, and the merge arguments: survivor, others, field choices."""
    organizations = [Organization.objects.create(name=f"Org {n}") for n in range(ORGANIZATIONS)]
    users = []
    counter = 0
    for index, p in enumerate(spec["profiles"]):
        user = EndUser.objects.create(
            name=p["name"],
            locale=p["locale"],
            time_zone=p["time_zone"],
            details=p["details"],
            notes=p["notes"],
            tags=p["tags"],
            external_id=f"ext-{index}" if p["external_id"] else None,
            suspended=p["suspended"],
        )
        users.append(user)
        identities = []
        for kind, (count, primary) in zip(KINDS, p["identities"], strict=True):
            for n in range(count):
                counter += 1
                key = {"email": f"u{counter}@example.com", "phone": f"+551198765{counter:04d}", "x": f"h{counter}"}
                identities.append(
                    Identity(user=user, kind=kind, value=key[kind], normalized=key[kind], is_primary=n == primary)
                )
        Identity.objects.bulk_create(identities)
        Contact.objects.bulk_create(
            Contact(requester=user, channel="email", subject=f"#{n}", created_at=WHEN) for n in range(p["contacts"])
        )
        # A profile with organizations has exactly one default (the services keep it so); identities are
        # generated more freely: a kind may lack a primary, and merge and unmerge must cope with that too.
        default = p["memberships"][p["default_membership"] % len(p["memberships"])] if p["memberships"] else None
        Membership.objects.bulk_create(
            Membership(user=user, organization=organizations[o], is_default=o == default) for o in p["memberships"]
        )
    survivor_index = spec["survivor"] % len(users)
    survivor = users[survivor_index]
    others = [user for n, user in enumerate(users) if n != survivor_index]
    choices = {field: users[index % len(users)].pk for field, index in spec["choices"].items()}
    if len({user.external_id for user in users if user.external_id}) > 1 and "external_id" not in choices:
        choices["external_id"] = survivor.pk
    chosen = spec["default_organization"]
    if chosen is not None and any(chosen in p["memberships"] for p in spec["profiles"]):
        choices["default_organization"] = organizations[chosen].pk
    return survivor, others, choices


def snapshot(user_ids: list[int]) -> dict[str, list]:
    """Every row of these profiles as the database holds it (updated_at aside: saving sets it)."""
    user_fields = [f.attname for f in EndUser._meta.concrete_fields if f.attname != "updated_at"]
    return {
        "users": list(EndUser.objects.filter(pk__in=user_ids).order_by("pk").values_list(*user_fields)),
        "identities": list(
            Identity.objects.filter(user_id__in=user_ids)
            .order_by("pk")
            .values_list(*(f.attname for f in Identity._meta.concrete_fields))
        ),
        "contacts": list(
            Contact.objects.filter(requester_id__in=user_ids)
            .order_by("pk")
            .values_list(*(f.attname for f in Contact._meta.concrete_fields))
        ),
        "memberships": list(
            Membership.objects.filter(user_id__in=user_ids)
            .order_by("pk")
            .values_list(*(f.attname for f in Membership._meta.concrete_fields))
        ),
    }


def in_rolled_back_savepoint(check):
    def run(spec):
        with transaction.atomic():
            check(spec)
            transaction.set_rollback(True)

    return run


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=merge_spec)
def test_merge_keeps_every_row_on_the_survivor(db, spec):
    @in_rolled_back_savepoint
    def check(spec):
        survivor, others, choices = build(spec)
        ids = [survivor.pk, *(o.pk for o in others)]
        identities = set(Identity.objects.filter(user_id__in=ids).values_list("pk", flat=True))
        contacts = set(Contact.objects.filter(requester_id__in=ids).values_list("pk", flat=True))
        organizations = set(Membership.objects.filter(user_id__in=ids).values_list("organization_id", flat=True))
        tags = {tag for user in (survivor, *others) for tag in user.tags}
        values = {user.pk: {field: getattr(user, field) for field in MERGE_FIELDS} for user in (survivor, *others)}
        primary_kinds = set(
            Identity.objects.filter(user_id__in=ids, is_primary=True).values_list("kind", flat=True).distinct()
        )

        merge(survivor=survivor, others=others, field_choices=choices, actor=None, confirm_suspended=True)

        assert set(Identity.objects.filter(user_id=survivor.pk).values_list("pk", flat=True)) == identities
        assert set(Contact.objects.filter(requester_id=survivor.pk).values_list("pk", flat=True)) == contacts
        memberships = list(Membership.objects.filter(user_id=survivor.pk).values_list("organization_id", "is_default"))
        assert {organization for organization, _ in memberships} == organizations
        assert len(memberships) == len(organizations)
        if memberships:
            assert sum(is_default for _, is_default in memberships) == 1
        kept_primaries = set(
            Identity.objects.filter(user_id=survivor.pk, is_primary=True).values_list("kind", flat=True)
        )
        assert kept_primaries == primary_kinds
        survivor.refresh_from_db()
        assert set(survivor.tags) == tags
        assert not survivor.is_tombstone
        assert set(
            EndUser.objects.filter(pk__in=ids).exclude(pk=survivor.pk).values_list("merged_into_id", flat=True)
        ) == {survivor.pk}
        for field, chosen in choices.items():
            if field in MERGE_FIELDS:
                assert getattr(survivor, field) == values[chosen][field]

    check(spec)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=merge_spec)
def test_unmerge_restores_the_profiles_exactly(db, spec):
    @in_rolled_back_savepoint
    def check(spec):
        survivor, others, choices = build(spec)
        ids = [survivor.pk, *(o.pk for o in others)]
        before = snapshot(ids)

        record = merge(survivor=survivor, others=others, field_choices=choices, actor=None, confirm_suspended=True)
        unmerge(merge_record=record, actor=None)

        assert snapshot(ids) == before

    check(spec)
