"""How one person ends up with two or more profiles, and how different people end up looking alike.

A duplicate group starts from one profile of a customer; each *link* adds another
profile of the same customer that shares exactly one kind of evidence with an
earlier one (the phone as WhatsApp, a Gmail spelling, a company alias …), with
its own name variation and its own extra contact points. Hard negatives are
sets of different customers built to resemble each other. Singletons are the
rest of the customer base, written with the same noise as everybody else.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from devtools.matching_eval import names, phones, words
from devtools.matching_eval.build import HANDLE_NETWORKS, Builder, Customer, Draft, written_external_id
from devtools.matching_eval.names import Person
from profiles.identities import IdentityKind

PHONE, WHATSAPP = IdentityKind.PHONE.value, IdentityKind.WHATSAPP.value

SINGLETON = "singleton"
MULTI_CHANNEL = "multi_channel"  # a group of three or four profiles linked in several ways
# In a group of three or four, the share of later profiles that also show the number or Gmail mailbox
# another profile shows: people reuse their contact points, but not always.
REUSE_RATE = 0.5
# Link kinds; a group of two is named after its link.
LINKS: list[tuple[str, int]] = [
    ("phone_vs_whatsapp", 27),
    ("gmail_dots_plus", 16),
    ("corporate_email_alias", 10),
    ("same_organization", 10),
    ("external_id_format", 9),
    ("br_ninth_digit", 8),
    ("ar_mobile_nine", 5),
    ("same_handle_other_network", 3),
]
HARD_NEGATIVES = (
    "hn_family_phone",
    "hn_same_name_other_company",
    "hn_common_name",
    "hn_colleagues_same_domain",
    "hn_similar_first_name",
    "hn_name_crowd",
)

# Name variations of a linked profile, by who typed the name, with weights.
PUSH_NAMES = [
    (names.FIRST_ONLY, 30),
    (names.SAME, 18),
    (names.NICKNAME, 8),
    (names.PHONE_AS_NAME, 8),
    (names.CASE, 8),
    (names.ACCENTS, 10),
    (names.TYPO, 8),
    (names.MIDDLE_DROPPED, 6),
    (names.SWAPPED, 4),
]
_TYPED_NAMES = [
    (names.SAME, 16),
    (names.TYPO, 16),
    (names.SWAPPED, 10),
    (names.NICKNAME, 16),
    (names.ACCENTS, 14),
    (names.MIDDLE_DROPPED, 14),
    (names.MIDDLE_ADDED, 14),
    (names.CASE, 6),
    (names.FROM_EMAIL, 8),  # applies only where the profile has an address: about half the time
    (names.FIRST_ONLY, 3),
]
_KEEPING_NAMES = [(variation, weight) for variation, weight in _TYPED_NAMES if variation in names.KEEPS_A_TOKEN]


@dataclass
class Group:
    """The profiles of one customer."""

    scenario: str
    drafts: list[Draft]
    lookalike: int | None = None


class Scenarios:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.rng: random.Random = builder.rng
        self.lookalikes = 0
        self.crowd_names: list[tuple[str, str, str]] = []  # the common names crowds have been built around
        self.links: dict[str, Callable[[Customer, list[Draft]], Draft | None]] = {
            "phone_vs_whatsapp": self.link_phone_vs_whatsapp,
            "gmail_dots_plus": self.link_gmail,
            "corporate_email_alias": self.link_corporate_alias,
            "same_organization": self.link_same_organization,
            "external_id_format": self.link_external_id,
            "br_ninth_digit": self.link_br_ninth_digit,
            "ar_mobile_nine": self.link_ar_mobile_nine,
            "same_handle_other_network": self.link_same_handle,
        }

    # --- customers ---------------------------------------------------------------------------------

    def country(self) -> str:
        return names.weighted(self.rng, words.COUNTRIES)

    def new_customer(self, country: str | None = None, *, nicknamed: bool = False) -> Customer:
        return self.b.customer(names.random_person(self.rng, country or self.country(), nicknamed=nicknamed))

    def company_for(self, country: str) -> words.Company:
        local = [company for company in words.COMPANIES if company.country == country]
        return self.rng.choice(local if local and self.rng.random() < 0.8 else words.COMPANIES)

    def employ(self, customer: Customer, company: words.Company | None = None) -> bool:
        # A few tries: a company may already have a colleague of the same name.
        return any(self.b.join(customer, company or self.company_for(customer.person.country)) for _ in range(5))

    def mailbox(self, customer: Customer, *, gmail: bool = False) -> str:
        if customer.mailbox is None or (gmail and not customer.mailbox.endswith("@gmail.com")):
            customer.mailbox = self.b.give_mailbox(customer, domain="gmail.com" if gmail else None)
        return customer.mailbox

    def other_mailbox(self, customer: Customer) -> str:
        if customer.other_mailbox is None:
            customer.other_mailbox = self.b.give_mailbox(customer)
        return customer.other_mailbox

    def line(self, customer: Customer) -> phones.Line:
        return customer.line or self.b.give_line(customer)

    # --- duplicate groups ----------------------------------------------------------------------------

    def duplicate_group(self, size: int, first_link: str) -> Group:
        """A customer with `size` profiles, the second one linked to the first by `first_link`."""
        plan = self._plan(size, first_link)
        country = self.country()
        if "br_ninth_digit" in plan:
            country = "BR"
        elif "ar_mobile_nine" in plan:
            country = "AR"
        # Familiar names are common among the people who write in twice; without the nudge too few would show one.
        customer = self.new_customer(country, nicknamed=self.rng.random() < 0.3)
        if "br_ninth_digit" in plan:
            self.b.give_line(customer, lead="7")
        elif "ar_mobile_nine" in plan:
            self._give_ar_line(customer)
        base = Draft(customer, names.base_form(self.rng, customer.person))
        drafts = [base]
        used = []
        for planned in plan:
            # A planned link can be impossible (the number is already shown as phone and WhatsApp);
            # then a mailbox or customer-number link takes its place, and the label says so.
            for kind in (planned, "gmail_dots_plus", "external_id_format"):
                draft = self.links[kind](customer, drafts)
                if draft is not None:
                    break
            assert draft is not None
            drafts.append(draft)
            used.append(kind)
        if size > 2:
            for draft in drafts[2:]:
                if self.rng.random() < REUSE_RATE:
                    self._reuse(customer, drafts, draft)
        self._noise(customer, drafts)
        return Group(used[0] if size == 2 else MULTI_CHANNEL, drafts)

    def _reuse(self, customer: Customer, drafts: list[Draft], draft: Draft) -> None:
        """A later profile that also shows the person's number or Gmail mailbox, as another profile does."""
        line = customer.line
        held = self._line_kinds(drafts, line) if line else set()
        if line and held and len(held) < 2 and not draft.phones and not draft.whatsapp:
            kind = PHONE if WHATSAPP in held else WHATSAPP
            style = self._style(customer, line, kind)
            self.b.add_number(draft, kind, line, style)
            draft.variations += ["also_same_line", f"written_{style}"]
            return
        mailbox = customer.mailbox
        shown = mailbox and mailbox.endswith("@gmail.com") and any(e == mailbox for d in drafts for e, _ in d.emails)
        if shown and not any(e.endswith("@gmail.com") for e, _ in draft.emails):
            for _ in range(5):
                variant, tag = self._gmail_variant(customer.person, mailbox.split("@")[0])
                if self.b.add_email(draft, variant):
                    draft.variations += ["also_same_gmail", tag]
                    return

    def _plan(self, size: int, first_link: str) -> list[str]:
        plan: list[str] = [first_link]
        while len(plan) < size - 1:
            kind = names.weighted(self.rng, LINKS)
            country_bound = {"br_ninth_digit", "ar_mobile_nine"}
            if kind in country_bound and country_bound & set(plan):
                continue
            if kind in ("phone_vs_whatsapp", "same_handle_other_network", "ar_mobile_nine") and kind in plan:
                continue
            plan.append(kind)
        return plan

    def _give_ar_line(self, customer: Customer) -> None:
        while True:
            line = phones.random_line(self.rng, "AR")
            if phones.is_valid(phones.without_nine(line).e164):
                try:
                    self.b.give_line(customer, line)
                    return
                except ValueError:
                    continue

    def _holding(self, drafts: list[Draft], test: Callable[[Draft], bool]) -> Draft | None:
        holders = [draft for draft in drafts if test(draft)]
        return self.rng.choice(holders) if holders else None

    def _line_kinds(self, drafts: list[Draft], line: phones.Line) -> set[str]:
        return {kind for draft in drafts for kind in (PHONE, WHATSAPP) if self.b.holds(draft, kind, line)}

    def _anchor_line(self, customer: Customer, drafts: list[Draft], *, kind: str | None = None) -> None:
        """Make sure some profile of the group shows the customer's line; the first one gets it if none does."""
        line = self.line(customer)
        if self._line_kinds(drafts, line):
            return
        kind = kind or (PHONE if self.rng.random() < 0.7 else WHATSAPP)
        style = self._style(customer, line, kind)
        self.b.add_number(drafts[0], kind, line, style)
        drafts[0].variations.append(f"written_{style}")

    def _style(self, customer: Customer, line: phones.Line, kind: str) -> str:
        if kind == WHATSAPP:
            return phones.whatsapp_style(self.rng, line)
        if line.country == "AR" and line.mobile and self.rng.random() < 0.4:
            return "ar_with_15"
        return phones.natural_style(self.rng, line)

    def link_phone_vs_whatsapp(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """The same line: a phone on one profile, WhatsApp on the other, written as each channel writes it."""
        self._anchor_line(customer, drafts)
        line = self.line(customer)
        held = self._line_kinds(drafts, line)
        if held == {PHONE, WHATSAPP}:
            return None
        kind = WHATSAPP if PHONE in held else PHONE
        draft = Draft(customer, "")
        style = self._style(customer, line, kind)
        self.b.add_number(draft, kind, line, style)
        self.name_after(draft, drafts[0], PUSH_NAMES if kind == WHATSAPP else _TYPED_NAMES)
        draft.variations += ["link_phone_vs_whatsapp", f"written_{style}"]
        return draft

    def link_br_ninth_digit(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """A Brazilian mobile with its 9 on one profile and without it (an old record or WhatsApp id) on another."""
        line = self.line(customer)
        if line.country != "BR" or not line.local.startswith("97"):
            return None
        self._anchor_line(customer, drafts)
        old = phones.without_ninth_digit(line)
        held = self._line_kinds(drafts, old)
        kinds = [kind for kind in (WHATSAPP, PHONE) if kind not in held]
        if not kinds:
            return None
        kind = self.rng.choice(kinds)
        draft = Draft(customer, "")
        style = "bare" if kind == WHATSAPP and self.rng.random() < 0.7 else self._style(customer, old, PHONE)
        self.b.add_number(draft, kind, old, style)
        self.name_after(draft, drafts[0], PUSH_NAMES if kind == WHATSAPP else _TYPED_NAMES)
        draft.variations += ["link_br_ninth_digit", "br_without_ninth_digit", f"written_{style}"]
        return draft

    def link_ar_mobile_nine(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """An Argentine mobile with the international 9 on one profile, written without it on another."""
        line = self.line(customer)
        if line.country != "AR" or not line.mobile:
            return None
        self._anchor_line(customer, drafts, kind=WHATSAPP if self.rng.random() < 0.6 else PHONE)
        old = phones.without_nine(line)
        if PHONE in self._line_kinds(drafts, old):
            return None
        draft = Draft(customer, "")
        self.b.add_number(draft, PHONE, old, "international")
        self.name_after(draft, drafts[0], _TYPED_NAMES)
        draft.variations += ["link_ar_mobile_nine", "ar_without_nine", "written_international"]
        return draft

    def link_gmail(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """One Gmail mailbox spelled two ways: dots moved or dropped, a +tag, googlemail.com."""
        address = self.mailbox(customer, gmail=True)
        if not self._holding(drafts, lambda d: any(e == address for e, _ in d.emails)):
            self.b.add_email(drafts[0], address)
        local = address.split("@")[0]
        for _ in range(10):
            variant, tag = self._gmail_variant(customer.person, local)
            draft = Draft(customer, "")
            if self.b.add_email(draft, variant):
                break
        else:
            return None
        self.name_after(draft, drafts[0], _TYPED_NAMES)
        draft.variations += ["link_gmail", tag]
        self._maybe_second_email(customer, draft, chance=0.1)
        return draft

    def _gmail_variant(self, person: Person, local: str) -> tuple[str, str]:
        roll = self.rng.random()
        first = names.slug(person.first)
        if roll < 0.5:
            if "." in local:
                variant = local.replace(".", "")
            elif local.startswith(first) and len(local) > len(first) + 1:
                variant = f"{local[: len(first)]}.{local[len(first) :]}"
            else:
                variant = f"{local[0]}.{local[1:]}"  # 'jsilva' -> 'j.silva'
            if self.rng.random() < 0.2:
                variant = variant.capitalize()
            return f"{variant}@gmail.com", "gmail_dots"
        if roll < 0.9:
            return f"{local}+{self.rng.choice(words.PLUS_TAGS)}@gmail.com", "gmail_plus_tag"
        return f"{local}@googlemail.com", "googlemail"

    def link_corporate_alias(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """Two addresses of one person at their company's domain ('ana.souza@' and 'asouza@'), names alike."""
        if customer.company is None and not self.employ(customer):
            return None
        company = customer.company
        assert company is not None and customer.work_email is not None
        # The name is half the evidence here, so the first profile (whose name the new one follows) shows the domain.
        if not any(e == customer.work_email for e, _ in drafts[0].emails):
            self.b.add_email(drafts[0], customer.work_email)
            if company.name not in drafts[0].organizations:
                self.b.add_company(drafts[0], company)
        patterns = ["first.last", "flast", "firstlast", "first", "first_last", "firstmiddle.last", "first.m.last"]
        self.rng.shuffle(patterns)
        draft = Draft(customer, "")
        for pattern in patterns:
            address = f"{names.local_part(self.rng, customer.person, pattern)}@{company.domain}"
            # A colleague's address (even one no profile shows yet) is not this person's alias.
            mine = not address.startswith("@") and self.b.reserve(f"work:{address}", customer)
            if mine and self.b.add_email(draft, address):
                break
        else:
            return None
        if self.rng.random() < 0.7:
            self.b.add_company(draft, company)
        self.name_after(draft, drafts[0], _KEEPING_NAMES)
        draft.variations += ["link_corporate_alias"]
        return draft

    def link_same_organization(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """Two profiles in one organization with similar names, sharing no contact point."""
        if customer.company is None and not self.employ(customer):
            return None
        company = customer.company
        assert company is not None and customer.work_email is not None
        # The name is half the evidence here, so the organization must be on the profile the name follows.
        if company.name not in drafts[0].organizations:
            self.b.add_company(drafts[0], company)
            if not drafts[0].emails and self.rng.random() < 0.8:
                self.b.add_email(drafts[0], customer.work_email)
        draft = Draft(customer, "")
        self.b.add_company(draft, company)
        roll = self.rng.random()
        line = customer.line
        if roll < 0.5:
            self.b.add_email(draft, self._unlinked_mailbox(customer, drafts))
            draft.variations.append("second_email")
        elif roll < 0.9 and (line is None or not self._line_kinds(drafts, line)):
            line = self.line(customer)
            style = phones.natural_style(self.rng, line)
            self.b.add_number(draft, PHONE, line, style)
            draft.variations.append(f"written_{style}")
        self.name_after(draft, drafts[0], _KEEPING_NAMES)
        draft.variations.insert(0, "link_same_organization")
        return draft

    def _unlinked_mailbox(self, customer: Customer, drafts: list[Draft]) -> str:
        """A personal address of the customer that no profile of the group shows in any spelling."""
        shown = {e.split("@")[0].split("+")[0].replace(".", "") for d in drafts for e, _ in d.emails}
        for address in (customer.mailbox, customer.other_mailbox):
            if address and address.split("@")[0].replace(".", "") not in shown:
                return address
        customer.other_mailbox = self.b.give_mailbox(customer)
        return customer.other_mailbox

    def link_external_id(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """One customer number from two systems, written differently ('CUST-00123' and 'cust00123')."""
        canonical = customer.external_id or self.b.give_external_id(customer)
        shown = {d.external_id for d in drafts if d.external_id}
        if not shown:
            drafts[0].external_id = written_external_id(self.rng, canonical) if self.rng.random() < 0.3 else canonical
            shown = {drafts[0].external_id}
        draft = Draft(customer, "")
        for _ in range(20):
            written = written_external_id(self.rng, canonical)
            if written not in shown:
                draft.external_id = written
                break
        else:
            return None
        roll = self.rng.random()
        if roll < 0.5:
            self.b.add_email(draft, self._unlinked_mailbox(customer, drafts))
            draft.variations.append("second_email")
        elif (
            roll < 0.65
            and customer.work_email
            and not any(e == customer.work_email for d in drafts for e, _ in d.emails)
        ):
            self.b.add_email(draft, customer.work_email)
            draft.variations.append("second_email")
        self.name_after(draft, drafts[0], _TYPED_NAMES)
        draft.variations.insert(0, "link_external_id")
        return draft

    def link_same_handle(self, customer: Customer, drafts: list[Draft]) -> Draft | None:
        """The same username on two networks (Instagram and Telegram, say), names alike."""
        handle = customer.handle or self.b.give_handle(customer)
        if not drafts[0].handles:
            self.b.add_handle(drafts[0], self.rng.choice(HANDLE_NETWORKS), handle)
        used = {network for d in drafts for network in d.handles}
        networks = [network for network in HANDLE_NETWORKS if network not in used]
        if not networks or customer.handle is None:
            return None
        draft = Draft(customer, "")
        self.b.add_handle(draft, self.rng.choice(networks), customer.handle)
        self.name_after(draft, drafts[0], _KEEPING_NAMES)
        draft.variations.append("link_same_handle")
        return draft

    def _maybe_second_email(self, customer: Customer, draft: Draft, *, chance: float) -> None:
        if self.rng.random() < chance:
            address = self.other_mailbox(customer)
            if self.b.add_email(draft, address):
                draft.variations.append("second_email")

    def name_after(self, draft: Draft, base: Draft, variations: list[tuple[str, int]]) -> None:
        """Name `draft` after `base` with one variation (sometimes a second, cosmetic one)."""
        person = draft.customer.person
        for _ in range(20):
            variation = names.weighted(self.rng, variations)
            if variation == names.PHONE_AS_NAME:
                numbers = draft.phones + draft.whatsapp
                name = f"+{numbers[0]}" if numbers and numbers[0].isdigit() else (numbers[0] if numbers else None)
            elif variation == names.FROM_EMAIL:
                name = draft.emails[0][0].split("@")[0].split("+")[0] if draft.emails else None
            else:
                name = names.written(self.rng, person, base.name, variation)
            if name:
                break
        else:  # pragma: no cover - SAME always applies
            name, variation = base.name, names.SAME
        if variation not in (names.PHONE_AS_NAME, names.FROM_EMAIL, names.FIRST_ONLY):
            name, extra = names.cosmetic(self.rng, name)
            if extra and extra != variation:
                draft.variations.append(extra)
        draft.name = name
        draft.variations.insert(0, variation)

    def _noise(self, customer: Customer, drafts: list[Draft]) -> None:
        """What the first profile shows besides its links, and the missing-email mark on the others."""
        base = drafts[0]
        if not base.emails and self.rng.random() < 0.5:
            self.b.add_email(base, self._unlinked_mailbox(customer, drafts))
        if any(draft.emails for draft in drafts):
            for draft in drafts:
                if not draft.emails:
                    draft.variations.append("no_email")
