"""The profile page: every channel on one page, contact points edited safely."""

from __future__ import annotations

import pytest
from django.urls import reverse

from profiles.models import Identity
from profiles.services.identities import add_identity
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(db):
    user = EndUserFactory(name="Ana Souza", tags=["vip"])
    add_identity(user=user, kind="phone", value="+55 11 98765-4321")
    return user


def detail(user) -> str:
    return reverse("profiles:detail", args=[user.pk])


def test_the_page_shows_identities_organizations_and_the_timeline_newest_first(agent_client, ana):
    MembershipFactory(user=ana, organization=OrganizationFactory(name="Acme"), is_default=True)
    phone = ana.identities.get()
    ContactFactory(
        requester=ana, channel="voice", subject="Old call", via_identity=phone, created_at="2026-01-01T10:00Z"
    )
    ContactFactory(requester=ana, channel="whatsapp", subject="New chat", created_at="2026-03-01T10:00Z")
    page = agent_client.get(detail(ana)).content.decode()
    assert "Acme · default" in page and "#vip" in page and "+55 11 98765-4321" in page
    assert page.index("New chat") < page.index("Old call")
    assert "via +55 11 98765-4321" in page


def test_the_page_stays_within_fifteen_queries_however_many_contacts(agent_client, ana, django_assert_max_num_queries):
    MembershipFactory(user=ana, is_default=True)
    add_identity(user=ana, kind="email", value="ana@example.com")
    ContactFactory.create_batch(60, requester=ana, via_identity=ana.identities.first())
    with django_assert_max_num_queries(15):
        response = agent_client.get(detail(ana), {"page": 2})
    assert response.status_code == 200
    assert "Page 2 of 3" in response.content.decode()


def test_a_profile_without_email_nudges_the_agent_to_collect_one(agent_client, ana):
    assert "Email is the best follow-up channel" in agent_client.get(detail(ana)).content.decode()
    add_identity(user=ana, kind="email", value="ana@example.com")
    assert "Email is the best follow-up channel" not in agent_client.get(detail(ana)).content.decode()


def test_adding_a_second_email_normalizes_it(agent_client, ana):
    add_identity(user=ana, kind="email", value="ana@example.com")
    response = agent_client.post(
        reverse("profiles:identity_add", args=[ana.pk]), {"kind": "email", "value": " Ana@Work.Example "}, follow=True
    )
    assert "Added email Ana@Work.Example." in response.content.decode()
    assert set(ana.identities.filter(kind="email").values_list("normalized", "is_primary")) == {
        ("ana@example.com", True),
        ("ana@work.example", False),
    }


def test_an_email_another_profile_owns_is_refused_with_a_link_to_it(agent_client, ana):
    other = EndUserFactory(name="Bruno Lima")
    add_identity(user=other, kind="email", value="bruno@example.com")
    response = agent_client.post(
        reverse("profiles:identity_add", args=[ana.pk]), {"kind": "email", "value": "BRUNO@example.com"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"already belongs to Bruno Lima (#{other.pk})" in page
    assert f'href="{detail(other)}">Open that profile' in page
    assert not ana.identities.filter(kind="email").exists()


def test_an_invalid_value_is_refused_with_the_reason(agent_client, ana):
    response = agent_client.post(reverse("profiles:identity_add", args=[ana.pk]), {"kind": "phone", "value": "+55 11"})
    assert response.status_code == 400
    assert "is not a valid phone number: it is too short" in response.content.decode()
    assert ana.identities.count() == 1


def test_editing_an_identity_renormalizes_and_refuses_a_taken_value(agent_client, ana):
    phone = ana.identities.get()
    url = reverse("profiles:identity_edit", args=[ana.pk, phone.pk])
    assert agent_client.get(url).status_code == 200
    agent_client.post(url, {"value": "+55 (11) 98765-0000", "verified": "on"})
    phone.refresh_from_db()
    assert (phone.normalized, phone.verified) == ("+5511987650000", True)
    other = EndUserFactory(name="Carla")
    add_identity(user=other, kind="phone", value="+55 11 91111-2222")
    response = agent_client.post(url, {"value": "+5511911112222"})
    assert response.status_code == 400 and "already belongs to Carla" in response.content.decode()
    phone.refresh_from_db()
    assert phone.normalized == "+5511987650000"


def test_make_primary_and_remove_are_post_only_and_keep_one_primary(agent_client, ana):
    first = add_identity(user=ana, kind="email", value="ana@example.com")
    second = add_identity(user=ana, kind="email", value="ana@work.example")
    primary_url = reverse("profiles:identity_primary", args=[ana.pk, second.pk])
    assert agent_client.get(primary_url).status_code == 405
    agent_client.post(primary_url)
    assert Identity.objects.get(pk=second.pk).is_primary and not Identity.objects.get(pk=first.pk).is_primary
    remove_url = reverse("profiles:identity_remove", args=[ana.pk, second.pk])
    assert agent_client.get(remove_url).status_code == 405
    response = agent_client.post(remove_url, follow=True)
    assert "Contacts that came through it stay on the profile." in response.content.decode()
    assert Identity.objects.get(pk=first.pk).is_primary


def test_editing_details_saves_and_reports_a_taken_external_id(agent_client, ana):
    EndUserFactory(name="Other", external_id="crm-1")
    url = reverse("profiles:edit", args=[ana.pk])
    data = {"name": "Ana  Souza Lima", "tags": "VIP billing", "locale": "pt-BR", "time_zone": "America/Sao_Paulo"}
    response = agent_client.post(url, data, follow=True)
    assert "Profile saved." in response.content.decode()
    ana.refresh_from_db()
    assert (ana.name, ana.tags, ana.time_zone) == ("Ana Souza Lima", ["billing", "vip"], "America/Sao_Paulo")
    response = agent_client.post(url, {**data, "name": "Changed", "external_id": "crm-1"})
    assert "The external id crm-1 already belongs to Other" in response.content.decode()
    ana.refresh_from_db()
    assert ana.name == "Ana Souza Lima"


def test_a_merged_away_profile_shows_a_banner_linking_to_its_survivor(agent_client, ana):
    old = EndUserFactory(name="Ana S.", merged_into=ana)
    page = agent_client.get(detail(old)).content.decode()
    assert "This profile was merged into" in page and f'href="{detail(ana)}"' in page
    assert "Merged into this profile" in agent_client.get(detail(ana)).content.decode()


def test_possible_duplicates_share_a_phone_line_or_a_name_in_the_same_organization(agent_client, ana):
    whatsapp_twin = EndUserFactory(name="A. Souza")
    add_identity(user=whatsapp_twin, kind="whatsapp", value="5511987654321")
    add_identity(user=ana, kind="phone", value="+54 9 11 2345-6789")  # an Argentine mobile, with the 9
    without_nine = EndUserFactory(name="Ana (Buenos Aires)")
    add_identity(user=without_nine, kind="phone", value="+54 11 2345-6789")
    acme = OrganizationFactory(name="Acme")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    namesake = EndUserFactory(name="ANA SOUZA")
    MembershipFactory(user=namesake, organization=acme, is_default=True)
    EndUserFactory(name="Ana Souza")  # same name, no shared organization: not listed
    page = agent_client.get(detail(ana)).content.decode()
    assert "same number +5511987654321 (WhatsApp)" in page
    assert "+541123456789 is another way of writing +5491123456789" in page
    assert "same name in the same organization" in page
    assert page.count("#") >= 3


def test_an_unknown_profile_is_a_404(agent_client):
    assert agent_client.get(reverse("profiles:detail", args=[999999])).status_code == 404


def test_the_banner_of_a_merged_away_profile_says_when_and_by_whom(agent_client, agent, ana):
    from profiles.merges.services import merge

    old = EndUserFactory(name="Ana S.")
    merge(survivor=ana, others=[old], actor=agent)
    page = agent_client.get(detail(old)).content.decode()
    assert "This profile was merged into" in page
    assert " by agent;" in page


def test_a_merged_away_profile_shows_only_the_banner_to_its_survivor_and_the_merge_record(agent_client, agent, ana):
    from profiles.merges.services import merge

    old = EndUserFactory(name="Ana S.")
    add_identity(user=old, kind="email", value="ana.s@example.com")
    MembershipFactory(user=old, organization=OrganizationFactory(name="Acme"), is_default=True)
    record = merge(survivor=ana, others=[old], actor=agent)
    page = agent_client.get(detail(old)).content.decode()
    assert "This profile was merged into" in page and f'href="{detail(ana)}"' in page
    assert f'href="{reverse("profiles:merge_record", args=[record.pk])}"' in page
    # Nothing that invites edits or reads as an empty profile: all of it lives on the survivor now.
    for empty_state in (
        "No contact points yet",
        "Add a contact point",
        "Possible duplicates",
        "None found",
        "No contacts yet",
        "No organization",
        "No email yet",
    ):
        assert empty_state not in page
    survivor_page = agent_client.get(detail(ana)).content.decode()
    assert "ana.s@example.com" in survivor_page and "Possible duplicates" in survivor_page
