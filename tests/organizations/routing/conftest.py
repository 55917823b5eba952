from __future__ import annotations

import pytest

from organizations.routing.services import RuleInput, create_rule, create_team
from tests.factories import AgentFactory, OrganizationDomainFactory, OrganizationFactory


@pytest.fixture
def sul(db):
    return create_team(name="Equipe Sul", description="Southern Brazil", members=[AgentFactory(username="bia")])


@pytest.fixture
def mexico(db):
    return create_team(name="Soporte México")


@pytest.fixture
def acme(db):
    organization = OrganizationFactory(name="Acme", tags=["vip"])
    OrganizationDomainFactory(organization=organization, domain="acme.com")
    return organization


def rule(name, team, **conditions):
    organizations = conditions.pop("organizations", ())
    return create_rule(
        data=RuleInput(name=name, team_id=team.pk, organization_ids=tuple(o.pk for o in organizations), **conditions)
    )
