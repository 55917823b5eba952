"""How rare a name is in this desk, and what "the same name" is worth because of it.

"María García" shared by two of a million profiles says little; "Eulália Mascarenhas
Tavares" says a lot. This is the Fellegi-Sunter term-frequency adjustment (as Splink
documents it): the chance that a *different* person has the same name is the name's
frequency, estimated here from the desk's own profiles. Pure functions over counts;
profiles.duplicates.frequencies keeps the counts in the database.

The measure for a whole name is the number of profiles one would expect to carry it
by chance: the desk's size (at least DESK_FLOOR: a new desk grows, and a handful of
profiles says nothing about which names are rare) times the share of profiles having
each of its words (given names and surnames mix freely), or the share named exactly so
when that is higher (a popular combination). A name expected on TYPICAL_NAMESAKES
profiles is worth SAME_NAME_TYPICAL points; each halving of the expectation adds
POINTS_PER_HALVING. A first name alone is weighed by its share against TYPICAL_FIRST_NAME_SHARE
(it only ever supports other evidence: it cannot reach the queue by itself).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

# Word shares are smoothed towards PRIOR_SHARE as if PRIOR_PROFILES more profiles had been seen:
# a word met once in a small desk is not taken for a one-in-a-million word.
PRIOR_PROFILES = 200
PRIOR_SHARE = 0.005
DESK_FLOOR = 1_000
ONE_PERSONS_PROFILES = 3
# Words that join a name's parts (María del Carmen, Ana da Silva) and say nothing about who it is.
PARTICLES = frozenset({"de", "da", "do", "das", "dos", "del", "la", "las", "los", "y", "e", "van", "von", "di", "du"})
# Same (or swapped, or nickname) name: the points of a name expected on TYPICAL_NAMESAKES profiles, how
# many more for each halving of that expectation, and bounds either way (a common name never counts
# against a pair; the rarest never outweighs a contradiction on its own).
TYPICAL_NAMESAKES = 0.25
SAME_NAME_TYPICAL = 30
POINTS_PER_HALVING = 5
SAME_NAME_FLOOR = 27
SAME_NAME_CAP = 75
# A typo (alike) or a looser similarity costs this much of the same-name points.
ALIKE_DISCOUNT = 5
SIMILAR_DISCOUNT = 15
# A first name alone against a full name.
TYPICAL_FIRST_NAME_SHARE = 0.01
FIRST_NAME_TYPICAL = 12
FIRST_NAME_FLOOR = 5
FIRST_NAME_CAP = 30


@dataclass(frozen=True)
class NameFrequencies:
    """Counts of named profiles: in total, per folded name word, and per whole folded name (sorted words).

    `tokens` and `names` need only hold the words and names asked about (the incremental check
    reads a handful of rows, never the whole table); a missing word counts as 0.
    """

    profiles: int = 0
    tokens: Mapping[str, int] = field(default_factory=dict)
    names: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, token_lists: Iterable[tuple[str, ...]]) -> NameFrequencies:
        """Count the folded name words of a set of profiles (empty tuples: nameless, not counted)."""
        tokens, names, profiles = Counter(), Counter(), 0
        for words in token_lists:
            if not words:
                continue
            profiles += 1
            tokens.update(set(words))
            names[name_key(words)] += 1
        return cls(profiles, dict(tokens), dict(names))

    @property
    def known(self) -> bool:
        """Whether there are counts at all (without them the fixed default weights apply)."""
        return self.profiles > 0

    def share(self, token: str) -> float:
        """The smoothed share of named profiles with `token` among their name words."""
        return (self.tokens.get(token, 0) + PRIOR_PROFILES * PRIOR_SHARE) / (self.profiles + PRIOR_PROFILES)

    def namesakes(self, words: tuple[str, ...], others: tuple[str, ...] | None = None) -> float:
        """How many profiles one would expect to carry `words` by chance (in a desk of at least DESK_FLOOR).

        A name counts as its first word (the given name) and its rarest other word (a surname):
        long Iberian names repeat common words (María del Carmen … Pérez), which are not independent
        evidence. With `others` (the other name of a pair, perhaps with a typo), each word counts as
        common as the more common of its two spellings: a typo is not a rare word.
        """
        meaningful = [word for word in words if word not in PARTICLES] or list(words)
        shares = [self.share(word) for word in meaningful]
        if others is not None:
            shares = [
                max(share, self.share(_closest(word, others))) for word, share in zip(meaningful, shares, strict=True)
            ]
        by_words = math.prod(shares)
        # Profiles named exactly so beyond one person's usual profiles (the pair and a third: an email, a phone
        # and a WhatsApp profile of one customer): three holders of a name its words make rare are one
        # customer more often than a crowd.
        exactly = max(0, self.names.get(name_key(words), 0) - ONE_PERSONS_PROFILES) / max(self.profiles, 1)
        return max(self.profiles, DESK_FLOOR) * max(by_words, exactly)

    def named_exactly(self, words: tuple[str, ...], *, held_by_pair: bool = False) -> int:
        """Profiles named exactly `words`; `held_by_pair`: both profiles of the pair being scored are."""
        count = self.names.get(name_key(words), 0)
        return max(count, 2) if held_by_pair else count


NO_FREQUENCIES = NameFrequencies()


def _closest(word: str, others: tuple[str, ...]) -> str:
    if word in others:
        return word
    return min(others, key=lambda other: Levenshtein.distance(word, other))


def name_key(words: Iterable[str]) -> str:
    """A whole name regardless of word order: its folded words sorted and joined by spaces."""
    return " ".join(sorted(words))


def same_name_points(expected: float) -> int:
    """Points for the same name, expected on `expected` profiles by chance."""
    points = SAME_NAME_TYPICAL + POINTS_PER_HALVING * math.log2(TYPICAL_NAMESAKES / max(expected, 1e-12))
    return _bounded(points, SAME_NAME_FLOOR, SAME_NAME_CAP)


def first_name_points(share: float) -> int:
    """Points for a first name alone matching a full name's, carried by `share` of the profiles."""
    points = FIRST_NAME_TYPICAL + POINTS_PER_HALVING * math.log2(TYPICAL_FIRST_NAME_SHARE / max(share, 1e-12))
    return _bounded(points, FIRST_NAME_FLOOR, FIRST_NAME_CAP)


def how_common(expected: float) -> str:
    """The expectation in words, for a reason a reviewer reads."""
    if expected < 0.01:
        return "a rare name here"
    if expected < 1:
        return "an uncommon name here"
    return "a common name here"


def how_common_first_name(share: float) -> str:
    return "a common first name here" if share >= TYPICAL_FIRST_NAME_SHARE else "an uncommon first name here"


def _bounded(points: float, floor: int, cap: int) -> int:
    return max(floor, min(cap, round(points)))
