"""Creating a profile: existing customers are shown before a duplicate is born."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import OrganizationDomain
from profiles.models import EndUser
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL = reverse("intake:create")


@pytest.fixture
def ana(db):
    user = EndUserFactory(name="Ana Souza")
    add_identity(user=user, kind="email", value="ana@example.com")
    add_identity(user=user, kind="phone", value="+55 11 98765-4321")
    return user


def test_a_new_customer_is_created_with_source_agent_and_normalized_contact_points(agent_client):
    response = agent_client.post(
        URL, {"name": " Carla  Dias ", "email": "Carla@Example.com", "phone": "+55 21 99876-5432"}
    )
    user = EndUser.objects.get(name="Carla Dias")
    assert response["Location"] == reverse("profiles:detail", args=[user.pk])
    assert user.source == "agent"
    assert set(user.identities.values_list("kind", "normalized", "is_primary")) == {
        ("email", "carla@example.com", True),
        ("phone", "+5521998765432", True),
    }


def test_a_profile_without_email_is_created_with_a_reminder_to_ask_for_one(agent_client):
    response = agent_client.post(URL, {"name": "Diego Alves", "phone": "+55 21 99876-5432"}, follow=True)
    assert "No email yet: email is the best follow-up channel" in response.content.decode()


def test_an_email_domain_that_auto_assigns_puts_the_new_profile_in_its_organization(agent_client):
    acme = OrganizationFactory(name="Acme")
    OrganizationDomain.objects.create(organization=acme, domain="acme.com", auto_assign=True)
    agent_client.post(URL, {"name": "Eva Rocha", "email": "eva@acme.com"})
    assert EndUser.objects.get(name="Eva Rocha").memberships.get().organization == acme


def test_an_email_another_profile_owns_blocks_the_save_with_its_owner_named(agent_client, ana):
    response = agent_client.post(URL, {"name": "Someone Else", "email": "ANA@example.com"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"already belongs to Ana Souza (#{ana.pk})" in page
    assert reverse("profiles:detail", args=[ana.pk]) in page
    assert not EndUser.objects.filter(name="Someone Else").exists()


def test_a_phone_another_profile_owns_is_refused_with_a_link_to_it_and_no_different_person_tick(agent_client, ana):
    data = {"name": "Someone Else", "phone": "+55 (11) 98765-4321"}
    response = agent_client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"The phone number +5511987654321 already belongs to Ana Souza (#{ana.pk})." in page
    assert f'<a href="{reverse("profiles:detail", args=[ana.pk])}">Open that profile</a>' in page
    assert "this is a different person" not in page
    # A tick sent anyway changes nothing: the number stays Ana's and no profile is created.
    response = agent_client.post(URL, {**data, "confirm_new": "on"})
    assert response.status_code == 400 and "Open that profile" in response.content.decode()
    assert list(EndUser.objects.all()) == [ana]


def test_a_number_another_profile_has_as_whatsapp_is_taken_too(agent_client):
    maria = EndUserFactory(name="Maria Dias")
    add_identity(user=maria, kind="whatsapp", value="+55 11 91436 1445")
    response = agent_client.post(URL, {"name": "Mario", "phone": "+55 11 91436-1445"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"The phone number +5511914361445 already belongs to Maria Dias (#{maria.pk})." in page
    assert f'<a href="{reverse("profiles:detail", args=[maria.pk])}">Open that profile</a>' in page
    assert list(EndUser.objects.all()) == [maria]


def test_a_similar_name_is_a_warning_the_agent_can_override(agent_client, ana):
    response = agent_client.post(URL, {"name": "ana  souza", "phone": "+55 11 91234-5678"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ask: have you contacted us before?" in page and "similar name" in page
    assert EndUser.objects.count() == 1
    response = agent_client.post(URL, {"name": "ana souza", "phone": "+55 11 91234-5678", "confirm_new": "on"})
    assert response.status_code == 302
    assert EndUser.objects.count() == 2


def test_an_invalid_phone_is_reported_on_its_field_and_nothing_is_created(agent_client):
    response = agent_client.post(URL, {"name": "Fabio", "email": "fabio@example.com", "phone": "12"})
    assert "&#x27;12&#x27; is not a valid phone number" in response.content.decode()
    assert not EndUser.objects.exists()


def test_a_handle_needs_both_its_kind_and_value(agent_client):
    response = agent_client.post(URL, {"name": "Gil", "other_value": "@gil"})
    assert "Choose the kind and type the handle" in response.content.decode()
    assert not EndUser.objects.exists()


def test_the_match_endpoint_lists_owners_and_similar_names_as_json(agent_client, ana, settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    data = agent_client.get(reverse("intake:match"), {"phone": "(11) 98765-4321", "name": "Ana Souza"}).json()
    assert data["matches"][0]["id"] == ana.pk
    assert data["matches"][0]["blocking"] is True
    assert "has phone +5511987654321" in data["matches"][0]["reasons"]
    assert any("similar name" in reason for reason in data["matches"][0]["reasons"])
    assert agent_client.get(reverse("intake:match"), {"name": "Zé Ninguém"}).json() == {"matches": []}


def test_the_live_panel_says_a_number_held_as_whatsapp_is_taken(agent_client):
    maria = EndUserFactory(name="Maria Dias")
    add_identity(user=maria, kind="whatsapp", value="+55 11 91436 1445")
    response = agent_client.get(reverse("intake:match"), {"phone": "+55 11 91436 1445"})
    [match] = response.json()["matches"]
    assert (match["id"], match["blocking"]) == (maria.pk, True)
    assert match["reasons"] == ["has whatsapp +5511914361445"]
