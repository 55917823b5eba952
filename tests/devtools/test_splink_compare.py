"""The Splink yardstick's own arithmetic and input checks (Splink itself runs only in .venv-splink)."""

from __future__ import annotations

import pytest

from devtools.splink_compare.compare import best_threshold, line, main, read_labels

HEADER = "id,group,scenario,name,emails,phones,external_id,organizations\n"


def test_labels_come_from_the_group_and_scenario_columns(tmp_path):
    data = tmp_path / "set.csv"
    data.write_text(HEADER + "1,g1,febrl4,ana souza,,,,\n2,g1,febrl4,ana sousa,,,,\n", encoding="utf-8")
    assert read_labels(data) == ({1: "g1", 2: "g1"}, {1: "febrl4", 2: "febrl4"})


@pytest.mark.parametrize(
    ("text", "message"),
    [("id,name\n1,ana\n", "the header must be id,group"), (HEADER + "x,g1,s,ana,,,,\n", "line 2: not a flat profile")],
)
def test_a_malformed_file_is_refused_with_exit_status_2(tmp_path, capsys, text, message):
    data = tmp_path / "bad.csv"
    data.write_text(text, encoding="utf-8")
    assert main([str(data)]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_is_refused(tmp_path, capsys):
    assert main([str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_precision_recall_and_f1_of_a_set_of_pairs():
    assert line({(1, 2), (3, 4)}, {(1, 2), (5, 6)}) == "P 0.500 R 0.500 F1 0.500  (TP 1 FP 1 FN 1)"
    assert line(set(), {(1, 2)}) == "P n/a R 0.000 F1 n/a  (TP 0 FP 0 FN 1)"


def test_best_threshold_keeps_ties_together_and_maximises_f1():
    truth = {(1, 2), (3, 4)}
    scored = [((1, 2), 0.9), ((5, 6), 0.6), ((3, 4), 0.6), ((7, 8), 0.2)]
    threshold, kept = best_threshold(scored, truth)
    assert threshold == 0.6 and kept == {(1, 2), (5, 6), (3, 4)}  # F1 0.8 beats 0.9's 0.667
    assert best_threshold([((5, 6), 0.9)], truth) is None
