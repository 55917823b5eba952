"""Big files are streamed: memory stays flat as the file grows (tracemalloc, no timing)."""

from __future__ import annotations

import tracemalloc

import pytest

from imports.csvfile import ALL_USER_COLUMNS, USER_KEY_COLUMNS, CsvSource
from imports.services.users import import_users, open_user_file
from profiles.models import EndUser

ROW = "Ana Souza {n},ana.souza.{n}@example.com,crm-{n},{pad},,+55 11 9{a:04d}-{b:04d},end-user,,vip\n"
HEADER = "name,email,external_id,details,notes,phone,role,organization,tags\n"


def write_rows(path, rows: int, pad: int = 0) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(rows):
            out.write(ROW.format(n=n, a=n // 10000, b=n % 10000, pad="x" * pad))


def peak_while(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_20_mb_file_holds_one_line_at_a_time(tmp_path):
    path = tmp_path / "big.csv"
    write_rows(path, 100_000, pad=120)  # ~21 MB
    assert path.stat().st_size > 20_000_000

    def read_all():
        with path.open("rb") as stream:
            source = CsvSource(stream, known_columns=ALL_USER_COLUMNS, key_columns=USER_KEY_COLUMNS)
            assert sum(1 for _ in source.records()) == 100_000

    assert peak_while(read_all) < 1_000_000  # a 21 MB file, under 1 MB of Python objects at any time


@pytest.mark.django_db
def test_preview_memory_does_not_grow_with_the_file(tmp_path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_rows(small, 2_000)
    write_rows(large, 8_000)

    def preview(path):
        def run():
            with path.open("rb") as stream:
                import_users(source=open_user_file(stream), apply=False, chunk_size=1_000)

        return run

    peak_small, peak_large = peak_while(preview(small)), peak_while(preview(large))
    # Four times the rows, the same chunks in memory: the peak stays within a small margin.
    assert peak_large < peak_small * 1.3
    assert not EndUser.objects.exists()
