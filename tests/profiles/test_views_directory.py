"""The directory `/users/`: find any customer fast, filter, act on a selection, export it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import Membership
from profiles.models import EndUser
from profiles.services.identities import add_identity
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL = reverse("profiles:directory")


@pytest.fixture
def customers(db):
    acme = OrganizationFactory(name="Acme Logística")
    ana = EndUserFactory(name="Ana Souza", tags=["vip"], external_id="crm-77")
    add_identity(user=ana, kind="email", value="ana.souza@acme.com.br")
    add_identity(user=ana, kind="phone", value="+55 11 98765-4321")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    joao = EndUserFactory(name="João Pereira", source="channel")
    add_identity(user=joao, kind="whatsapp", value="5511912345678")
    add_identity(user=joao, kind="instagram", value="@Joao.P")
    bruno = EndUserFactory(name="Bruno Lima", suspended=True)
    ContactFactory.create_batch(3, requester=ana)
    return {"ana": ana, "joao": joao, "bruno": bruno, "acme": acme}


def names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_a_phone_written_differently_from_how_it_is_stored_jumps_to_its_profile(agent_client, customers, settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    response = agent_client.get(URL, {"q": "(11) 98765 4321"})
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:detail", args=[customers["ana"].pk])


def test_an_email_in_any_case_and_an_external_id_jump_to_the_profile(agent_client, customers):
    for typed in ("ANA.SOUZA@acme.com.br", "crm-77"):
        response = agent_client.get(URL, {"q": typed})
        assert response["Location"] == reverse("profiles:detail", args=[customers["ana"].pk])


def test_the_email_of_a_merged_away_profile_lands_on_its_survivor_with_a_note(agent_client, customers):
    old = EndUserFactory(name="Ana S.")
    add_identity(user=old, kind="email", value="ana@old.example")
    # A tombstone that still holds an address (merged before merges moved every contact point, say).
    EndUser.objects.filter(pk=old.pk).update(merged_into=customers["ana"])
    response = agent_client.get(URL, {"q": "ana@old.example"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[customers["ana"].pk])
    assert "ana@old.example belonged to Ana S." in response.content.decode()


@pytest.fixture
def merged_twin(customers, agent):
    """Ana's twin profile, with its own email, number and external id, merged into Ana for real."""
    from profiles.merges.services import merge

    twin = EndUserFactory(name="Ana S.", external_id="shop-88123")
    add_identity(user=twin, kind="email", value="ana@old.example")
    add_identity(user=twin, kind="whatsapp", value="5521998765432")
    record = merge(
        survivor=customers["ana"], others=[twin], field_choices={"external_id": customers["ana"].pk}, actor=agent
    )
    return twin, record


@pytest.mark.parametrize("typed", ["shop-88123", "ANA@old.example", "+55 21 99876-5432"])
def test_what_a_merged_away_profile_had_leads_to_its_survivor_with_a_note(agent_client, customers, merged_twin, typed):
    twin, record = merged_twin
    response = agent_client.get(URL, {"q": typed}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[customers["ana"].pk])
    merged_on = timezone.localtime(record.created_at).date().isoformat()
    assert [str(m) for m in response.context["messages"]] == [
        f"{typed} belonged to Ana S. (#{twin.pk}), which was merged into Ana Souza on {merged_on}."
    ]


def test_after_the_merge_is_undone_the_old_external_id_and_email_lead_to_their_profile_again(
    agent_client, admin_user, customers, merged_twin
):
    from profiles.merges.services import unmerge

    twin, record = merged_twin
    unmerge(merge_record=record, actor=admin_user)
    for typed in ("shop-88123", "ana@old.example"):
        response = agent_client.get(URL, {"q": typed}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[twin.pk])
        assert not list(response.context["messages"])


def test_a_contact_point_the_survivor_always_had_opens_it_without_a_note(agent_client, customers, merged_twin):
    response = agent_client.get(URL, {"q": "ana.souza@acme.com.br"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("profiles:detail", args=[customers["ana"].pk])
    assert not list(response.context["messages"])


def test_names_match_ignoring_accents_and_case(agent_client, customers):
    assert names(agent_client.get(URL, {"q": "joao"})) == ["João Pereira"]
    assert names(agent_client.get(URL, {"q": "SOUZA"})) == ["Ana Souza"]


def test_a_handle_finds_messaging_identities(agent_client, customers):
    assert names(agent_client.get(URL, {"q": "@joao.p"})) == ["João Pereira"]


def test_field_terms_combine(agent_client, customers):
    assert names(agent_client.get(URL, {"q": 'org:"acme logística" tag:vip'})) == ["Ana Souza"]
    assert names(agent_client.get(URL, {"q": "tag:vip name:bruno"})) == []
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert names(agent_client.get(URL, {"q": f"created<{tomorrow} name:lima"})) == ["Bruno Lima"]


def test_a_syntax_error_is_shown_next_to_the_box_and_lists_nothing(agent_client, customers):
    response = agent_client.get(URL, {"q": "colour:blue"})
    assert response.status_code == 200
    assert "Unknown field &#x27;colour&#x27;" in response.content.decode()
    assert names(response) == []


def test_an_unknown_organization_in_org_terms_says_so(agent_client, customers):
    response = agent_client.get(URL, {"q": "org:initech"})
    assert "No organization is called &#x27;initech&#x27;" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "whatsapp"}, ["João Pereira"]),
        ({"has_email": "no"}, ["Bruno Lima", "João Pereira"]),
        ({"has_email": "yes"}, ["Ana Souza"]),
        ({"source": "channel"}, ["João Pereira"]),
        ({"tag": "VIP"}, ["Ana Souza"]),
        ({"suspended": "yes"}, ["Bruno Lima"]),
        ({"org": "acme logística"}, ["Ana Souza"]),
    ],
)
def test_filters_narrow_the_list(agent_client, customers, params, expected):
    assert names(agent_client.get(URL, params)) == expected


def test_the_organization_filter_takes_an_id_and_refuses_an_unknown_name(agent_client, customers):
    assert names(agent_client.get(URL, {"org": str(customers["acme"].pk)})) == ["Ana Souza"]
    response = agent_client.get(URL, {"org": "Initech"})
    assert "No organization is called" in response.content.decode()
    assert names(response) == []


def test_merged_away_profiles_are_hidden_unless_asked_for(agent_client, customers):
    EndUserFactory(name="Ana Old", merged_into=customers["ana"])
    assert "Ana Old" not in names(agent_client.get(URL))
    assert "Ana Old" in names(agent_client.get(URL, {"merged": "include"}))


def test_rows_show_contact_points_organization_and_contact_count(agent_client, customers):
    page = agent_client.get(URL, {"q": "souza tag:vip"}).content.decode()
    for text in ("ana.souza@acme.com.br", "+55 11 98765-4321", "Acme Logística", ">3<"):
        assert text in page


def test_every_page_stays_within_eleven_queries(agent_client, customers, django_assert_max_num_queries):
    organization = OrganizationFactory()
    for n in range(60):
        user = EndUserFactory(name=f"Cliente {n:02d}")
        add_identity(user=user, kind="email", value=f"cliente{n}@example.com")
        MembershipFactory(user=user, organization=organization, is_default=True)
        ContactFactory(requester=user)
    for params in (
        {},
        {"page": 2, "sort": "-created_at"},
        {"q": "cliente"},
        {"org": organization.name, "kind": "email"},
    ):
        with django_assert_max_num_queries(11):
            response = agent_client.get(URL, params)
        assert response.status_code == 200
        assert len(names(response)) == 25


def test_export_streams_the_filtered_selection_as_csv(agent_client, customers):
    response = agent_client.get(reverse("imports:export_selection"), {"q": "tag:vip"})
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["name", "email", "external_id", "details"]  # Zendesk's import format
    assert [row[0] for row in rows[1:]] == ["Ana Souza"]
    assert rows[1][rows[0].index("organization")] == "Acme Logística"


def test_export_with_bad_syntax_explains_and_exports_nothing(agent_client, customers):
    response = agent_client.get(reverse("imports:export_selection"), {"q": "colour:blue"}, follow=True)
    assert "Nothing exported: Unknown field" in response.content.decode()


def test_agents_add_and_remove_tags_on_selected_rows(agent_client, customers):
    ids = [customers["joao"].pk, customers["bruno"].pk]
    response = agent_client.post(
        reverse("profiles:bulk"), {"selected": ids, "action": "add_tag", "tag": "Priority", "next": URL}, follow=True
    )
    assert "Tag added to 2 profile(s)." in response.content.decode()
    assert set(EndUser.objects.filter(tags__icontains="priority").values_list("name", flat=True)) == {
        "João Pereira",
        "Bruno Lima",
    }
    agent_client.post(reverse("profiles:bulk"), {"selected": ids[:1], "action": "remove_tag", "tag": "priority"})
    assert EndUser.objects.get(pk=ids[0]).tags == []


def test_a_bulk_action_without_selection_or_tag_says_what_is_missing(agent_client, customers):
    response = agent_client.post(reverse("profiles:bulk"), {"action": "add_tag", "tag": "x"}, follow=True)
    assert "Select at least one profile first." in response.content.decode()
    response = agent_client.post(
        reverse("profiles:bulk"),
        {"selected": [customers["ana"].pk], "action": "add_tag", "tag": "two words"},
        follow=True,
    )
    assert "Type one tag" in response.content.decode()
    assert EndUser.objects.get(pk=customers["ana"].pk).tags == ["vip"]


def test_adding_selected_rows_to_an_organization_needs_the_manage_permission(agent_client, admin_client, customers):
    data = {"selected": [customers["joao"].pk], "action": "add_to_organization", "organization": "Acme Logística"}
    assert agent_client.post(reverse("profiles:bulk"), data, follow=True).status_code == 403
    assert not Membership.objects.filter(user=customers["joao"]).exists()
    response = admin_client.post(reverse("profiles:bulk"), data, follow=True)
    assert "1 profile(s) added to Acme Logística." in response.content.decode()
    assert Membership.objects.get(user=customers["joao"]).is_default


def test_bulk_is_post_only(agent_client):
    assert agent_client.get(reverse("profiles:bulk")).status_code == 405
