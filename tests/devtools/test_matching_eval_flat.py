"""The flat CSV form of an evaluation set: what outside tools read, loaded back as the same profiles and pairs."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devtools.matching_eval import PHONE_REGION
from devtools.matching_eval.dataset import DatasetError
from devtools.matching_eval.files import load
from devtools.matching_eval.flat import COLUMNS, dumps_flat, parse_flat

HEADER = ",".join(COLUMNS)


@pytest.fixture(autouse=True)
def brazilian_region(settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = PHONE_REGION


def test_flat_rows_load_as_profiles_groups_and_organizations():
    dataset = parse_flat(
        [
            HEADER,
            '1,g1,febrl4,Ana Souza,ana@gmail.com;ana@work.com.br,+5511987654321,CUST-1,"Zeta, Ltda.;Alfa"',
            '2,g1,febrl4,Ana Sousa,,+5511987654321;+61298765432,,"Zeta, Ltda."',
            "3,g2,febrl4,Bruno Lima,,,,",
        ],
        source="set.csv",
    )
    first, second, third = dataset.facts
    assert first.emails == (("ana@gmail.com", True), ("ana@work.com.br", True))
    assert first.phones == ("+5511987654321",)
    assert first.external_id == "CUST-1"
    assert dataset.organization_ids == {"Alfa": 1, "Zeta, Ltda.": 2}
    assert first.organization_ids == (2, 1)
    assert second.phones == ("+5511987654321", "+61298765432")  # shared with profile 1: allowed in the flat form
    assert (third.emails, third.phones, third.external_id, third.organization_ids) == ((), (), None, ())
    assert dataset.true_pairs == {(1, 2)}
    assert dataset.labels[1].scenario == "febrl4"
    assert (dataset.labels[1].lookalike, dataset.labels[1].variations) == (None, ())


def test_committed_set_survives_the_flat_form(tmp_path):
    original = load()
    target = tmp_path / "profiles.csv"
    target.write_text(dumps_flat(original), encoding="utf-8")
    flat = load(target)
    assert [f.id for f in flat.facts] == [f.id for f in original.facts]
    assert flat.true_pairs == original.true_pairs
    assert flat.organization_ids == original.organization_ids
    for before, after in zip(original.facts, flat.facts, strict=True):
        assert after.name == before.name
        assert after.phones == before.phones  # WhatsApp numbers were already among the phone keys
        assert [email for email, _ in after.emails] == [email for email, _ in before.emails]
        assert after.organization_ids == before.organization_ids
        assert after.external_id == before.external_id
        assert after.handles == ()
    assert dumps_flat(flat) == target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], r"holds no profiles"),
        ([HEADER], r"holds no profiles"),
        (["id,name", "1,Ana"], r"line 1: the header must be id,group,scenario"),
        ([HEADER, "1,g1,s,Ana,,"], r"line 2: expected 8 cells, got 6"),
        ([HEADER, "x,g1,s,Ana,,,,"], r"line 2: 'id' must be a positive integer \(got 'x'\)"),
        ([HEADER, "0,g1,s,Ana,,,,"], r"line 2: 'id' must be a positive integer"),
        ([HEADER, "1, ,s,Ana,,,,"], r"line 2: 'group' must not be empty"),
        ([HEADER, "1,g1,s,Ana,ana.example.com,,,"], r"line 2: 'ana.example.com' is not a valid email"),
        ([HEADER, "1,g1,s,Ana,Ana@Gmail.com,,,"], r"line 2: the email 'Ana@Gmail.com' is not written as its key"),
        ([HEADER, "1,g1,s,Ana,,(11) 98765-4321,,"], r"line 2: the phone '\(11\) 98765-4321' is not E.164"),
        ([HEADER, "1,g1,s,Ana,,+55 11 98765-4321,,"], r"line 2: the phone '\+55 11 98765-4321' is not written in E"),
        ([HEADER, "1,g1,s,Ana,,+5512,,"], r"line 2: '\+5512' is not a valid phone number"),
        ([HEADER, "1,g1,s,Ana,,,,", "", "1,g2,s,Bia,,,,"], r"line 4: id 1 is used twice \(also on line 2\)"),
    ],
)
def test_malformed_flat_rows_are_refused_naming_the_line(lines, message):
    with pytest.raises(DatasetError, match=message):
        parse_flat(lines, source="bad.csv")


def test_a_value_holding_the_separator_cannot_be_written_flat():
    dataset = parse_flat([HEADER, "1,g1,s,Ana,,,,Alfa"])
    broken = dataset.__class__(dataset.source, dataset.facts, dataset.labels, dataset.true_pairs, {"Alfa; Beta": 1})
    with pytest.raises(DatasetError, match=r"profile 1: 'Alfa; Beta' contains ';'"):
        dumps_flat(broken)


def test_evaluate_matching_exports_the_committed_set_and_scores_the_export(tmp_path):
    target = tmp_path / "profiles.csv"
    out = StringIO()
    call_command("evaluate_matching", "--export-flat", str(target), stdout=out)
    assert re.search(r"Wrote [\d,]+ profiles \(\d+ true pairs\) of .*profiles.jsonl to .*profiles.csv", out.getvalue())
    assert target.read_text(encoding="utf-8").splitlines()[0] == HEADER
    out = StringIO()
    call_command("evaluate_matching", "--data", str(target), stdout=out)
    assert re.search(r"Precision \d\.\d{3}  Recall \d\.\d{3}  F1 \d\.\d{3}", out.getvalue())


@pytest.mark.parametrize(
    ("name", "message"),
    [("profiles.txt", "--export-flat writes CSV: "), ("nowhere/profiles.csv", "does not exist")],
)
def test_evaluate_matching_refuses_a_bad_export_target(tmp_path, name, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("evaluate_matching", "--export-flat", str(tmp_path / name))


def test_evaluate_matching_refuses_a_malformed_flat_file(tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text(HEADER + "\n1,g1,s,Ana,,12345,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.csv line 2: the phone '12345' is not E.164"):
        call_command("evaluate_matching", "--data", str(data))
