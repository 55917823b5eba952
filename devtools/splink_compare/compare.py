"""Splink on a flat evaluation set: what a competent user of an off-the-shelf linker gets on the same profiles.

A yardstick for `manage.py evaluate_matching`, never part of the product: it runs
in its own virtualenv (requirements.txt here, `make compare-splink`), imports no
Django and no project code, and reads only the flat CSV
(id,group,scenario,name,emails,phones,external_id,organizations; ";" joins values).

The model follows Splink's own FEBRL4 example, adapted to what a help desk holds
(a name, email addresses, phone numbers):

- the name splits into first_name (first word) and surname (last word, none if one word);
- prediction blocks on surname + first initial, on swapped first name/surname, and on
  any shared email or phone (exploded arrays), so multi-channel profiles whose names
  differ are compared at all;
- comparisons: NameComparison on first_name and on surname with term-frequency
  adjustments, EmailComparison on the first address, any shared phone
  (ArrayIntersectAtSizes); a column empty in the whole file is left out;
- lambda from deterministic rules (recall 0.7), u by random sampling, m by EM
  blocked on surname and then on first_name.

Prints precision, recall and F1 against the `group` column at match probability
0.5, and the best F1 over all thresholds (hindsight: chosen with the labels).
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

# duckdb and splink are imported where they are used, so that the label and metric code below
# is tested in the project's own virtualenv (tests/devtools/test_splink_compare.py), which has neither.

COLUMNS = ["id", "group", "scenario", "name", "emails", "phones", "external_id", "organizations"]
THRESHOLD = 0.5
SEED = 42  # u sampling; the rest of the training is deterministic

PREPARE = """
select
    cast(id as bigint) as unique_id,
    "group" as cluster,
    nullif(lower(split_part(trim(name), ' ', 1)), '') as first_name,
    case when len(string_split(trim(name), ' ')) > 1
         then lower(string_split(trim(name), ' ')[-1]) end as surname,
    nullif(split_part(emails, ';', 1), '') as email,
    case when emails <> '' then string_split(emails, ';') end as email_arr,
    case when phones <> '' then string_split(phones, ';') end as phone_arr
from read_csv(?, header = true, all_varchar = true, quote = '"', escape = '"')
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path, help="flat evaluation set")
    parser.add_argument("--verbose", action="store_true", help="show Splink's training log")
    args = parser.parse_args(argv)
    try:
        groups, scenarios = read_labels(args.csv)
    except ValueError as error:
        print(f"compare.py: {error}", file=sys.stderr)
        return 2

    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"create table profiles as {PREPARE}", [str(args.csv)]).fetchall()
    has_email, has_phone = con.execute("select count(email) > 0, count(phone_arr) > 0 from profiles").fetchall()[0]
    predictions = run_splink(con, has_email=has_email, has_phone=has_phone, verbose=args.verbose)
    elapsed = time.perf_counter() - started

    report(args.csv, groups, scenarios, predictions, elapsed, has_email=has_email, has_phone=has_phone)
    return 0


def read_labels(path: Path) -> tuple[dict[int, str], dict[int, str]]:
    """id -> group and id -> scenario, checking the header and the ids."""
    if not path.is_file():
        raise ValueError(f"no such file: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader, None) != COLUMNS:
            raise ValueError(f"{path}: the header must be {','.join(COLUMNS)}")
        groups, scenarios = {}, {}
        for row in reader:
            if len(row) != len(COLUMNS) or not row[0].isdigit():
                raise ValueError(f"{path} line {reader.line_num}: not a flat profile row")
            groups[int(row[0])], scenarios[int(row[0])] = row[1], row[2]
    return groups, scenarios


def run_splink(con, *, has_email: bool, has_phone: bool, verbose: bool) -> list[tuple[int, int, float]]:
    """Train as Splink's FEBRL4 example does and return every predicted pair with its match probability."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    blocking = [
        block_on("surname", "substr(first_name, 1, 1)"),
        "l.first_name = r.surname and l.surname = r.first_name",
    ]
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
    ]
    deterministic = [block_on("first_name", "surname")]
    if has_email:
        blocking.append(block_on("email_arr", arrays_to_explode=["email_arr"]))
        comparisons.append(cl.EmailComparison("email"))
        deterministic.append(block_on("email"))
    if has_phone:
        blocking.append(block_on("phone_arr", arrays_to_explode=["phone_arr"]))
        comparisons.append(cl.ArrayIntersectAtSizes("phone_arr", [1]))
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
    )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register("profiles"), settings)
    logging.getLogger("splink").setLevel(logging.INFO if verbose else logging.ERROR)  # the Linker sets INFO
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name"), estimate_without_term_frequencies=True
    )
    frame = linker.inference.predict(threshold_match_probability=0.001)
    rows = frame.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    return [(int(left), int(right), float(p)) for left, right, p in rows]


def report(path, groups, scenarios, predictions, elapsed, *, has_email: bool, has_phone: bool) -> None:
    members = defaultdict(list)
    for profile_id, group in groups.items():
        members[group].append(profile_id)
    truth = {pair for ids in members.values() for pair in combinations(sorted(ids), 2)}
    scored = sorted(((min(a, b), max(a, b)), p) for a, b, p in predictions)
    used = ["first_name", "surname"] + (["email"] if has_email else []) + (["phone"] if has_phone else [])
    print(f"Splink on {path}: {len(groups):,} profiles, {len(truth):,} true pairs; compared {', '.join(used)}")
    print(f"Trained and predicted in {elapsed:.1f} s; {len(scored):,} pairs scored above 0.001")
    at_half = {pair for pair, p in scored if p >= THRESHOLD}
    print(f"At match probability >= {THRESHOLD}: {line(at_half, truth)}")
    best = best_threshold(scored, truth)
    if best is not None:
        threshold, found = best
        print(f"Best F1 in hindsight (threshold {threshold:.3f}, chosen with the labels): {line(found, truth)}")
    hits, totals = Counter(), Counter()
    for pair in truth:
        scenario = scenarios[pair[0]]
        totals[scenario] += 1
        hits[scenario] += pair in at_half
    if len(totals) > 1:
        print(f"Recall by scenario at {THRESHOLD}:")
        for scenario in sorted(totals):
            print(f"  {scenario:<30} {hits[scenario] / totals[scenario]:.3f} ({hits[scenario]}/{totals[scenario]})")


def line(found: set, truth: set) -> str:
    tp = len(found & truth)
    precision = tp / len(found) if found else None
    recall = tp / len(truth) if truth else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    shown = " ".join(f"{name} {'n/a' if v is None else f'{v:.3f}'}" for name, v in (("P", precision), ("R", recall)))
    return (
        f"{shown} F1 {'n/a' if f1 is None else f'{f1:.3f}'}  (TP {tp:,} FP {len(found) - tp:,} FN {len(truth) - tp:,})"
    )


def best_threshold(scored, truth):
    """The probability cut with the highest F1, and the pairs it keeps (labels used: hindsight)."""
    ordered = sorted(scored, key=lambda item: -item[1])
    best, tp = None, 0
    for index, (pair, probability) in enumerate(ordered, start=1):
        tp += pair in truth
        last_of_tie = index == len(ordered) or ordered[index][1] != probability
        if last_of_tie and tp:
            f1 = 2 * tp / (index + len(truth))
            if best is None or f1 > best[0]:
                best = (f1, probability, index)
    if best is None:
        return None
    return best[1], {pair for pair, _ in ordered[: best[2]]}


if __name__ == "__main__":
    sys.exit(main())
