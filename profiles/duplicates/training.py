"""Train the matching model on the reviewers' verdicts, store it, and say which one applies.

Every merged pair and every "not a duplicate" in the queue is a labeled pair; calibration.py
learns from the reasons stored with it (the rules that applied and their default points).
Training never changes a verdict: a dismissed pair stays dismissed whatever the new
weights, and open pairs take the new weights at the next check or full scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from profiles.duplicates import matching
from profiles.duplicates.calibration import (
    DEFAULT_CALIBRATION,
    Calibration,
    Scale,
    TierFigures,
    TooFewVerdicts,
    Verdict,
    cross_validate,
    fit,
    verdict_of,
)
from profiles.models import CandidateStatus, DuplicateCandidate, MatchingModel
from zdusers.errors import DomainError


class TrainingRefused(DomainError):
    pass


@dataclass(frozen=True)
class Training:
    """What a training found: the verdicts it read, the model, and the likely tier on held-out verdicts."""

    merged: int
    dismissed: int
    unreadable: int  # reviewed before reasons named their rules: not used
    calibration: Calibration
    default: TierFigures
    learned: TierFigures
    stored: MatchingModel | None


def current_calibration() -> Calibration:
    """The weights in force: the latest stored model's, or the defaults (one query)."""
    latest = MatchingModel.objects.only("multipliers").first()
    return Calibration(latest.multipliers) if latest and latest.multipliers else DEFAULT_CALIBRATION


def reviewed_verdicts() -> tuple[list[Verdict], int]:
    """The reviewers' verdicts in review order, and how many reviewed pairs could not be read."""
    verdicts, unreadable = [], 0
    reviewed = DuplicateCandidate.objects.filter(status__in=[CandidateStatus.MERGED, CandidateStatus.DISMISSED])
    for reasons, status in reviewed.order_by("reviewed_at", "id").values_list("reasons", "status").iterator(2000):
        verdict = verdict_of(reasons if isinstance(reasons, list) else [], status == CandidateStatus.MERGED)
        if verdict is None:
            unreadable += 1
        else:
            verdicts.append(verdict)
    return verdicts, unreadable


def train(*, actor=None, store: bool = True) -> Training:
    """Learn the rules' weights from the reviewers' verdicts and, with `store`, put them in force.

    Refused (TrainingRefused, nothing stored) while there are fewer than calibration.MIN_VERDICTS
    merged or dismissed pairs: the default weights stay.
    """
    verdicts, unreadable = reviewed_verdicts()
    scale = Scale(possible=matching.possible_threshold(), likely=matching.default_threshold())
    try:
        calibration = fit(verdicts, scale)
    except TooFewVerdicts as error:
        raise TrainingRefused(str(error)) from None
    default, learned = cross_validate(verdicts, scale)
    merged = sum(verdict.merged for verdict in verdicts)
    stored = None
    if store:
        stored = MatchingModel.objects.create(
            trained_by=actor,
            multipliers=dict(calibration.multipliers),
            merged_pairs=merged,
            dismissed_pairs=len(verdicts) - merged,
            figures={
                "possible_threshold": scale.possible,
                "likely_threshold": scale.likely,
                "default": default.as_dict(),
                "learned": learned.as_dict(),
                "unreadable": unreadable,
            },
        )
    return Training(merged, len(verdicts) - merged, unreadable, calibration, default, learned, stored)


@transaction.atomic
def use_default_weights(*, actor=None) -> MatchingModel:
    """Put the default weights back in force (the trained models stay as history)."""
    return MatchingModel.objects.create(trained_by=actor, multipliers={})
