"""Believable demo rows for zdusers, generated as plain tuples (no database access here).

`DemoData(users=N, seed=S, now=..., first_ids=...)` builds organizations and their
domains up front and then yields end users, identities, memberships and contacts
in chunks (`DemoData.chunks()`), each row a tuple in the order of the matching
`*_COLUMNS` constant, so the loader can COPY or bulk_create them as they are.

Guarantees, for any N >= 1 (tests/profiles/test_seed_demo.py checks them):

- Deterministic: the same seed, N and first ids give the same rows; timestamps are
  relative to `now` (profiles and contacts spread over the two years before it).
- Every identity's `normalized` equals `profiles.identities.normalize(kind, value)`;
  phone and WhatsApp values carry a country code, so they need no default region.
- (kind, normalized) is unique, also against rows of an earlier run: phone numbers,
  SDK/LINE ids, external ids ("crm-<pk>") and source refs ("<prefix>-<pk>") are
  derived bijectively from primary keys; emails and handles end in the profile's
  pk unless (only on a database without end users, `fresh=True`) the plain form is
  still free in this run.
- The first identity of each kind of a profile is its primary one; every profile
  with memberships has exactly one default; a contact's channel matches the kind of
  its identity and its organization is the requester's default organization.

Duplicates: about 5% of the profiles are a second profile of an earlier person,
created later (as multi-channel support really produces them), in rotation:

1. phone vs WhatsApp: the first profile has a phone number, the second one has the
   very same number as its WhatsApp identity (the same number twice as phone
   would break the unique key) and the name as WhatsApp shows it;
2. email, then phone: the first profile has only email addresses, the second one
   only a phone/WhatsApp number;
3. second email: the second profile has another email address (free mail);
4. name typo: "Jon Smith"/"John Smith", "Joao"/"João", swapped first and last
   name; another email and the same default organization.
The second profile's name is the same or a variant (accent dropped, typo, swapped,
lower case, short form) of the first one's.
"""

from __future__ import annotations

import heapq
import json
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from devtools import demo_words as words
from devtools.demo_phones import PHONE_PLANS, PhonePlan
from devtools.demo_words import LOCAL_PATTERNS, Person, email_local_part, full_name, name_variant

ORGANIZATION_COLUMNS = ("id", "name", "details", "notes", "tags", "external_id", "created_at", "updated_at")
DOMAIN_COLUMNS = ("id", "organization_id", "domain", "auto_assign", "created_at")
USER_COLUMNS = (
    "id", "name", "locale", "time_zone", "details", "notes", "tags",
    "external_id", "source", "suspended", "merged_into_id", "created_at", "updated_at",
)  # fmt: skip
IDENTITY_COLUMNS = ("id", "user_id", "kind", "value", "normalized", "is_primary", "verified", "created_at")
MEMBERSHIP_COLUMNS = ("id", "user_id", "organization_id", "is_default", "created_at")
CONTACT_COLUMNS = (
    "id", "requester_id", "via_identity_id", "channel", "subject", "summary",
    "status", "organization_id", "source_ref", "created_at",
)  # fmt: skip

DUPLICATE_KINDS = ("phone_vs_whatsapp", "email_then_phone", "second_email", "name_typo")
DUPLICATE_RATE = 0.05
_DAY = 86_400
_HISTORY = 730 * _DAY
# Tags are stored as JSON text: the COPY path writes it as is, bulk_create parses it.
_USER_TAGS = ["[]"] * 14 + [json.dumps(t) for t in (["vip"], ["b2b"], ["churn-risk"], ["vip", "b2b"], ["beta"])]
_ORG_TAGS = ["[]"] * 3 + [json.dumps(t) for t in (["enterprise"], ["sla-gold"], ["b2b", "sla-gold"])]
_SOURCES = ["channel"] * 8 + ["agent"] * 5 + ["import"] * 5 + ["api"] * 2
_CHANNELS_OF_KIND = {
    "email": ["email"], "phone": ["voice", "voice", "sms"], "whatsapp": ["whatsapp"],
    "messenger": ["messenger"], "instagram": ["instagram"], "telegram": ["telegram"], "x": ["x"],
    "line": ["line"], "sdk": ["web_chat", "web_chat", "sdk"],
}  # fmt: skip
_REF_PREFIX = {
    "email": "msg", "voice": "call", "sms": "sms", "whatsapp": "wamid", "messenger": "mid", "instagram": "ig",
    "telegram": "tg", "x": "x", "line": "line", "web_chat": "chat", "sdk": "sdk", "walk_in": "visit",
}  # fmt: skip
_RECENT_STATUS = ["new"] * 3 + ["open"] * 4 + ["pending"] * 2 + ["solved"] * 3
_OLD_STATUS = ["solved"] * 11 + ["closed"] * 8 + ["pending"]


# (E.164, area, local digits, the country's plan) of a profile's phone number
Phone = tuple[str, str, str, PhonePlan]


class _DuplicatePlan(NamedTuple):
    """What the later second profile of a person needs to know about the first one."""

    kind: str
    country: words.Country
    person: Person
    name: str
    created: int
    orgs: list[int]
    phone: Phone | None


@dataclass(frozen=True)
class FirstIds:
    """The first primary key to use in each table (the loader reads them from the database)."""

    organization: int = 1
    domain: int = 1
    user: int = 1
    identity: int = 1
    membership: int = 1
    contact: int = 1


@dataclass
class DemoChunk:
    """Rows of one batch of profiles; every foreign key points into this chunk or to an organization."""

    users: list[tuple] = field(default_factory=list)
    identities: list[tuple] = field(default_factory=list)
    memberships: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)


class DemoData:
    """A generated demo data set of `users` end users; see the module docstring for what it guarantees."""

    def __init__(
        self,
        *,
        users: int,
        seed: int,
        now: datetime,
        first_ids: FirstIds | None = None,
        fresh: bool = True,
        taken_org_names: frozenset[str] = frozenset(),
        taken_domains: frozenset[str] = frozenset(),
    ) -> None:
        if users < 1:
            raise ValueError("users must be at least 1")
        self.users = users
        self.rng = random.Random(seed)
        self.now_ts = int(now.timestamp())
        self.ids = first_ids or FirstIds()
        # Plain (digit-free) emails and handles are only safe when no earlier run can hold them.
        self.fresh = fresh
        self._plain_taken: set[str] = set()
        self.organizations: list[tuple] = []
        self.domains: list[tuple] = []
        self._org_domains: dict[int, list[str]] = {}
        self._build_organizations(max(8, round(users / 30)), {n.lower() for n in taken_org_names}, set(taken_domains))

    # --- organizations --------------------------------------------------------------------------------

    def _build_organizations(self, count: int, taken_names: set[str], taken_domains: set[str]) -> None:
        rng = self.rng
        countries = list(words.COUNTRIES)
        by_country: dict[str, list[int]] = {code: [] for code in countries}
        domain_id = self.ids.domain
        for index in range(count):
            org_id = self.ids.organization + index
            # Every country gets organizations first, so every profile can work somewhere local.
            code = countries[index] if index < len(countries) else rng.choice(words.COUNTRY_BAG)
            country = words.COUNTRIES[code]
            name, domain, stem = self._organization_name(country, taken_names, taken_domains)
            created = self.now_ts - _HISTORY - rng.randrange(4 * 365 * _DAY)
            created_at = _dt(created)
            external_id = f"org-{org_id:05d}" if rng.random() < 0.4 else None
            notes = rng.choice(words.ORG_NOTES) if rng.random() < 0.2 else ""
            self.organizations.append(
                (org_id, name, "", notes, rng.choice(_ORG_TAGS), external_id, created_at, created_at)
            )
            domains = [domain]
            if rng.random() < 0.35:
                extra = rng.choice((f"{stem}.com", f"grupo{stem}.com", f"{stem}{country.tld}", f"{stem}-online.com"))
                if extra not in taken_domains:
                    taken_domains.add(extra)
                    domains.append(extra)
            for position, each in enumerate(domains):
                auto_assign = rng.random() < (0.5 if position == 0 else 0.2)
                self.domains.append((domain_id, org_id, each, auto_assign, created_at))
                domain_id += 1
            self._org_domains[org_id] = domains
            by_country[code].append(org_id)
        # A few big customers and a long tail: Zipf-like weights in creation order.
        self._orgs_by_country = {code: (ids, _cumulative(len(ids))) for code, ids in by_country.items() if ids}
        all_ids = [row[0] for row in self.organizations]
        self._all_orgs = (all_ids, _cumulative(len(all_ids)))

    def _organization_name(
        self, country: words.Country, taken_names: set[str], taken_domains: set[str]
    ) -> tuple[str, str, str]:
        """A free (name, domain, domain stem): 'Acme Logística Ltda.', 'acme-logistica.com.br', 'acme'."""
        rng = self.rng
        sectors = words.SECTORS[country.language]
        for attempt in range(200):
            stem, sector = rng.choice(words.ORG_STEMS), rng.choice(sectors)
            base = f"{stem} {sector}" if rng.random() < 0.7 else f"{sector} {stem}"
            if attempt > 20:
                base += " " + rng.choice(country.cities)
            if attempt > 100:
                base += f" {attempt}"
            slug = "-".join(words.slug(part) for part in base.split())
            domain = slug + country.tld
            if base.lower() in taken_names or domain in taken_domains:
                continue
            taken_names.add(base.lower())
            taken_domains.add(domain)
            suffix = rng.choice(country.legal_suffixes)
            name = f"{base} {suffix}" if suffix and f"{base} {suffix}".lower() not in taken_names else base
            taken_names.add(name.lower())
            return name, domain, words.slug(stem)
        raise RuntimeError("no free organization name left")  # pragma: no cover - 200 attempts with counters

    # --- profiles -------------------------------------------------------------------------------------

    def chunks(self, size: int = 20_000) -> Iterator[DemoChunk]:
        """Yield the profiles in chunks of about `size` end users, in primary-key order."""
        rng = self.rng
        n = self.users
        duplicates = min(n // 2, max(round(n * DUPLICATE_RATE), min(len(DUPLICATE_KINDS), n // 10)))
        originals = n - duplicates
        with_duplicate = set(rng.sample(range(originals), duplicates))
        self._next = {"identity": self.ids.identity, "membership": self.ids.membership, "contact": self.ids.contact}
        pending: list[tuple[int, int, _DuplicatePlan]] = []  # (due position, order, plan): later second profiles
        chunk = DemoChunk()
        made = original_index = planned = 0
        while made < n:
            pk = self.ids.user + made
            if pending and (pending[0][0] <= made or original_index == originals):
                self._duplicate(chunk, pk, heapq.heappop(pending)[2])
            else:
                kind = None
                if original_index in with_duplicate:
                    kind = DUPLICATE_KINDS[planned % len(DUPLICATE_KINDS)]
                plan = self._original(chunk, pk, kind)
                if plan is not None:
                    heapq.heappush(pending, (made + 1 + rng.randrange(60), planned, plan))
                    planned += 1
                original_index += 1
            made += 1
            if len(chunk.users) >= size:
                yield chunk
                chunk = DemoChunk()
        if chunk.users:
            yield chunk

    def _person(self, country: words.Country) -> Person:
        rng = self.rng
        names = words.NAMES[country.language if rng.random() < country.native_names else "es"]
        given_pool = names.female if rng.random() < 0.5 else names.male
        given = (rng.choice(given_pool),) if rng.random() >= names.two_given else rng.sample(given_pool, 2)
        surnames = (rng.choice(names.surnames),)
        if rng.random() < country.two_surnames:
            surnames = (surnames[0], rng.choice(names.surnames))
        return tuple(given), surnames, names.email_surname

    def _original(self, chunk: DemoChunk, pk: int, duplicate: str | None) -> _DuplicatePlan | None:
        """Append one profile; when `duplicate` is set, return the plan of its later second profile."""
        rng = self.rng
        code = rng.choice(words.COUNTRY_BAG)
        country = words.COUNTRIES[code]
        person = self._person(country)
        name = full_name(person)
        if rng.random() < 0.03:
            name = name.lower()  # as typed in a chat window
        created = self.now_ts - rng.randrange(_HISTORY)
        orgs = self._pick_orgs(code)
        # What the duplicate scenario needs the first profile to have (or not to have).
        only_email = duplicate == "email_then_phone"
        needs_phone = duplicate == "phone_vs_whatsapp"
        identities, phone = self._identities(
            chunk, pk, country, person, created, orgs, only_email=only_email, needs_phone=needs_phone
        )
        self._profile_rows(chunk, pk, name, country, created, orgs, identities)
        if duplicate is None:
            return None
        return _DuplicatePlan(duplicate, country, person, name, created, orgs[:1], phone)

    def _duplicate(self, chunk: DemoChunk, pk: int, plan: _DuplicatePlan) -> None:
        rng = self.rng
        kind, country, person = plan.kind, plan.country, plan.person
        created = plan.created + rng.randrange(max(1, self.now_ts - plan.created))
        name = name_variant(rng, person, plan.name, typo=kind == "name_typo")
        orgs = plan.orgs if kind in ("second_email", "name_typo") or rng.random() < 0.3 else []
        new = _Identities(self, chunk, pk, created)
        if kind == "phone_vs_whatsapp" and plan.phone:
            e164, area, local, phones = plan.phone
            new.add("whatsapp", phones.whatsapp(rng, e164, area, local), e164)
        elif kind == "email_then_phone":
            self._phone_identities(new, country, both=rng.random() < 0.5, whatsapp_only=rng.random() < 0.5)
        else:
            self._free_email(new, pk, country, person)
        self._profile_rows(chunk, pk, name, country, created, orgs, new.rows, source="channel")

    def _pick_orgs(self, code: str) -> list[int]:
        rng = self.rng
        r = rng.random()
        if r >= 0.70:
            return []
        ids, weights = self._orgs_by_country[code] if rng.random() < 0.85 else self._all_orgs
        first = ids[bisect(weights, rng.random() * weights[-1])]
        if r < 0.60:
            return [first]
        ids, weights = self._all_orgs
        second = ids[bisect(weights, rng.random() * weights[-1])]
        return [first] if second == first else [first, second]

    def _identities(
        self,
        chunk: DemoChunk,
        pk: int,
        country: words.Country,
        person: Person,
        created: int,
        orgs: list[int],
        *,
        only_email: bool,
        needs_phone: bool,
    ) -> tuple[list[tuple[int, str]], Phone | None]:
        """Add a profile's identities; return them as (pk, kind) and its phone number, if it has one."""
        rng = self.rng
        add = _Identities(self, chunk, pk, created)
        work = bool(orgs) and rng.random() < 0.6
        if work:
            domains = self._org_domains[orgs[0]]
            domain = domains[0] if len(domains) == 1 or rng.random() < 0.7 else domains[1]
            # Companies give people their plain name when it is free.
            self._email(add, pk, email_local_part(person, rng.randrange(4)), domain, plain_chance=1.0)
        if (not work and rng.random() < 0.88) or (work and rng.random() < 0.2) or (only_email and not work):
            self._free_email(add, pk, country, person)
        phone = None
        if not only_email:
            wants_phone = needs_phone or rng.random() < country.phone_rate
            wants_whatsapp = not needs_phone and rng.random() < country.whatsapp_rate
            if wants_phone or wants_whatsapp:
                phone = self._phone_identities(
                    add, country, both=wants_phone and wants_whatsapp, whatsapp_only=not wants_phone
                )
            self._handles(add, pk, person)
        if not add.rows and rng.random() < 0.7:
            self._free_email(add, pk, country, person)  # walk-ins aside, people leave an address
        return add.rows, phone

    def _free_email(self, add: _Identities, pk: int, country: words.Country, person: Person) -> None:
        rng = self.rng
        pattern = rng.randrange(len(LOCAL_PATTERNS))
        # A bare first name is always taken at a free-mail provider.
        plain_chance = 0.0 if pattern == len(LOCAL_PATTERNS) - 1 else 0.5
        self._email(
            add, pk, email_local_part(person, pattern), rng.choice(country.free_mail), plain_chance=plain_chance
        )

    def _email(self, add: _Identities, pk: int, local: str, domain: str, *, plain_chance: float) -> None:
        rng = self.rng
        address = f"{local}@{domain}"
        if self.fresh and address not in self._plain_taken and rng.random() < plain_chance:
            self._plain_taken.add(address)
        else:
            address = f"{local}{pk}@{domain}"  # names hold no digits, so the pk suffix makes it unique
        value = address.title() if rng.random() < 0.08 else address
        add.add("email", value, address)

    def _phone_identities(self, add: _Identities, country: words.Country, *, both: bool, whatsapp_only: bool) -> Phone:
        """Add a phone and/or WhatsApp identity; the number is derived from the owning identity's pk."""
        rng = self.rng
        plan = PHONE_PLANS[country.code]
        owner = add.next_pk()
        e164, area, local = plan.number(owner)
        if not whatsapp_only:
            add.add("phone", plan.written(rng, area, local), e164)
        if whatsapp_only or (both and rng.random() < 0.75):
            add.add("whatsapp", plan.whatsapp(rng, e164, area, local), e164)
        elif both:
            e164_2, area_2, local_2 = plan.number(add.next_pk())  # WhatsApp on another number
            add.add("whatsapp", plan.whatsapp(rng, e164_2, area_2, local_2), e164_2)
        return e164, area, local, plan

    def _handles(self, add: _Identities, pk: int, person: Person) -> None:
        rng = self.rng
        f, last = words.slug(person[0][0]), words.slug(person[1][person[2]])
        if rng.random() < 0.08:
            handle = self._handle("instagram", rng.choice((f"{f}.{last}", f"{f}_{last}", f"{f}{last}")), pk)
            shown = rng.choice((handle.title(), handle, handle, handle))
            value = rng.choice((f"@{shown}", shown, f"instagram.com/{shown}", f"https://www.instagram.com/{shown}/"))
            add.add("instagram", value, handle)
        if rng.random() < 0.06:
            handle = self._handle("messenger", f"{f}.{last}", pk, sep=".")
            add.add("messenger", rng.choice((handle, f"m.me/{handle}", f"https://m.me/{handle}")), handle)
        if rng.random() < 0.04:
            handle = self._handle("telegram", rng.choice((f"{f}_{last}", f"{f}{last}")), pk)
            add.add("telegram", rng.choice((f"@{handle}", f"t.me/{handle}")), handle)
        if rng.random() < 0.02:
            handle = self._handle("x", f"{f}_{last}", pk)
            add.add("x", f"@{handle}", handle)
        if rng.random() < 0.003:
            line_id = f"U{(add.next_pk() * 0x9E3779B97F4A7C15F39CC0605CEDC835) % (1 << 128):032x}"
            add.add("line", line_id, line_id)
        if rng.random() < 0.10:
            sdk_id = f"visitor-{(add.next_pk() * 0x9E3779B97F4A7C15) % (1 << 64):016x}"
            add.add("sdk", sdk_id, sdk_id)

    def _handle(self, kind: str, plain: str, pk: int, sep: str = "") -> str:
        key = f"{kind}:{plain}"
        if self.fresh and self.rng.random() < 0.5 and key not in self._plain_taken:
            self._plain_taken.add(key)
            return plain
        return f"{plain}{sep}{pk}"

    def _profile_rows(
        self,
        chunk: DemoChunk,
        pk: int,
        name: str,
        country: words.Country,
        created: int,
        orgs: list[int],
        identities: list[tuple[int, str]],
        source: str | None = None,
    ) -> None:
        """Append the end user, memberships and contacts rows of one profile."""
        rng = self.rng
        counter = self._next
        created_at = _dt(created)
        for position, org_id in enumerate(orgs):
            chunk.memberships.append((counter["membership"], pk, org_id, position == 0, created_at))
            counter["membership"] += 1
        default_org = orgs[0] if orgs else None
        r = rng.random()
        if r < 0.10:
            count = 0
        elif r < 0.985:
            count = 1 + int(rng.expovariate(1 / 2.2))
        else:
            count = 20 + rng.randrange(40)  # the few customers who write every week
        subjects = words.SUBJECTS[country.language]
        last = created
        now = self.now_ts
        for _ in range(count):
            contact_pk = counter["contact"]
            counter["contact"] += 1
            if identities and rng.random() < 0.96:
                identity_pk, kind = rng.choice(identities)
                channel = rng.choice(_CHANNELS_OF_KIND[kind])
            else:
                identity_pk, channel = None, rng.choice(("walk_in", "voice", "other"))
            when = created + rng.randrange(max(1, now - created))
            last = max(last, when)
            status = rng.choice(_RECENT_STATUS if now - when < 14 * _DAY else _OLD_STATUS)
            # Contacts an agent logs by hand (calls, visits) have no connector message id.
            manual = channel in ("walk_in", "other") or (channel == "voice" and rng.random() < 0.6)
            source_ref = None if manual else f"{_REF_PREFIX[channel]}-{contact_pk}"
            subject = rng.choice(subjects)
            if "{n}" in subject:
                subject = subject.replace("{n}", str(10_000 + rng.randrange(990_000)))
            chunk.contacts.append(
                (contact_pk, pk, identity_pk, channel, subject, "", status, default_org, source_ref, _dt(when))
            )
        external_id = f"crm-{pk:06d}" if source is None and rng.random() < 0.3 else None
        notes = rng.choice(words.USER_NOTES[country.language]) if rng.random() < 0.05 else ""
        chunk.users.append((
            pk, name, rng.choice(country.locales), rng.choice(country.time_zones), "", notes,
            rng.choice(_USER_TAGS), external_id, source or rng.choice(_SOURCES), rng.random() < 0.01, None,
            created_at, _dt(last),
        ))  # fmt: skip


class _Identities:
    """Collects the identity rows of one profile; its first identity of each kind is the primary one."""

    __slots__ = ("chunk", "counter", "created", "kinds", "now", "rng", "rows", "user_pk")

    def __init__(self, data: DemoData, chunk: DemoChunk, user_pk: int, created: int) -> None:
        self.chunk, self.user_pk, self.created = chunk, user_pk, created
        self.rng, self.now, self.counter = data.rng, data.now_ts, data._next
        self.rows: list[tuple[int, str]] = []  # (pk, kind), what contacts need
        self.kinds: set[str] = set()

    def next_pk(self) -> int:
        """The pk the next identity will get; numbers and ids are derived from it."""
        return self.counter["identity"]

    def add(self, kind: str, value: str, normalized: str) -> None:
        pk = self.counter["identity"]
        self.counter["identity"] += 1
        primary = kind not in self.kinds
        self.kinds.add(kind)
        # Later contact points were added some time after the profile was created.
        when = self.created if primary else self.created + self.rng.randrange(max(1, self.now - self.created))
        verified = self.rng.random() < (0.6 if kind == "email" else 0.3)
        self.chunk.identities.append((pk, self.user_pk, kind, value, normalized, primary, verified, _dt(when)))
        self.rows.append((pk, kind))


def _dt(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _cumulative(count: int) -> list[float]:
    total, weights = 0.0, []
    for rank in range(count):
        total += 1 / (rank + 1) ** 0.8
        weights.append(total)
    return weights
