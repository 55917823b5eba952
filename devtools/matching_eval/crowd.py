"""Everyone who is *not* a duplicate: singletons, and sets of different people who look alike (hard negatives).

Singletons are written with the same noise as duplicates (nicknames, lower case,
first-name-only WhatsApp names, swapped names, external ids in any format), so
that the way a name or a key is written never gives a pair away by itself.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from devtools.matching_eval import names, phones, words
from devtools.matching_eval.build import Customer, Draft, written_external_id
from devtools.matching_eval.names import Person
from devtools.matching_eval.scenarios import PHONE, PUSH_NAMES, WHATSAPP, Group, Scenarios

# Channels a singleton came in through, with weights.
CHANNELS = [
    ("email", 34),
    ("whatsapp", 22),
    ("phone", 12),
    ("phone_and_whatsapp", 6),
    ("social", 10),
    ("web", 8),
    ("import", 8),
]
# How a singleton's name is written: mostly as is, otherwise with the variations duplicates get.
_SINGLE_NAMES = [
    (names.SAME, 70),
    (names.CASE, 6),
    (names.ACCENTS, 7),
    (names.SWAPPED, 5),
    (names.NICKNAME, 6),
    (names.MIDDLE_DROPPED, 4),
    (names.FIRST_ONLY, 2),
]


def singleton(s: Scenarios, customer: Customer | None = None) -> Draft:
    """One profile of someone who has no other profile."""
    rng, b = s.rng, s.b
    if customer is None:
        customer = s.new_customer()
        if rng.random() < 0.3:
            s.employ(customer)
    person = customer.person
    channel = names.weighted(rng, CHANNELS)
    draft = Draft(customer, _single_name(s, person))
    if channel in ("whatsapp", "phone_and_whatsapp"):
        line = s.line(customer)
        b.add_number(draft, WHATSAPP, line, phones.whatsapp_style(rng, line))
        if channel == "phone_and_whatsapp":
            b.add_number(draft, PHONE, line, phones.natural_style(rng, line))
        elif rng.random() < 0.75:
            draft.name = _whatsapp_name(s, person, draft)
        if rng.random() < 0.1:
            b.add_email(draft, _address(s, customer, draft))
    elif channel == "phone":
        line = s.line(customer)
        b.add_number(draft, PHONE, line, phones.natural_style(rng, line))
        if rng.random() < 0.25:
            b.add_email(draft, _address(s, customer, draft))
    elif channel == "social":
        _social(s, customer, draft)
        if rng.random() < 0.2:
            b.add_email(draft, _address(s, customer, draft))
    else:  # email, web, import
        b.add_email(draft, _address(s, customer, draft))
        if channel == "import" and rng.random() < 0.5:
            b.add_email(draft, s.other_mailbox(customer))
        if rng.random() < {"email": 0.25, "web": 0.1, "import": 0.6}[channel]:
            line = s.line(customer)
            b.add_number(draft, PHONE, line, phones.natural_style(rng, line))
        # Imported from a CRM or a shop, or synced from one: that system's record id. Most such people have
        # one record only, so an id in a system's format says nothing about duplicates.
        if rng.random() < {"email": 0.15, "web": 0.0, "import": 0.8}[channel]:
            draft.external_id = b.give_system_id(customer, rng.choice(words.SOURCE_SYSTEMS))
        elif channel == "web" or (channel == "import" and rng.random() < 0.6):
            canonical = customer.external_id or b.give_external_id(customer)
            draft.external_id = canonical if rng.random() < 0.6 else written_external_id(rng, canonical)
        if channel == "email" and rng.random() < 0.04:
            draft.name = draft.emails[0][0].split("@")[0]  # no display name: the desk shows the address
    if customer.company and customer.company.name not in draft.organizations:
        on_domain = any(e.endswith("@" + customer.company.domain) for e, _ in draft.emails)
        if on_domain or rng.random() < 0.3:
            b.add_company(draft, customer.company)
    if rng.random() < 0.05 and channel != "social":
        _social(s, customer, draft)
    return draft


def _single_name(s: Scenarios, person: Person) -> str:
    base = names.base_form(s.rng, person)
    for _ in range(10):
        name = names.written(s.rng, person, base, names.weighted(s.rng, _SINGLE_NAMES))
        if name:
            return name
    return base


def _whatsapp_name(s: Scenarios, person: Person, draft: Draft) -> str:
    """A WhatsApp push name, drawn like the duplicates' ones (first name, nickname, the number …)."""
    for _ in range(10):
        variation = names.weighted(s.rng, PUSH_NAMES)
        if variation == names.PHONE_AS_NAME:
            number = draft.whatsapp[0]
            return f"+{number}" if number.isdigit() else number
        name = names.written(s.rng, person, draft.name, variation)
        if name:
            return name
    return draft.name


def _address(s: Scenarios, customer: Customer, draft: Draft) -> str:
    shown = {e for e, _ in draft.emails}
    if customer.work_email and customer.work_email not in shown and s.rng.random() < 0.65:
        return customer.work_email
    address = s.mailbox(customer)
    return address if address not in shown else s.other_mailbox(customer)


def _social(s: Scenarios, customer: Customer, draft: Draft) -> None:
    rng, b = s.rng, s.b
    network = rng.choice(["instagram", "instagram", "telegram", "x", "messenger", "line"])
    if network in ("messenger", "line"):  # opaque ids: page-scoped numbers, LINE user ids
        while True:
            if network == "messenger":
                user_id = str(rng.randrange(10**15, 10**16))
            else:
                user_id = "U" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
            if b.claim(draft, network, user_id):
                draft.handles.setdefault(network, []).append(user_id)
                return
    else:
        b.add_handle(draft, network, customer.handle or b.give_handle(customer))


# --- hard negatives ---------------------------------------------------------------------------------


def _new_set(s: Scenarios, scenario: str, drafts: list[Draft]) -> list[Group]:
    s.lookalikes += 1
    return [Group(scenario, [draft], lookalike=s.lookalikes) for draft in drafts]


def clearly_different(a: str, b: str) -> bool:
    """Given names nobody would take for one another: far apart in spelling and not nicknames of each other."""
    fa, fb = names.fold(a).lower(), names.fold(b).lower()
    if Levenshtein.distance(fa, fb) < 3 or fa[:3] == fb[:3]:
        return False
    related = {
        frozenset((formal, nick)) for table in words.NICKNAMES.values() for formal, ns in table.items() for nick in ns
    }
    return frozenset((a, b)) not in related


def family_phone(s: Scenarios) -> list[Group]:
    """Two people of one family on one phone: one has it as their phone, the other as their WhatsApp."""
    rng, b = s.rng, s.b
    country = rng.choice(["BR"] * 7 + ["MX", "AR", "US", "PT", "ES"])
    first = names.random_person(rng, country)
    while True:
        other = names.random_person(rng, country, first.culture)
        if clearly_different(first.first, other.first):
            break
    # A child carries a parent's last surname; a spouse often took it too.
    relative = Person(first.culture, country, other.given, (*other.surnames[:1], first.surnames[-1]))
    if relative.surnames[0] == relative.surnames[-1] or rng.random() < 0.4:
        relative = Person(first.culture, country, other.given, first.surnames)
    owner, sharer = b.customer(first), b.customer(relative)
    line = b.give_line(owner, lead=None)
    b.share_line(sharer, line, owner)
    kinds = [PHONE, WHATSAPP]
    rng.shuffle(kinds)
    drafts = []
    for customer, kind in zip((owner, sharer), kinds, strict=True):
        draft = Draft(customer, names.base_form(rng, customer.person))
        style = phones.whatsapp_style(rng, line) if kind == WHATSAPP else phones.natural_style(rng, line)
        b.add_number(draft, kind, line, style)
        if kind == WHATSAPP and rng.random() < 0.5:
            draft.name = names.push_name(rng, customer.person)
        if rng.random() < 0.55:
            b.add_email(draft, s.mailbox(customer))
        drafts.append(draft)
    return _new_set(s, "hn_family_phone", drafts)


def same_name_other_company(s: Scenarios) -> list[Group]:
    """Namesakes at two different companies, each with their own work address and phone."""
    rng, b = s.rng, s.b
    country = rng.choice(["BR"] * 5 + ["MX", "AR", "US"])
    person = names.random_person(rng, country)
    drafts = []
    domains: set[str] = set()
    for _ in range(2):
        customer = b.customer(person)
        for _ in range(20):
            company = s.company_for(country)
            if company.domain not in domains and b.join(customer, company):
                break
        else:  # pragma: no cover - dozens of companies
            raise RuntimeError("no company left for a namesake")
        assert customer.company is not None and customer.work_email is not None
        domains.add(customer.company.domain)
        draft = Draft(customer, names.base_form(rng, person))
        b.add_email(draft, customer.work_email)
        b.add_company(draft, customer.company)
        if rng.random() < 0.4:
            line = s.line(customer)
            b.add_number(draft, PHONE, line, phones.natural_style(rng, line))
        drafts.append(draft)
    return _new_set(s, "hn_same_name_other_company", drafts)


def common_name(s: Scenarios) -> list[Group]:
    """Two to four different people called, say, Maria Silva, each with their own contacts."""
    rng = s.rng
    culture, first, last = rng.choice(words.COMMON_NAMES)
    drafts = []
    for _ in range(rng.choice((2, 2, 3, 3, 4))):
        country = rng.choice(words.LANGUAGE_COUNTRIES[culture])
        given, surnames = (first,), (last,)
        roll = rng.random()
        particle = words.POOLS[culture].particles.get(last)
        if roll < 0.15 and particle:
            surnames = (f"{particle} {last}",)
        elif roll < 0.3:
            surnames = (*names.surnames_for(rng, culture, country)[:1], last)
        elif roll < 0.4:
            pool = words.POOLS[culture]
            given = (first, rng.choice(pool.female if first in pool.female else pool.male))
        person = Person(culture, country, given, surnames)
        draft = singleton(s, s.b.customer(person))
        if names.fold(last).lower() not in names.fold(draft.name).lower():
            draft.name = names.base_form(rng, person)  # the shared name is the point of the set
        drafts.append(draft)
    return _new_set(s, "hn_common_name", drafts)


def colleagues_same_domain(s: Scenarios) -> list[Group]:
    """Colleagues at one company: same domain and organization, different people (sometimes one family)."""
    rng, b = s.rng, s.b
    company = rng.choice([company for company in words.COMPANIES if company.country in words.FREE_MAIL])
    country = company.country
    people: list[Customer] = []
    size = rng.choice((2, 2, 3))
    while len(people) < size:
        person = names.random_person(rng, country)
        if people and rng.random() < 0.3:  # a family business: same surnames
            person = Person(person.culture, country, person.given, people[0].person.surnames)
        if any(not clearly_different(person.first, p.person.first) for p in people):
            continue
        customer = b.customer(person)
        if b.join(customer, company):
            people.append(customer)
    direct = country == "BR" and rng.random() < 0.5
    switchboard = phones.random_line(rng, "BR", mobile=False) if direct else None
    drafts = []
    for index, customer in enumerate(people):
        assert customer.work_email is not None
        draft = Draft(customer, names.base_form(rng, customer.person))
        b.add_email(draft, customer.work_email)
        b.add_company(draft, company)
        if switchboard is not None:
            line = _extension(s, customer, switchboard, index)
            b.add_number(draft, PHONE, line, phones.natural_style(rng, line))
        elif rng.random() < 0.4:
            line = s.line(customer)
            b.add_number(draft, PHONE, line, phones.natural_style(rng, line))
        drafts.append(draft)
    return _new_set(s, "hn_colleagues_same_domain", drafts)


def _extension(s: Scenarios, customer: Customer, switchboard: phones.Line, index: int) -> phones.Line:
    """Direct lines of one office differ in their last digits: 3456-7801, 3456-7802 …"""
    for offset in range(index, 100):
        local = switchboard.local[:-2] + f"{(int(switchboard.local[-2:]) + offset * 7) % 100:02d}"
        line = phones.Line("BR", "55", switchboard.area, local, mobile=False)
        if phones.is_valid(line.e164):
            try:
                return s.b.give_line(customer, line)
            except ValueError:
                continue
    return s.b.give_line(customer)  # pragma: no cover - an office with 100 taken lines


def similar_first_name(s: Scenarios) -> list[Group]:
    """Two people whose first names differ by a letter or two (Mario/Maria), often siblings."""
    rng, b = s.rng, s.b
    culture, one, two = rng.choice(words.LOOKALIKE_GIVEN)
    country = rng.choice(words.LANGUAGE_COUNTRIES[culture])
    surnames = names.surnames_for(rng, culture, country)
    people = [Person(culture, country, (one,), surnames)]
    same_surnames = rng.random() < 0.75
    people.append(
        Person(culture, country, (two,), surnames if same_surnames else names.surnames_for(rng, culture, country))
    )
    rng.shuffle(people)
    pattern = names.weighted(rng, names.PERSONAL_PATTERNS[:5])
    provider = names.weighted(rng, words.FREE_MAIL[country])
    parallel = rng.random() < 0.5  # 'gabriel.santos@' and 'gabriela.santos@' at one provider
    drafts = []
    for person in people:
        customer = b.customer(person)
        draft = Draft(customer, names.base_form(rng, person))
        if parallel:
            customer.mailbox = b.give_mailbox(customer, local=names.local_part(rng, person, pattern), domain=provider)
        if parallel or rng.random() < 0.7:
            b.add_email(draft, s.mailbox(customer))
        if not draft.emails or rng.random() < 0.4:
            line = s.line(customer)
            kind = PHONE if rng.random() < 0.6 else WHATSAPP
            style = phones.natural_style(rng, line) if kind == PHONE else phones.whatsapp_style(rng, line)
            b.add_number(draft, kind, line, style)
        drafts.append(draft)
    return _new_set(s, "hn_similar_first_name", drafts)


CROWD_SIZES = (20, 40)
# How the people of a crowd came in, with weights.
_CROWD_CHANNELS = [("email", 45), ("whatsapp", 35), ("phone", 20)]


def name_crowd(s: Scenarios) -> list[Group]:
    """Twenty to forty different people with one of the commonest names ('Maria Silva', 'José López' …).

    Each has their own address or line; some wrote by email, some called or wrote on WhatsApp (now and then
    with only a first name). Most show exactly the same name, so a matcher that pairs profiles on a name alone
    pairs them all.
    """
    rng, b = s.rng, s.b
    unused = [name for name in words.COMMON_NAMES if name not in s.crowd_names]
    culture, first, last = rng.choice(unused or words.COMMON_NAMES)
    s.crowd_names.append((culture, first, last))
    pool = words.POOLS[culture]
    same_sex = [name for name in (pool.female if first in pool.female else pool.male) if name != first]
    drafts = []
    for _ in range(rng.randint(*CROWD_SIZES)):
        country = rng.choice(words.LANGUAGE_COUNTRIES[culture])
        given, surnames = (first,), (last,)
        roll = rng.random()
        particle = pool.particles.get(last)
        if roll < 0.1 and particle:
            surnames = (f"{particle} {last}",)
        elif roll < 0.2:
            surnames = (*names.surnames_for(rng, culture, country)[:1], last)
        elif roll < 0.28:
            given = (first, rng.choice(same_sex))
        person = Person(culture, country, given, surnames)
        customer = b.customer(person)
        if rng.random() < 0.25:
            s.employ(customer)
        draft = Draft(customer, person.short if rng.random() < 0.7 else person.full)
        channel = names.weighted(rng, _CROWD_CHANNELS)
        if channel == "email":
            b.add_email(draft, _address(s, customer, draft))
            if rng.random() < 0.15:
                draft.external_id = b.give_system_id(customer, rng.choice(words.SOURCE_SYSTEMS))
        else:
            line = s.line(customer)
            kind = WHATSAPP if channel == "whatsapp" else PHONE
            style = phones.whatsapp_style(rng, line) if kind == WHATSAPP else phones.natural_style(rng, line)
            b.add_number(draft, kind, line, style)
            if kind == WHATSAPP and rng.random() < 0.3:
                draft.name = names.push_name(rng, person)
        roll = rng.random()
        if roll < 0.1:
            draft.name = names.fold(draft.name)
        elif roll < 0.15:
            draft.name = draft.name.lower()
        company = customer.company
        if company and any(e.endswith("@" + company.domain) for e, _ in draft.emails):
            b.add_company(draft, company)
        drafts.append(draft)
    return _new_set(s, "hn_name_crowd", drafts)


HARD_NEGATIVE_BUILDERS = {
    "hn_family_phone": family_phone,
    "hn_same_name_other_company": same_name_other_company,
    "hn_common_name": common_name,
    "hn_colleagues_same_domain": colleagues_same_domain,
    "hn_similar_first_name": similar_first_name,
    "hn_name_crowd": name_crowd,
}
# Links that can give one person of a look-alike set a second profile (not the line: families share it).
_LOOKALIKE_DUPLICATE_LINKS = [
    ("gmail_dots_plus", 3),
    ("external_id_format", 2),
    ("phone_vs_whatsapp", 3),
    ("corporate_email_alias", 2),
    ("same_organization", 1),
]


def add_duplicate(s: Scenarios, group: Group) -> bool:
    """Give the person of `group` (one of a look-alike set) a second profile linked to the first one."""
    customer = group.drafts[0].customer
    for _ in range(5):
        kind = names.weighted(s.rng, _LOOKALIKE_DUPLICATE_LINKS)
        if kind == "phone_vs_whatsapp" and group.scenario == "hn_family_phone":
            continue
        if kind in ("corporate_email_alias", "same_organization") and customer.company is None:
            continue
        draft = s.links[kind](customer, group.drafts)
        if draft is not None:
            group.drafts.append(draft)
            if group.drafts[0].emails and not draft.emails:
                draft.variations.append("no_email")
            return True
    return False
