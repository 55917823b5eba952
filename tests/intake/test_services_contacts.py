"""record_contact(): every inbound contact lands on the right profile, exactly once, or is refused whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.inbound import MAX_SUMMARY_BYTES
from intake.services.contacts import IdentityConflict, IntakeResult, record_contact
from organizations.models import Membership, OrganizationDomain
from profiles.duplicates import hooks
from profiles.errors import InvalidContact, ProfileError
from profiles.identities import CHANNEL_KINDS, IdentityKind
from profiles.models import Contact, EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 20, 14, 3, tzinfo=UTC)


def counts() -> tuple[int, int, int, int]:
    return (EndUser.objects.count(), Identity.objects.count(), Contact.objects.count(), Membership.objects.count())


def customer(name: str = "Ana Souza", **identities: str) -> EndUser:
    user = EndUserFactory(name=name)
    for kind, value in identities.items():
        add_identity(user=user, kind=kind, value=value)
    return user


# --- channels --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "contact_point", "kind", "normalized"),
    [
        ("email", " Ana.Souza@Example.com ", "email", "ana.souza@example.com"),
        ("voice", "+55 (11) 98765-4321", "phone", "+5511987654321"),
        ("sms", "+1 415-555-2671", "phone", "+14155552671"),
        ("whatsapp", "5511987654321", "whatsapp", "+5511987654321"),
        ("messenger", "https://m.me/Ana.Souza", "messenger", "ana.souza"),
        ("instagram", "@Ana.Souza", "instagram", "ana.souza"),
        ("x", "@AnaSouza", "x", "anasouza"),
        ("telegram", "t.me/ana_souza", "telegram", "ana_souza"),
        ("line", "U4af4980629", "line", "U4af4980629"),
        ("web_chat", "visitor-9f2c", "sdk", "visitor-9f2c"),
        ("sdk", "device-42", "sdk", "device-42"),
        ("other", "kiosk-7", "other", "kiosk-7"),
    ],
)
def test_a_new_contact_point_gets_a_new_channel_profile_with_that_identity_as_primary(
    channel, contact_point, kind, normalized
):
    result = record_contact(
        channel=channel,
        contact_point=contact_point,
        source_ref=f"{channel}-1",
        occurred_at=WHEN,
        subject="Pedido 1234 não chegou",
        summary="Olá, meu pedido não chegou.",
    )
    user = EndUser.objects.get()
    identity = Identity.objects.get()
    contact = Contact.objects.get()
    assert result == IntakeResult(user_id=user.pk, contact_id=contact.pk, created_user=True, created_contact=True)
    assert user.source == "channel"
    assert (identity.user, identity.kind, identity.normalized, identity.value, identity.is_primary) == (
        user,
        kind,
        normalized,
        contact_point.strip(),
        True,
    )
    assert (contact.requester, contact.via_identity, contact.channel, contact.status) == (
        user,
        identity,
        channel,
        "new",
    )
    assert (contact.subject, contact.summary, contact.source_ref) == (
        "Pedido 1234 não chegou",
        "Olá, meu pedido não chegou.",
        f"{channel}-1",
    )
    assert contact.created_at == WHEN


def test_a_known_contact_point_in_another_format_lands_on_its_profile(settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    ana = customer(phone="+55 11 98765-4321", email="ana@example.com")
    by_phone = record_contact(channel="voice", contact_point="(11) 98765-4321", source_ref="call-1")
    by_email = record_contact(channel="email", contact_point="ANA@EXAMPLE.COM", source_ref="msg-1")
    assert (by_phone.user_id, by_phone.created_user, by_email.user_id, by_email.created_user) == (
        ana.pk,
        False,
        ana.pk,
        False,
    )
    assert EndUser.objects.count() == 1
    assert Identity.objects.count() == 2
    phone = ana.identities.get(kind="phone")
    assert Contact.objects.get(pk=by_phone.contact_id).via_identity == phone


def test_the_contact_time_defaults_to_now():
    before = datetime.now(UTC)
    result = record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
    assert before <= Contact.objects.get(pk=result.contact_id).created_at <= datetime.now(UTC)


def test_contacts_without_a_source_ref_are_recorded_each_time():
    ana = customer(phone="+5511987654321")
    first = record_contact(channel="voice", contact_point="+5511987654321")
    second = record_contact(channel="voice", contact_point="+5511987654321")
    assert first.contact_id != second.contact_id
    assert ana.contacts.count() == 2
    assert list(ana.contacts.values_list("source_ref", flat=True)) == [None, None]


# --- phone and WhatsApp share a number --------------------------------------------------------------------


def test_a_whatsapp_message_from_a_profiles_phone_number_lands_there_and_adds_the_whatsapp_identity():
    ana = customer(phone="+55 11 98765-4321")
    result = record_contact(channel="whatsapp", contact_point="5511987654321", source_ref="wamid.1")
    assert (result.user_id, result.created_user) == (ana.pk, False)
    whatsapp = ana.identities.get(kind="whatsapp")
    assert (whatsapp.normalized, whatsapp.value, whatsapp.is_primary) == ("+5511987654321", "5511987654321", True)
    assert Contact.objects.get(pk=result.contact_id).via_identity == whatsapp
    again = record_contact(channel="whatsapp", contact_point="+55 11 98765-4321", source_ref="wamid.2")
    assert again.user_id == ana.pk
    assert ana.identities.count() == 2


@pytest.mark.parametrize(
    ("phone", "whatsapp_id"),
    [("+55 41 96310-3529", "554163103529"), ("+52 999 959 7727", "5219999597727")],
)
def test_a_whatsapp_id_in_a_retired_form_lands_on_the_profile_that_owns_the_line(phone, whatsapp_id):
    ana = customer(phone=phone)
    result = record_contact(channel="whatsapp", contact_point=whatsapp_id, source_ref=f"wamid.{whatsapp_id}")
    assert (result.user_id, result.created_user) == (ana.pk, False)
    whatsapp = ana.identities.get(kind="whatsapp")
    assert (whatsapp.value, whatsapp.normalized) == (whatsapp_id, ana.identities.get(kind="phone").normalized)


def test_a_call_from_a_whatsapp_number_lands_on_its_profile_as_a_second_phone_identity():
    ana = customer(whatsapp="+5511987654321", phone="+5511912345678")
    result = record_contact(channel="sms", contact_point="+5511987654321", source_ref="sms-1")
    assert result.user_id == ana.pk
    phones = ana.identities.filter(kind="phone").order_by("pk")
    assert [(p.normalized, p.is_primary) for p in phones] == [("+5511912345678", True), ("+5511987654321", False)]


def test_the_exact_kind_wins_when_phone_and_whatsapp_of_a_number_are_on_two_profiles():
    on_phone = customer("Ana Souza", phone="+5511987654321")
    on_whatsapp = customer("Ana S.", whatsapp="+5511987654321")
    assert record_contact(channel="voice", contact_point="+5511987654321").user_id == on_phone.pk
    assert record_contact(channel="whatsapp", contact_point="+5511987654321").user_id == on_whatsapp.pk


# --- tombstones ---------------------------------------------------------------------------------------------


def test_a_contact_point_owned_by_a_tombstone_lands_on_the_end_of_its_merge_chain():
    survivor = EndUserFactory(name="Ana Souza")
    middle = EndUserFactory(name="Ana", merged_into=survivor)
    oldest = customer("ana s", email="ana@example.com")
    EndUser.objects.filter(pk=oldest.pk).update(merged_into=middle)
    result = record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
    assert (result.user_id, result.created_user) == (survivor.pk, False)
    contact = Contact.objects.get()
    assert contact.requester == survivor
    assert contact.via_identity == oldest.identities.get()
    assert EndUser.objects.count() == 3


def test_a_merge_loop_is_refused_with_the_chain_and_nothing_is_written():
    first = customer("Ana", email="ana@example.com")
    second = EndUserFactory(name="Ana Souza", merged_into=first)
    EndUser.objects.filter(pk=first.pk).update(merged_into=second)
    before = counts()
    with pytest.raises(ProfileError) as caught:
        record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
    assert str(caught.value) == (
        f"The merged profiles #{first.pk} → #{second.pk} → #{first.pk} point at each other in a loop; "
        "fix merged_into first."
    )
    assert counts() == before


# --- names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "contact_point", "name"),
    [
        ("email", "ana.souza87@example.com", "Ana Souza"),
        ("email", "JOAO_da-silva+promo@example.com.br", "Joao Da Silva"),
        ("email", "12345@example.com", "12345@example.com"),
        ("voice", "+5511987654321", "+55 11 98765-4321"),
        ("whatsapp", "14155552671", "+1 415-555-2671"),
        ("instagram", "instagram.com/Ana.Souza", "@ana.souza"),
        ("telegram", "@Ana_Souza", "@ana_souza"),
        ("messenger", "m.me/ana.souza.7", "ana.souza.7"),
        ("line", "U4af4980629", "LINE user U4af4980629"),
        ("web_chat", "visitor-9f2c", "Web visitor visitor-9f2c"),
    ],
)
def test_a_new_profile_without_a_name_is_named_after_its_contact_point(channel, contact_point, name):
    record_contact(channel=channel, contact_point=contact_point, source_ref="r1")
    assert EndUser.objects.get().name == name


def test_the_name_given_names_a_new_profile_but_never_renames_a_known_one():
    record_contact(channel="email", contact_point="ana@example.com", name="  Ana   Souza ", source_ref="m1")
    record_contact(channel="email", contact_point="ana@example.com", name="Someone Else", source_ref="m2")
    assert list(EndUser.objects.values_list("name", flat=True)) == ["Ana Souza"]


# --- organizations ------------------------------------------------------------------------------------------


def test_a_new_profile_joins_the_organization_of_its_auto_assigning_email_domain():
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    result = record_contact(channel="email", contact_point="ana@acme.com", source_ref="m1")
    membership = Membership.objects.get()
    assert (membership.user_id, membership.organization, membership.is_default) == (result.user_id, acme, True)
    assert Contact.objects.get().organization == acme


def test_a_domain_without_auto_assign_puts_nobody_anywhere():
    OrganizationDomain.objects.create(organization=OrganizationFactory(), domain="acme.com", auto_assign=False)
    record_contact(channel="email", contact_point="ana@acme.com", source_ref="m1")
    assert not Membership.objects.exists()
    assert Contact.objects.get().organization is None


def test_an_email_given_by_a_new_whatsapp_caller_auto_assigns_too():
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    result = record_contact(
        channel="whatsapp", contact_point="+5511987654321", source_ref="w1", identities=[("email", "ana@acme.com")]
    )
    assert Membership.objects.get().user_id == result.user_id
    assert Contact.objects.get().organization == acme


def test_a_known_profile_is_not_auto_assigned_and_its_contact_gets_its_default_organization():
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    ana = customer(email="ana@acme.com")
    home = MembershipFactory(user=ana, is_default=True)
    MembershipFactory(user=ana, is_default=False)
    record_contact(channel="email", contact_point="ana@acme.com", source_ref="m1")
    assert Contact.objects.get().organization == home.organization
    assert not ana.memberships.filter(organization=acme).exists()


# --- extra identities and conflicts ------------------------------------------------------------------------


def test_free_extra_identities_are_added_and_the_first_of_a_kind_becomes_primary():
    ana = customer(email="ana@example.com")
    result = record_contact(
        channel="email",
        contact_point="ana@example.com",
        source_ref="m1",
        identities=[("email", "ana.souza@work.example"), ("phone", "+55 11 98765-4321"), ("email", "ANA@example.com")],
    )
    assert result.conflicts == ()
    rows = {(i.kind, i.normalized): i.is_primary for i in ana.identities.all()}
    assert rows == {
        ("email", "ana@example.com"): True,
        ("email", "ana.souza@work.example"): False,
        ("phone", "+5511987654321"): True,
    }


def test_an_extra_identity_owned_by_another_profile_is_reported_as_a_conflict_and_the_contact_is_recorded():
    bruno = customer("Bruno Lima", email="bruno@example.com")
    result = record_contact(
        channel="whatsapp",
        contact_point="+5511987654321",
        source_ref="w1",
        identities=[("email", "Bruno@Example.com"), ("instagram", "@caller")],
    )
    assert result.created_user and result.created_contact
    assert result.conflicts == (IdentityConflict("email", "bruno@example.com", bruno.pk, "Bruno Lima"),)
    new = EndUser.objects.get(pk=result.user_id)
    assert sorted(new.identities.values_list("kind", flat=True)) == ["instagram", "whatsapp"]
    assert bruno.identities.get().normalized == "bruno@example.com"
    assert Contact.objects.get().requester == new


def test_an_extra_number_that_is_another_profiles_whatsapp_is_a_conflict():
    bruno = customer("Bruno Lima", whatsapp="+5511987654321")
    ana = customer(email="ana@example.com")
    result = record_contact(
        channel="email", contact_point="ana@example.com", source_ref="m1", identities=[("phone", "+5511987654321")]
    )
    assert result.conflicts == (IdentityConflict("phone", "+5511987654321", bruno.pk, "Bruno Lima"),)
    assert not ana.identities.filter(kind="phone").exists()


def test_an_extra_identity_on_a_tombstone_merged_into_the_same_profile_is_no_conflict():
    ana = customer(email="ana@example.com")
    old = customer("Ana S", phone="+5511987654321")
    EndUser.objects.filter(pk=old.pk).update(merged_into=ana)
    result = record_contact(
        channel="email", contact_point="ana@example.com", source_ref="m1", identities=[("phone", "+5511987654321")]
    )
    assert result.conflicts == ()
    assert not ana.identities.filter(kind="phone").exists()


def test_an_extra_identity_on_a_tombstone_names_the_live_owner_in_the_conflict():
    bruno = customer("Bruno Lima")
    old = customer("B. Lima", email="bruno@example.com")
    EndUser.objects.filter(pk=old.pk).update(merged_into=bruno)
    result = record_contact(
        channel="voice", contact_point="+5511987654321", source_ref="c1", identities=[("email", "bruno@example.com")]
    )
    assert result.conflicts == (IdentityConflict("email", "bruno@example.com", bruno.pk, "Bruno Lima"),)


# --- exactly once ------------------------------------------------------------------------------------------


def test_the_same_source_ref_on_the_same_channel_twice_returns_the_first_result_and_writes_nothing():
    first = record_contact(channel="whatsapp", contact_point="+5511987654321", source_ref="wamid.1", subject="Oi")
    before = counts()
    again = record_contact(
        channel="whatsapp", contact_point="+5511987654321", source_ref=" wamid.1 ", subject="Oi de novo"
    )
    assert again == IntakeResult(
        user_id=first.user_id, contact_id=first.contact_id, created_user=False, created_contact=False
    )
    assert again.replay and not first.replay
    assert counts() == before
    assert Contact.objects.get().subject == "Oi"


def test_a_replay_with_another_contact_point_still_creates_nothing():
    first = record_contact(channel="email", contact_point="ana@example.com", source_ref="msg-1")
    before = counts()
    again = record_contact(
        channel="email",
        contact_point="someone.new@example.com",
        source_ref="msg-1",
        identities=[("phone", "+5511987654321")],
    )
    assert (again.user_id, again.contact_id, again.replay) == (first.user_id, first.contact_id, True)
    assert counts() == before


def test_the_same_source_ref_on_another_channel_is_another_contact():
    record_contact(channel="email", contact_point="ana@example.com", source_ref="1001")
    other = record_contact(channel="sms", contact_point="+5511987654321", source_ref="1001")
    assert other.created_contact
    assert Contact.objects.count() == 2


# --- refusals: a clear error and nothing written ----------------------------------------------------------


def refusal(**kwargs) -> list[tuple[str, str]]:
    arguments = {"channel": "email", "contact_point": "ana@example.com", "source_ref": "m1"} | kwargs
    before = counts()
    with pytest.raises(InvalidContact) as caught:
        record_contact(**arguments)
    assert counts() == before
    assert str(caught.value) == " ".join(message for _, message in caught.value.errors)
    return caught.value.errors


def test_an_unknown_channel_is_refused_naming_the_channels():
    assert refusal(channel="fax") == [
        (
            "channel",
            f"'fax' is not an inbound channel; use one of {', '.join(CHANNEL_KINDS)}.",
        )
    ]


def test_a_walk_in_is_refused_as_it_has_no_contact_point():
    assert refusal(channel="walk_in") == [
        ("channel", "A walk-in has no contact point to match; log it on the customer's profile instead.")
    ]


@pytest.mark.parametrize(
    ("channel", "contact_point", "message"),
    [
        (
            "voice",
            "98765-4321",
            "'98765-4321' is not a valid phone number: it has no country code; write it with + and the country "
            "code or set ZDUSERS_DEFAULT_PHONE_REGION.",
        ),
        ("sms", "+55 12", "'+55 12' is not a valid phone number: it is too short for +55 (BR)."),
        ("whatsapp", "+55 11 1234", "'+55 11 1234' is not a valid WhatsApp number: it is too short for +55 (BR)."),
        ("email", "ana.example.com", "'ana.example.com' is not a valid email address: it has no @."),
        ("instagram", "@", "'@' is not a valid Instagram handle: it is only an @."),
        ("email", "  ", "The contact_point is missing; send the email address to match."),
        ("voice", None, "The contact_point is missing; send the phone number to match."),
    ],
)
def test_an_invalid_contact_point_is_refused_with_the_reason(channel, contact_point, message):
    assert refusal(channel=channel, contact_point=contact_point) == [("contact_point", message)]


def test_a_subject_longer_than_255_characters_is_refused():
    assert refusal(subject="é" * 256) == [("subject", "The subject is 256 characters long; the limit is 255.")]
    record_contact(channel="email", contact_point="ana@example.com", source_ref="m1", subject="é" * 255)
    assert len(Contact.objects.get().subject) == 255


def test_a_summary_over_64_kib_is_refused_counting_bytes_not_characters():
    assert refusal(summary="ã" * (MAX_SUMMARY_BYTES // 2 + 1)) == [
        ("summary", "The summary is 65,538 bytes long; the limit is 65,536 bytes (64 KiB).")
    ]
    record_contact(channel="email", contact_point="ana@example.com", source_ref="m1", summary="x" * MAX_SUMMARY_BYTES)
    assert len(Contact.objects.get().summary) == MAX_SUMMARY_BYTES


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        (
            {"source_ref": "  "},
            [("source_ref", "The source_ref is blank; send the connector's message id or leave it out.")],
        ),
        ({"source_ref": "r" * 256}, [("source_ref", "The source_ref is 256 characters long; the limit is 255.")]),
        ({"name": "n" * 256}, [("name", "The name is 256 characters long; the limit is 255.")]),
        (
            {"occurred_at": datetime(2026, 11, 20, 14, 3)},  # naive on purpose
            [("occurred_at", "occurred_at 2026-11-20T14:03:00 has no time zone; add one (e.g. Z).")],
        ),
        ({"occurred_at": "yesterday"}, [("occurred_at", "occurred_at must be a date and time, not 'yesterday'.")]),
        (
            {"summary": "a\x00b"},
            [("summary", "The summary contains a NUL character (\\u0000), which cannot be stored.")],
        ),
        (
            {"subject": "bad \ud800 text"},
            [("subject", "The subject contains an unpaired UTF-16 surrogate, which is not a character.")],
        ),
        ({"subject": 42}, [("subject", "The subject must be text, not int.")]),
    ],
)
def test_bad_fields_are_refused_with_a_sentence_each(kwargs, errors):
    assert refusal(**kwargs) == errors


def test_invalid_extra_identities_are_refused_by_position():
    errors = refusal(identities=[("email", "ok@example.com"), ("fax", "123"), ("phone", "+55 12")])
    assert errors == [
        (
            "identities[1].kind",
            f"'fax' is not an identity kind; use one of {', '.join(IdentityKind.values)}.",
        ),
        ("identities[2].value", "'+55 12' is not a valid phone number: it is too short for +55 (BR)."),
    ]


def test_more_than_20_extra_identities_are_refused():
    many = [("email", f"a{n}@example.com") for n in range(21)]
    assert refusal(identities=many) == [("identities", "At most 20 extra identities per contact (got 21).")]


def test_every_fault_is_reported_at_once():
    errors = refusal(channel="sms", contact_point="abc", subject="s" * 300, source_ref="")
    assert [field for field, _ in errors] == ["contact_point", "subject", "source_ref"]


# --- hooks and cost ----------------------------------------------------------------------------------------


def test_a_new_profile_calls_the_after_profile_created_hook_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
    assert [(c.func, c.keywords) for c in callbacks] == [(hooks.after_profile_created, {"user_id": result.user_id})]


def test_known_profiles_and_replays_call_no_hook(django_capture_on_commit_callbacks):
    customer(email="ana@example.com")
    with django_capture_on_commit_callbacks() as callbacks:
        record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
        record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
    assert callbacks == []


def test_conflicts_call_the_conflict_hook_with_the_owners(django_capture_on_commit_callbacks):
    bruno = customer("Bruno", email="bruno@example.com", phone="+5511987654321")
    ana = customer("Ana", instagram="@ana")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record_contact(
            channel="instagram",
            contact_point="@ana",
            source_ref="ig1",
            identities=[("email", "bruno@example.com"), ("whatsapp", "+5511987654321")],
        )
    assert [(c.func, c.keywords) for c in callbacks] == [
        (hooks.after_identity_conflicts, {"user_id": ana.pk, "owner_ids": (bruno.pk,)})
    ]


def test_a_contact_from_a_known_identity_is_one_lookup_one_insert_and_its_route(django_assert_num_queries):
    ana = customer(email="ana@example.com")
    home = MembershipFactory(user=ana, is_default=True)
    # Inside the test's transaction the inserts get a savepoint (SAVEPOINT, INSERT, stamp, INSERT route, RELEASE):
    # routing adds the rules' stamp read and the route's INSERT (organizations/routing).
    with django_assert_num_queries(6):
        result = record_contact(channel="email", contact_point="ana@example.com", source_ref="m1")
    assert Contact.objects.get(pk=result.contact_id).organization == home.organization


def test_a_new_profile_gets_the_same_defaults_as_any_other_profile():
    before = datetime.now(UTC)
    result = record_contact(channel="web_chat", contact_point="visitor-1", source_ref="c1")
    user = EndUser.objects.get(pk=result.user_id)
    reference = EndUserFactory()
    for field in ("locale", "time_zone", "details", "notes", "tags", "external_id", "suspended", "merged_into"):
        assert getattr(user, field) == getattr(reference, field), field
    assert before <= user.created_at <= user.updated_at <= datetime.now(UTC)
    identity = user.identities.get()
    assert (identity.verified, before <= identity.created_at) == (False, True)
