"""The merge page's form: the selection, the survivor and the field choices, refused with a sentence when
tampered with or stale, and nothing merged then."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from profiles.merges.forms import MergeForm, merge_url
from profiles.models import EndUser, MergeRecord
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("profiles:merge")


@pytest.fixture
def trio(db):
    """Three profiles of one customer; the second has the most contacts."""
    ana = EndUserFactory(name="Ana Souza", locale="pt-BR")
    busy = EndUserFactory(name="Ana S.", locale="")
    ContactFactory.create_batch(2, requester=busy)
    third = EndUserFactory(name="A. Souza", locale="pt-BR")
    ContactFactory(requester=third)
    return ana, busy, third


def param(*profiles) -> str:
    return ",".join(str(p.pk) for p in profiles)


def nothing_merged() -> bool:
    return not MergeRecord.objects.exists() and not EndUser.objects.filter(merged_into__isnull=False).exists()


def test_the_form_turns_the_post_into_ids_a_survivor_and_field_choices(trio):
    ana, busy, third = trio
    organization = MembershipFactory(user=third).organization
    form = MergeForm(
        {
            "users": f" {third.pk},{ana.pk}, {busy.pk},{ana.pk}",
            "survivor": str(ana.pk),
            "choice_name": str(busy.pk),
            "choice_locale": "",
            "default_organization": str(organization.pk),
            "confirm_suspended": "1",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["users"] == [ana.pk, busy.pk, third.pk]
    assert form.cleaned_data["survivor"] == ana.pk
    assert form.cleaned_data["field_choices"] == {"name": busy.pk, "default_organization": organization.pk}
    assert form.cleaned_data["confirm_suspended"] is True
    assert (form.preview.survivor, form.preview.others) == (ana, [busy, third])
    assert form.users_param == param(ana, busy, third)


def test_without_a_survivor_the_most_contacted_profile_survives(trio):
    ana, busy, third = trio
    form = MergeForm({"users": param(ana, busy, third)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["survivor"] is None
    assert form.preview.survivor == busy
    assert form.cleaned_data["field_choices"] == {}
    assert form.cleaned_data["confirm_suspended"] is False


def test_the_merge_url_carries_the_selection_the_form_reads(trio):
    ana, _, third = trio
    url = merge_url([third.pk, ana.pk])
    assert url == f"{URL}?users={third.pk},{ana.pk}"
    form = MergeForm(QueryDict(url.split("?", 1)[1]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["users"] == [ana.pk, third.pk]


# --- the selection: refused, back to the directory ---------------------------------------------------


def selection_refusals(trio):
    ana, busy, third = trio
    many = EndUserFactory.create_batch(8)
    gone = EndUserFactory(name="Deleted since")
    return {
        "nothing selected": ("", "Select between 2 and 10 profiles to merge."),
        "one profile": (param(ana), "Select between 2 and 10 profiles to merge."),
        "the same profile twice": (f"{ana.pk},{ana.pk}", "Select between 2 and 10 profiles to merge."),
        "eleven profiles": (param(ana, busy, third, *many), "Select between 2 and 10 profiles to merge."),
        "not ids": (f"{ana.pk},x", "The profiles to merge were not understood; select them again."),
        "a profile deleted since": (
            param(ana, busy, gone),
            "One of these profiles no longer exists; select them again.",
        ),
    }, gone


SELECTIONS = [
    "nothing selected",
    "one profile",
    "the same profile twice",
    "eleven profiles",
    "not ids",
    "a profile deleted since",
]


@pytest.mark.parametrize("case", SELECTIONS)
def test_a_refused_selection_is_one_message_on_the_form(trio, case):
    cases, gone = selection_refusals(trio)
    gone.delete()  # an admin deleted it while the page was open
    users, message = cases[case]
    form = MergeForm({"users": users, "survivor": "x", "choice_name": "x"})
    assert not form.is_valid()
    assert form.preview is None
    assert form.refusals == [message]  # the rest cannot be checked against a refused selection


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("case", SELECTIONS)
def test_a_refused_selection_sends_back_to_the_directory_with_its_message(agent_client, trio, case, method):
    cases, gone = selection_refusals(trio)
    gone.delete()
    users, message = cases[case]
    response = getattr(agent_client, method)(URL, {"users": users, "survivor": str(trio[0].pk)})
    assert response.status_code == 302 and response["Location"] == reverse("profiles:directory")
    assert message in agent_client.get(response["Location"]).content.decode()
    assert nothing_merged()


# --- the choices: refused on the page, which shows the default survivor again -----------------------


def choice_refusals(ana, busy, third):
    return {
        "a survivor outside the selection": (
            {"survivor": str(EndUserFactory().pk)},
            "survivor",
            "Choose which of these profiles survives; nothing was merged.",
        ),
        "a survivor that is not a number": (
            {"survivor": "<script>"},
            "survivor",
            "Choose which of these profiles survives; nothing was merged.",
        ),
        "a field choice naming another profile": (
            {"choice_name": "999999"},
            "choice_name",
            "The value of name must come from one of the merged profiles, not #999999.",
        ),
        "a field choice that is not a number": (
            {"choice_time_zone": "x"},
            "choice_time_zone",
            "Each field choice must be the id of a profile (or of an organization).",
        ),
        "a default organization that is not a number": (
            {"default_organization": "acme"},
            "default_organization",
            "Each field choice must be the id of a profile (or of an organization).",
        ),
    }


CHOICES = [
    "a survivor outside the selection",
    "a survivor that is not a number",
    "a field choice naming another profile",
    "a field choice that is not a number",
    "a default organization that is not a number",
]


@pytest.mark.parametrize("case", CHOICES)
def test_a_refused_choice_is_its_fields_message_and_the_preview_stays(trio, case):
    ana, busy, third = trio
    tamper, field, message = choice_refusals(ana, busy, third)[case]
    form = MergeForm({"users": param(ana, busy, third), "survivor": str(ana.pk), **tamper})
    assert not form.is_valid()
    assert form.errors == {field: [message]}
    assert [p.pk for p in form.preview.profiles] == [ana.pk, busy.pk, third.pk]


@pytest.mark.parametrize("case", CHOICES)
def test_a_refused_choice_is_shown_on_the_page_and_merges_nothing(agent_client, trio, case):
    ana, busy, third = trio
    tamper, _, message = choice_refusals(ana, busy, third)[case]
    data = {"users": param(ana, busy, third), "survivor": str(ana.pk), **tamper}
    response = agent_client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    survivor = ana if tamper.keys().isdisjoint({"survivor"}) else busy  # a refused survivor: the default again
    assert f"Merge into #{survivor.pk}" in page
    assert nothing_merged()


def test_every_refused_choice_is_shown_at_once(agent_client, trio):
    ana, busy, third = trio
    data = {"users": param(ana, busy, third), "survivor": "x", "choice_name": "999999", "choice_locale": "y"}
    page = agent_client.post(URL, data).content.decode()
    assert "Choose which of these profiles survives; nothing was merged." in page
    assert "The value of name must come from one of the merged profiles, not #999999." in page
    assert "Each field choice must be the id of a profile (or of an organization)." in page
    assert nothing_merged()


def test_on_the_page_a_survivor_outside_the_selection_falls_back_to_the_default_silently(agent_client, trio):
    ana, busy, third = trio
    response = agent_client.get(URL, {"users": param(ana, busy, third), "survivor": "999999"})
    page = response.content.decode()
    assert f"Merge into #{busy.pk}" in page
    assert "Choose which of these profiles survives" not in page
