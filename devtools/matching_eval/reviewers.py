"""Reviewers simulated on an evaluation set: what weights trained on their verdicts would find.

The people of the set are dealt into FOLDS folds (by a hash of their group, so one
person's profiles stay together). Reviewers judge every pair the queue shows (possible
tier and up, with the default weights; the truth stands in for their verdicts). For each
fold, weights are trained (profiles.duplicates.calibration) on the verdicts of the other
folds' pairs and the likely tier is judged on this fold's pairs, which training never
saw. All folds' pairs together are the evaluation.
"""

from __future__ import annotations

import zlib

from devtools.matching_eval.dataset import Dataset
from devtools.matching_eval.metrics import Evaluation, evaluate
from profiles.duplicates.calibration import FOLDS, Scale, fit, verdict_of
from profiles.duplicates.matching import (
    candidate_pairs,
    default_threshold,
    name_frequencies,
    possible_threshold,
    score,
)


def trained_by_reviewers(dataset: Dataset) -> Evaluation:
    """The likely tier with weights learned from simulated reviewers' verdicts on the other folds' people.

    Raises calibration.TooFewVerdicts when a fold's training verdicts are too few.
    """
    fold = {pk: zlib.crc32(label.group.encode()) % FOLDS for pk, label in dataset.labels.items()}
    scale = Scale(possible=possible_threshold(), likely=default_threshold())
    by_id = {profile.id: profile for profile in dataset.facts}
    names = name_frequencies(dataset.facts)
    pairs = sorted(candidate_pairs(dataset.facts))
    verdicts = {}
    for low, high in pairs:
        result = score(by_id[low], by_id[high], names)
        if result.score >= scale.possible:
            reasons = [reason.as_dict() for reason in result.reasons]
            verdicts[(low, high)] = verdict_of(reasons, (low, high) in dataset.true_pairs)
    predicted = set()
    for held_out in range(FOLDS):
        training = [v for (low, _), v in verdicts.items() if fold[low] != held_out and v is not None]
        calibration = fit(training, scale)
        for low, high in pairs:
            if fold[low] == held_out and score(by_id[low], by_id[high], names, calibration).score >= scale.likely:
                predicted.add((low, high))
    return evaluate(dataset, predicted)
