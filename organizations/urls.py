from django.urls import path

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
]
