"""Phone lines of the evaluation set and the ways people, exports and connectors write them.

A `Line` is one subscriber line (its E.164 key). `write()` renders it in a style —
national (Brazil only: the set is read with ZDUSERS_DEFAULT_PHONE_REGION=BR),
international with the country code, or bare digits as WhatsApp ids carry it —
and only returns text that `profiles.identities.normalize` reads back as the
intended key, so the set never holds a number the product would refuse.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from profiles.errors import InvalidIdentity
from profiles.identities import IdentityKind, normalize

# Brazilian area codes (DDD) weighted by how many customers live there.
BR_AREAS = "11:30 21:12 31:7 41:5 51:5 61:5 71:4 81:4 85:3 19:4 27:2 48:2 62:3 92:2 91:2 13:2 98:1 84:1 16:2 47:2"
# Mobiles carried the 8 digits of these leading digits before Brazil added the 9 in front.
BR_MOBILE_LEADS = "9:50 8:25 7:10 6:15"
MX_AREAS = ["55", "55", "55", "33", "33", "81", "81", "222", "442", "664", "998"]
AR_AREAS = ["11", "11", "11", "11", "351", "341", "221", "261"]
# fmt: off
US_AREAS = [
    "212", "305", "312", "415", "512", "617", "646", "713", "786", "818",
    "202", "206", "303", "404", "480", "602", "702", "954", "972", "214",
]
# fmt: on
PT_MOBILE = ["91", "92", "93", "96"]


def _weighted(spec: str) -> list[str]:
    return [item for pair in spec.split() for item in [pair.split(":")[0]] * int(pair.split(":")[1])]


_BR_AREAS = _weighted(BR_AREAS)
_BR_LEADS = _weighted(BR_MOBILE_LEADS)


@dataclass(frozen=True)
class Line:
    """A subscriber line: its E.164 key split as people group the digits."""

    country: str  # BR MX AR US PT ES
    country_code: str
    area: str  # area code ("" where the national number has none)
    local: str  # the rest of the national number (for Argentine mobiles, without the 9)
    mobile: bool = True

    @property
    def e164(self) -> str:
        if self.country == "AR" and self.mobile:
            return f"+54 9{self.area}{self.local}".replace(" ", "")
        return f"+{self.country_code}{self.area}{self.local}"


def random_line(rng: random.Random, country: str, *, mobile: bool = True, lead: str | None = None) -> Line:
    """A random valid line of `country`; `lead` forces the first digits after a Brazilian area's 9."""
    for _ in range(100):
        line = _draw(rng, country, mobile=mobile, lead=lead)
        if is_valid(line.e164):
            return line
    raise RuntimeError(f"no valid {country} number found")  # pragma: no cover - the plans above are valid


def _draw(rng: random.Random, country: str, *, mobile: bool, lead: str | None) -> Line:
    digits = "0123456789"

    def some(n: int) -> str:
        return "".join(rng.choice(digits) for _ in range(n))

    if country == "BR":
        area = rng.choice(_BR_AREAS)
        if mobile:
            first = lead or rng.choice(_BR_LEADS)
            return Line("BR", "55", area, "9" + first + some(8 - len(first)))
        return Line("BR", "55", area, rng.choice("2345") + some(7), mobile=False)
    if country == "MX":
        area = rng.choice(MX_AREAS)
        return Line("MX", "52", area, rng.choice("23456789") + some(9 - len(area)))
    if country == "AR":
        area = rng.choice(AR_AREAS)
        return Line("AR", "54", area, rng.choice("2345678") + some(9 - len(area)), mobile=mobile)
    if country == "US":
        exchange = rng.choice("23456789") + some(2)
        while exchange == "555":
            exchange = rng.choice("23456789") + some(2)
        return Line("US", "1", rng.choice(US_AREAS), exchange + some(4))
    if country == "PT":
        return Line("PT", "351", "", rng.choice(PT_MOBILE) + some(7))
    if country == "ES":
        return Line("ES", "34", "", "6" + some(8))
    raise ValueError(f"unknown country {country!r}")


def is_valid(e164: str) -> bool:
    try:
        return normalize(IdentityKind.PHONE, e164) == e164
    except InvalidIdentity:
        return False


def without_ninth_digit(line: Line) -> Line:
    """The same Brazilian mobile as it was written before the 9 was added (old records, old WhatsApp ids)."""
    assert line.country == "BR" and line.local.startswith("9") and len(line.local) == 9
    return Line("BR", "55", line.area, line.local[1:])


def without_nine(line: Line) -> Line:
    """An Argentine mobile written without the 9 that only international dialling uses."""
    assert line.country == "AR" and line.mobile
    return Line("AR", "54", line.area, line.local, mobile=False)


def _group(local: str) -> str:
    """'987654321' -> '98765-4321', '87654321' -> '8765-4321'."""
    return f"{local[:-4]}-{local[-4:]}"


Format = Callable[[Line], str]

# Brazil, as people write it at home: area code in brackets or not, the 9 sometimes apart.
_BR_NATIONAL: list[Format] = [
    lambda n: f"({n.area}) {_group(n.local)}",
    lambda n: f"({n.area}) {_group(n.local)}",
    lambda n: f"{n.area} {_group(n.local)}",
    lambda n: f"({n.area}){n.local}",
    lambda n: f"{n.area}{n.local}",
    lambda n: f"0{n.area} {_group(n.local)}",
    lambda n: f"({n.area}) {n.local[0]} {_group(n.local[1:])}" if len(n.local) == 9 else f"({n.area}) {n.local}",
]
_INTERNATIONAL: dict[str, list[Format]] = {
    "BR": [
        lambda n: f"+55 {n.area} {_group(n.local)}",
        lambda n: f"+55 ({n.area}) {_group(n.local)}",
        lambda n: f"+55{n.area}{n.local}",
        lambda n: f"+55 {n.area} {n.local}",
        lambda n: f"+55-{n.area}-{_group(n.local)}",
    ],
    "MX": [
        lambda n: f"+52 {n.area} {n.local[:-4]} {n.local[-4:]}",
        lambda n: f"+52 ({n.area}) {n.local[:-4]}-{n.local[-4:]}",
        lambda n: f"+52{n.area}{n.local}",
    ],
    "AR": [
        lambda n: f"+54 9 {n.area} {_group(n.local)}" if n.mobile else f"+54 {n.area} {_group(n.local)}",
        lambda n: f"+54 9 {n.area} {n.local[:-4]} {n.local[-4:]}" if n.mobile else f"+54 ({n.area}) {_group(n.local)}",
        lambda n: f"+549{n.area}{n.local}" if n.mobile else f"+54{n.area}{n.local}",
    ],
    "US": [
        lambda n: f"+1 ({n.area}) {n.local[:3]}-{n.local[3:]}",
        lambda n: f"+1 {n.area}-{n.local[:3]}-{n.local[3:]}",
        lambda n: f"+1 {n.area} {n.local[:3]} {n.local[3:]}",
        lambda n: f"+1{n.area}{n.local}",
    ],
    "PT": [
        lambda n: f"+351 {n.local[:3]} {n.local[3:6]} {n.local[6:]}",
        lambda n: f"+351 {n.local}",
        lambda n: f"+351{n.local}",
    ],
    "ES": [
        lambda n: f"+34 {n.local[:3]} {n.local[3:5]} {n.local[5:7]} {n.local[7:]}",
        lambda n: f"+34 {n.local[:3]} {n.local[3:6]} {n.local[6:]}",
        lambda n: f"+34{n.local}",
    ],
}
# How Argentines write a mobile for a form: area, then 15, then the number (read back as the 9 form).
_AR_WITH_15: Format = lambda n: f"+54 {n.area} 15 {_group(n.local)}"  # noqa: E731


def write(rng: random.Random, line: Line, style: str) -> str:
    """`line` written in `style`; the text always normalizes back to `line.e164`."""
    if style == "national":
        if line.country != "BR":
            raise ValueError("only Brazilian numbers are written in national format in this set")
        formats = _BR_NATIONAL
    elif style == "international":
        formats = _INTERNATIONAL[line.country]
    elif style == "bare":
        formats = [lambda n: n.e164[1:]]
    elif style == "ar_with_15":
        formats = [_AR_WITH_15]
    else:
        raise ValueError(f"unknown style {style!r}")
    first = rng.randrange(len(formats))
    for offset in range(len(formats)):
        text = formats[(first + offset) % len(formats)](line)
        if _reads_as(text, line.e164):
            return text
    raise ValueError(f"{line.e164} cannot be written in style {style!r}")


def _reads_as(text: str, e164: str) -> bool:
    try:
        return normalize(IdentityKind.PHONE, text) == e164
    except InvalidIdentity:
        return False


def natural_style(rng: random.Random, line: Line) -> str:
    """How a person typing their own number writes it: Brazilians mostly nationally, others with +code."""
    if line.country == "BR":
        return "national" if rng.random() < 0.7 else "international"
    return "international"


def whatsapp_style(rng: random.Random, line: Line) -> str:
    """How a WhatsApp identity arrives: connectors send bare digits, agents type formats."""
    roll = rng.random()
    if roll < 0.65:
        return "bare"
    if roll < 0.9 or line.country != "BR":
        return "international"
    return "national"
