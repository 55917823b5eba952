"""The organization page's members: who has it as default, search, remove, make default, add one or many."""

from __future__ import annotations

import pytest

from organizations.models import Membership
from organizations.services.memberships import MAX_BULK_ENTRIES
from tests.factories import EndUserFactory, IdentityFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(db):
    return OrganizationFactory(name="Acme")


def test_members_show_whose_default_it_is_and_where_the_others_belong(agent_client, acme):
    globex = OrganizationFactory(name="Globex")
    ana = EndUserFactory(name="Ana Souza")
    IdentityFactory(user=ana, value="ana@acme.com", is_primary=True)
    MembershipFactory(user=ana, organization=acme, is_default=True)
    bruno = EndUserFactory(name="Bruno Lima")
    MembershipFactory(user=bruno, organization=globex, is_default=True)
    MembershipFactory(user=bruno, organization=acme, is_default=False)
    page = agent_client.get(f"/organizations/{acme.pk}/").content.decode()
    assert "Ana Souza" in page and "ana@acme.com" in page and "This organization" in page
    assert f'<a href="/organizations/{globex.pk}/">Globex</a>' in page
    assert "<strong>2</strong> members" in page and "<strong>1</strong> with it as default" in page
    assert f'href="/users/?org={acme.pk}"' in page
    assert "Make default" not in page and "Remove" not in page  # agents read only


@pytest.mark.parametrize("members", [3, 40])
def test_the_members_page_uses_the_same_queries_for_3_or_40_members(
    agent_client, acme, members, django_assert_max_num_queries
):
    other = OrganizationFactory(name="Other")
    for n in range(members):
        user = EndUserFactory(name=f"Member {n:02d}")
        IdentityFactory(user=user, is_primary=True)
        MembershipFactory(user=user, organization=other, is_default=True)
        MembershipFactory(user=user, organization=acme, is_default=False)
    with django_assert_max_num_queries(11):
        response = agent_client.get(f"/organizations/{acme.pk}/")
    assert response.status_code == 200


def test_search_within_members_and_only_those_with_it_as_default(agent_client, acme):
    ana = EndUserFactory(name="Ana Souza")
    IdentityFactory(user=ana, value="ana@acme.com")
    MembershipFactory(user=ana, organization=acme, is_default=True)
    MembershipFactory(user=EndUserFactory(name="Bruno Lima"), organization=acme, is_default=False)
    MembershipFactory(user=EndUserFactory(name="Ana Outsider"))

    def listed(**params) -> list[str]:
        response = agent_client.get(f"/organizations/{acme.pk}/", params)
        return [row.record.name for row in response.context["table"].page.object_list]

    assert listed(q="ANA@acme.com") == ["Ana Souza"]
    assert listed(q="ana") == ["Ana Souza"]
    assert listed(q="lima") == ["Bruno Lima"]
    assert listed(default="on") == ["Ana Souza"]
    page = agent_client.get(f"/organizations/{acme.pk}/", {"q": "nobody"}).content.decode()
    assert "No member matches." in page


def test_an_organization_without_members_says_how_to_add_them(admin_client, agent_client, acme):
    assert "Add members" in admin_client.get(f"/organizations/{acme.pk}/").content.decode()
    page = agent_client.get(f"/organizations/{acme.pk}/").content.decode()
    assert "No members yet" in page and "An admin adds the people" in page


def test_removing_a_member_moves_their_default_and_says_so(admin_client, acme):
    ana = EndUserFactory(name="Ana")
    membership = MembershipFactory(user=ana, organization=acme, is_default=True)
    MembershipFactory(user=ana, organization=OrganizationFactory(name="Globex"), is_default=False)
    response = admin_client.post(
        f"/organizations/{acme.pk}/members/{membership.pk}/remove/", {"next": f"/organizations/{acme.pk}/?q=an"}
    )
    assert response["Location"] == f"/organizations/{acme.pk}/?q=an"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Removed Ana from Acme; their profile and contacts stay. Their default organization is now Globex."
    ]
    assert Membership.objects.get(user=ana).is_default


def test_a_next_url_to_another_site_is_ignored(admin_client, acme):
    membership = MembershipFactory(organization=acme, is_default=True)
    response = admin_client.post(
        f"/organizations/{acme.pk}/members/{membership.pk}/remove/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/organizations/{acme.pk}/"


def test_making_it_the_default_demotes_the_previous_default(admin_client, acme):
    ana = EndUserFactory(name="Ana")
    home = MembershipFactory(user=ana, is_default=True)
    here = MembershipFactory(user=ana, organization=acme, is_default=False)
    response = admin_client.post(f"/organizations/{acme.pk}/members/{here.pk}/default/", follow=True)
    assert "Acme is now Ana&#x27;s default organization" in response.content.decode()
    here.refresh_from_db()
    home.refresh_from_db()
    assert here.is_default and not home.is_default


def test_find_a_profile_and_add_it(admin_client, acme):
    ana = EndUserFactory(name="Ana Souza")
    IdentityFactory(user=ana, value="ana.souza@gmail.com")
    member = EndUserFactory(name="Ana Member")
    MembershipFactory(user=member, organization=acme, is_default=True)
    page = admin_client.get(f"/organizations/{acme.pk}/members/add/", {"q": "ana"}).content.decode()
    assert "Ana Souza" in page and "Ana Member" in page and ">Member</span>" in page
    response = admin_client.post(
        f"/organizations/{acme.pk}/members/add-one/", {"user": ana.pk, "next": "/organizations/1/members/add/?q=ana"}
    )
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Added Ana Souza to Acme. It is their default organization."
    ]
    assert Membership.objects.get(user=ana).is_default


def test_a_search_with_a_nul_character_finds_nothing_instead_of_failing(admin_client, acme):
    assert admin_client.get(f"/organizations/{acme.pk}/members/add/", {"q": "ana\x00"}).status_code == 200
    assert admin_client.get(f"/organizations/{acme.pk}/", {"q": "\x00"}).status_code == 200


def test_adding_someone_twice_or_a_merged_away_profile_is_refused(admin_client, acme):
    ana = EndUserFactory(name="Ana")
    MembershipFactory(user=ana, organization=acme)
    tombstone = EndUserFactory(merged_into=ana)
    response = admin_client.post(f"/organizations/{acme.pk}/members/add-one/", {"user": ana.pk}, follow=True)
    assert "Ana is already a member of Acme." in response.content.decode()
    response = admin_client.post(f"/organizations/{acme.pk}/members/add-one/", {"user": tombstone.pk}, follow=True)
    assert "That profile no longer exists" in response.content.decode()
    assert Membership.objects.count() == 1


def test_pasting_addresses_reports_every_line(admin_client, acme):
    IdentityFactory(value="ana@acme.com", user=EndUserFactory(name="Ana"))
    text = "ana@acme.com\nnobody@acme.com\nnot-an-email\n"
    response = admin_client.post(f"/organizations/{acme.pk}/members/add/", {"emails": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 member(s) added to Acme (added: 1, no such profile: 1, invalid email: 1). See each line below." in page
    assert "What happened to each line" in page
    assert "org-outcome--added" in page and "org-outcome--no_profile" in page and "org-outcome--invalid" in page
    assert "no profile has the email nobody@acme.com" in page and "it has no @" in page
    assert Membership.objects.count() == 1


def test_a_list_that_is_too_long_or_empty_is_refused_whole(admin_client, acme):
    IdentityFactory(value="ana@acme.com")
    too_long = "ana@acme.com\n" + "x@y.example\n" * MAX_BULK_ENTRIES
    response = admin_client.post(f"/organizations/{acme.pk}/members/add/", {"emails": too_long})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"This list has {MAX_BULK_ENTRIES + 1:,} entries; paste at most {MAX_BULK_ENTRIES:,} at a time." in page
    assert "ana@acme.com" in page  # what was pasted is still there
    response = admin_client.post(f"/organizations/{acme.pk}/members/add/", {"emails": " ;\n , "})
    assert "Paste at least one email address." in response.content.decode()
    assert not Membership.objects.exists()


# Adding the rows selected in the directory (its bulk bar hands the POST on with a 307).


def test_an_admin_adds_the_selected_profiles_by_organization_name_and_goes_back(admin_client, acme):
    ana, bruno = EndUserFactory(name="Ana"), EndUserFactory(name="Bruno")
    response = admin_client.post(
        "/organizations/add-selected/",
        {"selected": [ana.pk, bruno.pk], "organization": "acme", "next": "/users/?q=tag%3Avip"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/users/?q=tag%3Avip"
    assert "2 profile(s) added to Acme." in response.content.decode()
    assert set(Membership.objects.filter(organization=acme).values_list("user_id", flat=True)) == {ana.pk, bruno.pk}


def test_a_name_ending_in_a_period_ends_the_message_once(admin_client):
    OrganizationFactory(name="Girassol Ltda.")
    ana = EndUserFactory(name="Ana")
    data = {"selected": [ana.pk], "organization": "Girassol Ltda."}
    response = admin_client.post("/organizations/add-selected/", data, follow=True)
    assert "1 profile(s) added to Girassol Ltda.<" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"selected": ["1x"], "organization": "Acme"}, "The selection was not understood; select the profiles again."),
        ({"selected": [], "organization": "Acme"}, "Select at least one profile first."),
        ({"organization": ""}, "Type the organization&#x27;s name or id."),
        ({"organization": "Nobody Inc"}, "No organization is called &#x27;Nobody Inc&#x27;"),
    ],
)
def test_a_wrong_selection_or_organization_is_explained_and_adds_nobody(admin_client, acme, data, message):
    ana = EndUserFactory(name="Ana")
    data = {"selected": [ana.pk], **data}
    response = admin_client.post("/organizations/add-selected/", data, follow=True)
    assert message in response.content.decode()
    assert not Membership.objects.exists()


def test_agents_cannot_add_the_selection_and_the_page_is_post_only(agent_client, admin_client, client, acme):
    ana = EndUserFactory(name="Ana")
    data = {"selected": [ana.pk], "organization": "Acme"}
    assert agent_client.post("/organizations/add-selected/", data).status_code == 403
    assert client.post("/organizations/add-selected/", data).status_code == 302  # to the login page
    assert admin_client.get("/organizations/add-selected/").status_code == 405
    assert not Membership.objects.exists()
