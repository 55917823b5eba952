"""Rules changing while contacts arrive (PostgreSQL, real threads): a contact a rule matched always gets a team."""

from __future__ import annotations

import pytest
from django.db import transaction

from intake.services.contacts import record_contact
from organizations.routing import rules as compiled
from organizations.routing.models import ContactRoute, RouteKind, RoutingRule
from organizations.routing.services import RuleInput, create_rule, create_team, delete_rule, move_rule, update_rule
from profiles.models import Contact
from profiles.services.identities import add_identity
from tests.concurrency import in_threads
from tests.factories import EndUserFactory, MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONTACTS_PER_THREAD = 15
CHANGES = 25


def test_a_rule_change_during_intake_never_leaves_a_matched_contact_without_a_team():
    compiled.forget()
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    sul, mexico = create_team(name="Equipe Sul"), create_team(name="Soporte México")
    create_rule(data=RuleInput(name="Texts", team_id=mexico.pk, channel="sms"))
    acme_rule = create_rule(data=RuleInput(name="Acme", team_id=sul.pk, organization_ids=(acme.pk,)))
    customers = []
    for n in range(3):
        user = EndUserFactory()
        add_identity(user=user, kind="email", value=f"customer{n}@acme.example")
        MembershipFactory(user=user, organization=acme, is_default=True)
        customers.append(f"customer{n}@acme.example")

    def arrive(address: str):
        def deliver():
            for n in range(CONTACTS_PER_THREAD):
                record_contact(channel="email", contact_point=address, source_ref=f"{address}-{n}")

        return deliver

    def change_rules():
        rule = acme_rule
        for n in range(CHANGES):
            # Acme is in a rule at every committed state; its team, its other organizations and its position
            # change (several statements each: the many-to-many rows, the renumbering), and every third time
            # the rule is replaced by a new one, so a process routing with the old rule's id must route again.
            organizations = (acme.pk, globex.pk) if n % 2 else (acme.pk,)
            team = mexico if n % 2 else sul
            if n % 3 == 2:
                with transaction.atomic():
                    delete_rule(rule=rule)
                    rule = create_rule(data=RuleInput(name="Acme", team_id=team.pk, organization_ids=organizations))
            else:
                update_rule(rule=rule, data=RuleInput(name="Acme", team_id=team.pk, organization_ids=organizations))
            move_rule(rule=RoutingRule.objects.get(pk=rule.pk), position=1 + n % 2)

    in_threads(change_rules, *(arrive(address) for address in customers))

    assert Contact.objects.count() == 3 * CONTACTS_PER_THREAD
    routes = list(ContactRoute.objects.values_list("kind", "team_id", "rule_name"))
    assert len(routes) == 3 * CONTACTS_PER_THREAD
    assert {(kind, rule_name) for kind, _, rule_name in routes} == {(RouteKind.RULE, "Acme")}
    assert all(team_id in (sul.pk, mexico.pk) for _, team_id, _ in routes)
