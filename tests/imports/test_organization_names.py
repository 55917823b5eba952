"""Organization names differing only in case are one organization on both databases, accented capitals included.

SQLite's own LOWER() folds ASCII letters only; every SQLite connection gets a Unicode lower() (like
PostgreSQL's), so "ÓPTICA LUX" finds "Óptica Lux" instead of colliding with it on the unique index.
"""

from __future__ import annotations

import pytest

from imports.models import ImportStatus
from organizations.errors import OrganizationNameTaken
from organizations.models import Membership, Organization
from organizations.services.organizations import create_organization
from tests.imports.helpers import issues, run_import

pytestmark = pytest.mark.django_db

HEADER = "name,email,organization\n"
NAMES = ["Óptica Lux", "Ávalos S.A. de C.V.", "Água Viva"]


def test_accented_organization_names_repeated_in_a_file_and_in_a_later_import_are_one_organization(write_csv):
    rows = [f"Person {n},p{n}@example.com,{NAMES[n % 3]}" for n in range(6)]
    first = run_import(write_csv(HEADER + "\n".join(rows) + "\n"))
    assert (first.status, first.created, issues(first)) == (ImportStatus.APPLIED, 6, [])
    again = [f"Other {n},o{n}@example.com,{NAMES[n % 3].upper()}" for n in range(3)]
    second = run_import(write_csv(HEADER + "\n".join(again) + "\n"))
    assert (second.status, second.created, second.organizations_created, issues(second)) == (
        ImportStatus.APPLIED,
        3,
        0,
        [],
    )
    assert sorted(Organization.objects.values_list("name", flat=True)) == sorted(NAMES)
    assert Membership.objects.filter(organization__name="Óptica Lux").count() == 3


def test_a_name_differing_only_in_an_accented_capital_is_taken():
    create_organization(name="Óptica Lux")
    with pytest.raises(OrganizationNameTaken):
        create_organization(name="óptica lux")
    assert Organization.objects.count() == 1
