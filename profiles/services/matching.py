"""Duplicate detection: blocking keys say which profiles to compare, scoring says how alike they are and why.

Pure functions over `ProfileFacts` (already-normalized contact points, no model
instances), so the full scan, the incremental check and the labeled evaluation
all run the very same code. The database side lives in services/duplicates.py.

Blocking — never all pairs. A profile gets a key for each of:

- `p:` its phone lines (phone and WhatsApp share one key space), written in one
  canonical form so Brazil's mobile 9th digit, Mexico's +52 1 and Argentina's
  +54 9 meet; digits a messaging handle embeds (WhatsApp-style ids) count too;
- `m:` its mailboxes: the address without a +tag, and for Gmail without dots;
- `l:` a distinctive email local part, whatever the domain (john.smith@…);
- `x:` its external id without case, spaces or punctuation;
- `o:` each organization and `d:` each corporate (not free-mail) email domain.
  Those blocks are populations, not evidence: inside them only pairs whose names
  are alike (rapidfuzz `process.cdist`, vectorized) are scored.

Scoring adds weighted evidence (WEIGHTS) and subtracts contradictions; the
result is clamped to 0-100 and every step is a `Reason` a reviewer can check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from django.conf import settings
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from organizations.freemail import shared_mail_kind
from profiles.db_functions import fold_in_python
from profiles.nicknames import same_given_name


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

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "weight": self.weight}


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
    "organization": 15,
    "domain": 15,
    "email_name": 15,
    "different_first_names": -40,
    "very_different_names": -30,
    "different_verified_emails": -25,
    "different_organizations": -10,
    "different_external_ids": -45,
    "conflict": 50,
}

# Name similarity (0-100, folded, nicknames unified) at or above which names are "alike" / "similar".
NAME_ALIKE = 92
NAME_SIMILAR = 85
NAME_VERY_DIFFERENT = 55
# Inside an organization or email-domain block, only pairs whose names reach this are scored.
POPULATION_NAME_CUTOFF = 80
# A key shared by more profiles than this says nothing (a family line, "info@" everywhere).
MAX_EVIDENCE_BLOCK = 50
MAX_POPULATION_BLOCK = 5000

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
_EMBEDDED_PHONE = re.compile(r"(?<!\d)(\d{11,15})(?!\d)")


def default_threshold() -> int:
    return settings.ZDUSERS_DUPLICATE_THRESHOLD


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


@lru_cache(maxsize=200_000)
def features(facts: ProfileFacts) -> _Features:
    phones = {canonical_line(e164): e164 for e164 in facts.phones}
    for _kind, handle in facts.handles:
        for digits in _EMBEDDED_PHONE.findall(handle):
            phones.setdefault(canonical_line("+" + digits), "+" + digits)
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
    )


def name_tokens(name: str) -> tuple[str, ...]:
    """Folded words of a person's name; () for names that say nothing (empty, a number, "WhatsApp user")."""
    if "@" in (name or ""):  # channels name a profile after its address when they know nothing else
        return ()
    folded = _NON_WORD.sub(" ", fold_in_python(name or "")).split()
    words = tuple(word for word in folded if not word.isdigit())
    if not words or " ".join(words) in _PLACEHOLDER_NAMES:
        return ()
    return words


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


def blocking_keys(facts: ProfileFacts) -> set[str]:
    """The keys under which `facts` meets the profiles it should be compared with."""
    found = features(facts)
    keys = {f"p:{line}" for line in found.phones}
    keys |= {f"m:{mailbox}" for mailbox in found.mailboxes}
    keys |= {f"l:{local}" for local in found.locals}
    if found.external_id:
        keys.add(f"x:{found.external_id}")
    if found.tokens:  # a population block is only useful with a name to compare
        keys |= {f"o:{organization_id}" for organization_id in facts.organization_ids}
        keys |= {f"d:{domain}" for domain in found.corporate_domains}
    return {key[:255] for key in keys}


def is_population_key(key: str) -> bool:
    return key[:2] in ("o:", "d:")


def pairs_in_block(key: str, members: Sequence[ProfileFacts]) -> Iterator[tuple[ProfileFacts, ProfileFacts]]:
    """The pairs of one block worth scoring: all of an evidence block, the alike-named ones of a population."""
    if len(members) < 2:
        return
    if not is_population_key(key):
        if len(members) <= MAX_EVIDENCE_BLOCK:
            yield from combinations(members, 2)
        return
    if len(members) > MAX_POPULATION_BLOCK:
        return
    names = [" ".join(sorted(features(member).tokens)) for member in members]
    similarity = process.cdist(
        names, names, scorer=fuzz.token_set_ratio, score_cutoff=POPULATION_NAME_CUTOFF, workers=1
    )
    rows, columns = similarity.nonzero()
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        if row < column:
            yield members[row], members[column]


def alike_names(name: str, others: dict[int, str]) -> set[int]:
    """Ids among `others` ({id: name}) whose names are alike enough to `name` to be scored (population blocks)."""
    tokens = name_tokens(name)
    if not tokens or not others:
        return set()
    ids = list(others)
    names = [" ".join(sorted(name_tokens(others[i]))) for i in ids]
    similarity = process.cdist(
        [" ".join(sorted(tokens))], names, scorer=fuzz.token_set_ratio, score_cutoff=POPULATION_NAME_CUTOFF, workers=1
    )
    return {ids[column] for column in similarity[0].nonzero()[0].tolist()}


def candidate_pairs(facts: Iterable[ProfileFacts]) -> set[tuple[int, int]]:
    """Id pairs (low, high) sharing at least one blocking key (population blocks: alike names only)."""
    blocks: dict[str, list[ProfileFacts]] = defaultdict(list)
    for profile in facts:
        for key in blocking_keys(profile):
            blocks[key].append(profile)
    pairs = set()
    for key, members in blocks.items():
        for a, b in pairs_in_block(key, members):
            pairs.add((min(a.id, b.id), max(a.id, b.id)))
    return pairs


def find_pairs(facts: Sequence[ProfileFacts], *, threshold: int | None = None) -> list[tuple[int, int, Score]]:
    """Pairs (low id, high id, score) among `facts` scoring at least `threshold`, by blocking then scoring."""
    threshold = default_threshold() if threshold is None else threshold
    by_id = {profile.id: profile for profile in facts}
    found = []
    for low, high in sorted(candidate_pairs(facts)):
        result = score(by_id[low], by_id[high])
        if result.score >= threshold:
            found.append((low, high, result))
    return found


# --- scoring -----------------------------------------------------------------------------------


def score(a: ProfileFacts, b: ProfileFacts) -> Score:
    """How likely `a` and `b` are the same customer (0-100), with the reasons and their weights.

    Symmetric; a profile compared with itself scores 0 (it is not its own duplicate).
    """
    if a.id == b.id:
        return Score(0, ())
    if a.id > b.id:
        a, b = b, a
    fa, fb = features(a), features(b)
    reasons = [
        *_contact_point_reasons(fa, fb),
        *_name_reasons(a, b, fa.tokens, fb.tokens),
        *_context_reasons(a, b, fa, fb),
    ]
    total = sum(reason.weight for reason in reasons)
    return Score(max(0, min(100, total)), tuple(reasons))


def _contact_point_reasons(fa: _Features, fb: _Features) -> Iterator[Reason]:
    for line in fa.phones.keys() & fb.phones.keys():
        phone_a, phone_b = fa.phones[line], fb.phones[line]
        if phone_a == phone_b:
            yield Reason("phone", f"same phone {phone_a}", WEIGHTS["same_phone"])
        else:
            yield Reason(
                "phone", f"{phone_a} and {phone_b} are the same line written two ways", WEIGHTS["phone_variant"]
            )
    for mailbox in fa.mailboxes.keys() & fb.mailboxes.keys():
        email_a, email_b = fa.mailboxes[mailbox], fb.mailboxes[mailbox]
        # Gmail ignores dots and +tags for certain; elsewhere a +tag is a common, not universal, convention.
        weight = WEIGHTS["same_mailbox"] if mailbox.endswith("@gmail.com") else WEIGHTS["plus_tag"]
        yield Reason("email", f"{email_a} and {email_b} reach the same mailbox", weight)
    email_name = _email_name_reason(fa, fb, already=fa.mailboxes.keys() & fb.mailboxes.keys())
    if email_name:
        yield email_name
    if fa.external_id and fb.external_id:
        if fa.external_id == fb.external_id:
            yield Reason("external_id", "external ids differ only in formatting", WEIGHTS["external_id"])
        else:
            yield Reason("contradiction", "different external ids", WEIGHTS["different_external_ids"])


def _email_name_reason(fa: _Features, fb: _Features, *, already: set[str]) -> Reason | None:
    """The same (or nearly the same) distinctive local part in two addresses not already known as one mailbox."""
    same_mailbox = {fa.mailboxes[m] for m in already} | {fb.mailboxes[m] for m in already}
    pairs = [
        (Levenshtein.normalized_similarity(x, y), address_a, address_b)
        for x, address_a in fa.locals.items()
        for y, address_b in fb.locals.items()
        if address_a not in same_mailbox and address_b not in same_mailbox
    ]
    if not pairs:
        return None
    similarity, email_a, email_b = max(pairs)
    if similarity < 0.85:
        return None
    return Reason("email_name", f"email names {email_a} / {email_b} {similarity:.2f} alike", WEIGHTS["email_name"])


def _name_reasons(a: ProfileFacts, b: ProfileFacts, ta: tuple[str, ...], tb: tuple[str, ...]) -> Iterator[Reason]:
    if not ta or not tb:
        yield Reason("name", "no name to compare on one profile", WEIGHTS["no_name"])
        return
    shown = f"'{a.name.strip()}' / '{b.name.strip()}'"
    ua, ub = _unify_given_names(ta, tb)
    if len(ua) == 1 or len(ub) == 1:
        # A messaging profile often has the first name only.
        if _given_names_match(ua[0], ub[0]) or (len(ua) == 1 and ua[0] in ub) or (len(ub) == 1 and ub[0] in ua):
            yield Reason("name", f"first name matches {shown}", WEIGHTS["first_name_only"])
        else:
            yield Reason("contradiction", f"different first names {shown}", WEIGHTS["different_first_names"])
        return
    similarity = max(
        fuzz.token_sort_ratio(" ".join(ua), " ".join(ub)),
        JaroWinkler.normalized_similarity(" ".join(ua), " ".join(ub)) * 100,
        # A dropped middle name: every word of the shorter name is in the longer one.
        fuzz.token_set_ratio(" ".join(ua), " ".join(ub)) if min(len(ua), len(ub)) >= 2 else 0,
    )
    swapped = sorted(ua) == sorted(ub) and ua != ub
    if similarity >= 99.5 or swapped:
        how = " (first and last names swapped)" if swapped else " (nickname)" if ua[0] != ta[0] else ""
        yield Reason("name", f"same name {shown}{how}", WEIGHTS["name_same"])
    elif similarity >= NAME_ALIKE:
        yield Reason("name", f"names {shown} {similarity / 100:.2f} alike", WEIGHTS["name_alike"])
    elif similarity >= NAME_SIMILAR:
        yield Reason("name", f"names {shown} {similarity / 100:.2f} similar", WEIGHTS["name_similar"])
    elif similarity < NAME_VERY_DIFFERENT:
        yield Reason("contradiction", f"very different names {shown}", WEIGHTS["very_different_names"])
    if not swapped and not _given_names_match(ua[0], ub[0]) and not _given_names_match(ua[0], ub[-1]):
        yield Reason("contradiction", f"different first names {shown}", WEIGHTS["different_first_names"])


def _unify_given_names(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write a nickname like the other side's formal name (Bob Smith / Robert Smith → robert smith twice)."""
    if ta[0] != tb[0] and same_given_name(ta[0], tb[0]):
        return (tb[0], *ta[1:]), tb
    return ta, tb


def _given_names_match(x: str, y: str) -> bool:
    """Same given name, a nickname of it, an initial, or a one-letter typo of a longer name."""
    if x == y or same_given_name(x, y):
        return True
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return min(len(x), len(y)) >= 4 and Levenshtein.distance(x, y) <= 1 and x[0] == y[0]


def _context_reasons(a: ProfileFacts, b: ProfileFacts, fa: _Features, fb: _Features) -> Iterator[Reason]:
    shared_organizations = set(a.organization_ids) & set(b.organization_ids)
    if shared_organizations:
        yield Reason("organization", "both in the same organization", WEIGHTS["organization"])
    elif a.organization_ids and b.organization_ids:
        yield Reason("contradiction", "in different organizations", WEIGHTS["different_organizations"])
    for domain in sorted(fa.corporate_domains & fb.corporate_domains):
        yield Reason("domain", f"both write from @{domain}", WEIGHTS["domain"])
        verified_a, verified_b = fa.verified_by_domain.get(domain), fb.verified_by_domain.get(domain)
        if verified_a and verified_b and not verified_a & verified_b:
            yield Reason(
                "contradiction",
                f"different verified addresses at @{domain}",
                WEIGHTS["different_verified_emails"],
            )
        break
