"""Checking rows in worker processes gives exactly what checking in-process gives, in file order."""

from __future__ import annotations

import pytest

from imports.checking import checked_chunks
from imports.errors import FileProblem
from imports.services.users import open_user_file
from tests.imports.test_services_users import HEADER

ROWS = (
    "Ana Souza,ana@example.com,crm-1,,,+55 11 98765-4321,,Acme,vip\n"
    "Bruno,not-an-email,crm-2,,,,,,\n"
    "Carla,carla@example.com,,,,(11) 98765-4322,agent,,\n"
    "\n"
    'Dora,"dora@example.com",crm-4,"two\nlines",,,,,b2b trial\n'
    "Ana Souza,ana@example.com,crm-1,,,+55 11 98765-4321,,Acme,vip\n"
)


def chunks(path, *, workers):
    with path.open("rb") as stream:
        return [(c.checked, c.bytes_read) for c in checked_chunks(open_user_file(stream), 2, workers=workers)]


def test_worker_processes_check_like_in_process(write_csv):
    path = write_csv(HEADER + ROWS * 3)
    in_process, pooled = chunks(path, workers=0), chunks(path, workers=2)
    assert pooled == in_process
    lines = [line for checked, _ in pooled for line, _ in checked]
    assert lines == sorted(lines) and len(lines) == 15
    assert [bytes_read for _, bytes_read in pooled] == [bytes_read for _, bytes_read in in_process]


def test_broken_csv_in_worker_mode_yields_the_chunks_before_it(write_csv):
    too_long = '"' + "x" * 200_000 + '"'  # beyond the csv module's field size limit: not readable as CSV
    path = write_csv(HEADER + ROWS + f"Eva,eva@example.com,crm-5,{too_long},,,,,\n" + ROWS)
    seen = []
    with path.open("rb") as stream, pytest.raises(FileProblem):
        for chunk in checked_chunks(open_user_file(stream), 2, workers=2):
            seen.extend(line for line, _ in chunk.checked)
    assert seen[:3] == [2, 3, 4]
