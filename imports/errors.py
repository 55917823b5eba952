"""Refusals of the imports app, each in a sentence a person can act on."""

from __future__ import annotations

from zdusers.errors import DomainError


class ImportRefused(DomainError):
    """Base class: an import that cannot go on as asked."""


class FileProblem(ImportRefused):
    """The file as a whole cannot be read (encoding, header, empty, broken quotes); names the line when it can."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


class JobStateError(ImportRefused):
    """The import is not in a state that allows this action (say, applying it while it is being applied)."""
