"""The Django admin for power users: search by any contact point, safe identity edits, no 500s."""

from __future__ import annotations

import pytest
from django.urls import reverse

from profiles.models import EndUser, Identity
from profiles.services.identities import add_identity
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:profiles_enduser_changelist")


def enduser_post_data(user: EndUser | None = None, identities=(), memberships=(), **fields) -> dict:
    """The POST body of the end-user change form with its two inlines."""
    data = {
        "name": user.name if user else "Ana Souza",
        "source": user.source if user else "agent",
        "external_id": "",
        "locale": "",
        "time_zone": "",
        "details": "",
        "notes": "",
        "tags": "",
        "identities-TOTAL_FORMS": str(len(identities)),
        "identities-INITIAL_FORMS": str(sum(1 for row in identities if row.get("id"))),
        "identities-MIN_NUM_FORMS": "0",
        "identities-MAX_NUM_FORMS": "1000",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for row in memberships if row.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for prefix, rows in (("identities", identities), ("memberships", memberships)):
        for index, row in enumerate(rows):
            for key, value in row.items():
                if value is True:
                    value = "on"
                if value is False:
                    continue
                data[f"{prefix}-{index}-{key}"] = value
            if user is not None:
                data[f"{prefix}-{index}-user"] = str(user.pk)
    return data


@pytest.fixture
def ana(db):
    user = EndUserFactory(name="Ana Souza", external_id="crm-77")
    add_identity(user=user, kind="phone", value="+55 11 98765-4321")
    add_identity(user=user, kind="email", value="Ana.Souza@Example.com")
    add_identity(user=user, kind="instagram", value="@ana.souza")
    EndUserFactory(name="Bruno Lima")
    return user


@pytest.mark.parametrize(
    "typed",
    [
        "+55 11 98765-4321",
        "5511987654321",
        "(11) 98765-4321",
        "+55 (11) 987654321",
        "ANA.SOUZA@example.com ",
        "@Ana.Souza",
        "souza",
        "crm-77",
    ],
)
def test_search_finds_a_customer_by_any_contact_point_in_any_format(superuser_client, ana, settings, typed):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    response = superuser_client.get(CHANGELIST, {"q": typed})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ana]


def test_the_list_shows_primary_contact_points_in_a_bounded_number_of_queries(
    superuser_client, ana, django_assert_max_num_queries
):
    for n in range(30):
        add_identity(user=EndUserFactory(), kind="email", value=f"c{n}@example.com")
    with django_assert_max_num_queries(12):
        response = superuser_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "ana.souza@example.com".lower() in response.content.decode().lower()


def test_filters_by_identity_kind_organization_and_tombstones(superuser_client, ana):
    organization = OrganizationFactory(name="Acme")
    MembershipFactory(user=ana, organization=organization, is_default=True)
    survivor = EndUserFactory(name="Survivor")
    EndUserFactory(name="Gone", merged_into=survivor)

    def names(**params) -> set[str]:
        return {user.name for user in superuser_client.get(CHANGELIST, params).context["cl"].result_list}

    assert names(has_identity="instagram") == {"Ana Souza"}
    assert names(organization="acme") == {"Ana Souza"}
    assert names(organization=str(organization.pk)) == {"Ana Souza"}
    assert names(merged="yes") == {"Gone"}
    assert "Gone" not in names(merged="no")


def test_an_organization_filter_naming_no_organization_says_so_and_shows_nobody(superuser_client, ana):
    response = superuser_client.get(CHANGELIST, {"organization": "Nowhere Ltd"}, follow=True)

    assert list(response.context["cl"].result_list) == []
    assert [str(message) for message in response.context["messages"]] == [
        "No organization is called 'Nowhere Ltd'; check the name or use its id."
    ]


def test_a_phone_another_profile_owns_is_named_in_lower_case_words_in_the_admin(superuser_client, ana):
    bruno = EndUser.objects.get(name="Bruno Lima")
    data = enduser_post_data(bruno, identities=[{"kind": "phone", "value": "+55 11 98765-4321"}])
    response = superuser_client.post(reverse("admin:profiles_enduser_change", args=[bruno.pk]), data)
    assert response.status_code == 200
    assert "The phone number +5511987654321 already belongs to" in response.content.decode()
    assert not bruno.identities.exists()


def test_adding_an_identity_another_profile_owns_names_the_owner_and_saves_nothing(superuser_client, ana):
    bruno = EndUser.objects.get(name="Bruno Lima")
    data = enduser_post_data(
        bruno, identities=[{"kind": "email", "value": "ana.souza@EXAMPLE.com"}], name="Bruno Renamed"
    )
    response = superuser_client.post(reverse("admin:profiles_enduser_change", args=[bruno.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "already belongs to" in page and f"Ana Souza (#{ana.pk})" in page
    bruno.refresh_from_db()
    assert bruno.name == "Bruno Lima"
    assert not bruno.identities.exists()


def test_an_invalid_phone_gets_a_field_error_naming_the_problem(superuser_client):
    data = enduser_post_data(identities=[{"kind": "phone", "value": "+55 11 1234"}])
    response = superuser_client.post(reverse("admin:profiles_enduser_add"), data)
    assert response.status_code == 200
    assert "&#x27;+55 11 1234&#x27; is not a valid phone number: it is too short" in response.content.decode()
    assert not EndUser.objects.exists()


def test_creating_a_profile_with_identities_normalizes_them_and_makes_the_first_primary(superuser_client):
    data = enduser_post_data(
        identities=[
            {"kind": "email", "value": " Maria@Example.COM "},
            {"kind": "email", "value": "maria@work.example"},
            {"kind": "whatsapp", "value": "5511912345678"},
        ],
        tags="VIP  billing vip",
        external_id="  ",
    )
    response = superuser_client.post(reverse("admin:profiles_enduser_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    user = EndUser.objects.get()
    assert user.tags == ["billing", "vip"]
    assert user.external_id is None
    rows = {(i.kind, i.normalized, i.is_primary) for i in user.identities.all()}
    assert rows == {
        ("email", "maria@example.com", True),
        ("email", "maria@work.example", False),
        ("whatsapp", "+5511912345678", True),
    }


def test_the_same_contact_point_twice_in_one_form_is_refused(superuser_client):
    data = enduser_post_data(
        identities=[{"kind": "email", "value": "maria@example.com"}, {"kind": "email", "value": "MARIA@example.com"}]
    )
    response = superuser_client.post(reverse("admin:profiles_enduser_add"), data)
    assert response.status_code == 200
    assert "are the same Email; keep one of them" in response.content.decode()
    assert not EndUser.objects.exists()


def test_moving_the_primary_flag_between_two_identities_in_one_save_works(superuser_client, ana):
    email = ana.identities.get(kind="email")
    second = add_identity(user=ana, kind="email", value="ana@work.example")
    rows = [
        {"id": str(i.pk), "kind": i.kind, "value": i.value, "primary": i.pk == second.pk}
        for i in ana.identities.order_by("kind", "-is_primary", "id")
    ]
    response = superuser_client.post(
        reverse("admin:profiles_enduser_change", args=[ana.pk]), enduser_post_data(ana, identities=rows)
    )
    assert response.status_code == 302
    email.refresh_from_db()
    second.refresh_from_db()
    assert second.is_primary and not email.is_primary


def test_two_primaries_of_one_kind_in_one_form_are_refused(superuser_client):
    data = enduser_post_data(
        identities=[
            {"kind": "email", "value": "a@example.com", "primary": True},
            {"kind": "email", "value": "b@example.com", "primary": True},
        ]
    )
    response = superuser_client.post(reverse("admin:profiles_enduser_add"), data)
    assert "Only one Email can be primary" in response.content.decode()
    assert not Identity.objects.exists()


def test_memberships_keep_exactly_one_default(superuser_client, ana):
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    two_defaults = enduser_post_data(
        ana,
        memberships=[
            {"organization": str(acme.pk), "default": True},
            {"organization": str(globex.pk), "default": True},
        ],
    )
    two_defaults.update(_identity_rows_unchanged(ana))
    response = superuser_client.post(reverse("admin:profiles_enduser_change", args=[ana.pk]), two_defaults)
    assert "Only one organization can be the default" in response.content.decode()
    assert not ana.memberships.exists()

    none_ticked = enduser_post_data(ana, memberships=[{"organization": str(acme.pk)}, {"organization": str(globex.pk)}])
    none_ticked.update(_identity_rows_unchanged(ana))
    response = superuser_client.post(reverse("admin:profiles_enduser_change", args=[ana.pk]), none_ticked)
    assert response.status_code == 302
    assert list(ana.memberships.filter(is_default=True).values_list("organization__name", flat=True)) == ["Acme"]


def _identity_rows_unchanged(user: EndUser) -> dict:
    rows = [
        {"id": str(i.pk), "kind": i.kind, "value": i.value, "primary": i.is_primary}
        for i in user.identities.order_by("kind", "-is_primary", "id")
    ]
    data = enduser_post_data(user, identities=rows)
    return {key: value for key, value in data.items() if key.startswith("identities-")}


def test_identity_admin_refuses_a_taken_key_naming_the_owner(superuser_client, ana):
    bruno = EndUser.objects.get(name="Bruno Lima")
    response = superuser_client.post(
        reverse("admin:profiles_identity_add"),
        {"user": str(bruno.pk), "kind": "instagram", "value": "instagram.com/Ana.Souza"},
    )
    assert response.status_code == 200
    assert f"Ana Souza (#{ana.pk})" in response.content.decode()
    assert not bruno.identities.exists()


def test_identity_admin_search_takes_a_phone_in_any_format(superuser_client, ana):
    response = superuser_client.get(reverse("admin:profiles_identity_changelist"), {"q": "+55 (11) 98765 4321"})
    assert [i.normalized for i in response.context["cl"].result_list] == ["+5511987654321"]


def test_merged_into_is_read_only_in_the_admin(superuser_client, ana):
    survivor = EndUserFactory(name="Other")
    data = enduser_post_data(ana, merged_into=str(survivor.pk))
    data.update(_identity_rows_unchanged(ana))
    superuser_client.post(reverse("admin:profiles_enduser_change", args=[ana.pk]), data)
    ana.refresh_from_db()
    assert ana.merged_into_id is None
