"""A believable stream of inbound contacts for demos and tests (`manage.py simulate_inbound`).

`simulated_deliveries()` yields what channel connectors would post, in a mix:
returning customers writing from a contact point the desk knows, known email
addresses written with other capitals, WhatsApp and phone calls from new
numbers (some callers give an email that is already on another profile — a
duplicate signal), new email addresses (some at organization domains that
auto-assign), new social handles and web-chat visitors, and redeliveries of a
message already sent (connectors retry). The same seed gives the same mix; the
message ids include a per-run token, so every run delivers new messages.

No database access here except `known_contact_points()` and
`auto_assign_domains()`, which read what the stream can refer to.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from devtools import demo_words as words
from devtools.demo_phones import PHONE_PLANS
from organizations.models import OrganizationDomain
from profiles.identities import PHONE_KINDS, IdentityKind
from profiles.models import Identity

# (scenario, weight): what share of the stream each kind of delivery is.
SCENARIOS = (
    ("returning", 35),
    ("known_email", 15),
    ("new_number", 15),
    ("new_number_known_email", 7),
    ("new_email", 12),
    ("new_handle", 11),
    ("redelivery", 5),
)
_NEEDS_KNOWN = {"returning": "any", "known_email": "email", "new_number_known_email": "email"}
_CHANNELS_OF_KIND = {
    IdentityKind.EMAIL: ("email",),
    IdentityKind.PHONE: ("voice", "voice", "sms"),
    IdentityKind.WHATSAPP: ("whatsapp",),
    IdentityKind.MESSENGER: ("messenger",),
    IdentityKind.INSTAGRAM: ("instagram",),
    IdentityKind.X: ("x",),
    IdentityKind.TELEGRAM: ("telegram",),
    IdentityKind.LINE: ("line",),
    IdentityKind.SDK: ("web_chat", "web_chat", "sdk"),
}
_REF_PREFIX = {
    "email": "msg", "voice": "call", "sms": "sms", "whatsapp": "wamid", "messenger": "mid", "instagram": "ig",
    "x": "x", "telegram": "tg", "line": "line", "web_chat": "chat", "sdk": "sdk", "other": "other",
}  # fmt: skip
_GREETINGS = {
    "pt": ("Olá, tudo bem?", "Bom dia!", "Oi, preciso de ajuda."),
    "es": ("Hola, ¿qué tal?", "Buenos días.", "Hola, necesito ayuda."),
    "en": ("Hi there,", "Hello,", "Hey, I need some help."),
}
# Keys far above any demo identity's primary key, so new numbers and handles rarely exist already.
_NEW_KEYS_FROM = 3_000_000_000


@dataclass(frozen=True)
class KnownContactPoint:
    kind: str
    value: str
    normalized: str


@dataclass(frozen=True)
class Delivery:
    """One message as a connector would post it; the arguments of `record_contact()` plus its scenario."""

    scenario: str
    channel: str
    contact_point: str
    source_ref: str
    subject: str
    summary: str
    name: str | None = None
    identities: tuple[tuple[str, str], ...] = field(default=())

    def arguments(self) -> dict:
        return {
            "channel": self.channel,
            "contact_point": self.contact_point,
            "source_ref": self.source_ref,
            "subject": self.subject,
            "summary": self.summary,
            "name": self.name,
            "identities": self.identities,
        }


def known_contact_points(rng: random.Random, size: int) -> list[KnownContactPoint]:
    """About `size` identities spread over the whole table (one indexed query, whatever its size)."""
    kinds = list(_CHANNELS_OF_KIND)
    bounds = Identity.objects.filter(kind__in=kinds).order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None:
        return []
    if last - first < size * 4:
        rows = Identity.objects.filter(kind__in=kinds).order_by("pk")[: size * 4]
    else:
        rows = Identity.objects.filter(kind__in=kinds, pk__in=[rng.randint(first, last) for _ in range(size)])
    found = [KnownContactPoint(i.kind, i.value, i.normalized) for i in rows.only("kind", "value", "normalized")]
    found.sort(key=lambda point: (point.kind, point.normalized))  # the same seed and data give the same stream
    return found


def auto_assign_domains() -> list[str]:
    return list(
        OrganizationDomain.objects.filter(auto_assign=True).order_by("domain").values_list("domain", flat=True)[:200]
    )


def simulated_deliveries(
    *, count: int, seed: int, run: str, known: list[KnownContactPoint], org_domains: list[str]
) -> Iterator[Delivery]:
    """`count` deliveries; message ids are `<prefix>-sim-<run>-<n>`, so `run` keeps runs apart."""
    rng = random.Random(seed)
    emails = [point for point in known if point.kind == IdentityKind.EMAIL]
    names, weights = zip(*SCENARIOS, strict=True)
    sent: list[Delivery] = []
    for n in range(count):
        scenario = rng.choices(names, weights)[0]
        needs = _NEEDS_KNOWN.get(scenario)
        if (needs == "any" and not known) or (needs == "email" and not emails):
            scenario = "new_number" if rng.random() < 0.5 else "new_email"
        if scenario == "redelivery" and not sent:
            scenario = "new_handle"
        if scenario == "redelivery":
            yield replace(rng.choice(sent), scenario="redelivery")
            continue
        delivery = _delivery(rng, scenario, n, run, known, emails, org_domains)
        sent.append(delivery)
        yield delivery


def _delivery(
    rng: random.Random,
    scenario: str,
    n: int,
    run: str,
    known: list[KnownContactPoint],
    emails: list[KnownContactPoint],
    org_domains: list[str],
) -> Delivery:
    country = words.COUNTRIES[rng.choice(words.COUNTRY_BAG)]
    person = _person(rng, country)
    name, identities = None, ()
    if scenario == "returning":
        point = rng.choice(known)
        channel = rng.choice(_CHANNELS_OF_KIND[point.kind])
        contact_point = _as_written(rng, point)
    elif scenario == "known_email":
        point = rng.choice(emails)
        channel, contact_point = "email", rng.choice((point.normalized, point.value, point.normalized.title()))
    elif scenario in ("new_number", "new_number_known_email"):
        channel = rng.choice(("whatsapp", "whatsapp", "sms", "voice"))
        e164 = PHONE_PLANS[country.code].number(_NEW_KEYS_FROM + rng.randrange(10**9))[0]
        contact_point = e164[1:] if channel == "whatsapp" else e164  # WhatsApp ids are bare digits
        name = words.full_name(person) if channel == "whatsapp" and rng.random() < 0.8 else None
        if scenario == "new_number_known_email":
            identities = (("email", rng.choice(emails).normalized),)
    elif scenario == "new_email":
        domain = rng.choice(org_domains) if org_domains and rng.random() < 0.3 else rng.choice(country.free_mail)
        local = words.email_local_part(person, rng.randrange(len(words.LOCAL_PATTERNS) - 1))
        channel, contact_point = "email", f"{local}{rng.randrange(10, 10_000)}@{domain}"
        name = words.full_name(person) if rng.random() < 0.7 else None
    else:  # new_handle
        channel = rng.choice(("instagram", "messenger", "telegram", "x", "web_chat", "web_chat"))
        suffix = rng.randrange(_NEW_KEYS_FROM)
        first, last = words.slug(person[0][0]), words.slug(person[1][-1])
        handle = f"{first}{'_' if channel in ('x', 'telegram') else '.'}{last}{suffix % 100_000}"
        contact_point = {"web_chat": f"visitor-{suffix:x}", "messenger": handle}.get(channel, f"@{handle}")
    subject = rng.choice(words.SUBJECTS[country.language]).replace("{n}", str(10_000 + rng.randrange(990_000)))
    summary = f"{rng.choice(_GREETINGS[country.language])} {subject}."
    source_ref = f"{_REF_PREFIX[channel]}-sim-{run}-{n}"
    return Delivery(scenario, channel, contact_point, source_ref, subject, summary, name, identities)


def _person(rng: random.Random, country: words.Country) -> words.Person:
    names = words.NAMES[country.language]
    given = rng.choice(names.female if rng.random() < 0.5 else names.male)
    return (given,), (rng.choice(names.surnames),), 0


def _as_written(rng: random.Random, point: KnownContactPoint) -> str:
    """A known contact point as a connector sends it: E.164 or bare digits for numbers, the handle otherwise."""
    if point.kind in PHONE_KINDS:
        return rng.choice((point.normalized, point.normalized[1:]))
    return rng.choice((point.normalized, point.value))
