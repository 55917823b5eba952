"""Contacts logged by hand: on a chosen profile, or for a caller matched by number; all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from intake.inbound import MAX_SUMMARY_BYTES
from intake.services.manual_contacts import log_contact_by_hand, log_contact_for_caller
from organizations.models import Membership, OrganizationDomain
from profiles.errors import IdentityTaken, InvalidIdentity, ProfileError
from profiles.models import Contact, EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 1, 20, 14, 3, tzinfo=UTC)


def counts() -> tuple[int, int, int, int]:
    return (EndUser.objects.count(), Identity.objects.count(), Contact.objects.count(), Membership.objects.count())


def customer(name: str = "Ana Souza", **identities: str) -> EndUser:
    user = EndUserFactory(name=name)
    for kind, value in identities.items():
        add_identity(user=user, kind=kind, value=value)
    return user


def log(user: EndUser, **kwargs):
    kwargs.setdefault("channel", "voice")
    kwargs.setdefault("summary", "Asked about her refund.")
    return log_contact_by_hand(user=user, **kwargs)


# --- log_contact_by_hand ------------------------------------------------------------------------------------


def test_a_call_through_one_of_the_profiles_numbers_is_recorded_as_given(agent):
    ana = customer(phone="+55 11 98765-4321")
    phone = ana.identities.get()
    logged = log(ana, via_identity=phone, subject="  Refund   1042 ", occurred_at=WHEN, actor=agent)
    contact = logged.contact
    assert (contact.requester, contact.via_identity, contact.channel) == (ana, phone, "voice")
    assert (contact.subject, contact.summary, contact.status) == ("Refund 1042", "Asked about her refund.", "new")
    assert contact.created_at == WHEN and contact.source_ref is None
    assert not logged.created_user and logged.added == () and not logged.has_email


def test_the_contact_belongs_to_the_profiles_default_organization():
    ana = customer()
    MembershipFactory(user=ana, organization=OrganizationFactory(name="Other"), is_default=False)
    acme = OrganizationFactory(name="Acme")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    assert log(ana).contact.organization == acme
    assert log(customer("Bruno")).contact.organization is None


def test_without_a_time_the_contact_happened_now():
    before = timezone.now()
    assert before <= log(customer()).contact.created_at <= timezone.now()


def test_a_new_number_the_caller_gives_is_added_to_the_profile_and_is_the_way_in():
    ana = customer(phone="+55 11 98765-4321")
    logged = log(ana, phone="+55 21 99876-5432")
    new = Identity.objects.get(normalized="+5521998765432")
    assert new.user == ana and new.kind == "phone" and not new.is_primary
    assert logged.contact.via_identity == new and logged.added == (new,)


def test_a_number_the_profile_already_has_is_reused_not_added():
    ana = customer(phone="+55 11 98765-4321")
    logged = log(ana, phone="+55 (11) 98765 4321")
    assert logged.contact.via_identity == ana.identities.get() and logged.added == ()
    assert Identity.objects.count() == 1


def test_a_number_the_profile_has_as_whatsapp_is_the_way_in_for_a_call():
    ana = customer(whatsapp="+55 11 98765-4321")
    logged = log(ana, phone="+55 11 98765-4321")
    assert logged.contact.via_identity.kind == "whatsapp" and Identity.objects.count() == 1


def test_a_typed_number_wins_over_the_chosen_identity():
    ana = customer(phone="+55 11 98765-4321")
    logged = log(ana, via_identity=ana.identities.get(), phone="+55 21 99876-5432")
    assert logged.contact.via_identity.normalized == "+5521998765432"


def test_a_walk_in_comes_through_no_contact_point_but_keeps_the_number_given():
    ana = customer(phone="+55 11 98765-4321")
    logged = log(ana, channel="walk_in", via_identity=ana.identities.get(), phone="+55 21 99876-5432")
    assert logged.contact.channel == "walk_in" and logged.contact.via_identity is None
    assert ana.identities.filter(normalized="+5521998765432").exists()


def test_an_other_contact_may_come_through_any_identity_of_the_profile():
    ana = customer(email="ana@example.com")
    email = ana.identities.get()
    logged = log(ana, channel="other", via_identity=email)
    assert logged.contact.via_identity == email and logged.has_email


def test_the_email_asked_for_is_added_in_the_same_transaction():
    ana = customer(phone="+55 11 98765-4321")
    logged = log(ana, email=" Ana@Example.com ")
    email = ana.identities.get(kind="email")
    assert (email.normalized, email.is_primary) == ("ana@example.com", True)
    assert logged.has_email and email in logged.added


def test_an_email_the_profile_already_has_is_not_added_twice():
    ana = customer(email="ana@example.com")
    assert log(ana, email="ANA@example.com").added == ()
    assert Identity.objects.count() == 1


def test_a_number_another_profile_owns_is_refused_naming_the_owner_and_nothing_is_written():
    bruno = customer("Bruno Lima", phone="+55 21 99876-5432")
    ana = customer()
    before = counts()
    with pytest.raises(IdentityTaken) as refused:
        log(ana, phone="+55 21 99876-5432", email="ana@example.com")
    assert refused.value.owner_id == bruno.pk and "Bruno Lima" in refused.value.message
    assert counts() == before


def test_a_number_another_profile_has_as_whatsapp_is_refused_too():
    bruno = customer("Bruno Lima", whatsapp="+55 21 99876-5432")
    with pytest.raises(IdentityTaken) as refused:
        log(customer(), phone="+55 21 99876-5432")
    assert refused.value.owner_id == bruno.pk


def test_an_email_another_profile_owns_is_refused_and_the_new_number_is_not_kept():
    customer("Bruno Lima", email="bruno@example.com")
    ana = customer()
    before = counts()
    with pytest.raises(IdentityTaken, match="already belongs to Bruno Lima"):
        log(ana, phone="+55 11 98765-4321", email="bruno@example.com")
    assert counts() == before


def test_a_contact_point_owned_by_a_merged_profile_names_its_survivor():
    survivor = customer("Bruno Lima")
    old = customer("Bruno L.", phone="+55 21 99876-5432")
    EndUser.objects.filter(pk=old.pk).update(merged_into=survivor)
    with pytest.raises(IdentityTaken) as refused:
        log(customer(), phone="+55 21 99876-5432")
    assert refused.value.owner_id == survivor.pk


def test_an_unreadable_number_or_email_is_refused_before_anything_is_written():
    ana = customer()
    with pytest.raises(InvalidIdentity, match="not a valid phone number"):
        log(ana, phone="12", email="ana@example.com")
    with pytest.raises(InvalidIdentity, match="not a valid email"):
        log(ana, phone="+55 11 98765-4321", email="ana-at-example")
    assert counts() == (1, 0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"channel": "email"}, "arrive through their channel"),
        ({"channel": "whatsapp"}, "log only these by hand: Phone call, Walk-in, Other"),
        ({"summary": "   "}, "Write a short summary"),
        ({"subject": "x" * 256}, "the limit is 255"),
        ({"summary": "x" * (MAX_SUMMARY_BYTES + 1)}, "longer than 64 KiB"),
        ({"summary": "a\x00b"}, "NUL character"),
        ({"occurred_at": datetime(2026, 1, 20, 14, 3)}, "no time zone"),
        ({"occurred_at": timezone.now() + timedelta(hours=1)}, "in the future"),
        ({"occurred_at": datetime(1, 1, 1, tzinfo=UTC)}, "before 1990-01-01"),
    ],
)
def test_what_cannot_be_recorded_is_refused_with_a_reason(changes, message):
    ana = customer()
    with pytest.raises(ProfileError, match=message):
        log(ana, **changes)
    assert Contact.objects.count() == 0


def test_an_identity_of_another_profile_is_refused():
    bruno = customer("Bruno Lima", phone="+55 21 99876-5432")
    with pytest.raises(ProfileError, match="not one of Ana Souza's contact points"):
        log(customer(), via_identity=bruno.identities.get())
    assert Contact.objects.count() == 0


def test_a_call_through_an_email_address_is_refused():
    ana = customer(email="ana@example.com")
    with pytest.raises(ProfileError, match="A phone call comes from a phone number"):
        log(ana, via_identity=ana.identities.get())


def test_a_merged_away_profile_is_refused():
    survivor = customer("Ana Souza")
    old = customer("Ana S.")
    EndUser.objects.filter(pk=old.pk).update(merged_into=survivor)
    with pytest.raises(ProfileError, match="log the contact on the surviving profile"):
        log(old)
    assert Contact.objects.count() == 0


# --- log_contact_for_caller -------------------------------------------------------------------------------


def call(**kwargs):
    kwargs.setdefault("name", "")
    kwargs.setdefault("channel", "voice")
    kwargs.setdefault("summary", "Called about an invoice.")
    return log_contact_for_caller(**kwargs)


def test_a_caller_whose_number_is_known_lands_on_its_owner_whatever_the_name():
    ana = customer(phone="+55 11 98765-4321")
    logged = call(name="Someone Else", phone="+55 (11) 98765-4321 ")
    assert logged.user == ana and not logged.created_user
    assert logged.contact.via_identity == ana.identities.get()
    assert EndUser.objects.count() == 1


def test_a_known_number_of_a_merged_profile_lands_on_the_survivor():
    survivor = customer("Ana Souza")
    old = customer("Ana S.", phone="+55 11 98765-4321")
    EndUser.objects.filter(pk=old.pk).update(merged_into=survivor)
    logged = call(phone="+55 11 98765-4321")
    assert logged.user == survivor and logged.contact.requester == survivor


def test_without_a_number_the_owner_of_the_email_gets_the_contact_through_that_email():
    ana = customer(email="ana@example.com")
    logged = call(email="ANA@example.com")
    assert logged.user == ana and logged.has_email and logged.contact.via_identity == ana.identities.get()


def test_the_other_contact_point_given_is_added_to_the_owner():
    ana = customer(phone="+55 11 98765-4321")
    logged = call(phone="+55 11 98765-4321", email="ana@example.com")
    assert logged.user == ana and [i.normalized for i in logged.added] == ["ana@example.com"]


def test_a_caller_is_recognised_by_a_number_the_profile_has_only_as_whatsapp():
    maria = customer("Maria Dias", whatsapp="+55 11 91436 1445")
    logged = call(phone="+55 11 91436 1445")
    assert logged.user == maria and not logged.created_user and logged.added == ()
    assert logged.recognised_by == logged.contact.via_identity == maria.identities.get()


def test_a_caller_said_to_be_a_different_person_gets_a_new_profile_even_with_a_namesake():
    ana = customer("Ana Souza", phone="+55 11 98765-4321")
    logged = call(name="Ana Souza", phone="+55 21 99876-5432", new_person=True)
    assert logged.created_user and logged.user != ana and logged.recognised_by is None


def test_a_different_person_cannot_take_a_number_or_email_a_profile_owns_and_nothing_is_written():
    maria = customer("Maria Dias", whatsapp="+55 11 91436 1445", email="maria@example.com")
    before = counts()
    with pytest.raises(IdentityTaken) as refused:
        call(name="Mario", phone="+55 (11) 91436-1445", new_person=True)
    assert refused.value.owner_id == maria.pk
    assert str(refused.value) == f"The phone number +5511914361445 already belongs to Maria Dias (#{maria.pk})."
    with pytest.raises(IdentityTaken, match=r"The email maria@example\.com already belongs to Maria Dias"):
        call(name="Mario", email="MARIA@example.com", new_person=True)
    assert counts() == before


def test_a_new_caller_gets_a_profile_created_by_an_agent_with_the_number_and_email():
    logged = call(name=" Carla  Dias ", phone="+55 21 99876-5432", email="carla@example.com", occurred_at=WHEN)
    carla = logged.user
    assert logged.created_user and (carla.name, carla.source) == ("Carla Dias", "agent")
    assert set(carla.identities.values_list("kind", "normalized", "is_primary")) == {
        ("phone", "+5521998765432", True),
        ("email", "carla@example.com", True),
    }
    assert logged.contact.via_identity.kind == "phone" and logged.contact.created_at == WHEN
    assert logged.added == () and logged.has_email


def test_a_new_caller_whose_email_domain_auto_assigns_joins_that_organization_and_the_contact_too():
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    logged = call(name="Eva Rocha", phone="+55 21 99876-5432", email="eva@acme.com")
    assert logged.user.memberships.get().organization == acme
    assert logged.contact.organization == acme


def test_a_walk_in_without_any_contact_point_creates_a_profile_with_just_a_name():
    logged = call(name="Gil", channel="walk_in")
    assert logged.created_user and logged.user.identities.count() == 0
    assert logged.contact.via_identity is None and not logged.has_email


def test_a_new_caller_needs_a_name():
    with pytest.raises(ProfileError, match="type the caller's name"):
        call(phone="+55 21 99876-5432")
    assert counts() == (0, 0, 0, 0)


def test_a_new_caller_is_refused_to_someone_who_may_not_create_profiles():
    with pytest.raises(ProfileError, match="you may not create profiles"):
        call(name="Carla", phone="+55 21 99876-5432", may_create=False)
    ana = customer(phone="+55 11 98765-4321")
    assert call(phone="+55 11 98765-4321", may_create=False).user == ana


def test_a_number_and_an_email_of_two_different_profiles_are_refused_whole():
    customer("Ana Souza", phone="+55 11 98765-4321")
    bruno = customer("Bruno Lima", email="bruno@example.com")
    before = counts()
    with pytest.raises(IdentityTaken) as refused:
        call(phone="+55 11 98765-4321", email="bruno@example.com")
    assert refused.value.owner_id == bruno.pk and counts() == before


def test_an_unreadable_number_for_a_caller_is_refused_and_nothing_is_created():
    with pytest.raises(InvalidIdentity, match="not a valid phone number"):
        call(name="Carla", phone="12")
    assert counts() == (0, 0, 0, 0)


def test_a_caller_contact_is_validated_like_any_other():
    with pytest.raises(ProfileError, match="Write a short summary"):
        call(name="Carla", phone="+55 21 99876-5432", summary="")
    assert counts() == (0, 0, 0, 0)
