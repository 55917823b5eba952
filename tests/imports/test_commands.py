"""`import_users`, `export_users` and `make_import_sample` from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from imports.models import ImportJob
from profiles.models import EndUser
from tests.factories import StaffUserFactory
from tests.imports.conftest import SAMPLES

pytestmark = pytest.mark.django_db


def test_import_users_dry_run_prints_the_summary_and_writes_nothing(capsys):
    call_command("import_users", str(SAMPLES / "users.csv"), "--dry-run", verbosity=0)
    out = capsys.readouterr().out
    assert "5 rows read (dry run: nothing written)" in out
    assert "5 would be created, 0 would be updated, 0 unchanged, 0 conflicts, 0 invalid." in out
    assert not EndUser.objects.exists()


NATIONAL_NUMBER = b"name,phone\nAna Souza,(11) 98765-4321\n"


def test_phone_region_reads_national_numbers_as_that_country_and_says_so(write_csv, capsys, settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = None  # a shell without `make run`'s BR
    call_command("import_users", str(write_csv(NATIONAL_NUMBER)), "--phone-region", "br", verbosity=0)
    out = capsys.readouterr().out
    assert "Numbers without a country code were read as BR (--phone-region)." in out
    assert EndUser.objects.get().identities.get().normalized == "+5511987654321"


def test_without_the_option_the_setting_is_the_region_and_a_national_number_needs_one(write_csv, capsys, settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = None
    call_command("import_users", str(write_csv(NATIONAL_NUMBER)), verbosity=0)
    out = capsys.readouterr().out
    assert "Numbers without a country code need one: no phone region is set (--phone-region XX)." in out
    assert "1 invalid" in out and not EndUser.objects.exists()
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    call_command("import_users", str(write_csv(NATIONAL_NUMBER)), verbosity=0)
    assert "read as BR (ZDUSERS_DEFAULT_PHONE_REGION)" in capsys.readouterr().out
    assert EndUser.objects.get().identities.get().normalized == "+5511987654321"


def test_an_unknown_phone_region_is_refused_before_anything_is_recorded(write_csv):
    with pytest.raises(CommandError, match=r"'XX' is not a phone region: use a two-letter country code such as BR"):
        call_command("import_users", str(write_csv(NATIONAL_NUMBER)), "--phone-region", "XX", verbosity=0)
    assert not ImportJob.objects.exists() and not EndUser.objects.exists()


def test_the_help_says_which_phone_region_applies(capsys, settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "MX"
    with pytest.raises(SystemExit):
        call_command("import_users", "--help")
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--phone-region XX" in help_text and "now MX" in help_text


def test_a_dry_run_is_listed_as_a_finished_dry_run_not_as_a_preview_waiting_to_be_applied(capsys):
    call_command("import_users", str(SAMPLES / "users.csv"), "--dry-run", verbosity=0)
    job = ImportJob.objects.get()
    assert (job.status, job.get_status_display()) == ("dry_run", "Dry run: nothing written")
    assert job.finished_at is not None and not job.is_running


def test_import_users_applies_and_records_the_actor(capsys):
    admin = StaffUserFactory(username="lead")
    call_command("import_users", str(SAMPLES / "users.csv"), "--actor", "lead", verbosity=0)
    assert "5 created, 0 updated" in capsys.readouterr().out
    assert ImportJob.objects.get().created_by == admin
    assert EndUser.objects.count() == 5


def test_import_users_organizations_flag(capsys):
    call_command("import_users", str(SAMPLES / "organizations.csv"), "--organizations", verbosity=0)
    assert "3 created" in capsys.readouterr().out


def test_no_create_organizations_refuses_rows_and_lists_them(capsys):
    call_command("import_users", str(SAMPLES / "users.csv"), "--no-create-organizations", verbosity=0)
    out = capsys.readouterr().out
    assert "3 invalid" in out
    assert "line 2 [organization] invalid: no organization is called 'Acme Logística'" in out


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match=r"nope\.csv: no such file\."):
        call_command("import_users", "nope.csv")


def test_unknown_actor_is_a_clear_error():
    with pytest.raises(CommandError, match="No staff user is called 'ghost'"):
        call_command("import_users", str(SAMPLES / "users.csv"), "--actor", "ghost")


def test_bad_file_exits_non_zero_with_the_reason(write_csv):
    path = write_csv(b"name,email\nJos\xe9,jose@example.com\n")
    with pytest.raises(CommandError, match=r"Line 2 is not UTF-8 text .* \(import #\d+\)"):
        call_command("import_users", str(path), verbosity=0)
    assert not EndUser.objects.exists()


def test_export_users_writes_a_file_that_imports_back_unchanged(tmp_path, capsys):
    call_command("import_users", str(SAMPLES / "users.csv"), verbosity=0)
    out = tmp_path / "out.csv"
    call_command("export_users", str(out))
    capsys.readouterr()
    call_command("import_users", str(out), verbosity=0)
    assert "0 created, 0 updated, 5 unchanged" in capsys.readouterr().out


def test_make_import_sample_writes_rows_that_import(tmp_path, capsys):
    path = tmp_path / "sample.csv"
    call_command("make_import_sample", str(path), "--rows", "30")
    call_command("import_users", str(path), "--dry-run", verbosity=0)
    assert "30 would be created" in capsys.readouterr().out
