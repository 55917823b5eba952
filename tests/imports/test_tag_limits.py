"""An import row with more tags than a profile may carry is refused with the reason; the other rows apply."""

from __future__ import annotations

import pytest

from imports.models import IssueKind
from profiles.models import EndUser
from tests.imports.helpers import run_import

MANY = " ".join(f"tag{n}" for n in range(5_000))


@pytest.mark.django_db
def test_an_import_row_with_too_many_tags_is_invalid_and_says_why(write_csv):
    path = write_csv(f"name,email,tags\nAna Souza,ana@example.com,{MANY}\nBruno Lima,bruno@example.com,vip\n")

    job = run_import(path)

    assert (job.created, job.invalid) == (1, 1)
    issue = job.issues.get(kind=IssueKind.INVALID)
    assert (issue.line, issue.column) == (2, "tags") and "At most 50 tags, and this gives 5,000" in issue.message
    assert list(EndUser.objects.values_list("name", flat=True)) == ["Bruno Lima"]
