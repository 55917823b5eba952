"""Valid phone numbers for the demo data, by country, without calling phonenumbers per row.

Each plan lists national prefixes (area code plus leading digits) under which every
combination of the remaining digits is a valid number for libphonenumber (the
prefixes were chosen from its metadata; tests/profiles/test_seed_demo.py checks
every prefix in every written format with `profiles.identities.normalize`). A
primary key is mapped to a number by a bijection on the plan's capacity, so
distinct keys always give distinct numbers, also across separate runs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from devtools import demo_words as words

# Any multiplier coprime with a plan's capacity maps keys to distinct numbers.
_SPREAD = 2_147_483_647
_OFFSET = 48_271


class PhonePlan:
    """Valid numbers of one country: a national prefix (area and leading digits) + `digits` free digits."""

    def __init__(
        self,
        country_code: str,
        prefixes: list[tuple[str, str, int]],
        digits: int,
        formats: tuple[Callable[[str, str], str], ...],
    ) -> None:
        self.country_code = country_code
        self.prefixes = prefixes  # (national prefix, area shown, digits before the area)
        self.digits = digits
        self.scale = 10**digits
        self.capacity = len(prefixes) * self.scale
        self.formats = formats  # functions (area, local) -> str, as people write the number
        if math.gcd(_SPREAD, self.capacity) != 1:
            raise ValueError(f"phone plan +{country_code} needs a capacity coprime with {_SPREAD}")

    def written(self, rng: random.Random, area: str, local: str) -> str:
        """The number as a person writes it, in one of the country's usual formats (always with +country code)."""
        return rng.choice(self.formats)(area, local)

    def whatsapp(self, rng: random.Random, e164: str, area: str, local: str) -> str:
        """The number of a WhatsApp identity: connectors send bare international digits, people type formats."""
        return e164[1:] if rng.random() < 0.6 else self.written(rng, area, local)

    def number(self, key: int) -> tuple[str, str, str]:
        """(E.164, area, local digits) of the number owned by `key`; distinct keys give distinct numbers."""
        return self.at(*divmod((key * _SPREAD + _OFFSET) % self.capacity, self.scale))

    def at(self, prefix_index: int, subscriber: int) -> tuple[str, str, str]:
        """(E.164, area, local digits) of the `subscriber`-th number under the `prefix_index`-th prefix."""
        prefix, area, lead = self.prefixes[prefix_index]
        national = prefix + str(subscriber).zfill(self.digits)
        return "+" + self.country_code + national, area, national[lead + len(area) :]


def _areas(weighted: str, then: str = "") -> list[tuple[str, str, int]]:
    """'11:10 21:4' -> prefixes area+then+digit for the first `weight` digits: the weight is an area's share."""
    prefixes = []
    for item in weighted.split():
        area, weight = item.split(":")
        prefixes += [(area + then + digit, area, 0) for digit in "0123456789"[: int(weight)]]
    return prefixes


PHONE_PLANS: dict[str, PhonePlan] = {
    "BR": PhonePlan(
        "55",
        # Mobiles: area + 9 + 8 digits.
        _areas("11:10 21:6 31:4 41:3 51:3 61:3 71:3 81:3 85:2 19:3 27:2 48:2 62:2 92:2 91:2 13:2 98:1 84:1", "9"),
        7,
        (
            lambda a, n: f"+55 {a} {n[:5]}-{n[5:]}",
            lambda a, n: f"+55 ({a}) {n[:5]}-{n[5:]}",
            lambda a, n: f"+55{a}{n}",
            lambda a, n: f"+55 {a} {n}",
        ),
    ),
    "MX": PhonePlan(
        "52",
        _areas("55:10 33:5 81:5") + [(a, a, 0) for a in ("222", "442", "664", "998")],
        7,
        (
            lambda a, n: f"+52 {a} {n[:-4]} {n[-4:]}",
            lambda a, n: f"+52 ({a}) {n[:-4]}-{n[-4:]}",
            lambda a, n: f"+52{a}{n}",
        ),
    ),
    "AR": PhonePlan(
        "54",
        # Mobiles in E.164 keep the 9 before the area; their local part never starts with 0, 1 or 9.
        [(f"911{a}{b}", "11", 1) for a in "2345678" for b in "0123456789"]
        + [(f"9{area}{a}", area, 1) for area in ("351", "341") for a in "2345678"],
        6,
        (
            lambda a, n: f"+54 9 {a} {n[:-4]}-{n[-4:]}",
            lambda a, n: f"+54 9 {a} {n[:-4]} {n[-4:]}",
            lambda a, n: f"+549{a}{n}",
        ),
    ),
    "ES": PhonePlan(
        "34",
        [("6" + d, "", 0) for d in "0123456789"] + [("7" + d, "", 0) for d in "1234"],
        7,
        (
            lambda a, n: f"+34 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}",
            lambda a, n: f"+34 {n[:3]} {n[3:6]} {n[6:]}",
            lambda a, n: f"+34{n}",
        ),
    ),
    "US": PhonePlan(
        "1",
        [(npa + d, npa, 0) for npa in words.US_AREA_CODES for d in "23456789"],
        6,
        (
            lambda a, n: f"+1 ({a}) {n[:3]}-{n[3:]}",
            lambda a, n: f"+1 {a}-{n[:3]}-{n[3:]}",
            lambda a, n: f"+1 {a} {n[:3]} {n[3:]}",
            lambda a, n: f"+1{a}{n}",
        ),
    ),
}
