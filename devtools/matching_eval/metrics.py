"""Score predicted duplicate pairs against the evaluation set's labels.

A true pair is any two profiles of one group. Besides precision, recall and F1
over pairs, `evaluate` breaks recall down by scenario and (for groups of two,
where the link between the pair is known) by variation, and measures the hard
negatives two ways: the precision of the predicted pairs that involve them, and
how many of the look-alike pairs (different people built to resemble each
other) were flagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from devtools.matching_eval.dataset import Dataset

Pair = tuple[int, int]
# Scenarios of different people built to look alike are named "hn_…" (hard negatives).
HARD_NEGATIVE_PREFIX = "hn_"


def is_hard_negative(scenario: str) -> bool:
    return scenario.startswith(HARD_NEGATIVE_PREFIX)


@dataclass(frozen=True)
class Ratio:
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class Evaluation:
    predicted: frozenset[Pair]
    true_positives: frozenset[Pair]
    false_positives: frozenset[Pair]
    false_negatives: frozenset[Pair]
    linked: Ratio  # true pairs joined by a chain of predicted pairs (how the review queue groups A~B~C)
    recall_by_scenario: dict[str, Ratio]
    recall_by_variation: dict[str, Ratio]
    hard_negative_precision: dict[str, Ratio]
    lookalikes_flagged: dict[str, Ratio]
    false_positives_between_lookalikes: int

    @property
    def precision(self) -> float | None:
        return Ratio(len(self.true_positives), len(self.predicted)).value

    @property
    def recall(self) -> float | None:
        return Ratio(len(self.true_positives), len(self.true_positives) + len(self.false_negatives)).value

    @property
    def f1(self) -> float | None:
        precision, recall = self.precision, self.recall
        if precision is None or recall is None:
            return None
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def evaluate(dataset: Dataset, predicted_pairs: Iterable[Pair]) -> Evaluation:
    """Compare `predicted_pairs` (profile ids, in any order) with the true pairs of `dataset`."""
    labels = dataset.labels
    predicted = frozenset(pair(a, b) for a, b in predicted_pairs if a != b)
    unknown = sorted({i for p in predicted for i in p} - labels.keys())
    if unknown:
        raise ValueError(f"predicted pairs name profiles that are not in the set: {unknown[:5]}")
    truth = dataset.true_pairs
    true_positives, false_positives, false_negatives = predicted & truth, predicted - truth, truth - predicted

    by_scenario: dict[str, list[int]] = {}
    by_variation: dict[str, list[int]] = {}
    sizes = dataset.group_sizes()
    for a, b in sorted(truth):
        found = int((a, b) in predicted)
        _count(by_scenario, labels[a].scenario, found)
        if sizes[labels[a].group] == 2:
            for variation in sorted(set(labels[a].variations) | set(labels[b].variations)):
                _count(by_variation, variation, found)

    hard_negative: dict[str, list[int]] = {}
    for a, b in sorted(predicted):
        for scenario in sorted({labels[a].scenario, labels[b].scenario}):
            if is_hard_negative(scenario):
                _count(hard_negative, scenario, int((a, b) in truth))

    flagged: dict[str, list[int]] = {}
    sets: dict[str, list[int]] = {}
    for label in labels.values():
        if label.lookalike is not None:
            sets.setdefault(label.lookalike, []).append(label.id)
    lookalike_pairs = set()
    for ids in sets.values():
        for a, b in combinations(sorted(ids), 2):
            if labels[a].group != labels[b].group:
                lookalike_pairs.add((a, b))
                _count(flagged, labels[a].scenario, int((a, b) in predicted))

    return Evaluation(
        predicted=predicted,
        true_positives=true_positives,
        false_positives=false_positives,
        false_negatives=false_negatives,
        linked=Ratio(len(_linked(predicted, truth)), len(truth)),
        recall_by_scenario=_ratios(by_scenario),
        recall_by_variation=_ratios(by_variation),
        hard_negative_precision=_ratios(hard_negative),
        lookalikes_flagged=_ratios(flagged),
        false_positives_between_lookalikes=len(false_positives & lookalike_pairs),
    )


def _count(table: dict[str, list[int]], key: str, hit: int) -> None:
    counts = table.setdefault(key, [0, 0])
    counts[0] += hit
    counts[1] += 1


def _ratios(table: dict[str, list[int]]) -> dict[str, Ratio]:
    return {key: Ratio(hits, total) for key, (hits, total) in sorted(table.items())}


def _linked(predicted: frozenset[Pair], truth: frozenset[Pair]) -> set[Pair]:
    """The true pairs whose two profiles are connected through predicted pairs (union-find)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in predicted:
        parent[root(a)] = root(b)
    return {(a, b) for a, b in truth if a in parent and b in parent and root(a) == root(b)}
