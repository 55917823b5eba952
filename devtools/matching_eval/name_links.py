"""Duplicates held together by little more than a name: the email and the phone profile of one person, and
one person's records imported from several systems.

`name_only`: a customer writes by email, later calls or writes on WhatsApp; nobody asks for the email, and
the two profiles share no contact point, organization or external id — only the name, written on the phone
profile as the agent typed it or as the WhatsApp push name came (the same, the first name only, a typo, no
accents, surnames swapped, a nickname). Half of these people have an all but unique full name (three words,
an unusual surname), a fifth one of the commonest names, where the name alone is no evidence at all.

`multi_system`: two or three records of one person imported from different systems (a CRM, a shop, an old
help desk …), each with its OWN external id in its system's format ('CRM-0042', 'SHOP-88123'), each later
record linked to an earlier one by the same mailbox name at another domain, by the same line (a phone in
one system, a WhatsApp in another), or by the name alone.

Variation tags (for `evaluate_matching`'s recall by variation): `link_name_only`, `link_mailbox_other_domain`,
`link_line_other_system`, how rare the name is (`rare_name`, `ordinary_name`, `common_name`) and the name
variation, as elsewhere.
"""

from __future__ import annotations

from devtools.matching_eval import names, phones, words
from devtools.matching_eval.build import Builder, Customer, Draft, mailbox_key
from devtools.matching_eval.names import Person
from devtools.matching_eval.scenarios import PHONE, WHATSAPP, Group, Scenarios

NAME_ONLY = "name_only"
MULTI_SYSTEM = "multi_system"
LINK_NAME_ONLY = "link_name_only"

# How rare the person's name is (the tag each group gets), with weights: rare full names are where a name
# alone is evidence, and they are common among the people who end up with a second profile this way.
RARITIES = [("rare_name", 50), ("ordinary_name", 30), ("common_name", 20)]
# The name on the phone profile: a WhatsApp push name, or what the agent typed on a call.
WHATSAPP_NAMES = [
    (names.FIRST_ONLY, 35),
    (names.SAME, 25),
    (names.ACCENTS, 12),
    (names.TYPO, 10),
    (names.NICKNAME, 10),
    (names.CASE, 5),
    (names.SWAPPED, 3),
]
AGENT_NAMES = [
    (names.SAME, 35),
    (names.TYPO, 20),
    (names.ACCENTS, 18),
    (names.SWAPPED, 12),
    (names.NICKNAME, 10),
    (names.MIDDLE_DROPPED, 5),
]
# How another system stores the name: capitals, 'Last, First', no accents … always keeping a word in common.
SYSTEM_NAMES = [
    (names.SAME, 25),
    (names.CASE, 15),
    (names.SWAPPED, 15),
    (names.ACCENTS, 15),
    (names.MIDDLE_DROPPED, 10),
    (names.MIDDLE_ADDED, 8),
    (names.TYPO, 8),
    (names.NICKNAME, 4),
]
# What links a later record of a multi-system group to an earlier one, with weights.
SYSTEM_LINKS = [("mailbox_other_domain", 40), ("line_other_system", 30), ("name_only", 30)]
WORK_EMAIL_RATE = 0.35  # share of name-only customers whose email profile is their work address


def person_of(s: Scenarios, rarity: str) -> Person:
    rng = s.rng
    if rarity == "common_name":
        return names.common_person(rng)
    if rarity == "rare_name":
        return names.rare_person(rng, s.country(), nicknamed=rng.random() < 0.2)
    while True:
        person = names.random_person(rng, s.country(), nicknamed=rng.random() < 0.2)
        if not names.is_rare(person):
            return person


def _first_name(s: Scenarios, person: Person, rarity: str) -> str:
    """The name on the first profile: a rare name mostly in full (that is where it is rare)."""
    if rarity == "rare_name" and s.rng.random() < 0.85:
        return person.full
    return names.base_form(s.rng, person)


def name_only_group(s: Scenarios) -> Group:
    """An email profile and a phone or WhatsApp profile of one person whose only link is the name."""
    rng, b = s.rng, s.b
    rarity = names.weighted(rng, RARITIES)
    customer = b.customer(person_of(s, rarity))
    first = Draft(customer, _first_name(s, customer.person, rarity))
    if rng.random() < WORK_EMAIL_RATE and s.employ(customer):
        assert customer.company is not None and customer.work_email is not None
        b.add_email(first, customer.work_email)
        if rng.random() < 0.75:
            b.add_company(first, customer.company)
    else:
        b.add_email(first, s.mailbox(customer))
    if rng.random() < 0.15:  # signed up on the web site: the desk's customer number, on this profile only
        first.external_id = customer.external_id or b.give_external_id(customer)
    second = Draft(customer, "")
    line = s.line(customer)
    kind = WHATSAPP if rng.random() < 0.6 else PHONE
    style = phones.whatsapp_style(rng, line) if kind == WHATSAPP else phones.natural_style(rng, line)
    b.add_number(second, kind, line, style)
    s.name_after(second, first, WHATSAPP_NAMES if kind == WHATSAPP else AGENT_NAMES)
    second.variations += [LINK_NAME_ONLY, rarity, f"written_{style}", "no_email"]
    return Group(NAME_ONLY, [first, second])


def multi_system_group(s: Scenarios, size: int) -> Group:
    """`size` records of one person from different source systems, each with its own external id."""
    rng, b = s.rng, s.b
    rarity = names.weighted(rng, RARITIES)
    customer = b.customer(person_of(s, rarity))
    if rng.random() < 0.45:
        s.employ(customer)
    systems = rng.sample(words.SOURCE_SYSTEMS, size)
    first = Draft(customer, _first_name(s, customer.person, rarity))
    work = customer.work_email if customer.work_email and rng.random() < 0.5 else None
    b.add_email(first, work or s.mailbox(customer))
    if rng.random() < 0.25:
        line = s.line(customer)
        style = phones.natural_style(rng, line)
        b.add_number(first, PHONE, line, style)
        first.variations.append(f"written_{style}")
    drafts = [first]
    for _ in systems[1:]:
        for link in (names.weighted(rng, SYSTEM_LINKS), "mailbox_other_domain", "name_only"):
            draft = _SYSTEM_LINKERS[link](s, customer, drafts)
            if draft is not None:
                break
        assert draft is not None  # the name-only record always applies
        drafts.append(draft)
    for draft, system in zip(drafts, systems, strict=True):
        draft.external_id = b.give_system_id(customer, system)
        company = customer.company
        # Not on a record that came in by name alone: the organization with the name would be evidence.
        if company and company.name not in draft.organizations and draft in _linkable(drafts):
            on_domain = any(e.endswith("@" + company.domain) for e, _ in draft.emails)
            if on_domain or rng.random() < 0.3:
                b.add_company(draft, company)
    drafts[1].variations.append(rarity)
    if any(draft.emails for draft in drafts):
        for draft in drafts:
            if not draft.emails:
                draft.variations.append("no_email")
    return Group(MULTI_SYSTEM, drafts)


def _linkable(drafts: list[Draft]) -> list[Draft]:
    """The records a later one may share a contact point with: not those that came in by name only."""
    return [draft for draft in drafts if LINK_NAME_ONLY not in draft.variations]


def _mailbox_other_domain(s: Scenarios, customer: Customer, drafts: list[Draft]) -> Draft | None:
    """'lucas.prado@hotmail.com' in the shop, 'lucas.prado@acme.com.br' in the CRM: one mailbox name, two domains."""
    rng, b = s.rng, s.b
    shown = [(draft, address) for draft in _linkable(drafts) for address, _ in draft.emails]
    if not shown:
        return None
    _, address = rng.choice(shown)
    local, domain = address.rsplit("@", 1)
    local = local.split("+")[0]
    if not b.reserve("box:" + mailbox_key(local), customer):  # a work address whose name someone has at home
        return None
    used = {e.rsplit("@", 1)[1] for d in drafts for e, _ in d.emails} | {domain, "googlemail.com"}
    domains = [provider for provider, _ in words.FREE_MAIL[customer.person.country] if provider not in used]
    company = customer.company
    at_work = company and company.domain not in used and not any(ch.isdigit() for ch in local)
    if at_work and b.reserve(f"work:{local}@{company.domain}", customer):  # the shop has it at home, the CRM at work
        domains = [company.domain] * 3 + domains
    rng.shuffle(domains)
    draft = Draft(customer, "")
    for other in domains:
        if b.add_email(draft, f"{local}@{other}"):
            break
    else:
        return None
    s.name_after(draft, drafts[0], SYSTEM_NAMES)
    draft.variations.append("link_mailbox_other_domain")
    return draft


def _line_other_system(s: Scenarios, customer: Customer, drafts: list[Draft]) -> Draft | None:
    """One line, a phone in one system and a WhatsApp in another, each written its own way."""
    rng, b = s.rng, s.b
    line = s.line(customer)
    if any(_holds_line(b, draft, line) for draft in drafts if draft not in _linkable(drafts)):
        return None
    held = {kind for draft in drafts for kind in (PHONE, WHATSAPP) if b.holds(draft, kind, line)}
    if not held:
        anchor = rng.choice(_linkable(drafts))
        style = phones.natural_style(rng, line)
        b.add_number(anchor, PHONE, line, style)
        anchor.variations.append(f"written_{style}")
        held = {PHONE}
    if held == {PHONE, WHATSAPP}:
        return None
    kind = WHATSAPP if PHONE in held else PHONE
    style = phones.whatsapp_style(rng, line) if kind == WHATSAPP else phones.natural_style(rng, line)
    draft = Draft(customer, "")
    b.add_number(draft, kind, line, style)
    if rng.random() < 0.4:
        b.add_email(draft, _fresh_mailbox(s, customer, drafts))
    s.name_after(draft, drafts[0], SYSTEM_NAMES)
    draft.variations += ["link_line_other_system", f"written_{style}"]
    return draft


def _name_only(s: Scenarios, customer: Customer, drafts: list[Draft]) -> Draft:
    """A record sharing nothing with the others but the name: another mailbox, the line, or no contact at all."""
    rng, b = s.rng, s.b
    draft = Draft(customer, "")
    line = customer.line
    roll = rng.random()
    if roll < 0.65:
        b.add_email(draft, _fresh_mailbox(s, customer, drafts))
    elif roll < 0.9 and (line is None or not any(_holds_line(b, d, line) for d in drafts)):
        line = s.line(customer)
        style = phones.natural_style(rng, line)
        b.add_number(draft, PHONE, line, style)
        draft.variations.append(f"written_{style}")
    s.name_after(draft, drafts[0], SYSTEM_NAMES)
    draft.variations.insert(1, LINK_NAME_ONLY)
    return draft


_SYSTEM_LINKERS = {
    "mailbox_other_domain": _mailbox_other_domain,
    "line_other_system": _line_other_system,
    "name_only": _name_only,
}


def _holds_line(b: Builder, draft: Draft, line: phones.Line) -> bool:
    return b.holds(draft, PHONE, line) or b.holds(draft, WHATSAPP, line)


def _fresh_mailbox(s: Scenarios, customer: Customer, drafts: list[Draft]) -> str:
    """A personal address of the customer whose mailbox name no record of the group shows at any domain."""
    shown = {mailbox_key(e.rsplit("@", 1)[0]) for d in drafts for e, _ in d.emails}
    for _ in range(50):
        address = s.b.give_mailbox(customer)
        if mailbox_key(address.rsplit("@", 1)[0]) not in shown:
            return address
    raise RuntimeError("no fresh mailbox")  # pragma: no cover - fifty draws, numbers after the tenth
