"""Refusals of the routing services, each a sentence a person can act on."""

from __future__ import annotations

from organizations.errors import OrganizationError


class RoutingError(OrganizationError):
    """A refusal about teams, rules or a contact's team; `field` names the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class TeamInUse(RoutingError):
    """A team that rules route to can't be deleted; the rules are named."""

    def __init__(self, team_name: str, rule_names: list[str]) -> None:
        self.rule_names = rule_names
        names = ", ".join(f"'{name}'" for name in rule_names)
        super().__init__(
            f"{team_name} can't be deleted: these rules route contacts to it: {names}. "
            "Point them at another team or delete them first."
        )
