"""Normalization of contact points: the key that says two values are the same identity.

`normalize(kind, value)` turns what a person or a connector wrote into the key used
for uniqueness and lookup: a lower-cased email, an E.164 phone number, a handle
without its "@" (lower-cased where the network ignores case). Normalizing a key
again returns it unchanged. Anything that cannot be a contact point of that kind
raises `InvalidIdentity` naming the value and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumber, PhoneNumberFormat, ValidationResult
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

from profiles.errors import InvalidIdentity, ProfileError


class IdentityKind(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    TELEGRAM = "telegram", "Telegram"
    LINE = "line", "LINE"
    SDK = "sdk", "Web chat / SDK user id"
    OTHER = "other", "Other"


@dataclass(frozen=True)
class KindRules:
    """What one identity kind means everywhere: matching, search, import cells, placeholder names, channels."""

    normalizer: str  # "email", "phone" (E.164) or "handle"
    folds_case: bool = False  # a handle kind whose network ignores case; the others are opaque ids, kept as written
    link_hosts: tuple[str, ...] = ()  # hosts of the profile links people paste instead of the handle
    cell_separator: str = r"[|\s]+"  # how one import cell holds several values of the kind
    cell_joiner: str = " "  # and how an export writes several back into one cell
    channels: tuple[str, ...] = ()  # the contact channels (Contact.channel) whose contact point is this kind
    name_template: str = "{key}"  # a placeholder name for a profile known only by this identity
    value_label: str = ""  # the word for one value in messages ("phone number"); empty: "<Kind label> handle"
    # Phone kinds: a run of bare digits is first read as international digits (WhatsApp ids are "5511987654321",
    # never a national number), not as a national number of the default region.
    bare_digits_international: bool = False


_BARS = r"\s*\|\s*"  # numbers contain spaces, so several in one cell are separated by "|"

# The one table of per-kind rules. A new kind is one IdentityKind member and one entry here.
KIND_RULES: dict[str, KindRules] = {
    IdentityKind.EMAIL: KindRules("email", channels=("email",), value_label="email address"),
    IdentityKind.PHONE: KindRules(
        "phone", cell_separator=_BARS, cell_joiner=" | ", channels=("voice", "sms"), value_label="phone number"
    ),
    IdentityKind.WHATSAPP: KindRules(
        "phone",
        cell_separator=_BARS,
        cell_joiner=" | ",
        channels=("whatsapp",),
        value_label="WhatsApp number",
        bare_digits_international=True,
    ),
    IdentityKind.MESSENGER: KindRules(
        "handle",
        folds_case=True,
        link_hosts=("m.me", "facebook.com", "messenger.com"),
        channels=("messenger",),
    ),
    IdentityKind.INSTAGRAM: KindRules(
        "handle",
        folds_case=True,
        link_hosts=("instagram.com",),
        channels=("instagram",),
        name_template="@{key}",
    ),
    IdentityKind.X: KindRules(
        "handle", folds_case=True, link_hosts=("x.com", "twitter.com"), channels=("x",), name_template="@{key}"
    ),
    IdentityKind.TELEGRAM: KindRules(
        "handle",
        folds_case=True,
        link_hosts=("t.me", "telegram.me"),
        channels=("telegram",),
        name_template="@{key}",
    ),
    IdentityKind.LINE: KindRules("handle", channels=("line",), name_template="LINE user {key}"),
    IdentityKind.SDK: KindRules("handle", channels=("web_chat", "sdk"), name_template="Web visitor {key}"),
    IdentityKind.OTHER: KindRules("handle", channels=("other",)),
}

# Derived from the table, never written out by hand.
# Kinds whose key is an E.164 number: phone and WhatsApp share one key space.
PHONE_KINDS = frozenset(kind for kind, rules in KIND_RULES.items() if rules.normalizer == "phone")
# Networks whose usernames ignore case: a handle is folded, and a pasted profile link is read as its handle.
CASE_INSENSITIVE_HANDLE_KINDS = frozenset(
    kind for kind, rules in KIND_RULES.items() if rules.normalizer == "handle" and rules.folds_case
)
# Opaque ids (LINE user ids, SDK ids, "other"): case can matter, so search compares them exactly as written.
OPAQUE_HANDLE_KINDS = frozenset(
    kind for kind, rules in KIND_RULES.items() if rules.normalizer == "handle" and not rules.folds_case
)
# The identity kind of each inbound channel's contact point (walk-ins have none).
CHANNEL_KINDS: dict[str, str] = {channel: kind for kind, rules in KIND_RULES.items() for channel in rules.channels}


def key_space(kind: str) -> str:
    """The key space of `kind`: two identities are one contact point when their key spaces and keys are equal.

    Phone and WhatsApp share E.164 ("tel"); every other kind is a space of its own.
    """
    return "tel" if kind in PHONE_KINDS else kind


def value_label(kind: str) -> str:
    """What one value of `kind` is called in a message: "email address", "WhatsApp number", "Instagram handle"."""
    return KIND_RULES[kind].value_label or f"{IdentityKind(kind).label} handle"


def split_cell(kind: str, cell: str) -> list[str]:
    """The values of `kind` one import cell holds: numbers separated by "|", the others by "|" or spaces."""
    return [value for value in _CELL_SEPARATORS[kind].split(cell) if value.strip()]


def join_cell(kind: str, values: list[str]) -> str:
    """Several values of `kind` written into one cell, as `split_cell` reads them back."""
    return KIND_RULES[kind].cell_joiner.join(values)


def placeholder_name(kind: str, key: str) -> str:
    """A readable name for a profile known only by this contact point.

    "Ana Souza" from ana.souza87@…, "+55 11 98765-4321" from a number, "@ana" from a
    handle, as each kind's `name_template` says.
    """
    if kind == IdentityKind.EMAIL:
        local = key.rpartition("@")[0].split("+", 1)[0]  # drop a sub-address: ana+shop@ -> ana
        words = [re.sub(r"\d+$", "", word) for word in re.split(r"[\W_]+", local)]
        return " ".join(word.capitalize() for word in words if word) or key
    if kind in PHONE_KINDS:
        return phonenumbers.format_number(phonenumbers.parse(key), PhoneNumberFormat.INTERNATIONAL)
    return KIND_RULES[kind].name_template.format(key=key)


_CELL_SEPARATORS = {kind: re.compile(rules.cell_separator) for kind, rules in KIND_RULES.items()}
_LINK_HOSTS = "|".join(re.escape(host) for rules in KIND_RULES.values() for host in rules.link_hosts)
# Profile links people paste instead of the handle (any network's link: the handle is what counts).
_PROFILE_URL = re.compile(
    rf"^(?:https?://)?(?:www\.|mobile\.)?(?:{_LINK_HOSTS})/(?P<handle>[^/?#\s]+)/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_MAX_LENGTH = 254
# Digits only, long enough to hold a country code: "5511987654321" as WhatsApp ids and exports write it.
_BARE_INTERNATIONAL = re.compile(r"^[1-9][0-9 .-]{10,}$")
_NOT_DIGITS = re.compile(r"\D")
# Nothing but digits, at least 8: how WhatsApp writes an id (the international number without "+"). People who
# type a national number usually punctuate it, and punctuated digits keep the national reading first.
_BARE_DIGITS = re.compile(r"^[1-9][0-9]{7,}$")
# "+", the country code and the number, with only spaces, dashes, dots or brackets between digits.
_WRITTEN_INTERNATIONAL = re.compile(r"\+[0-9][0-9 ().-]*\Z")
# `\s` is str.isspace() character by character (both are Py_UNICODE_ISSPACE), at C speed.
_WHITESPACE = re.compile(r"\s")
_email_validator = EmailValidator()
# Django's own two email patterns, compiled once: the validator's lazy wrappers cost more than the match. An
# address whose domain fails the pattern still goes through the validator (domain literals, the allow-list).
_EMAIL_USER = re.compile(EmailValidator.user_regex.pattern, re.IGNORECASE)
_EMAIL_DOMAIN = re.compile(EmailValidator.domain_regex.pattern, re.IGNORECASE)


def normalize(kind: str, value: str, *, region: str | None = None) -> str:
    """Return the normalized key of `value` as a contact point of `kind` (numbers without a country code
    are read in `region`, by default the ZDUSERS_DEFAULT_PHONE_REGION setting)."""
    if kind not in IdentityKind.values:
        raise InvalidIdentity("identity kind", str(kind), f"choose one of {', '.join(IdentityKind.values)}")
    normalizer = KIND_RULES[kind].normalizer
    if normalizer == "email":
        return normalize_email(value)
    if normalizer == "phone":
        rules = KIND_RULES[kind]
        return normalize_phone(
            value, region=region, label=value_label(kind), bare_international_first=rules.bare_digits_international
        )
    return normalize_handle(kind, value)


def normalize_email(value: str) -> str:
    """Trim, drop a `mailto:` prefix, lower-case and validate an email address."""
    label = "email address"
    text = _clean_text(value, label)
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :].strip()
    if "@" not in text:
        raise InvalidIdentity(label, value, "it has no @")
    local, _, domain = text.rpartition("@")
    if not local:
        raise InvalidIdentity(label, value, "nothing comes before the @")
    if not domain:
        raise InvalidIdentity(label, value, "nothing comes after the @")
    if _WHITESPACE.search(text):
        raise InvalidIdentity(label, value, "it contains a space")
    if "." not in domain:
        raise InvalidIdentity(label, value, f"the domain {domain!r} has no dot")
    normalized = text.lower()
    if len(normalized) <= 320 and _EMAIL_USER.match(local) and _EMAIL_DOMAIN.match(domain):
        return normalized  # exactly what the validator below would accept, without its overhead
    try:
        _email_validator(normalized)
    except ValidationError:
        raise InvalidIdentity(label, value, "it is not a well-formed address") from None
    return normalized


def phone_region(code: str) -> str:
    """`code` as a region numbers without a country code can be read in ("br" → "BR"); ProfileError otherwise."""
    region = code.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ProfileError(f"{code!r} is not a phone region: use a two-letter country code such as BR, MX or US.")
    return region


def normalize_phone(
    value: str, *, region: str | None = None, label: str = "phone number", bare_international_first: bool = False
) -> str:
    """Parse a phone number written in any common format and return it in E.164.

    Numbers without a country code are read in `region` (default: the
    ZDUSERS_DEFAULT_PHONE_REGION setting). A long run of digits without "+"
    (how WhatsApp ids and many exports write numbers) is also tried as an
    international number — first, with `bare_international_first` (WhatsApp ids).
    Mobile numbers in forms their country retired (Mexico's +52 1, Brazil's
    8-digit mobiles) get their current key.
    """
    text = _clean_text(value, label)
    known = _valid_international(text)
    if known is not None:
        return known
    if region is None:
        region = settings.ZDUSERS_DEFAULT_PHONE_REGION
    digits = _NOT_DIGITS.sub("", text)
    if not digits:
        raise InvalidIdentity(label, value, "it contains no digits")
    candidates = [text]
    if bare_international_first and _BARE_DIGITS.match(text):
        candidates.insert(0, "+" + digits)
    elif _BARE_INTERNATIONAL.match(text):
        candidates.append("+" + digits)
    reasons = []
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except NumberParseException as error:
            reasons.append(_parse_error_reason(error, region, written_international=candidate.startswith("+")))
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
        current = _current_mobile(number)
        if current is not None:
            return current
        reasons.append(_invalid_number_reason(number))
    # The first reading explains the problem best: as written, or as international digits for a WhatsApp id.
    raise InvalidIdentity(label, value, reasons[0])


def _valid_international(text: str) -> str | None:
    """The E.164 key of a valid number written "+<country code> <number>" with plain separators, exactly as
    `phonenumbers.parse` reads it; None for anything else (the full parse then decides and explains).

    Most imported and exported numbers are written this way, and the full parse costs ~25 µs a number: this
    takes the country code as parse does (the known code the first 1-3 digits spell), leaves to the full parse
    every number that parse would change (a national prefix to strip, Italian leading zeros, an odd length),
    and asks phonenumbers whether the number is valid.
    """
    if not _WRITTEN_INTERNATIONAL.match(text):
        return None
    digits = _NOT_DIGITS.sub("", text)
    if digits[0] == "0":
        return None
    for size in (1, 2, 3):
        country_code = int(digits[:size])
        if country_code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[size:]
    if not 2 <= len(national) <= 17 or national[0] == "0":
        return None
    national_prefix = _national_prefix_for_parsing(country_code)
    if national_prefix is None or national_prefix.match(national):
        return None
    number = PhoneNumber(country_code=country_code, national_number=int(national))
    return f"+{country_code}{national}" if phonenumbers.is_valid_number(number) else None


def _current_mobile(number: PhoneNumber) -> str | None:
    """The E.164 key of a mobile number written in a form its country has retired but WhatsApp still sends.

    WhatsApp ids are the international digits of the number the account was created with:
    Mexico's mobiles carry the "1" dropped in 2019 (`521` + 10 digits), Brazilian accounts older than
    the ninth digit keep 8-digit mobiles (area code + 8 digits starting 6-9: landlines start 2-5, so such a
    number can only be a mobile). Both forms are invalid today; each has exactly one current reading,
    and that reading must be valid too. None when the number is not one of these forms.
    """
    national = str(number.national_number)
    if number.country_code == 52 and len(national) == 11 and national[0] == "1":
        current = national[1:]
    elif number.country_code == 55 and len(national) == 10 and national[2] in "6789":
        current = national[:2] + "9" + national[2:]
    else:
        return None
    rewritten = PhoneNumber(country_code=number.country_code, national_number=int(current))
    return f"+{number.country_code}{current}" if phonenumbers.is_valid_number(rewritten) else None


@cache  # one per country code
def _national_prefix_for_parsing(country_code: int) -> re.Pattern | None:
    """What parse would strip from the start of a national number of this country code (a never-matching
    pattern when nothing); None when phonenumbers has no metadata for the country code."""
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None:
        return None
    return re.compile(metadata.national_prefix_for_parsing or r"(?!)")


def normalize_handle(kind: str, value: str) -> str:
    """Trim a messaging handle, drop a leading @ or a pasted profile link, fold case where the network does."""
    label = value_label(kind)
    text = _clean_text(value, label)
    if kind in CASE_INSENSITIVE_HANDLE_KINDS:
        link = _PROFILE_URL.match(text)
        if link:
            text = link.group("handle")
    text = text.lstrip("@")
    if not text:
        raise InvalidIdentity(label, value, "it is only an @")
    if _WHITESPACE.search(text):
        raise InvalidIdentity(label, value, "it contains a space")
    if kind in CASE_INSENSITIVE_HANDLE_KINDS:
        text = text.lower()
    return text


def _clean_text(value: str, label: str) -> str:
    if not isinstance(value, str):
        raise InvalidIdentity(label, repr(value), "it is not text")
    text = value.strip()
    if not text:
        raise InvalidIdentity(label, value, "it is empty")
    if len(text) > _MAX_LENGTH:
        raise InvalidIdentity(label, text[:40] + "…", f"it is longer than {_MAX_LENGTH} characters")
    if not text.isprintable():
        raise InvalidIdentity(label, value, "it contains control characters")
    return text


def _parse_error_reason(error: NumberParseException, region: str | None, *, written_international: bool) -> str:
    if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        if region is None and not written_international:
            return "it has no country code; write it with + and the country code or set ZDUSERS_DEFAULT_PHONE_REGION"
        return "its country code does not exist"
    if error.error_type == NumberParseException.NOT_A_NUMBER:
        return "it is not a phone number"
    if error.error_type in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
        return "it is too short"
    if error.error_type == NumberParseException.TOO_LONG:
        return "it is too long"
    return "it is not a phone number"


def _invalid_number_reason(number: phonenumbers.PhoneNumber) -> str:
    region = phonenumbers.region_code_for_country_code(number.country_code)
    place = f"+{number.country_code} ({region})" if region != "ZZ" else f"+{number.country_code}"
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in (ValidationResult.TOO_SHORT, ValidationResult.INVALID_LENGTH):
        return (
            f"it is too short for {place}"
            if possible == ValidationResult.TOO_SHORT
            else (f"it has the wrong number of digits for {place}")
        )
    if possible == ValidationResult.TOO_LONG:
        return f"it is too long for {place}"
    if possible == ValidationResult.INVALID_COUNTRY_CODE:
        return "its country code does not exist"
    return f"no such number is assigned in {place}"


def phone_variants(e164: str) -> set[str]:
    """Other E.164 keys the same line is often written as, besides `e164` itself.

    Brazil added a 9 to mobile numbers (+55 11 9xxxx-xxxx vs +55 11 xxxx-xxxx);
    Mexico dropped the 1 after +52 for mobiles; Argentina writes mobiles with or
    without the 9 after +54. Only variants that are valid numbers are returned.
    """
    variants: set[str] = set()
    if e164.startswith("+55") and len(e164) == 14 and e164[5] == "9":
        variants.add(e164[:5] + e164[6:])
    elif e164.startswith("+55") and len(e164) == 13:
        variants.add(e164[:5] + "9" + e164[5:])
    elif e164.startswith("+521"):
        variants.add("+52" + e164[4:])
    elif e164.startswith("+52"):
        variants.add("+521" + e164[3:])
    elif e164.startswith("+549"):
        variants.add("+54" + e164[4:])
    elif e164.startswith("+54"):
        variants.add("+549" + e164[3:])
    return {v for v in variants if phonenumbers.is_possible_number(phonenumbers.parse(v))}
