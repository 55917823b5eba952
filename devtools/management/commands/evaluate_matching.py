"""`manage.py evaluate_matching`: precision, recall and F1 of duplicate detection on the labeled sets.

Without `--data`: every committed set (the realistic `profiles.jsonl`, see
`make_matching_eval`, and the public FEBRL4 in `febrl4.csv`) at both tiers of the
queue, likely and possible, and at the likely tier with weights trained on simulated
reviewers' verdicts (`matching_eval/reviewers.py`: trained on one half of the people,
judged on the other). With `--data PATH`: that set at both tiers, then the
breakdown at the likely tier (or `--threshold`): recall by scenario and variation,
the hard negatives, and with `--show-errors N` the worst false positives and false
negatives with the reasons `score()` gives.
A `.csv` set is read in the flat form (`matching_eval/flat.py`); `--export-flat OUT.csv`
writes the loaded set in that form instead of scoring it, so that an outside tool
(devtools/splink_compare) runs on exactly the profiles we score.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.matching_eval import DATA_FILE
from devtools.matching_eval.dataset import Dataset, DatasetError
from devtools.matching_eval.febrl import FEBRL4_FILE
from devtools.matching_eval.files import load
from devtools.matching_eval.flat import dumps_flat
from devtools.matching_eval.metrics import Evaluation, Pair, Ratio, evaluate, is_hard_negative
from devtools.matching_eval.reviewers import trained_by_reviewers
from profiles.duplicates.calibration import TooFewVerdicts
from profiles.duplicates.matching import (
    Score,
    candidate_pairs,
    default_threshold,
    find_pairs,
    name_frequencies,
    possible_threshold,
    score,
)

COMMITTED_SETS = {"realistic": DATA_FILE, "FEBRL4": FEBRL4_FILE}


class Command(BaseCommand):
    help = "Score duplicate detection against the labeled evaluation set: precision, recall, F1 and their breakdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold", type=int, default=None, help="Score (0-100) a pair needs (default: the service's default)."
        )
        parser.add_argument(
            "--data",
            type=Path,
            default=None,
            help="One evaluation set, JSONL or flat .csv, with its breakdown "
            "(default: every committed set, both tiers only).",
        )
        parser.add_argument(
            "--export-flat",
            type=Path,
            default=None,
            metavar="OUT",
            help="Write the set in the flat CSV form to OUT (for outside tools) instead of scoring it.",
        )
        parser.add_argument(
            "--show-errors",
            type=int,
            default=0,
            metavar="N",
            help="Also list the N highest-scoring false positives and N lowest-scoring false negatives, with reasons.",
        )

    def handle(
        self, *args, threshold: int | None, data: Path, show_errors: int, export_flat: Path | None, **options
    ) -> None:
        if threshold is not None and not 0 <= threshold <= 100:
            raise CommandError(f"--threshold must be between 0 and 100 (got {threshold}).")
        if show_errors < 0:
            raise CommandError(f"--show-errors must be 0 or more (got {show_errors}).")
        if data is None and export_flat is None:
            for label, path in COMMITTED_SETS.items():
                self._tiers(label, self._load(path))
            return
        dataset = self._load(data or DATA_FILE)
        if export_flat is not None:
            self._export(dataset, export_flat)
            return
        self._tiers(dataset.source, dataset)
        self.stdout.write("")

        started = time.perf_counter()
        found = find_pairs(dataset.facts, threshold=threshold)
        elapsed = time.perf_counter() - started
        candidates = candidate_pairs(dataset.facts)
        scores: dict[Pair, Score] = {(low, high): result for low, high, result in found}
        result = evaluate(dataset, scores)

        shown = f"{threshold}" if threshold is not None else f"{default_threshold()} (the service's default)"
        self._summary(dataset, result, shown, len(candidates), elapsed)
        if show_errors:
            self._errors(dataset, result, scores, candidates, show_errors)

    def _load(self, path: Path) -> Dataset:
        try:
            return load(path)
        except DatasetError as error:
            raise CommandError(str(error)) from None

    def _tiers(self, label: str, dataset: Dataset) -> None:
        """One line per tier: the pairs scoring from its threshold up, against the set's true pairs."""
        found = find_pairs(dataset.facts, threshold=possible_threshold())
        write = self.stdout.write
        write(f"{label}: {len(dataset.facts):,} profiles, {len(dataset.true_pairs):,} true pairs")
        for tier, threshold in (("likely", default_threshold()), ("possible", possible_threshold())):
            result = evaluate(dataset, [(low, high) for low, high, s in found if s.score >= threshold])
            write(_tier_line(tier, threshold, result))
        try:
            trained = trained_by_reviewers(dataset)
        except TooFewVerdicts as refused:
            write(f"  trained  (reviewers' verdicts)  not trained: {refused}")
            return
        write(_tier_line("trained", default_threshold(), trained))

    def _export(self, dataset: Dataset, out: Path) -> None:
        if out.suffix.lower() != ".csv":
            raise CommandError(f"--export-flat writes CSV: {out} must end in .csv.")
        if not out.parent.is_dir():
            raise CommandError(f"Cannot write {out}: the directory {out.parent} does not exist.")
        try:
            text = dumps_flat(dataset)
        except DatasetError as error:
            raise CommandError(str(error)) from None
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        self.stdout.write(
            f"Wrote {len(dataset.facts):,} profiles ({len(dataset.true_pairs):,} true pairs) of {dataset.source} "
            f"to {out} in the flat form."
        )

    def _summary(self, dataset: Dataset, result: Evaluation, threshold: str, candidates: int, elapsed: float) -> None:
        write = self.stdout.write
        write(
            f"Evaluation set {dataset.source}: {len(dataset.facts):,} profiles, "
            f"{len(dataset.group_sizes()):,} people, {len(dataset.true_pairs):,} true pairs"
        )
        write(f"Threshold {threshold}; {candidates:,} candidate pairs compared; find_pairs took {elapsed:.2f} s")
        write(f"Precision {_number(result.precision)}  Recall {_number(result.recall)}  F1 {_number(result.f1)}")
        write(
            f"TP {len(result.true_positives):,}  FP {len(result.false_positives):,} "
            f"({result.false_positives_between_lookalikes:,} between look-alikes)  FN {len(result.false_negatives):,}"
        )
        write(f"Recall counting pairs linked through other profiles of the group (A~B~C): {_ratio(result.linked)}")
        write("")
        write("Recall by scenario")
        for scenario, ratio in result.recall_by_scenario.items():
            write(f"  {scenario:<30} {_ratio(ratio)}")
        write("Recall by variation (groups of two)")
        for variation, ratio in result.recall_by_variation.items():
            write(f"  {variation:<30} {_ratio(ratio)}")
        write("Hard negatives: precision of predicted pairs involving them; look-alike pairs flagged (lower is better)")
        hard_negatives = {label.scenario for label in dataset.labels.values() if is_hard_negative(label.scenario)}
        for scenario in sorted(hard_negatives):
            precision = result.hard_negative_precision.get(scenario, Ratio(0, 0))
            flagged = result.lookalikes_flagged.get(scenario, Ratio(0, 0))
            write(f"  {scenario:<30} precision {_ratio(precision)}   flagged {flagged.hits}/{flagged.total}")

    def _errors(
        self, dataset: Dataset, result: Evaluation, scores: dict[Pair, Score], candidates: set[Pair], limit: int
    ) -> None:
        facts = {f.id: f for f in dataset.facts}
        write = self.stdout.write
        write("")
        wrong = len(result.false_positives)
        write(f"False positives, highest score first ({min(limit, wrong)} of {wrong})")
        worst = sorted(result.false_positives, key=lambda p: (-scores[p].score, p))[:limit]
        for a, b in worst:
            self._pair(dataset, facts, a, b, scores[(a, b)], candidate=True)
        frequencies = name_frequencies(dataset.facts)
        missed = {p: score(facts[p[0]], facts[p[1]], frequencies) for p in result.false_negatives}
        write(f"False negatives, lowest score first ({min(limit, len(missed))} of {len(missed)})")
        for a, b in sorted(missed, key=lambda p: (missed[p].score, p))[:limit]:
            self._pair(dataset, facts, a, b, missed[(a, b)], candidate=(a, b) in candidates)

    def _pair(self, dataset: Dataset, facts: dict, a: int, b: int, result: Score, *, candidate: bool) -> None:
        left, right = dataset.labels[a], dataset.labels[b]
        scenario = left.scenario if left.scenario == right.scenario else f"{left.scenario} / {right.scenario}"
        note = "" if candidate else ", never compared (no shared blocking key)"
        self.stdout.write(f"  #{a} {facts[a].name!r} ~ #{b} {facts[b].name!r}: score {result.score} [{scenario}]{note}")
        for reason in result.reasons:
            self.stdout.write(f"      {reason.text} ({reason.weight:+d})")


def _tier_line(tier: str, threshold: int, result: Evaluation) -> str:
    line = (
        f"  {tier:<8} (score >= {threshold:>3})  Precision {_number(result.precision)}  "
        f"Recall {_number(result.recall)}  F1 {_number(result.f1)}"
    )
    if "name_only" in result.recall_by_scenario:
        line += f"  name-only recall {_ratio(result.recall_by_scenario['name_only'])}"
    return line


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _ratio(ratio: Ratio) -> str:
    return f"{_number(ratio.value)} ({ratio.hits}/{ratio.total})"
