"""The two staff roles and exactly which permissions each one has.

Agents work with customers; Admins also manage organizations, imports and undo
merges. The data migration applies these lists; tests read them too.
"""

from __future__ import annotations

AGENTS = "Agents"
ADMINS = "Admins"

# (app_label, codename)
AGENT_PERMISSIONS: list[tuple[str, str]] = [
    ("profiles", "view_enduser"),
    ("profiles", "add_enduser"),
    ("profiles", "change_enduser"),
    ("profiles", "merge_enduser"),
    ("profiles", "view_identity"),
    ("profiles", "add_identity"),
    ("profiles", "change_identity"),
    ("profiles", "delete_identity"),
    ("profiles", "view_contact"),
    ("profiles", "add_contact"),
    ("profiles", "change_contact"),
    ("organizations", "view_organization"),
    ("organizations", "view_organizationdomain"),
    ("organizations", "view_membership"),
    # Routing: agents see every team's contacts and reassign a contact's team (change_contactroute).
    ("organizations", "view_team"),
    ("organizations", "view_routingrule"),
    ("organizations", "view_contactroute"),
    ("organizations", "change_contactroute"),
]

ADMIN_PERMISSIONS: list[tuple[str, str]] = AGENT_PERMISSIONS + [
    ("profiles", "delete_enduser"),
    ("profiles", "unmerge_enduser"),
    ("profiles", "view_mergerecord"),
    ("profiles", "view_namefrequency"),
    ("profiles", "view_matchingmodel"),
    ("profiles", "add_matchingmodel"),
    ("intake", "view_webhookchannel"),
    ("intake", "view_inbounddelivery"),
    ("intake", "add_webhookchannel"),
    ("intake", "change_webhookchannel"),
    ("intake", "delete_webhookchannel"),
    ("profiles", "import_endusers"),
    ("profiles", "delete_contact"),
    ("organizations", "manage_organizations"),
    ("organizations", "add_organization"),
    ("organizations", "change_organization"),
    ("organizations", "delete_organization"),
    ("organizations", "add_organizationdomain"),
    ("organizations", "change_organizationdomain"),
    ("organizations", "delete_organizationdomain"),
    ("organizations", "add_membership"),
    ("organizations", "change_membership"),
    ("organizations", "delete_membership"),
    ("organizations", "manage_routing"),
    ("organizations", "add_team"),
    ("organizations", "change_team"),
    ("organizations", "delete_team"),
    ("organizations", "add_routingrule"),
    ("organizations", "change_routingrule"),
    ("organizations", "delete_routingrule"),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {AGENTS: AGENT_PERMISSIONS, ADMINS: ADMIN_PERMISSIONS}


def sync_roles(apps) -> None:
    """Make the groups hold exactly the permissions listed above.

    Called from migrations with the historical `apps`; when these lists change,
    add a migration that calls it again.
    """
    from django.contrib.auth.management import create_permissions
    from django.db.models import Q

    # Permissions are normally created after all migrations ran; make them now
    # so the groups can reference them on a fresh database.
    for app_config in apps.get_app_configs():
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True  # create_permissions skips apps it thinks have no models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        # A permission of a model a later migration creates does not exist yet at an
        # earlier migration; that later migration calls sync_roles again. A test
        # checks that, after all migrations, each group holds exactly its list.
        condition = Q()
        for app, codename in wanted:
            condition |= Q(content_type__app_label=app, codename=codename)
        group.permissions.set(Permission.objects.filter(condition))
