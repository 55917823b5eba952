"""Identity services: contact points are validated, owned once, and each kind keeps one primary."""

from __future__ import annotations

import pytest

from profiles.errors import IdentityTaken, InvalidIdentity
from profiles.models import Contact, Identity
from profiles.services.identities import add_identity, remove_identity, save_identity
from tests.factories import ContactFactory, EndUserFactory

pytestmark = pytest.mark.django_db


def test_add_identity_stores_the_value_as_written_and_the_normalized_key():
    user = EndUserFactory()
    identity = add_identity(user=user, kind="phone", value=" +55 (11) 98765-4321 ")
    assert identity.value == "+55 (11) 98765-4321"
    assert identity.normalized == "+5511987654321"


def test_the_first_identity_of_a_kind_becomes_primary_and_later_ones_do_not():
    user = EndUserFactory()
    first = add_identity(user=user, kind="email", value="ana@example.com")
    second = add_identity(user=user, kind="email", value="ana.souza@work.example")
    phone = add_identity(user=user, kind="phone", value="+5511987654321")
    assert (first.is_primary, second.is_primary, phone.is_primary) == (True, False, True)


def test_making_an_identity_primary_demotes_the_previous_primary():
    user = EndUserFactory()
    first = add_identity(user=user, kind="email", value="ana@example.com")
    second = add_identity(user=user, kind="email", value="ana@work.example", primary=True)
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary


def test_unticking_the_only_primary_keeps_it_primary():
    identity = add_identity(user=EndUserFactory(), kind="email", value="ana@example.com")
    save_identity(identity=identity, make_primary=False)
    identity.refresh_from_db()
    assert identity.is_primary


def test_a_contact_point_owned_by_another_profile_is_refused_naming_the_owner():
    owner = EndUserFactory(name="Ana Souza")
    add_identity(user=owner, kind="email", value="ana@example.com")
    other = EndUserFactory()
    with pytest.raises(IdentityTaken) as caught:
        add_identity(user=other, kind="email", value="ANA@Example.com ")
    assert str(caught.value) == f"The email ana@example.com already belongs to Ana Souza (#{owner.pk})."
    assert not other.identities.exists()


@pytest.mark.parametrize(
    ("kind", "value", "said"),
    [
        ("phone", "+55 11 98765-4321", "The phone number +5511987654321"),
        ("whatsapp", "5511987654321", "The WhatsApp number +5511987654321"),
        ("instagram", "@Ana.Souza", "The Instagram handle ana.souza"),
        ("line", "U1234abcd", "The LINE handle U1234abcd"),
    ],
)
def test_a_taken_contact_point_is_named_by_its_kind_in_lower_case_words(kind, value, said):
    owner = EndUserFactory(name="Ana Souza")
    add_identity(user=owner, kind=kind, value=value)
    with pytest.raises(IdentityTaken) as caught:
        add_identity(user=EndUserFactory(), kind=kind, value=value)
    assert str(caught.value) == f"{said} already belongs to Ana Souza (#{owner.pk})."


def test_an_invalid_value_is_refused_and_nothing_is_written():
    user = EndUserFactory()
    with pytest.raises(InvalidIdentity, match="'12' is not a valid phone number"):
        add_identity(user=user, kind="phone", value="12")
    assert not Identity.objects.exists()


def test_removing_the_primary_promotes_the_oldest_remaining_and_keeps_contacts():
    user = EndUserFactory()
    primary = add_identity(user=user, kind="email", value="ana@example.com")
    older = add_identity(user=user, kind="email", value="ana@old.example")
    add_identity(user=user, kind="email", value="ana@new.example")
    contact = ContactFactory(requester=user, via_identity=primary)
    remove_identity(identity=primary)
    older.refresh_from_db()
    assert older.is_primary
    assert Contact.objects.get(pk=contact.pk).requester_id == user.pk
    assert Contact.objects.get(pk=contact.pk).via_identity_id is None
