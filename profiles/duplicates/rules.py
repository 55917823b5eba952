"""The scorer's rules in a reviewer's words, with their default points and the points a trained model gives."""

from __future__ import annotations

from dataclasses import dataclass

from profiles.duplicates import matching
from profiles.duplicates.calibration import Calibration

# matching.WEIGHTS in a reviewer's words.
WEIGHT_LABELS = {
    "same_phone": "The same phone line",
    "phone_variant": "One phone line written two ways",
    "same_mailbox": "The same Gmail mailbox (dots, +tags)",
    "plus_tag": "The same mailbox but for a +tag",
    "external_id": "External ids that differ only in formatting",
    "name_same": "The same name (adjusted for its rarity)",
    "name_alike": "Names a typo apart",
    "name_similar": "Similar names",
    "first_name_only": "A first name alone matches (by its rarity)",
    "no_name": "No name on one profile",
    "organization": "The same organization",
    "domain": "The same company email domain",
    "alike_names_in_population": "Alike names in one organization or company domain",
    "same_username": "The same username on two networks",
    "email_name": "The same distinctive email name",
    "email_name_spelled": "An email name that spells the name, written alike",
    "different_first_names": "Different first names",
    "different_surnames": "Different surnames",
    "different_verified_emails": "Different verified addresses at one company",
    "different_organizations": "Different organizations",
    "different_external_ids": "Different external ids (one-system desks only)",
    "conflict": "A contact point given in a conversation belongs to the other",
}

# Rules whose points come from the name's rarity in the desk (rarity.py): a model scales them.
RARITY_RULES = frozenset({"name_same", "name_alike", "name_similar", "first_name_only"})


@dataclass(frozen=True)
class RuleRow:
    level: str
    label: str
    default: str  # "+60", or "by rarity"
    learned: str  # the trained model's points or factor; "" when they come out as the default
    multiplier: float


def rule_rows(calibration: Calibration) -> list[RuleRow]:
    """Every rule, strongest evidence first, with what `calibration` makes of it."""
    rows = []
    for level, points in sorted(matching.WEIGHTS.items(), key=lambda item: (-item[1], item[0])):
        multiplier = calibration.multipliers.get(level, 1.0)
        if level in RARITY_RULES:
            default, learned = "by rarity", f"\u00d7{multiplier:.2f}"  # times
            changed = learned != "\u00d71.00"
        else:
            default, learned = f"{points:+d}", f"{calibration.points(level, points):+d}"
            changed = learned != default
        rows.append(RuleRow(level, WEIGHT_LABELS.get(level, level), default, learned if changed else "", multiplier))
    return rows
