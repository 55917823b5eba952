"""People of the evaluation set and the ways their names get written on a profile.

A `Person` is one human being; `written()` gives the name one profile of theirs
shows — the full name, a shortened one, or a variant (typo, nickname, swapped,
accents dropped, first name only …) — together with a tag naming the variation.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from functools import cache

from devtools.matching_eval import words


def fold(text: str) -> str:
    """'João Gonçalves' -> 'Joao Goncalves'."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits, as in an email address: "O'Brien" -> 'obrien'."""
    return "".join(ch for ch in fold(text).lower() if ch.isascii() and ch.isalnum())


@cache
def pool_given_names() -> frozenset[str]:
    """Every given name of every pool, folded and lower-cased: a typo must not produce one of them."""
    names = set()
    for pool in words.POOLS.values():
        for name in pool.female + pool.male:
            names.add(fold(name).lower())
    for _, first, second in words.LOOKALIKE_GIVEN:
        names |= {fold(first).lower(), fold(second).lower()}
    return frozenset(names)


@dataclass(frozen=True)
class Person:
    culture: str
    country: str  # where their phone line is
    given: tuple[str, ...]  # ("Ana", "Paula")
    surnames: tuple[str, ...]  # ("Souza", "Lima") or ("da Silva",)

    @property
    def full(self) -> str:
        return " ".join(self.given + self.surnames)

    @property
    def short(self) -> str:
        """First given name and last surname, without its particle: 'Ana Lima', 'Maria Silva'."""
        return f"{self.given[0]} {self.surnames[-1].split()[-1]}"

    @property
    def first(self) -> str:
        return self.given[0]

    @property
    def last(self) -> str:
        return self.surnames[-1].split()[-1]

    def nicknames(self) -> list[str]:
        table = words.NICKNAMES.get(self.culture, {})
        return table.get(" ".join(self.given), []) or table.get(self.given[0], [])


def random_person(rng: random.Random, country: str, culture: str | None = None, *, nicknamed: bool = False) -> Person:
    """Someone from `country` with a name from its usual cultures; common surnames come up often.

    With `nicknamed`, someone whose given name has a familiar form (where the culture has any).
    """
    if culture is None:
        culture = weighted(rng, words.CULTURES[country])
    pool = words.POOLS[culture]
    female = rng.random() < 0.5
    compound = pool.female_compound if female else pool.male_compound
    if compound and rng.random() < 0.15:
        given = tuple(rng.choice(compound).split())
    else:
        given = (rng.choice(pool.female if female else pool.male),)
    person = Person(culture, country, given, surnames_for(rng, culture, country))
    if nicknamed and not person.nicknames() and words.NICKNAMES.get(culture):
        return random_person(rng, country, culture, nicknamed=True)
    return person


def surnames_for(rng: random.Random, culture: str, country: str) -> tuple[str, ...]:
    pool = words.POOLS[culture]

    rare = words.RARE_SURNAMES.get(culture, [])

    def one() -> str:
        roll = rng.random()
        if roll < 0.3:
            surname = rng.choice(pool.common_surnames)
        elif roll < 0.36 and rare:  # unusual surnames turn up everywhere, not only among duplicates
            surname = rng.choice(rare)
        else:
            surname = rng.choice(pool.surnames)
        particle = pool.particles.get(surname)
        if particle and rng.random() < 0.35:
            surname = f"{particle} {surname}"
        return surname

    two = {"pt": 0.45, "es": 0.55 if country in ("MX", "ES") else 0.1}.get(culture, 0.0)
    if rng.random() < two:
        first = one()
        second = one()
        while fold(second).split()[-1] == fold(first).split()[-1]:
            second = one()
        return (first, second)
    return (one(),)


def rare_person(rng: random.Random, country: str, *, nicknamed: bool = False) -> Person:
    """Someone whose full name is all but unique: three words or more, one of them an unusual surname.

    Portuguese and Spanish names get two surnames (the unusual one first or last), the others a middle name.
    """
    culture = weighted(rng, words.CULTURES[country])
    person = random_person(rng, country, culture, nicknamed=nicknamed)
    pool = words.POOLS[culture]
    unusual = rng.choice(words.RARE_SURNAMES[culture])
    if culture in ("pt", "es"):
        other = rng.choice(pool.surnames + words.RARE_SURNAMES[culture][:10])
        while fold(other) == fold(unusual):
            other = rng.choice(pool.surnames)
        surnames = (other, unusual) if rng.random() < 0.6 else (unusual, other)
        return Person(culture, country, person.given, surnames)
    given = person.given
    if len(given) == 1:
        same_sex = pool.female if person.first in pool.female else pool.male
        middle = rng.choice([name for name in same_sex if name != person.first])
        given = (person.first, middle)
    return Person(culture, country, given, (unusual,))


def is_rare(person: Person) -> bool:
    """Whether `person` carries one of the unusual surnames."""
    rare = words.RARE_SURNAMES.get(person.culture, [])
    return any(surname.split()[-1] in rare for surname in person.surnames)


def common_person(rng: random.Random) -> Person:
    """Someone called by one of the commonest names of their language: 'Maria Silva', 'José López', 'John Smith'."""
    culture, first, last = rng.choice(words.COMMON_NAMES)
    return Person(culture, rng.choice(words.LANGUAGE_COUNTRIES[culture]), (first,), (last,))


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([item for item, _ in choices], weights=[weight for _, weight in choices])[0]


# Name variations between two profiles of one person, and the tag each gets in the data set.
SAME = "name_same"
TYPO = "name_typo"
SWAPPED = "name_swapped"
NICKNAME = "name_nickname"
ACCENTS = "name_accents_dropped"
MIDDLE_DROPPED = "name_middle_dropped"
MIDDLE_ADDED = "name_middle_added"
CASE = "name_case"
FIRST_ONLY = "name_first_only"
PHONE_AS_NAME = "name_phone_number"
FROM_EMAIL = "name_from_email"

# Variations that keep a name token in common with the other profile: the only ones used where the
# name is half the evidence (same company domain or organization).
KEEPS_A_TOKEN = (SAME, TYPO, SWAPPED, NICKNAME, ACCENTS, MIDDLE_DROPPED, MIDDLE_ADDED, CASE)


def base_form(rng: random.Random, person: Person) -> str:
    """The name on a person's first profile: full most of the time, else first name + last surname."""
    return person.full if rng.random() < 0.65 or person.full == person.short else person.short


def written(rng: random.Random, person: Person, base: str, variation: str) -> str | None:
    """`base` (one of person.full / person.short) written with `variation`; None where it does not apply."""
    if variation == SAME:
        return base
    if variation == TYPO:
        return _typo(rng, base)
    if variation == SWAPPED:
        return _swapped(rng, person, base)
    if variation == NICKNAME:
        nicknames = person.nicknames()
        if not nicknames:
            return None
        rest = base.split()[len(person.given) :] if base == person.full else [person.last]
        return " ".join([rng.choice(nicknames), *rest])
    if variation == ACCENTS:
        return fold(base) if fold(base) != base else None
    if variation == MIDDLE_DROPPED:
        return person.short if base == person.full and person.full != person.short else None
    if variation == MIDDLE_ADDED:
        return person.full if base == person.short and person.full != person.short else None
    if variation == CASE:
        return base.lower() if rng.random() < 0.75 else base.upper()
    if variation == FIRST_ONLY:
        return push_name(rng, person)
    raise ValueError(f"unknown name variation {variation!r}")


def push_name(rng: random.Random, person: Person) -> str:
    """The name a person gives themselves on WhatsApp or in a chat widget: short, often informal."""
    nicknames = person.nicknames()
    name = rng.choice(nicknames) if nicknames and rng.random() < 0.3 else person.first
    roll = rng.random()
    if roll < 0.15:
        name = name.lower()
    elif roll < 0.25:
        name = f"{name} {rng.choice(words.EMOJI)}"
    elif roll < 0.35:
        name = f"{name} {person.last[0]}."
    return name


def cosmetic(rng: random.Random, name: str) -> tuple[str, str | None]:
    """Sometimes a second, harmless difference on top of a variation: accents dropped or case changed."""
    roll = rng.random()
    if roll < 0.1 and fold(name) != name:
        return fold(name), ACCENTS
    if roll < 0.14:
        return name.lower(), CASE
    return name, None


def _swapped(rng: random.Random, person: Person, base: str) -> str:
    given = " ".join(person.given) if base == person.full else person.first
    surnames = " ".join(person.surnames) if base == person.full else person.last
    if rng.random() < 0.5:
        return f"{surnames}, {given}"  # as CRMs and spreadsheets export it
    return f"{surnames} {given}"


_NEIGHBOURS = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "n": "mb",
    "m": "n",
    "r": "et",
    "t": "ry",
    "s": "az",
    "z": "s",
    "l": "k",
    "c": "kx",
    "d": "sf",
    "y": "i",
}


def _typo(rng: random.Random, name: str) -> str | None:
    """One edit (a letter dropped, doubled, swapped or mistyped) in one token of four letters or more."""
    tokens = name.split()
    positions = [i for i, token in enumerate(tokens) if len(token) >= 4 and token.isalpha()]
    rng.shuffle(positions)
    for position in positions:
        token = tokens[position]
        for _ in range(6):
            changed = _edit(rng, token)
            if (
                changed != token
                and fold(changed).lower() != fold(token).lower()
                and fold(changed).lower() not in pool_given_names()
            ):
                tokens[position] = changed
                return " ".join(tokens)
    return None


def _edit(rng: random.Random, token: str) -> str:
    i = rng.randrange(1, len(token))  # people rarely get the first letter wrong
    op = rng.choice(("drop", "double", "swap", "neighbour"))
    if op == "drop":
        return token[:i] + token[i + 1 :]
    if op == "double":
        return token[:i] + token[i] + token[i:]
    if op == "swap" and i < len(token) - 1:
        return token[:i] + token[i + 1] + token[i] + token[i + 2 :]
    neighbours = _NEIGHBOURS.get(fold(token[i]).lower())
    if not neighbours:
        return token
    return token[:i] + rng.choice(neighbours) + token[i + 1 :]


def local_part(rng: random.Random, person: Person, pattern: str) -> str:
    """An email local part built from the name: 'first.last', 'flast', 'first_last', 'first', …"""
    first, last = slug(person.first), slug(person.last)
    return {
        "first.last": f"{first}.{last}",
        "firstlast": f"{first}{last}",
        "first_last": f"{first}_{last}",
        "flast": f"{first[0]}{last}",
        "first": first,
        "last.first": f"{last}.{first}",
        "first.m.last": f"{first}.{slug(person.surnames[0])[0]}.{last}" if len(person.surnames) > 1 else "",
        "firstmiddle.last": f"{first}{slug(person.given[1])}.{last}" if len(person.given) > 1 else "",
        "nick.last": f"{slug(person.nicknames()[0])}.{last}" if person.nicknames() else "",
    }[pattern]


PERSONAL_PATTERNS = [
    ("first.last", 30),
    ("firstlast", 18),
    ("first_last", 6),
    ("flast", 6),
    ("last.first", 4),
    ("first.m.last", 4),
    ("firstmiddle.last", 3),
    ("nick.last", 3),
]


def personal_local_part(rng: random.Random, person: Person) -> str:
    """What someone picks for a personal mailbox; a number often follows, as the plain names are taken."""
    local = ""
    while not local:
        local = local_part(rng, person, weighted(rng, PERSONAL_PATTERNS))
    roll = rng.random()
    if roll < 0.3:
        local += str(rng.randrange(1, 100))
    elif roll < 0.45:
        local += str(rng.randrange(1960, 2006))
    return local
