from django.urls import path

from organizations.views import domains, editing, listing, members, tabs

app_name = "organizations"

urlpatterns = [
    path("organizations/", listing.OrganizationListView.as_view(), name="list"),
    path("organizations/add-selected/", members.AddSelectionView.as_view(), name="add_selection"),
    path("organizations/new/", editing.OrganizationCreateView.as_view(), name="create"),
    path("organizations/<int:pk>/", tabs.MembersView.as_view(), name="detail"),
    path("organizations/<int:pk>/edit/", editing.OrganizationEditView.as_view(), name="edit"),
    path("organizations/<int:pk>/delete/", editing.OrganizationDeleteView.as_view(), name="delete"),
    path("organizations/<int:pk>/contacts/", tabs.ContactsView.as_view(), name="contacts"),
    path("organizations/<int:pk>/report/", tabs.ReportView.as_view(), name="report"),
    path("organizations/<int:pk>/report.csv", tabs.ReportCsvView.as_view(), name="report_csv"),
    path("organizations/<int:pk>/domains/", tabs.DomainsView.as_view(), name="domains"),
    path("organizations/<int:pk>/domains/add/", domains.AddDomainView.as_view(), name="add_domain"),
    path(
        "organizations/<int:pk>/domains/<int:domain_pk>/remove/",
        domains.RemoveDomainView.as_view(),
        name="remove_domain",
    ),
    path(
        "organizations/<int:pk>/domains/<int:domain_pk>/auto-assign/",
        domains.AutoAssignView.as_view(),
        name="auto_assign",
    ),
    path("organizations/<int:pk>/members/add/", members.AddMembersView.as_view(), name="add_members"),
    path("organizations/<int:pk>/members/add-one/", members.AddMemberView.as_view(), name="add_member"),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/remove/",
        members.RemoveMemberView.as_view(),
        name="remove_member",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/default/",
        members.MakeDefaultView.as_view(),
        name="make_default",
    ),
]
