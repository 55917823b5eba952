"""Domain errors of the organizations app.

Each says what was refused and what to do instead. `field` names the form field
the error belongs to, so a view can show it next to what the person typed.
"""

from __future__ import annotations

from zdusers.errors import DomainError


class OrganizationError(DomainError):
    """A refusal about organizations, domains or memberships, in a sentence a person can act on."""

    field: str | None = None


class InvalidDomain(OrganizationError):
    field = "domains"

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not an email domain: {reason}.")


class SharedMailDomain(OrganizationError):
    """gmail.com, yahoo.com.br, mailinator.com…: addresses there say nothing about an organization."""

    field = "domains"

    def __init__(self, domain: str, kind: str) -> None:
        self.domain = domain
        self.kind = kind
        super().__init__(
            f"{domain} is a {kind}: its addresses belong to individuals, not to one organization, "
            "so it can't be an organization's domain or auto-assign anyone. Add those people as members instead."
        )


class DomainTaken(OrganizationError):
    field = "domains"

    def __init__(self, domain: str, owner_id: int, owner_name: str) -> None:
        self.domain = domain
        self.owner_id = owner_id
        self.owner_name = owner_name
        super().__init__(f"{domain} already belongs to the organization {owner_name}.")


class OrganizationProblems(OrganizationError):
    """Several refusals about one submission (each knows its field); nothing was saved."""

    def __init__(self, problems: list[OrganizationError]) -> None:
        self.problems = problems
        super().__init__(" ".join(problem.message for problem in problems))

    def flat(self) -> list[OrganizationError]:
        return [leaf for problem in self.problems for leaf in _leaves(problem)]


class DomainProblems(OrganizationProblems):
    """Domains of one submission that were refused; nothing was saved."""

    field = "domains"


def _leaves(error: OrganizationError) -> list[OrganizationError]:
    return error.flat() if isinstance(error, OrganizationProblems) else [error]


class OrganizationNameTaken(OrganizationError):
    field = "name"

    def __init__(self, name: str, existing_id: int, existing_name: str) -> None:
        self.name = name
        self.existing_id = existing_id
        self.existing_name = existing_name
        super().__init__(f"The organization {existing_name!r} already exists (names ignore case); choose another name.")


class OrganizationNameMissing(OrganizationError):
    field = "name"

    def __init__(self) -> None:
        super().__init__("An organization needs a name.")


class ExternalIdTaken(OrganizationError):
    field = "external_id"

    def __init__(self, external_id: str, owner_id: int, owner_name: str) -> None:
        self.external_id = external_id
        self.owner_id = owner_id
        self.owner_name = owner_name
        super().__init__(f"The organization {owner_name!r} already has the external id {external_id!r}.")


class AlreadyMember(OrganizationError):
    def __init__(self, user_name: str, organization_name: str) -> None:
        super().__init__(f"{user_name} is already a member of {organization_name}.")


class MembershipsChanged(OrganizationError):
    """A concurrent write touched the same people; the whole action was rolled back."""

    def __init__(self) -> None:
        super().__init__(
            "Someone changed the memberships of these people at the same moment, so nothing was saved. Try again."
        )
