from django.urls import path

from organizations.routing import views as routing
from organizations.views import domains, editing, listing, members, tabs

app_name = "organizations"

urlpatterns = [
    path("organizations/", listing.OrganizationListView.as_view(), name="list"),
    path("organizations/add-selected/", members.add_selection, name="add_selection"),
    path("organizations/new/", editing.create, name="create"),
    path("organizations/<int:pk>/", tabs.MembersView.as_view(), name="detail"),
    path("organizations/<int:pk>/edit/", editing.edit, name="edit"),
    path("organizations/<int:pk>/delete/", editing.delete, name="delete"),
    path("organizations/<int:pk>/contacts/", tabs.ContactsView.as_view(), name="contacts"),
    path("organizations/<int:pk>/report/", tabs.report, name="report"),
    path("organizations/<int:pk>/report.csv", tabs.report_csv, name="report_csv"),
    path("organizations/<int:pk>/domains/", tabs.DomainsView.as_view(), name="domains"),
    path("organizations/<int:pk>/domains/add/", domains.add_domain, name="add_domain"),
    path("organizations/<int:pk>/domains/<int:domain_pk>/remove/", domains.remove_domain, name="remove_domain"),
    path("organizations/<int:pk>/domains/<int:domain_pk>/auto-assign/", domains.auto_assign, name="auto_assign"),
    path("organizations/<int:pk>/members/add/", members.add_members, name="add_members"),
    path("organizations/<int:pk>/members/add-one/", members.add_member, name="add_member"),
    path("organizations/<int:pk>/members/<int:membership_pk>/remove/", members.remove_member, name="remove_member"),
    path("organizations/<int:pk>/members/<int:membership_pk>/default/", members.make_default, name="make_default"),
    # Routing contacts to teams (organizations/routing)
    path("organizations/<int:pk>/routing/", routing.organization_routing, name="routing"),
    path("organizations/<int:pk>/routing/reroute/", routing.organization_reroute, name="reroute"),
    path("teams/", routing.teams, name="teams"),
    path("teams/new/", routing.team_form, name="team_create"),
    path("teams/<int:pk>/", routing.team_detail, name="team"),
    path("teams/<int:pk>/edit/", routing.team_form, name="team_edit"),
    path("teams/<int:pk>/delete/", routing.team_delete, name="team_delete"),
    path("routing/rules/", routing.rules, name="rules"),
    path("routing/rules/new/", routing.rule_form, name="rule_create"),
    path("routing/rules/<int:pk>/edit/", routing.rule_form, name="rule_edit"),
    path("routing/rules/<int:pk>/move/", routing.rule_move, name="rule_move"),
    path("routing/rules/<int:pk>/delete/", routing.rule_delete, name="rule_delete"),
    path("contacts/mine/", routing.team_contacts, name="team_contacts"),
    path("contacts/<int:pk>/reassign/", routing.reassign_contact, name="reassign"),
]
