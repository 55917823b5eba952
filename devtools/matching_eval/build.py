"""Customers, their contact points and the profiles (drafts) that show them.

`Builder` hands out every contact point through one registry, so two different
people never share a line, a mailbox, an external id or a handle by accident,
and no two profiles ever hold the same (kind, normalized) identity — as in the
real database. The scenarios (`scenarios.py`) only decide *which* of a
customer's points each profile shows and how it is written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from devtools.matching_eval import names, phones, words
from devtools.matching_eval.names import Person
from devtools.matching_eval.phones import Line
from devtools.matching_eval.words import Company
from profiles.errors import InvalidIdentity
from profiles.identities import IdentityKind, normalize, phone_variants

HANDLE_NETWORKS = ("instagram", "telegram", "x")


@dataclass
class Customer:
    """One human being and the contact points they own."""

    number: int
    person: Person
    line: Line | None = None
    mailbox: str | None = None  # the personal address, as they write it
    other_mailbox: str | None = None  # a second personal address
    company: Company | None = None
    work_email: str | None = None
    external_id: str | None = None  # canonical form: 'CUST-004512'
    handle: str | None = None  # a username valid on every network in HANDLE_NETWORKS


@dataclass
class Draft:
    """A profile being built: what one customer record in the help desk shows."""

    customer: Customer
    name: str
    emails: list[tuple[str, bool]] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    whatsapp: list[str] = field(default_factory=list)
    handles: dict[str, list[str]] = field(default_factory=dict)
    organizations: list[str] = field(default_factory=list)
    external_id: str | None = None
    variations: list[str] = field(default_factory=list)
    keys: set[tuple[str, str]] = field(default_factory=set)  # normalized identities, for the builders


class Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.identities: set[tuple[str, str]] = set()
        self.owners: dict[str, int] = {}  # reserved key -> customer number (lines, mailboxes, ids, handles)
        self.staff: set[tuple[str, str, str]] = set()  # (company domain, first name, last surname) in use
        self.customers = 0

    # --- customers and what they own -------------------------------------------------------------

    def customer(self, person: Person) -> Customer:
        self.customers += 1
        return Customer(self.customers, person)

    def reserve(self, key: str, customer: Customer) -> bool:
        """Give `key` to `customer`; False when someone else has it."""
        owner = self.owners.setdefault(key, customer.number)
        return owner == customer.number

    def give_line(self, customer: Customer, line: Line | None = None, *, lead: str | None = None) -> Line:
        """A line (with its other writings: the Brazilian 9, the Argentine 9) that nobody else owns."""
        while True:
            candidate = line or phones.random_line(self.rng, customer.person.country, lead=lead)
            keys = {candidate.e164} | phone_variants(candidate.e164)
            if all(self.owners.get("tel:" + key, customer.number) == customer.number for key in keys):
                for key in keys:
                    self.reserve("tel:" + key, customer)
                customer.line = candidate
                return candidate
            if line is not None:
                raise ValueError(f"{line.e164} is taken")

    def share_line(self, customer: Customer, line: Line, owner: Customer) -> None:
        """A family line: `customer` uses the line `owner` reserved."""
        assert self.owners["tel:" + line.e164] == owner.number
        customer.line = line

    def give_mailbox(self, customer: Customer, *, local: str | None = None, domain: str | None = None) -> str:
        """A personal address (free mail) whose mailbox no other person has, in any of its spellings."""
        for attempt in range(50):
            part = local if local and attempt == 0 else names.personal_local_part(self.rng, customer.person)
            if attempt >= 10:
                part += str(self.rng.randrange(10, 1000))
            provider = domain or names.weighted(self.rng, words.FREE_MAIL[customer.person.country])
            if provider == "gmail.com":
                part = part.replace("_", ".")  # Gmail addresses hold letters, digits and dots only
            if self.reserve("box:" + mailbox_key(part), customer):
                return f"{part}@{provider}"
        raise RuntimeError("no free mailbox")  # pragma: no cover

    def join(self, customer: Customer, company: Company) -> bool:
        """Put `customer` on `company`'s staff unless a colleague already has their first name and surname."""
        person = customer.person
        firsts = {names.slug(person.first)} | {names.slug(n) for n in person.nicknames()}
        keys = {(company.domain, first, names.slug(surname)) for first in firsts for surname in person.surnames}
        keys |= {(company.domain, first, names.slug(person.last)) for first in firsts}
        if keys & self.staff:
            return False
        self.staff |= keys
        customer.company = company
        # The company's pattern first; where a colleague has that address ('ana@'), the next free one.
        first_last = names.local_part(self.rng, person, "first.last")
        candidates = [names.local_part(self.rng, person, company.email_pattern), first_last]
        candidates += [f"{first_last}{n}" for n in range(2, 100)]
        for local in candidates:
            if local and self.reserve(f"work:{local}@{company.domain}", customer):
                customer.work_email = f"{local}@{company.domain}"
                return True
        raise RuntimeError(f"no free address at {company.domain}")  # pragma: no cover

    def give_external_id(self, customer: Customer) -> str:
        """The customer number of the desk's own records, canonical form 'CUST-004512'."""
        while True:
            external = f"{self.rng.choice(words.EXTERNAL_ID_PREFIXES)}-{self.rng.randrange(1, 10**6):06d}"
            if self.reserve_external_id(external, customer):
                customer.external_id = external
                return external

    def give_system_id(self, customer: Customer, system: tuple[str, str, int]) -> str:
        """The id one source system (see `words.SOURCE_SYSTEMS`) gave its record of `customer`: 'SHOP-88123'."""
        prefix, separator, digits = system
        while True:
            external = f"{prefix}{separator}{self.rng.randrange(1, 10**digits):0{digits}d}"
            if self.reserve_external_id(external, customer):
                return external

    def reserve_external_id(self, external: str, customer: Customer) -> bool:
        """Give `external` to `customer` unless someone has it in any writing, leading zeros included."""
        keys = ["ext:" + external_key(external), "ext#:" + external_number_key(external)]
        if any(self.owners.get(key, customer.number) != customer.number for key in keys):
            return False
        for key in keys:
            self.reserve(key, customer)
        return True

    def give_handle(self, customer: Customer) -> str:
        first, last = names.slug(customer.person.first), names.slug(customer.person.last)
        for _ in range(50):
            handle = self.rng.choice((f"{first}_{last}", f"{first}{last}", f"{first[0]}{last}", f"{last}_{first}"))
            handle = handle[:11] + str(self.rng.randrange(1, 1000)) if self.rng.random() < 0.7 else handle[:15]
            if len(handle) >= 5 and self.reserve("handle:" + handle, customer):
                customer.handle = handle
                return handle
        raise RuntimeError("no free handle")  # pragma: no cover

    # --- drafts --------------------------------------------------------------------------------

    def claim(self, draft: Draft, kind: str, value: str) -> bool:
        """Record `value` as a `kind` identity of `draft` unless some profile already holds its key."""
        try:
            key = normalize(kind, value)
        except InvalidIdentity as error:  # a bug in the generator, never a data problem
            raise AssertionError(str(error)) from None
        if (kind, key) in self.identities:
            return False
        self.identities.add((kind, key))
        draft.keys.add((kind, key))
        return True

    def add_email(self, draft: Draft, address: str, *, verified: bool | None = None) -> bool:
        if not self.claim(draft, IdentityKind.EMAIL, address):
            return False
        draft.emails.append((address, self.rng.random() < 0.5 if verified is None else verified))
        return True

    def add_number(self, draft: Draft, kind: str, line: Line, style: str) -> bool:
        """`line` on `draft` as a phone or WhatsApp identity, written in `style`."""
        text = phones.write(self.rng, line, style)
        if not self.claim(draft, kind, text):
            return False
        (draft.phones if kind == IdentityKind.PHONE else draft.whatsapp).append(text)
        return True

    def add_handle(self, draft: Draft, network: str, handle: str) -> bool:
        text = written_handle(self.rng, network, handle)
        if not self.claim(draft, network, text):
            return False
        draft.handles.setdefault(network, []).append(text)
        return True

    def add_company(self, draft: Draft, company: Company) -> None:
        draft.organizations.append(company.name)

    def holds(self, draft: Draft, kind: str, line: Line) -> bool:
        return (kind, line.e164) in draft.keys


def mailbox_key(local: str) -> str:
    """What makes two personal addresses look like one mailbox: the local part without dots, _ or a +tag."""
    return local.lower().split("+")[0].replace(".", "").replace("_", "")


def external_key(external_id: str) -> str:
    return "".join(ch for ch in external_id.lower() if ch.isalnum())


def external_number_key(external_id: str) -> str:
    """'CRM-0042' and 'crm000042' -> 'crm42': two ids no system should hand to two different people."""
    key = external_key(external_id)
    letters = "".join(ch for ch in key if not ch.isdigit())
    digits = "".join(ch for ch in key if ch.isdigit())
    return f"{letters}{int(digits) if digits else ''}"


def written_external_id(rng: random.Random, canonical: str) -> str:
    """'CUST-004512' as another system stores it: 'cust004512', 'CUST004512', 'cust-004512', …"""
    prefix, digits = canonical.split("-")
    forms = [
        canonical,
        f"{prefix.lower()}{digits}",
        f"{prefix}{digits}",
        f"{prefix.lower()}-{digits}",
        f"{prefix.capitalize()}-{digits}",
        f"{prefix}_{digits}",
        f"{prefix} {digits}",
    ]
    return rng.choice(forms)


def written_handle(rng: random.Random, network: str, handle: str) -> str:
    """A handle as people paste it: bare, with an @, as a profile link, sometimes with capitals."""
    roll = rng.random()
    if roll < 0.45:
        return handle
    if roll < 0.75:
        return "@" + handle
    if roll < 0.9:
        site = {"instagram": "https://instagram.com/", "telegram": "t.me/", "x": "https://x.com/"}[network]
        return site + handle
    return handle.capitalize()
