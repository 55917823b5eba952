"""Duplicate detection: blocking keys say which profiles to compare, scoring says how alike they are and why.

Pure functions over `ProfileFacts` (already-normalized contact points, no model
instances), so the full scan, the incremental check and the labeled evaluation
all run the very same code. The database side lives in profiles/duplicates/services.py
and scan.py; what a name is worth by its rarity in the desk, in rarity.py.

Blocking — never all pairs. A profile gets a key for each of:

- `p:` its phone lines (phone and WhatsApp share one key space), written in one
  canonical form so Brazil's mobile 9th digit, Mexico's +52 1 and Argentina's
  +54 9 meet; digits a messaging handle embeds (WhatsApp-style ids) count too;
- `m:` its mailboxes: the address without a +tag, and for Gmail without dots;
- `l:` a distinctive email local part, whatever the domain (john.smith@…);
- `h:` a username on a network that ignores case (the same @ana.souza on Instagram and X);
- `x:` its external id without case, spaces or punctuation;
- `n:` its whole name (folded words, sorted: accents, case and word order do not
  matter), `s:` each surname and the first initial (a typo or a nickname in the given
  name, a dropped middle name, a typo in another surname), `f:` its given name and
  the sound of its last name (a typo in the surname), `w:` two or more surnames
  alone (a nickname: Beto/Alberto Quintela Valadares). A customer who emailed and
  later called shares nothing else with their second profile. A name block bigger
  than its limit (block_limits) is a common name and is not compared at all:
  shared contact points still find those;
- `o:` each organization and `d:` each corporate (not free-mail) email domain.
  Those blocks are populations, not evidence: inside them only pairs whose names
  are alike (rapidfuzz `process.cdist`, vectorized) are scored.

Scoring adds weighted evidence (WEIGHTS; a name by its rarity among the desk's
profiles) and subtracts contradictions; the result is clamped to 0-100 and every
step is a `Reason` a reviewer can check. From the likely threshold a pair is the
queue's default view, from the possible one it is kept for review.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from django.conf import settings
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from profiles.duplicates import rarity
from profiles.duplicates.calibration import DEFAULT_CALIBRATION, Calibration
from profiles.duplicates.nicknames import same_given_name
from profiles.duplicates.rarity import NO_FREQUENCIES, NameFrequencies
from profiles.freemail import shared_mail_kind
from profiles.identities import CASE_INSENSITIVE_HANDLE_KINDS, IdentityKind


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    """What matching knows of one profile: already-normalized keys, no model instances."""

    id: int
    name: str
    emails: tuple[tuple[str, bool], ...] = ()  # (normalized email, verified)
    phones: tuple[str, ...] = ()  # E.164 keys of the phone and WhatsApp identities
    handles: tuple[tuple[str, str], ...] = ()  # (kind, normalized) of the other messaging identities
    organization_ids: tuple[int, ...] = ()
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence and its weight (negative for contradicting evidence)."""

    kind: str
    text: str
    weight: int
    # The rule it applies (a WEIGHTS entry, or a name rule whose points come from rarity): what a model
    # trained on reviewers' verdicts re-weighs (calibration.py). "" for a reason that never counts.
    level: str = ""
    base: int | None = None  # the rule's own weight, when a trained model changed it

    @property
    def default_weight(self) -> int:
        return self.weight if self.base is None else self.base

    def as_dict(self) -> dict:
        shown = {"kind": self.kind, "text": self.text, "weight": self.weight}
        if self.level:  # what training reads back from a reviewed pair
            shown.update(level=self.level, base=self.default_weight)
        return shown


@dataclass(frozen=True, slots=True)
class Score:
    score: int  # 0-100
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def kinds(self) -> list[str]:
        return sorted({reason.kind for reason in self.reasons if reason.weight > 0})


# Reason kinds, as stored with a candidate and offered as a queue filter.
REASON_KINDS = {
    "phone": "Same phone line",
    "email": "Same mailbox",
    "external_id": "Same external id",
    "name": "Similar names",
    "username": "Same username",
    "organization": "Same organization",
    "domain": "Same email domain",
    "email_name": "Alike email names",
    "conflict": "Shared contact point",
    "contradiction": "Contradicting evidence",
}

WEIGHTS = {
    "same_phone": 60,
    "phone_variant": 55,
    "same_mailbox": 60,
    "plus_tag": 50,
    "external_id": 60,
    "name_same": 30,
    "name_alike": 22,
    "name_similar": 12,
    "first_name_only": 12,
    "no_name": 5,
    "organization": 5,
    "domain": 5,
    "alike_names_in_population": 38,
    "same_username": 40,
    "email_name": 15,
    "email_name_spelled": 8,
    "different_first_names": -40,
    "different_surnames": -20,
    "different_verified_emails": -10,
    "different_organizations": -10,
    "different_external_ids": -45,
    "conflict": 50,
}

# A given name carried by this many profiles is a name of its own, not somebody's typo — unless the other
# spelling is far commoner: a typo repeated by a few writers (Liyl for Lily) stays a small share of the name.
ESTABLISHED_NAME = 3
TYPO_SHARE_OF_NAME = 0.2
# Name similarity (0-100, folded, nicknames unified) at or above which names are "alike" / "similar".
NAME_ALIKE = 92
NAME_SIMILAR = 85
# Inside an organization or email-domain block, only pairs whose names reach this are scored.
POPULATION_NAME_CUTOFF = 80
# A key shared by more profiles than this says nothing (a family line, "info@" everywhere).
MAX_EVIDENCE_BLOCK = 50
MAX_POPULATION_BLOCK = 5000
MAX_EMAIL_NAME_BLOCK = 6
# Profiles sharing one name key beyond this have a common name: comparing them all says nothing and
# costs the square of the crowd.
MAX_NAME_BLOCK = 6
# Population blocks up to this size are compared whole; bigger ones by shared name word.
SMALL_POPULATION = 64

_PLACEHOLDER_NAMES = {"unknown", "customer", "cliente", "whatsapp user", "user", "usuario", "sem nome", "no name"}
_GENERIC_LOCALS = frozenset(
    [
        "info",
        "contact",
        "contato",
        "contacto",
        "admin",
        "support",
        "suporte",
        "soporte",
        "sales",
        "vendas",
        "ventas",
        "hello",
        "hola",
        "ola",
        "office",
        "mail",
        "email",
        "noreply",
        "no-reply",
        "financeiro",
        "atendimento",
        "comercial",
        "compras",
        "test",
        "teste",
        "user",
        "usuario",
        "cliente",
        "customer",
        "billing",
        "help",
        "ajuda",
        "ayuda",
        "rh",
        "hr",
        "jobs",
        "marketing",
    ]
)
_GMAIL_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
_NON_WORD = re.compile(r"[^\w]+")
# The Unicode blocks of combining diacritical marks: what NFKD splits off accented letters.
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_EMBEDDED_PHONE = re.compile(r"(?<!\d)(\d{11,15})(?!\d)")


def default_threshold() -> int:
    """The likely tier: the queue's default view."""
    return settings.ZDUSERS_DUPLICATE_THRESHOLD


def possible_threshold() -> int:
    """The possible tier: pairs kept for review from this score up to the likely tier."""
    return settings.ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD


# --- what a profile is made of, for matching -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Features:
    tokens: tuple[str, ...]  # folded name words, punctuation dropped; () when the name is a placeholder
    phones: dict[str, str]  # canonical line → the E.164 key as stored
    mailboxes: dict[str, str]  # canonical mailbox → the address
    verified_by_domain: dict[str, frozenset[str]]  # corporate domain → verified addresses there
    corporate_domains: frozenset[str]
    locals: dict[str, str]  # distinctive local part (dots dropped) → the address
    external_id: str | None  # canonical
    usernames: dict[str, str]  # distinctive username on a network that ignores case → its network (kind)


@lru_cache(maxsize=100_000)
def features(facts: ProfileFacts) -> _Features:
    """The features of `facts`, cached: a profile is scored against several others."""
    return _features(facts)


def _features(facts: ProfileFacts) -> _Features:
    phones = {canonical_line(e164): e164 for e164 in facts.phones}
    usernames = {}
    for kind, handle in facts.handles:
        for digits in _EMBEDDED_PHONE.findall(handle):
            phones.setdefault(canonical_line("+" + digits), "+" + digits)
        if kind in CASE_INSENSITIVE_HANDLE_KINDS and len(handle) >= 5 and not handle.isdigit():
            usernames[handle] = kind
    mailboxes, locals_, verified = {}, {}, defaultdict(set)
    corporate = set()
    for email, is_verified in facts.emails:
        local, _, domain = email.rpartition("@")
        mailboxes[canonical_mailbox(local, domain)] = email
        bare_local = local.split("+", 1)[0].replace(".", "")
        if len(bare_local) >= 5 and not bare_local.isdigit() and bare_local not in _GENERIC_LOCALS:
            locals_[bare_local] = email
        if _is_corporate(domain):
            corporate.add(domain)
            if is_verified:
                verified[domain].add(email)
    return _Features(
        tokens=name_tokens(facts.name),
        phones=phones,
        mailboxes=mailboxes,
        verified_by_domain={domain: frozenset(addresses) for domain, addresses in verified.items()},
        corporate_domains=frozenset(corporate),
        locals=locals_,
        external_id=canonical_external_id(facts.external_id),
        usernames=usernames,
    )


def name_tokens(name: str) -> tuple[str, ...]:
    """Folded words of a person's name; () for names that say nothing (empty, a number, "WhatsApp user")."""
    if not name or "@" in name:  # channels name a profile after its address when they know nothing else
        return ()
    if "," in name:  # "Medina, Concepción": exports write the surname first
        surname, _, given = name.partition(",")
        name = f"{given} {surname}"
    folded = _NON_WORD.sub(" ", name.lower() if name.isascii() else fold(name)).split()
    words = tuple(word for word in folded if not word.isdigit())
    if not words or " ".join(words) in _PLACEHOLDER_NAMES:
        return ()
    return words


def fold(text: str) -> str:
    """Lower case without accents (what profiles.db_functions.fold_in_python does, faster: a full scan folds
    a million names)."""
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))


def canonical_line(e164: str) -> str:
    """One form for the ways a mobile line is written: Brazil without the 9th digit, Mexico without +52 1's 1,
    Argentina without +54 9's 9 (string rules, as in identities.phone_variants, cheap enough for a full scan)."""
    if len(e164) == 14 and e164.startswith("+55") and e164[5] == "9":
        return e164[:5] + e164[6:]
    if len(e164) == 14 and (e164.startswith("+521") or e164.startswith("+549")):
        return e164[:3] + e164[4:]
    return e164


def canonical_mailbox(local: str, domain: str) -> str:
    """The mailbox an address delivers to: without a +tag, and for Gmail without dots."""
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        return local.replace(".", "") + "@gmail.com"
    return f"{local}@{domain}"


def canonical_external_id(external_id: str | None) -> str | None:
    if not external_id:
        return None
    return _NON_WORD.sub("", external_id).replace("_", "").lower() or None


@lru_cache(maxsize=4096)
def _is_corporate(domain: str) -> bool:
    return shared_mail_kind(domain) is None


# --- blocking ----------------------------------------------------------------------------------


def blocking_keys(facts: ProfileFacts) -> dict[str, str]:
    """The keys under which `facts` meets the profiles it should be compared with.

    Maps each key to what its block compares: the sorted name words for a population key
    (organization, corporate domain), "" for an evidence key (every pair is scored).
    """
    found = _features(facts)
    keys = dict.fromkeys((f"p:{line}" for line in found.phones), "")
    keys.update(dict.fromkeys((f"m:{mailbox}" for mailbox in found.mailboxes), ""))
    keys.update(dict.fromkeys((f"l:{local}" for local in found.locals), ""))
    keys.update(dict.fromkeys((f"h:{username}" for username in found.usernames), ""))
    if found.external_id:
        keys[f"x:{found.external_id}"] = ""
    keys.update(dict.fromkeys(name_blocking_keys(found.tokens), ""))
    if found.tokens:  # a population block is only useful with a name to compare
        name = " ".join(sorted(found.tokens))
        keys.update(dict.fromkeys((f"o:{organization_id}" for organization_id in facts.organization_ids), name))
        keys.update(dict.fromkeys((f"d:{domain}" for domain in found.corporate_domains), name))
    return {key[:255]: name for key, name in keys.items()}


def name_blocking_keys(tokens: tuple[str, ...]) -> list[str]:
    """The whole name (also what the desk's name counts follow); for a name of two words or more each
    surname with the first initial (a typo in one surname leaves the other) and the given name with the
    sound of the last name; for two surnames or more, the surnames alone (a nickname for the given name:
    Beto/Alberto Quintela Valadares)."""
    if not tokens:
        return []
    if len(tokens) == 1:
        return [f"n:{tokens[0]}"]
    first, last = tokens[0], tokens[-1]
    surnames = [word for word in tokens[1:] if word not in rarity.PARTICLES and len(word) > 1]
    keys = [f"n:{rarity.name_key(tokens)}", f"f:{first} {sound_key(last)}"]
    keys += [f"s:{surname} {first[0]}" for surname in surnames or [last]]
    if len(surnames) >= 2:
        keys.append(f"w:{' '.join(sorted(surnames))}")
    return keys


_SOUNDS = [
    ("ph", "f"), ("ch", "x"), ("sh", "x"), ("lh", "li"), ("nh", "ni"), ("ll", "i"), ("qu", "k"),
    ("gue", "ge"), ("gui", "gi"), ("ce", "se"), ("ci", "si"), ("y", "i"), ("z", "s"), ("v", "b"),
    ("w", "b"), ("k", "c"), ("h", ""),
]  # fmt: skip


@lru_cache(maxsize=100_000)
def sound_key(word: str) -> str:
    """How a folded Spanish or Portuguese surname sounds, roughly: letters that sound alike made one,
    vowels after the first letter dropped, doubled letters single (Vieira/Vieiraa, Souza/Sousa,
    Gonçalves/Goncalvez, Villalobos/Vilalobos meet; a typo in a consonant does not)."""
    for written, sound in _SOUNDS:
        word = word.replace(written, sound)
    skeleton = word[:1] + re.sub(r"[aeiou]", "", word[1:])
    return re.sub(r"(.)\1+", r"\1", skeleton)


NAME_KEY_PREFIXES = ("n:", "s:", "f:", "w:")


def is_name_key(key: str) -> bool:
    return key[:2] in NAME_KEY_PREFIXES


def is_population_key(key: str) -> bool:
    return key[:2] in ("o:", "d:")


def max_block_size(key: str) -> int:
    return block_limits().get(key[:2], MAX_EVIDENCE_BLOCK)


def block_limits() -> dict[str, int]:
    """The most profiles a block may hold to be compared, by key prefix (MAX_EVIDENCE_BLOCK for the others)."""
    return {
        "o:": MAX_POPULATION_BLOCK,
        "d:": MAX_POPULATION_BLOCK,
        # An email name shared by more than a few profiles is a common name, not a person's mailbox name.
        "l:": MAX_EMAIL_NAME_BLOCK,
        **dict.fromkeys(NAME_KEY_PREFIXES, MAX_NAME_BLOCK),
        # A whole name carried by three profiles or more is expected on another one by chance
        # (rarity.NameFrequencies.namesakes): it is worth the floor, below the possible tier, and
        # whatever else such a pair shares has a block of its own.
        "n:": min(2, MAX_NAME_BLOCK),
    }


def pairs_in_block(key: str, members: Sequence[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """Id pairs (low, high) of one block worth scoring; `members` are (id, name) as blocking_keys() gave them.

    Every pair of an evidence block; only the alike-named pairs of a population block.
    """
    if not 2 <= len(members) <= max_block_size(key):
        return
    if not is_population_key(key):
        for (a, _), (b, _) in combinations(members, 2):
            yield (a, b) if a < b else (b, a)
        return
    # Inside a big organization compare only people sharing a name word: cdist over the whole
    # block would grow with its square. A typo in one word still leaves the other in common.
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    if len(members) <= SMALL_POPULATION:
        groups[""] = list(members)
    else:
        for member in members:
            for word in set(member[1].split()):
                groups[word].append(member)
    seen = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        for a, b in _alike_pairs(group):
            if (a, b) not in seen:
                seen.add((a, b))
                yield a, b


def _alike_pairs(group: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """(low, high) id pairs of `group` whose names reach POPULATION_NAME_CUTOFF."""
    if len(group) <= 4:  # cdist's set-up costs more than a few direct comparisons
        for (a, name_a), (b, name_b) in combinations(group, 2):
            if fuzz.token_set_ratio(name_a, name_b, score_cutoff=POPULATION_NAME_CUTOFF):
                yield (a, b) if a < b else (b, a)
        return
    names = [name for _, name in group]
    similarity = process.cdist(
        names, names, scorer=fuzz.token_set_ratio, score_cutoff=POPULATION_NAME_CUTOFF, workers=1
    )
    rows, columns = similarity.nonzero()
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        a, b = group[row][0], group[column][0]
        if a < b:
            yield a, b


def alike_names(name: str, others: Sequence[tuple[int, str]]) -> set[int]:
    """Ids among `others` (id, sorted name words) whose names are alike enough to `name`'s to be scored."""
    if not name or not others:
        return set()
    similarity = process.cdist(
        [name], [n for _, n in others], scorer=fuzz.token_set_ratio, score_cutoff=POPULATION_NAME_CUTOFF, workers=1
    )
    return {others[column][0] for column in similarity[0].nonzero()[0].tolist()}


def candidate_pairs(facts: Iterable[ProfileFacts]) -> set[tuple[int, int]]:
    """Id pairs (low, high) sharing at least one blocking key (population blocks: alike names only)."""
    blocks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for profile in facts:
        for key, name in blocking_keys(profile).items():
            blocks[key].append((profile.id, name))
    pairs = set()
    for key, members in blocks.items():
        pairs.update(pairs_in_block(key, members))
    return pairs


def find_pairs(
    facts: Sequence[ProfileFacts], *, threshold: int | None = None, calibration: Calibration = DEFAULT_CALIBRATION
) -> list[tuple[int, int, Score]]:
    """Pairs (low id, high id, score) among `facts` scoring at least `threshold`, by blocking then scoring.

    Names are weighed by their rarity among `facts` (they are the whole desk).
    """
    threshold = default_threshold() if threshold is None else threshold
    by_id = {profile.id: profile for profile in facts}
    frequencies = name_frequencies(facts)
    found = []
    for low, high in sorted(candidate_pairs(facts)):
        result = score(by_id[low], by_id[high], frequencies, calibration)
        if result.score >= threshold:
            found.append((low, high, result))
    return found


def name_frequencies(facts: Iterable[ProfileFacts]) -> NameFrequencies:
    """The name counts of a set of profiles held in memory (the evaluation sets; the database keeps its own)."""
    return NameFrequencies.of(features(profile).tokens for profile in facts)


# --- scoring -----------------------------------------------------------------------------------


def score(
    a: ProfileFacts,
    b: ProfileFacts,
    frequencies: NameFrequencies = NO_FREQUENCIES,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> Score:
    """How likely `a` and `b` are the same customer (0-100), with the reasons and their weights.

    Names count by how rare they are in `frequencies` (the desk's name counts); without
    counts, the fixed WEIGHTS apply. `calibration`, a model trained on the desk's reviewers'
    verdicts, re-weighs each rule. Symmetric; a profile compared with itself scores 0.
    """
    if a.id == b.id:
        return Score(0, ())
    if a.id > b.id:
        a, b = b, a
    fa, fb = features(a), features(b)
    names, names_alike = _name_reasons(a, b, fa.tokens, fb.tokens, frequencies)
    reasons = [
        *_contact_point_reasons(fa, fb),
        *names,
        *_context_reasons(a, b, fa, fb, names_alike=names_alike),
    ]
    reasons = calibration.weigh(reasons)
    total = sum(reason.weight for reason in reasons)
    return Score(max(0, min(100, total)), tuple(reasons))


def _rule(kind: str, text: str, level: str) -> Reason:
    """A reason applying the fixed rule `level` of WEIGHTS."""
    return Reason(kind, text, WEIGHTS[level], level)


def _contact_point_reasons(fa: _Features, fb: _Features) -> Iterator[Reason]:
    for line in fa.phones.keys() & fb.phones.keys():
        phone_a, phone_b = fa.phones[line], fb.phones[line]
        if phone_a == phone_b:
            yield _rule("phone", f"same phone {phone_a}", "same_phone")
        else:
            yield _rule("phone", f"{phone_a} and {phone_b} are the same line written two ways", "phone_variant")
    for mailbox in fa.mailboxes.keys() & fb.mailboxes.keys():
        email_a, email_b = fa.mailboxes[mailbox], fb.mailboxes[mailbox]
        # Gmail ignores dots and +tags for certain; elsewhere a +tag is a common, not universal, convention.
        level = "same_mailbox" if mailbox.endswith("@gmail.com") else "plus_tag"
        yield _rule("email", f"{email_a} and {email_b} reach the same mailbox", level)
    email_name = _email_name_reason(fa, fb, already=fa.mailboxes.keys() & fb.mailboxes.keys())
    if email_name:
        yield email_name
    for username in sorted(fa.usernames.keys() & fb.usernames.keys()):
        networks = " and ".join(IdentityKind(kind).label for kind in (fa.usernames[username], fb.usernames[username]))
        yield _rule("username", f"same username {username} on {networks}", "same_username")
    if fa.external_id and fb.external_id:
        if fa.external_id == fb.external_id:
            yield _rule("external_id", "external ids differ only in formatting", "external_id")
        elif settings.ZDUSERS_EXTERNAL_IDS_ARE_ONE_SYSTEM:
            yield _rule("contradiction", "different external ids", "different_external_ids")
        else:
            # Records imported from a CRM, a shop and an old help desk each carry their own id: that is
            # what duplicates look like, so different ids say nothing unless one deduplicated system gave them all.
            yield Reason("external_id", "different external ids (from different systems: not counted)", 0)


def _email_name_reason(fa: _Features, fb: _Features, *, already: set[str]) -> Reason | None:
    """The same (or nearly the same) distinctive local part in two addresses not already known as one mailbox.

    A local part that only spells its owner's name (diego.barbosa@…, nthomas@…) repeats the name's
    evidence: it counts a little when written exactly alike (people pick among many forms of their
    name), not at all when only similar (francescaferrari58 / francesca.ferrari11: two people).
    """
    same_mailbox = {fa.mailboxes[m] for m in already} | {fb.mailboxes[m] for m in already}
    pairs = [
        (Levenshtein.normalized_similarity(x, y), x, y, address_a, address_b)
        for x, address_a in fa.locals.items()
        for y, address_b in fb.locals.items()
        if address_a not in same_mailbox and address_b not in same_mailbox
    ]
    if not pairs:
        return None
    similarity, x, y, email_a, email_b = max(pairs)
    if similarity < 0.85:
        return None
    text = f"email names {email_a} / {email_b} {similarity:.2f} alike"
    if _spells_name(x, fa.tokens) and _spells_name(y, fb.tokens):
        if x != y:
            return None
        if not any(character.isdigit() for character in x):
            return _rule("email_name", f"{text} (the name written the same way)", "email_name_spelled")
    return _rule("email_name", text, "email_name")


def _spells_name(local: str, tokens: tuple[str, ...]) -> bool:
    """Whether the letters of `local` are its owner's name words or their initials, in order (dots, digits
    and separators aside): anasouza, asouza, ana_s, souzaana."""
    letters = re.sub(r"[^a-z]", "", fold(local))
    if not letters or not tokens:
        return False
    return _consumed(letters, tokens) or _consumed(letters, tuple(reversed(tokens)))


def _consumed(letters: str, tokens: tuple[str, ...]) -> bool:
    if not letters:
        return True
    for index, token in enumerate(tokens):
        rest = tokens[index + 1 :]
        if letters.startswith(token) and _consumed(letters[len(token) :], rest):
            return True
        if letters[0] == token[0] and _consumed(letters[1:], rest):
            return True
    return False


def _name_reasons(
    a: ProfileFacts, b: ProfileFacts, ta: tuple[str, ...], tb: tuple[str, ...], frequencies: NameFrequencies
) -> tuple[list[Reason], bool]:
    """The name's reasons, and whether the names are alike (the same, or a typo apart): inside an
    organization or a company domain, alike names are strong evidence."""
    if not ta or not tb:
        return [_rule("name", "no name to compare on one profile", "no_name")], False
    shown = f"'{a.name.strip()}' / '{b.name.strip()}'"
    if _glued(ta, tb) or _glued(tb, ta):
        return [_rule("name", f"same name written as one word {shown}", "name_same")], True
    ua, ub = _unify_given_names(ta, tb)
    if len(ua) == 1 or len(ub) == 1:
        # A messaging profile often has the first name only.
        if (
            _given_names_match(ua[0], ub[0], frequencies)
            or (len(ua) == 1 and ua[0] in ub)
            or (len(ub) == 1 and ub[0] in ua)
        ):
            weight, rarity_note = WEIGHTS["first_name_only"], ""
            if frequencies.known:
                share = frequencies.share(ua[0] if len(ua) == 1 else ub[0])
                weight, rarity_note = rarity.first_name_points(share), f" — {rarity.how_common_first_name(share)}"
            return [Reason("name", f"first name matches {shown}{rarity_note}", weight, "first_name_only")], False
        return [_rule("contradiction", f"different first names {shown}", "different_first_names")], False
    similarity = _name_similarity(ua, ub)
    swapped = sorted(ua) == sorted(ub) and ua != ub
    reasons, alike = [], False
    if not swapped and _surnames_differ(ua, ub):
        # María del Carmen Delgado / María del Carmen Álvarez: a long shared given name is not the same person.
        reasons.append(_rule("contradiction", f"different surnames {shown}", "different_surnames"))
    elif similarity >= 99.5 or swapped:
        same = _same_name_evidence(ua, ub, frequencies)
        how = " (first and last names swapped)" if swapped else " (nickname)" if ua[0] != ta[0] else ""
        reasons.append(Reason("name", f"same name {shown}{how}{same.note}", same.points, "name_same"))
        alike = True
    elif similarity >= NAME_ALIKE:
        same = _same_name_evidence(ua, ub, frequencies)
        points = same.points - rarity.ALIKE_DISCOUNT if frequencies.known else WEIGHTS["name_alike"]
        reasons.append(Reason("name", f"names {shown} {similarity / 100:.2f} alike{same.note}", points, "name_alike"))
        alike = True
    elif similarity >= NAME_SIMILAR:
        same = _same_name_evidence(ua, ub, frequencies)
        points = same.points - rarity.SIMILAR_DISCOUNT if frequencies.known else WEIGHTS["name_similar"]
        reasons.append(
            Reason("name", f"names {shown} {similarity / 100:.2f} similar{same.note}", max(0, points), "name_similar")
        )
    if (
        not swapped
        and not _given_names_match(ua[0], ub[0], frequencies)
        and not _given_names_match(ua[0], ub[-1], frequencies)
    ):
        reasons.append(_rule("contradiction", f"different first names {shown}", "different_first_names"))
        alike = False
    return reasons, alike


def _name_similarity(ua: tuple[str, ...], ub: tuple[str, ...]) -> float:
    """0-100: the best of word-order-blind, typo-tolerant and dropped-middle-name similarities."""
    if ua == ub:  # the same words in the same order, the commonest case in a name block: nothing to measure
        return 100
    a, b = " ".join(ua), " ".join(ub)
    return max(
        fuzz.token_sort_ratio(a, b),
        JaroWinkler.normalized_similarity(a, b) * 100,
        # A dropped middle name: every word of the shorter name is in the longer one.
        fuzz.token_set_ratio(a, b) if min(len(ua), len(ub)) >= 2 else 0,
    )


@dataclass(frozen=True, slots=True)
class _NameEvidence:
    points: int
    note: str  # how rare the name is, for the reason's text ("" without counts)


def _same_name_evidence(ua: tuple[str, ...], ub: tuple[str, ...], frequencies: NameFrequencies) -> _NameEvidence:
    """What the same name is worth, by the rarity of the words the two names share (a typo apart at most)."""
    if not frequencies.known:
        return _NameEvidence(WEIGHTS["name_same"], "")
    if sorted(ua) == sorted(ub):  # the same words: no typo to look for
        expected = frequencies.namesakes(ua)
        exactly = frequencies.named_exactly(ua, held_by_pair=True)
    else:
        shorter, others = (ua, ub) if len(ua) <= len(ub) else (ub, ua)
        words = tuple(word for word in shorter if any(_same_word(word, other) for other in others)) or shorter
        expected = frequencies.namesakes(words, others)
        exactly = frequencies.named_exactly(words)
    if exactly >= 2:
        note = f" — {exactly:,} of {frequencies.profiles:,} profiles are named so"
    else:
        note = f" — {rarity.how_common(expected)}"
    return _NameEvidence(rarity.same_name_points(expected), note)


def _surnames_differ(ua: tuple[str, ...], ub: tuple[str, ...]) -> bool:
    """Neither last name appears, even with a typo or as an initial, anywhere in the other name."""
    return not any(_same_word(ua[-1], word) for word in ub) and not any(_same_word(ub[-1], word) for word in ua)


def _same_word(x: str, y: str) -> bool:
    if len(x) == 1 or len(y) == 1:  # an initial: "Felipe T."
        return x[0] == y[0]
    return x == y or (min(len(x), len(y)) >= 4 and OSA.distance(x, y) <= 1)


def _glued(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """A username-like name: "robertoblanco" or "danielapereira86" for Roberto Blanco / Daniela Pereira."""
    if len(one) != 1 or len(other) < 2:
        return False
    word = one[0].rstrip("0123456789_")
    return word in ("".join(other), "".join(reversed(other)), other[0] + other[-1])


def _unify_given_names(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write a nickname like the other side's formal name (Bob Smith / Robert Smith → robert smith twice)."""
    if ta[0] != tb[0] and not _gendered_pair(*sorted((ta[0], tb[0]), key=len)) and same_given_name(ta[0], tb[0]):
        return (tb[0], *ta[1:]), tb
    return ta, tb


def _given_names_match(x: str, y: str, frequencies: NameFrequencies = NO_FREQUENCIES) -> bool:
    """Same given name: equal, a nickname (also a short form like Vini/Vinícius), an initial, or a typo —
    but never a masculine/feminine pair (Gabriel/Gabriela, Mario/Maria), which are two names, nor two
    spellings that are both established names in this desk (Diego/Diogo: a typo is a rare spelling, held by
    few profiles and by a small share of those with the name)."""
    if x == y:
        return True
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    short, long = sorted((x, y), key=len)
    if _gendered_pair(short, long):  # before nicknames: Gabriel and Gabriela are both "Gabi"
        return False
    if same_given_name(x, y):
        return True
    if 3 <= len(short) <= 4 and len(long) >= len(short) + 2 and long.startswith(short):
        return True
    typos = OSA.distance(x, y)  # a swap of two letters counts as one typo
    if not ((len(short) >= 3 and typos <= 1) or (len(short) >= 7 and typos <= 2)):
        return False
    rarer, commoner = sorted((frequencies.tokens.get(x, 0), frequencies.tokens.get(y, 0)))
    return rarer < ESTABLISHED_NAME or rarer < TYPO_SHARE_OF_NAME * commoner


def _gendered_pair(short: str, long: str) -> bool:
    """Gabriel/Gabriela, Mario/Maria, Paulo/Paula: the masculine and feminine forms of a Romance name."""
    if long in (short + "a", short + "le", short + "la"):  # Gabriela, Danielle, Micaela-like feminine endings
        return True
    return len(short) == len(long) and short[:-1] == long[:-1] and {short[-1], long[-1]} <= {"a", "o", "e"}


def _context_reasons(
    a: ProfileFacts, b: ProfileFacts, fa: _Features, fb: _Features, *, names_alike: bool
) -> Iterator[Reason]:
    """Organizations and company email domains: populations small enough that alike names there say a lot."""
    population_match = False
    if set(a.organization_ids) & set(b.organization_ids):
        if names_alike:
            population_match = True
            yield _rule("organization", "alike names inside one organization", "alike_names_in_population")
        else:
            yield _rule("organization", "both in the same organization", "organization")
    elif a.organization_ids and b.organization_ids:
        yield _rule("contradiction", "in different organizations", "different_organizations")
    for domain in sorted(fa.corporate_domains & fb.corporate_domains):
        if names_alike and not population_match:
            yield _rule("domain", f"alike names at @{domain}", "alike_names_in_population")
        else:
            yield _rule("domain", f"both write from @{domain}", "domain")
        verified_a, verified_b = fa.verified_by_domain.get(domain), fb.verified_by_domain.get(domain)
        # Colleagues: two different verified mailboxes at one company, and names that are not alike
        # (alike names there are more often one person's aliases: ana.souza@ and asouza@).
        if verified_a and verified_b and not verified_a & verified_b and not names_alike:
            yield _rule("contradiction", f"different verified addresses at @{domain}", "different_verified_emails")
        break
