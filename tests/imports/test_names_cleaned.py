"""Imported names are stored as every other path stores them: NFC, nothing invisible (zdusers.text)."""

from __future__ import annotations

import unicodedata

import pytest

from profiles.models import EndUser
from tests.imports.helpers import run_import

pytestmark = pytest.mark.django_db


def test_decomposed_and_invisible_characters_in_a_name_cell_are_cleaned_on_import(write_csv):
    decomposed = unicodedata.normalize("NFD", "Conceição Araújo")
    path = write_csv(f"name,email\n{decomposed}\u200b,conceicao@example.com\n\u202eInês Sanz,ines@example.com\n")

    job = run_import(path)

    assert (job.created, job.invalid) == (2, 0)
    assert sorted(EndUser.objects.values_list("name", flat=True)) == ["Conceição Araújo", "Inês Sanz"]
