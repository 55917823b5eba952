"""Weights learned from reviewers' verdicts: what a trained model does to a pair's reasons, and how it learns."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profiles.duplicates.calibration import (
    DEFAULT_CALIBRATION,
    MAX_MULTIPLIER,
    MIN_VERDICTS,
    Calibration,
    Scale,
    TooFewVerdicts,
    Verdict,
    cross_validate,
    fit,
    verdict_of,
)
from profiles.duplicates.matching import ProfileFacts, Reason, score

SCALE = Scale(possible=45, likely=60)


def verdicts(level_points: dict[str, float], merged: int, dismissed: int) -> list[Verdict]:
    return [Verdict(level_points, True)] * merged + [Verdict(level_points, False)] * dismissed


def test_without_a_trained_model_every_reason_keeps_its_default_points():
    a = ProfileFacts(1, "Ana Souza", phones=("+5511987654321",))
    b = ProfileFacts(2, "Ana Souza", phones=("+5511987654321",))

    assert score(a, b) == score(a, b, calibration=DEFAULT_CALIBRATION)


def test_a_trained_model_reweighs_each_rule_and_keeps_its_default_for_training():
    a = ProfileFacts(1, "Ana Souza", phones=("+5511987654321",))
    b = ProfileFacts(2, "Ana Souza", phones=("+5511987654321",))
    families_share_phones = Calibration({"same_phone": 0.5})

    default, learned = score(a, b), score(a, b, calibration=families_share_phones)

    phone = next(reason for reason in learned.reasons if reason.level == "same_phone")
    assert (phone.weight, phone.base) == (30, 60)
    assert phone.as_dict() == {"kind": "phone", "text": phone.text, "weight": 30, "level": "same_phone", "base": 60}
    assert learned.score == default.score - 30
    # The name rule was not retrained: its points are the default ones, and it carries no base.
    assert [r for r in learned.reasons if r.kind == "name"] == [r for r in default.reasons if r.kind == "name"]


def test_a_reason_that_names_no_rule_is_never_reweighed():
    reason = Reason("external_id", "different external ids (from different systems: not counted)", 0)

    assert Calibration({"external_id": 2.0}).weigh([reason]) == [reason]


def test_training_is_refused_on_too_few_verdicts_with_the_counts_in_the_message():
    few = verdicts({"same_phone": 60}, MIN_VERDICTS, MIN_VERDICTS - 1)

    with pytest.raises(TooFewVerdicts) as refused:
        fit(few, SCALE)

    assert str(refused.value) == (
        f"Training needs at least {MIN_VERDICTS} merged and {MIN_VERDICTS} dismissed pairs; reviewers have merged "
        f"{MIN_VERDICTS} and dismissed {MIN_VERDICTS - 1}. The default weights stay."
    )


def test_a_rule_reviewers_keep_dismissing_counts_for_less_and_one_they_merge_for_more():
    # A desk of families: a shared phone line with a first name is dismissed 2 times in 3; a shared
    # mailbox with the same name is merged every time.
    learned = fit(
        verdicts({"same_phone": 60, "first_name_only": 12}, 40, 80)
        + verdicts({"plus_tag": 50, "name_same": 30}, 80, 0)
        + verdicts({"name_same": 45}, 5, 30),
        SCALE,
    )

    assert learned.multipliers["same_phone"] < 0.9
    assert learned.multipliers["plus_tag"] > 1.0
    # A shared phone and a first name no longer reach the likely tier; the mailbox pairs still do.
    assert Verdict({"same_phone": 60, "first_name_only": 12}, False).score(learned) < SCALE.likely
    assert Verdict({"plus_tag": 50, "name_same": 30}, True).score(learned) >= SCALE.likely


def test_a_rule_met_in_a_few_verdicts_keeps_about_its_default():
    learned = fit(
        verdicts({"same_phone": 60, "name_same": 30}, 60, 0)
        + verdicts({"name_same": 45}, 10, 40)
        + verdicts({"same_username": 40}, 0, 2),
        SCALE,
    )

    assert 0.85 < learned.multipliers["same_username"] <= 1.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(
                st.sampled_from(["same_phone", "plus_tag", "name_same", "different_first_names", "organization"]),
                st.sampled_from([-40, -10, 5, 30, 45, 60]),
                min_size=1,
            ),
            st.booleans(),
        ),
        min_size=2 * MIN_VERDICTS,
        max_size=150,
    ).filter(lambda pairs: min(sum(m for _, m in pairs), sum(not m for _, m in pairs)) >= MIN_VERDICTS)
)
def test_whatever_the_verdicts_every_multiplier_is_finite_and_between_0_and_the_cap(labeled):
    learned = fit([Verdict(points, merged) for points, merged in labeled], SCALE)

    assert all(math.isfinite(m) and 0.0 <= m <= MAX_MULTIPLIER for m in learned.multipliers.values())


def test_stored_reasons_become_a_verdict_by_rule_and_old_ones_without_rules_are_not_used():
    stored = [
        {"kind": "phone", "text": "same phone", "weight": 30, "level": "same_phone", "base": 60},
        {"kind": "phone", "text": "same phone", "weight": 30, "level": "same_phone", "base": 60},
        {"kind": "external_id", "text": "different external ids (not counted)", "weight": 0},
    ]

    assert verdict_of(stored, merged=True) == Verdict({"same_phone": 120.0}, True)
    assert verdict_of([{"kind": "phone", "text": "same phone", "weight": 60}], merged=False) is None
    assert verdict_of(["not a dict"], merged=False) is None
    assert verdict_of([{"kind": "phone", "level": "same_phone", "weight": "x"}], merged=False) is None


def test_cross_validation_judges_learned_weights_on_verdicts_kept_out_of_training():
    labeled = verdicts({"same_phone": 60, "first_name_only": 12}, 40, 80) + verdicts({"plus_tag": 50}, 60, 0)

    default, learned = cross_validate(labeled, SCALE)

    # The defaults show every phone pair (72 points), a third of them right, and none of the mailbox pairs (50).
    assert (default.shown, default.right, default.merged) == (120, 40, 100)
    assert learned.precision > default.precision
    assert learned.recall > default.recall
