"""Logging a call or walk-in by hand: from a profile (/users/<id>/log/) and for a caller (/calls/new/)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from profiles.models import Contact, EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

CALLS = reverse("intake:log_call")
ASK = "Ask for an email: it is the best follow-up channel"


@pytest.fixture(autouse=True)
def brazilian_desk(settings):
    """Numbers typed without +55 are read as Brazilian, as agents at a Brazilian desk type them."""
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"


@pytest.fixture
def ana(db) -> EndUser:
    user = EndUserFactory(name="Ana Souza")
    add_identity(user=user, kind="phone", value="+55 11 98765-4321")
    return user


@pytest.fixture
def bruno(db) -> EndUser:
    user = EndUserFactory(name="Bruno Lima")
    add_identity(user=user, kind="phone", value="+55 21 99876-5432")
    add_identity(user=user, kind="email", value="bruno@example.com")
    return user


def log_url(user: EndUser) -> str:
    return reverse("intake:log_contact", args=[user.pk])


def page(response) -> str:
    return response.content.decode()


# --- /users/<id>/log/ ---------------------------------------------------------------------------------------


def test_the_log_page_offers_the_profiles_numbers_with_the_primary_phone_chosen(agent_client, ana):
    response = agent_client.get(log_url(ana))
    assert response.status_code == 200
    phone = ana.identities.get()
    assert f'<option value="{phone.pk}" selected>Phone: +55 11 98765-4321</option>' in page(response)
    assert 'type="datetime-local"' in page(response)


def test_a_number_passed_in_the_link_selects_the_profiles_own_identity(agent_client, ana):
    response = agent_client.get(log_url(ana) + "?phone=(11)%2098765-4321&channel=walk_in")
    phone = ana.identities.get()
    html = page(response)
    assert f'<option value="{phone.pk}" selected>' in html
    assert 'value="walk_in" id="id_channel_1" required checked' in html


def test_a_new_number_passed_in_the_link_is_typed_into_the_number_field(agent_client, ana):
    response = agent_client.get(log_url(ana) + "?phone=%2B55%2021%2099999-0000")
    assert 'value="+55 21 99999-0000"' in page(response)


def test_a_call_is_logged_on_the_profile_and_the_agent_is_prompted_for_an_email(agent_client, ana):
    phone = ana.identities.get()
    response = agent_client.post(
        log_url(ana),
        {"channel": "voice", "via": phone.pk, "subject": "Refund", "summary": "Wants her money back."},
        follow=True,
    )
    contact = Contact.objects.get()
    assert (contact.requester, contact.via_identity, contact.channel) == (ana, phone, "voice")
    assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[ana.pk])
    html = page(response)
    assert "Logged the phone call on Ana Souza&#x27;s profile." in html
    assert ASK in html and "Wants her money back." in html


def test_the_log_page_asks_for_an_email_before_saving_when_the_profile_has_none(agent_client, ana, bruno):
    assert ASK in page(agent_client.get(log_url(ana)))
    assert 'name="email"' in page(agent_client.get(log_url(ana)))
    html = page(agent_client.get(log_url(bruno)))
    assert ASK not in html and 'name="email"' not in html


def test_the_email_asked_for_is_added_with_the_contact_and_no_prompt_follows(agent_client, ana):
    response = agent_client.post(
        log_url(ana), {"channel": "voice", "summary": "Call.", "email": "Ana@Example.com"}, follow=True
    )
    assert ana.identities.filter(kind="email", normalized="ana@example.com").exists()
    html = page(response)
    assert "Added email Ana@Example.com to the profile." in html and ASK not in html


def test_a_new_number_is_added_and_a_number_another_profile_owns_is_refused_with_a_link(agent_client, ana, bruno):
    response = agent_client.post(log_url(ana), {"channel": "voice", "phone": "+55 31 98888-7777", "summary": "Hi."})
    assert response.status_code == 302
    assert Contact.objects.get().via_identity.normalized == "+5531988887777"
    response = agent_client.post(
        log_url(ana), {"channel": "voice", "phone": "(21) 99876-5432", "summary": "Hi.", "email": "ana@example.com"}
    )
    assert response.status_code == 400
    html = page(response)
    assert "The phone number +5521998765432 already belongs to Bruno Lima" in html
    assert f'<a href="{reverse("profiles:detail", args=[bruno.pk])}">Open that profile</a>' in html
    assert Contact.objects.count() == 1 and not ana.identities.filter(kind="email").exists()


def test_an_email_another_profile_owns_is_refused_on_the_email_field(agent_client, ana, bruno):
    response = agent_client.post(log_url(ana), {"channel": "voice", "summary": "Hi.", "email": "BRUNO@example.com"})
    assert response.status_code == 400
    assert "The email bruno@example.com already belongs to Bruno Lima" in page(response)
    assert Contact.objects.count() == 0


def test_an_invalid_phone_is_reported_on_its_field(agent_client, ana):
    response = agent_client.post(log_url(ana), {"channel": "voice", "phone": "12", "summary": "Hi."})
    assert response.status_code == 400
    assert "&#x27;12&#x27; is not a valid phone number" in page(response)
    assert Contact.objects.count() == 0


def test_a_summary_is_required(agent_client, ana):
    response = agent_client.post(log_url(ana), {"channel": "walk_in", "summary": " "})
    assert response.status_code == 400 and "Write a short summary" in page(response)


def test_a_future_time_is_refused_with_the_services_reason(agent_client, ana):
    response = agent_client.post(
        log_url(ana), {"channel": "walk_in", "summary": "Hi.", "occurred_at": "2999-01-01T10:00"}
    )
    assert response.status_code == 400 and "can&#x27;t have happened in the future" in page(response)


def test_a_walk_in_is_logged_without_a_contact_point(agent_client, ana):
    agent_client.post(log_url(ana), {"channel": "walk_in", "via": ana.identities.get().pk, "summary": "Came by."})
    contact = Contact.objects.get()
    assert contact.channel == "walk_in" and contact.via_identity is None


def test_the_log_page_of_a_merged_profile_leads_to_its_survivor(agent_client, ana):
    old = EndUserFactory(name="Ana S.", merged_into=ana)
    response = agent_client.get(log_url(old) + "?phone=123")
    assert response.status_code == 302 and response["Location"] == log_url(ana) + "?phone=123"
    response = agent_client.post(log_url(old), {"channel": "walk_in", "summary": "Hi."})
    assert response.status_code == 400 and "surviving profile" in page(response)


def test_the_log_page_takes_a_bounded_number_of_queries(agent_client, ana, django_assert_max_num_queries):
    for n in range(10):
        add_identity(user=ana, kind="whatsapp", value=f"+55 11 91234-56{n:02d}")
    with django_assert_max_num_queries(8):
        assert agent_client.get(log_url(ana)).status_code == 200


def test_the_profile_page_has_a_log_a_call_button(agent_client, ana):
    assert f'href="{log_url(ana)}">Log a call</a>' in page(agent_client.get(reverse("profiles:detail", args=[ana.pk])))


# --- /calls/new/ --------------------------------------------------------------------------------------------


def test_the_log_a_call_page_is_in_the_navigation_and_runs_the_match_panel(agent_client):
    html = page(agent_client.get(CALLS))
    assert f'<a href="{CALLS}" aria-current="page">Log a call</a>' in html
    assert f'data-match-url="{reverse("intake:match")}"' in html and "match-on-create.js" in html


def test_a_caller_whose_number_is_known_is_logged_on_that_profile(agent_client, ana):
    response = agent_client.post(
        CALLS, {"phone": "(11) 98765-4321", "name": "Ana", "channel": "voice", "summary": "Again."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[ana.pk])
    assert Contact.objects.get().requester == ana and EndUser.objects.count() == 1
    assert ASK in page(response)


def test_a_caller_whose_number_belongs_to_a_merged_profile_lands_on_its_survivor(agent_client, ana):
    old = EndUserFactory(name="Ana S.")
    add_identity(user=old, kind="phone", value="+55 31 98888-7777")
    EndUser.objects.filter(pk=old.pk).update(merged_into=ana)
    agent_client.post(CALLS, {"phone": "+55 31 98888-7777", "channel": "voice", "summary": "Hi."})
    assert Contact.objects.get().requester == ana


@pytest.fixture
def maria(db) -> EndUser:
    """A customer the desk knows only from WhatsApp."""
    user = EndUserFactory(name="Maria Dias")
    add_identity(user=user, kind="whatsapp", value="+55 11 91436 1445")
    return user


def test_a_number_a_profile_has_only_as_whatsapp_is_that_profiles_line_and_the_call_is_logged_there(
    agent_client, maria
):
    response = agent_client.post(
        CALLS, {"phone": "+55 11 91436 1445", "channel": "voice", "summary": "Hi."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[maria.pk])
    whatsapp = maria.identities.get()
    contact = Contact.objects.get()
    assert (contact.requester, contact.via_identity) == (maria, whatsapp)
    assert EndUser.objects.count() == 1 and Identity.objects.count() == 1
    html = page(response)
    assert "+55 11 91436 1445 is Maria Dias&#x27;s WhatsApp number: logged the phone call on their profile." in html
    assert "similar name" not in html


def test_different_person_is_not_offered_for_a_number_a_profile_owns(agent_client, maria, bruno):
    # The email belongs to Bruno: the page comes back with both owners listed, and no "different person" tick,
    # because a number or email belongs to one profile only.
    response = agent_client.post(
        CALLS, {"phone": "(11) 91436-1445", "email": "bruno@example.com", "channel": "voice", "summary": "Hi."}
    )
    assert response.status_code == 400
    html = page(response)
    assert "this is a different person" not in html
    assert "This number or email is theirs" in html and "Maria Dias" in html


def test_ticking_different_person_for_a_number_a_profile_owns_is_refused_and_writes_nothing(agent_client, maria):
    data = {"phone": "+55 11 91436 1445", "name": "Mario", "channel": "voice", "summary": "Hi.", "confirm_new": "on"}
    response = agent_client.post(CALLS, data)
    assert response.status_code == 400
    html = page(response)
    assert f"The phone number +5511914361445 already belongs to Maria Dias (#{maria.pk})." in html
    assert f'<a href="{reverse("profiles:detail", args=[maria.pk])}">Open that profile</a>' in html
    assert EndUser.objects.count() == 1 and Contact.objects.count() == 0


def test_a_call_logged_with_only_an_email_shows_that_email_on_the_timeline(agent_client, bruno):
    response = agent_client.post(
        CALLS, {"email": "Bruno@Example.com", "channel": "voice", "summary": "Wants a callback."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[bruno.pk])
    assert Contact.objects.get().via_identity == bruno.identities.get(kind="email")
    html = page(response)
    assert "via bruno@example.com — Wants a callback." in html and "since removed" not in html


def test_a_new_caller_known_only_by_email_shows_it_on_the_timeline(agent_client):
    response = agent_client.post(
        CALLS, {"name": "Zeca", "email": "zeca@example.com", "channel": "voice", "summary": "Hi."}, follow=True
    )
    assert "via zeca@example.com — Hi." in page(response) and "since removed" not in page(response)


def test_a_new_caller_with_a_similar_name_is_asked_first_then_created_with_the_contact(agent_client, ana):
    data = {"phone": "+55 21 97777-6666", "name": "ana souza", "channel": "voice", "summary": "New here?"}
    response = agent_client.post(CALLS, data)
    assert response.status_code == 400
    html = page(response)
    assert "Ask: have you contacted us before?" in html and "similar name" in html
    log_link = f'{log_url(ana)}?phone=%2B55+21+97777-6666&amp;channel=voice">Log on this profile</a>'
    assert log_link in html
    assert EndUser.objects.count() == 1 and Contact.objects.count() == 0
    response = agent_client.post(CALLS, {**data, "confirm_new": "on"}, follow=True)
    carla = EndUser.objects.exclude(pk=ana.pk).get()
    assert (carla.name, carla.source) == ("ana souza", "agent")
    assert carla.identities.get().normalized == "+5521977776666"
    assert Contact.objects.get().requester == carla
    html = page(response)
    assert "Created ana souza&#x27;s profile and logged the phone call." in html and ASK in html


def test_a_new_caller_without_namesakes_is_created_at_once_with_their_email(agent_client):
    response = agent_client.post(
        CALLS,
        {
            "phone": "+55 21 97777-6666",
            "name": "Zeca",
            "email": "zeca@example.com",
            "channel": "voice",
            "summary": "Hi.",
        },
        follow=True,
    )
    zeca = EndUser.objects.get(name="Zeca")
    assert set(zeca.identities.values_list("kind", flat=True)) == {"phone", "email"}
    assert ASK not in page(response)


def test_the_callers_number_or_name_is_required(agent_client):
    response = agent_client.post(CALLS, {"channel": "voice", "summary": "Hi."})
    assert response.status_code == 400 and "Type the caller&#x27;s number or name" in page(response)


def test_an_invalid_number_for_a_caller_is_reported_and_nothing_is_created(agent_client):
    response = agent_client.post(CALLS, {"phone": "12", "name": "Zeca", "channel": "voice", "summary": "Hi."})
    assert response.status_code == 400
    assert "&#x27;12&#x27; is not a valid phone number" in page(response)
    assert not EndUser.objects.exists()


def test_a_known_number_with_an_email_of_another_profile_is_refused_with_a_link(agent_client, ana, bruno):
    response = agent_client.post(
        CALLS, {"phone": "+55 11 98765-4321", "email": "bruno@example.com", "channel": "voice", "summary": "Hi."}
    )
    assert response.status_code == 400
    assert f'<a href="{reverse("profiles:detail", args=[bruno.pk])}">Open that profile</a>' in page(response)
    assert Contact.objects.count() == 0 and Identity.objects.count() == 3


def test_staff_who_may_log_but_not_create_can_log_for_known_callers_only(ana):
    clerk = StaffUserFactory(username="clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="add_contact"))
    client = Client()
    client.force_login(clerk)
    response = client.post(CALLS, {"phone": "+55 21 97777-6666", "name": "Zeca", "channel": "voice", "summary": "Hi."})
    assert response.status_code == 400 and "you may not create profiles" in page(response)
    response = client.post(CALLS, {"phone": "+55 11 98765-4321", "channel": "voice", "summary": "Hi."})
    assert response.status_code == 302 and Contact.objects.get().requester == ana


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(agent_client, ana, method):
    assert getattr(agent_client, method)(CALLS).status_code == 405
    assert getattr(agent_client, method)(log_url(ana)).status_code == 405


# --- permissions, as in test_views_permissions.py ---------------------------------------------------------


@pytest.fixture
def urls(ana) -> list[tuple[str, str]]:
    return [("get", log_url(ana)), ("post", log_url(ana)), ("get", CALLS), ("post", CALLS)]


def test_anonymous_visitors_are_sent_to_the_login_page(client, urls):
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


def test_staff_without_the_permission_get_a_403_and_nothing_is_written(urls):
    client = Client()
    client.force_login(StaffUserFactory(username="no-role"))
    for method, url in urls:
        data = {"phone": "+55 21 97777-6666", "name": "Zeca", "channel": "voice", "summary": "Hi."}
        assert getattr(client, method)(url, data).status_code == 403, url
    assert not Contact.objects.exists() and EndUser.objects.count() == 1


def test_agents_and_admins_can_open_both_pages(agent_client, admin_client, urls):
    for client in (agent_client, admin_client):
        for method, url in urls:
            if method == "get":
                assert client.get(url).status_code == 200, url


def test_the_nav_item_is_hidden_from_staff_who_may_not_log(ana):
    client = Client()
    client.force_login(StaffUserFactory(username="reader"))
    assert "Log a call" not in client.get(reverse("home")).content.decode()


def test_required_fields_are_marked_for_eyes_and_screen_readers(agent_client):
    page = agent_client.get("/calls/new/").content.decode()

    summary_label = page.split('for="id_summary"')[1].split("</label>")[0]
    subject_label = page.split('for="id_subject"')[1].split("</label>")[0]
    assert 'class="required-mark"' in summary_label and "(required)" in summary_label
    assert "required-mark" not in subject_label
