"""Weights estimated from the desk's reviewers: every "merge" and "not a duplicate" is a labeled pair.

The scorer's rules (matching.WEIGHTS, and the name rules whose points come from the
name's rarity) carry default points. A desk teaches them: where families share a phone
line, reviewers dismiss many "same phone" pairs, and that rule should count for less
there; where customers write under their full name, a rare shared name is merged far
more often than the defaults assume, and should count for more.

`fit` learns one multiplier per rule by logistic regression on the reviewed pairs, the
way Dedupe-style tools learn from labeled pairs, with two choices that keep the points
readable and the queue stable:

- the scale is fixed, not learned: a pair at the possible threshold is even odds, one at
  the likely threshold 19 to 1 (so the likely tier means "right 19 times in 20" by the
  reviewers' own record), with no free intercept — no evidence, no points;
- every multiplier is pulled towards 1 (the default) as if PRIOR_VERDICTS uncertain pairs
  had been seen, so a rule met in three reviewed pairs keeps about its default, and it
  stays between 0 and MAX_MULTIPLIER (evidence never flips into a contradiction).

Reviewed pairs only exist from the possible threshold up: what the model learns is which
evidence separates real duplicates from look-alikes among the pairs people are shown.
Pure functions; profiles.duplicates.training reads the verdicts and stores the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

# Too few verdicts teach noise: training is refused below this many of each kind.
MIN_VERDICTS = 30
# How strongly each multiplier is held at its default (in the units of the Hessian: about one uncertain pair).
PRIOR_VERDICTS = 30.0
MAX_MULTIPLIER = 3.0
FOLDS = 5
LIKELY_ODDS = 19.0  # 0.95 probability


class _Weighed(Protocol):
    weight: int
    level: str
    base: int | None


@dataclass(frozen=True)
class Calibration:
    """A multiplier per rule (level); a rule not listed keeps its default points."""

    multipliers: Mapping[str, float] = field(default_factory=dict)

    @property
    def trained(self) -> bool:
        return bool(self.multipliers)

    def points(self, level: str, default: int) -> int:
        return round(default * self.multipliers.get(level, 1.0))

    def weigh(self, reasons: Sequence[_Weighed]) -> list:
        """The reasons with their rules' learned points (the default kept as `base`)."""
        if not self.multipliers:
            return list(reasons)
        weighed = []
        for reason in reasons:
            default = reason.weight if reason.base is None else reason.base
            points = self.points(reason.level, default) if reason.level else default
            weighed.append(reason if points == reason.weight else replace(reason, weight=points, base=default))
        return weighed


DEFAULT_CALIBRATION = Calibration()


@dataclass(frozen=True)
class Verdict:
    """A reviewed pair: the default points of each rule its reasons applied, and whether it was merged."""

    points_by_level: Mapping[str, float]
    merged: bool

    def score(self, calibration: Calibration = DEFAULT_CALIBRATION) -> int:
        total = sum(calibration.points(level, round(points)) for level, points in self.points_by_level.items())
        return max(0, min(100, total))


def verdict_of(reasons: Iterable, merged: bool) -> Verdict | None:
    """A Verdict from a candidate's stored reasons ([{kind, text, weight, level, base}]); None when they
    were stored before reasons named their rule (nothing to learn from)."""
    points: dict[str, float] = {}
    for reason in reasons:
        if not isinstance(reason, dict):
            return None
        level, base = reason.get("level"), reason.get("base", reason.get("weight"))
        if not isinstance(base, int | float):
            return None
        if not level:
            if base:  # a counted reason that names no rule: stored before rules were named
                return None
            continue
        points[str(level)] = points.get(str(level), 0.0) + float(base)
    return Verdict(points, merged) if points else None


class TooFewVerdicts(ValueError):
    pass


@dataclass(frozen=True)
class Scale:
    """Where the queue's tiers sit: the possible threshold is even odds, the likely one LIKELY_ODDS to 1."""

    possible: int
    likely: int

    @property
    def points_per_nat(self) -> float:
        return max(self.likely - self.possible, 1) / math.log(LIKELY_ODDS)


def fit(verdicts: Sequence[Verdict], scale: Scale) -> Calibration:
    """Multipliers of the rules met in `verdicts`, by penalised logistic regression (Newton's method).

    Raises TooFewVerdicts below MIN_VERDICTS merged or dismissed pairs.
    """
    merged = sum(verdict.merged for verdict in verdicts)
    if merged < MIN_VERDICTS or len(verdicts) - merged < MIN_VERDICTS:
        raise TooFewVerdicts(
            f"Training needs at least {MIN_VERDICTS} merged and {MIN_VERDICTS} dismissed pairs; "
            f"reviewers have merged {merged} and dismissed {len(verdicts) - merged}. The default weights stay."
        )
    levels = sorted({level for verdict in verdicts for level, points in verdict.points_by_level.items() if points})
    points = np.array([[verdict.points_by_level.get(level, 0.0) for level in levels] for verdict in verdicts])
    labels = np.array([1.0 if verdict.merged else 0.0 for verdict in verdicts])
    features = points / scale.points_per_nat
    offset = scale.possible / scale.points_per_nat

    def loss(multipliers: np.ndarray) -> float:
        margin = features @ multipliers - offset
        # log(1 + e^m) - y m, written so a large margin does not overflow
        fitted = np.logaddexp(0.0, margin) - labels * margin
        return float(fitted.sum() + PRIOR_VERDICTS / 2 * ((multipliers - 1.0) ** 2).sum())

    multipliers = np.ones(len(levels))
    current = loss(multipliers)
    for _ in range(100):
        chance = 1.0 / (1.0 + np.exp(-(features @ multipliers - offset)))
        gradient = features.T @ (chance - labels) + PRIOR_VERDICTS * (multipliers - 1.0)
        hessian = (features.T * (chance * (1.0 - chance))) @ features + PRIOR_VERDICTS * np.eye(len(levels))
        step = np.linalg.solve(hessian, gradient)
        # A full Newton step can overshoot where the logistic curve is flat: halve it until the loss falls.
        for _ in range(30):
            candidate = np.clip(multipliers - step, 0.0, MAX_MULTIPLIER)
            candidate_loss = loss(candidate)
            if candidate_loss <= current:
                break
            step = step / 2
        else:
            break
        moved = np.abs(candidate - multipliers).max()
        multipliers, current = candidate, candidate_loss
        if moved < 1e-7:
            break
    return Calibration({level: round(float(value), 3) for level, value in zip(levels, multipliers, strict=True)})


@dataclass(frozen=True)
class TierFigures:
    """The likely tier judged against held-out verdicts: how many it takes, how many of those were merged,
    and how many merged pairs there were."""

    shown: int
    right: int
    merged: int

    @property
    def precision(self) -> float | None:
        return self.right / self.shown if self.shown else None

    @property
    def recall(self) -> float | None:
        return self.right / self.merged if self.merged else None

    def as_dict(self) -> dict:
        return {"shown": self.shown, "right": self.right, "merged": self.merged}


def cross_validate(verdicts: Sequence[Verdict], scale: Scale) -> tuple[TierFigures, TierFigures]:
    """The likely tier with the default weights and with weights learned without the pair being judged
    (FOLDS-fold cross-validation): (default, learned)."""
    default, learned = [0, 0], [0, 0]
    for fold in range(FOLDS):
        training = [verdict for index, verdict in enumerate(verdicts) if index % FOLDS != fold]
        held_out = [verdict for index, verdict in enumerate(verdicts) if index % FOLDS == fold]
        try:
            calibration = fit(training, scale)
        except TooFewVerdicts:
            calibration = DEFAULT_CALIBRATION
        for verdict in held_out:
            for tally, model in ((default, DEFAULT_CALIBRATION), (learned, calibration)):
                if verdict.score(model) >= scale.likely:
                    tally[0] += 1
                    tally[1] += verdict.merged
    merged = sum(verdict.merged for verdict in verdicts)
    return TierFigures(default[0], default[1], merged), TierFigures(learned[0], learned[1], merged)
