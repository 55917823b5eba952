"""The per-kind rules table: every kind is complete, and what is derived from it holds for every kind."""

from __future__ import annotations

import pytest

from profiles.identities import (
    CHANNEL_KINDS,
    KIND_RULES,
    OPAQUE_HANDLE_KINDS,
    IdentityKind,
    join_cell,
    normalize,
    placeholder_name,
    split_cell,
)
from profiles.models import ContactChannel
from tests.factories import EndUserFactory, IdentityFactory

# One value of each kind, as a customer or a connector would write it.
WRITTEN = {
    IdentityKind.EMAIL: "Ana.Souza@Example.com",
    IdentityKind.PHONE: "+55 11 98765-4321",
    IdentityKind.WHATSAPP: "+52 55 1234 5678",
    IdentityKind.MESSENGER: "Ana.Souza.77",
    IdentityKind.INSTAGRAM: "@Ana_Souza",
    IdentityKind.X: "@AnaSouzaBR",
    IdentityKind.TELEGRAM: "@ana_s",
    IdentityKind.LINE: "U4af4980629Ab",
    IdentityKind.SDK: "visitor-8F3a",
    IdentityKind.OTHER: "CRM-00042",
}


def test_every_kind_has_rules_and_a_written_example():
    assert set(KIND_RULES) == set(IdentityKind.values) == set(WRITTEN)


def test_every_channel_but_walk_ins_has_the_kind_of_its_contact_point():
    assert set(CHANNEL_KINDS) == set(ContactChannel.values) - {ContactChannel.WALK_IN}
    assert set(CHANNEL_KINDS.values()) == set(IdentityKind.values)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", IdentityKind.values)
def test_the_directory_finds_a_profile_by_a_contact_point_of_every_kind(agent_client, kind):
    owner = EndUserFactory(name="Ana Souza")
    IdentityFactory(user=owner, kind=kind, value=WRITTEN[kind])
    EndUserFactory(name="Somebody Else")
    # As the search help says: an email or a number as written, a handle or id after an "@".
    query = WRITTEN[kind] if kind in ("email", "phone", "whatsapp") else "@" + WRITTEN[kind].lstrip("@")
    response = agent_client.get("/users/", {"q": query}, follow=True)
    page = response.content.decode()
    # An exact contact point jumps to its owner; a handle lists it.
    landed_or_listed = response.redirect_chain[-1][0] if response.redirect_chain else page
    assert f"/users/{owner.pk}/" in landed_or_listed
    assert "Somebody Else" not in page


@pytest.mark.parametrize("kind", sorted(OPAQUE_HANDLE_KINDS))
def test_opaque_ids_keep_their_case(kind):
    assert normalize(kind, WRITTEN[kind]) == WRITTEN[kind]


@pytest.mark.parametrize(
    ("kind", "key", "name"),
    [
        (IdentityKind.EMAIL, "ana.souza87+shop@example.com", "Ana Souza"),
        (IdentityKind.PHONE, "+5511987654321", "+55 11 98765-4321"),
        (IdentityKind.WHATSAPP, "+5511987654321", "+55 11 98765-4321"),
        (IdentityKind.INSTAGRAM, "ana_souza", "@ana_souza"),
        (IdentityKind.LINE, "U4af4980629Ab", "LINE user U4af4980629Ab"),
        (IdentityKind.SDK, "visitor-8F3a", "Web visitor visitor-8F3a"),
        (IdentityKind.MESSENGER, "ana.souza.77", "ana.souza.77"),
    ],
)
def test_a_profile_known_only_by_a_contact_point_gets_a_readable_name(kind, key, name):
    assert placeholder_name(kind, key) == name


@pytest.mark.parametrize(
    ("kind", "cell", "values"),
    [
        (IdentityKind.EMAIL, "a@x.com b@x.com|c@x.com", ["a@x.com", "b@x.com", "c@x.com"]),
        (IdentityKind.PHONE, "+55 11 98765-4321 | (11) 3333-4444", ["+55 11 98765-4321", "(11) 3333-4444"]),
        (IdentityKind.WHATSAPP, "+55 11 98765-4321|+52 1 55 1234 5678", ["+55 11 98765-4321", "+52 1 55 1234 5678"]),
        (IdentityKind.INSTAGRAM, "@ana @bia|@cris", ["@ana", "@bia", "@cris"]),
    ],
)
def test_an_import_cell_splits_as_its_kind_says_and_an_export_joins_it_back(kind, cell, values):
    assert split_cell(kind, cell) == values
    assert split_cell(kind, join_cell(kind, values)) == values
