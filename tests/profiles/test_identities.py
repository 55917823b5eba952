"""Normalization: one key per contact point, however it was written."""

from __future__ import annotations

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.errors import InvalidIdentity
from profiles.identities import (
    IdentityKind,
    _valid_international,
    normalize,
    normalize_email,
    normalize_handle,
    normalize_phone,
)

HANDLE_KINDS = [kind for kind in IdentityKind.values if kind not in ("email", "phone", "whatsapp")]
BRAZIL_MOBILE = "+5511987654321"

# Valid numbers from libphonenumber's own examples, written the ways people write them.
_REGIONS = ["BR", "MX", "AR", "ES", "US", "GB", "DE", "PT", "CO", "CL", "IN", "FR"]
_EXAMPLES = [phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE) for region in _REGIONS]
_FORMATS = [
    phonenumbers.PhoneNumberFormat.E164,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.RFC3966,
]


@st.composite
def written_phone_numbers(draw) -> tuple[str, str]:
    number = draw(st.sampled_from(_EXAMPLES))
    written = phonenumbers.format_number(number, draw(st.sampled_from(_FORMATS)))
    padding = draw(st.sampled_from(["", " ", "  ", "\t"]))
    return padding + written + padding, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


emails = st.emails().map(lambda address: address.upper() if len(address) % 2 else address)


@given(emails)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_normalizing_an_email_twice_changes_nothing(address):
    key = normalize_email("  " + address + " ")
    assert normalize_email(key) == key
    assert key == key.lower().strip()


@given(
    st.one_of(
        emails,
        st.from_regex(r"[a-z0-9.!#'+\-\"]{0,8}@[a-z0-9.\-\[\]:]{0,12}", fullmatch=True),
        st.text(alphabet="ab.-@_é[]1:", max_size=16),
    )
)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_an_email_is_accepted_exactly_when_djangos_validator_accepts_it(text):
    try:
        key = normalize_email(text)
    except InvalidIdentity:
        key = None
    stripped = text.strip().removeprefix("mailto:").strip()
    try:
        validate_email(stripped.lower())
        django_accepts = "." in stripped.rpartition("@")[2]  # we also ask for a dotted domain
    except ValidationError:
        django_accepts = False
    assert (key is not None) == django_accepts
    assert key in (None, stripped.lower())


_ALL_REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


@st.composite
def numbers_written_with_a_plus(draw) -> str:
    """A plus sign and digits with plain separators: valid numbers of any region (several formats, digits changed, some
    written with a trunk 0), and random digit strings."""
    region = draw(st.sampled_from(_ALL_REGIONS))
    kind = draw(st.sampled_from([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]))
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None or draw(st.booleans()):
        digits = draw(st.from_regex(r"[0-9]{3,19}", fullmatch=True))
    else:
        digits = f"{example.country_code}{'0' if draw(st.booleans()) else ''}{example.national_number}"
        if draw(st.booleans()):  # another number of the same shape, maybe unassigned
            position = draw(st.integers(len(str(example.country_code)), len(digits) - 1))
            digits = digits[:position] + str(draw(st.integers(0, 9))) + digits[position + 1 :]
    separators = draw(st.lists(st.sampled_from(["", "", " ", "-", ".", "(", ")"]), min_size=len(digits)))
    return "+" + "".join(digit + separator for digit, separator in zip(digits, separators, strict=False))


@given(numbers_written_with_a_plus())
@settings(max_examples=400)
def test_the_fast_reading_of_international_numbers_agrees_with_phonenumbers(text):
    fast = _valid_international(text)
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        assert fast is None
        return
    if phonenumbers.is_valid_number(number):
        assert fast in (None, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    else:
        assert fast is None


def test_the_fast_reading_covers_plainly_written_international_numbers():
    assert _valid_international("+55 11 98765-4321") == BRAZIL_MOBILE
    assert _valid_international("+1 (650) 253-0000") == "+16502530000"
    assert _valid_international("+44 (0)20 7031 3000") is None  # a trunk 0 to drop: the full parse reads it


@given(written_phone_numbers())
def test_a_phone_in_any_international_format_normalizes_to_its_e164_key_and_stays_there(written_and_key):
    written, key = written_and_key
    assert normalize_phone(written, region=None) == key
    assert normalize_phone(key, region=None) == key


@given(st.sampled_from(HANDLE_KINDS), st.from_regex(r"@?[A-Za-z0-9_.]{1,30}", fullmatch=True))
def test_normalizing_a_handle_twice_changes_nothing(kind, handle):
    if not handle.lstrip("@"):
        return
    key = normalize(kind, handle)
    assert normalize(kind, key) == key
    assert not key.startswith("@")


@given(st.text(max_size=40))
def test_any_text_either_normalizes_to_a_stable_key_or_is_refused_naming_the_value(text):
    for kind in IdentityKind.values:
        try:
            key = normalize(kind, text)
        except InvalidIdentity as error:
            assert error.value in (text, text.strip()) or error.value.endswith("…") or error.value == repr(text)
            assert error.reason
            continue
        assert normalize(kind, key) == key


@pytest.mark.parametrize(
    ("written", "region"),
    [("+55 11 98765-4321", None), ("(11) 98765-4321", "BR"), ("5511987654321", None), ("5511987654321", "US")],
)
def test_brazilian_mobile_written_three_ways_meets_on_one_key(written, region):
    assert normalize_phone(written, region=region) == BRAZIL_MOBILE


def test_national_format_uses_the_default_region_setting(settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"
    assert normalize("phone", "(11) 98765-4321") == BRAZIL_MOBILE
    assert normalize("whatsapp", "11 98765 4321") == BRAZIL_MOBILE


def test_national_format_without_a_default_region_explains_how_to_fix_it(settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = None
    with pytest.raises(InvalidIdentity) as caught:
        normalize("phone", "(11) 98765-4321")
    assert "'(11) 98765-4321' is not a valid phone number" in str(caught.value)
    assert "ZDUSERS_DEFAULT_PHONE_REGION" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [
        ("email", "ana.souza", "it has no @"),
        ("email", "@example.com", "nothing comes before the @"),
        ("email", "ana@", "nothing comes after the @"),
        ("email", "ana souza@example.com", "it contains a space"),
        ("email", "ana@localhost", "the domain 'localhost' has no dot"),
        ("email", "ana@@example.com", "it is not a well-formed address"),
        ("email", "   ", "it is empty"),
        ("phone", "call me maybe", "it contains no digits"),
        ("phone", "+55 11 1234", "too short"),
        ("phone", "+999 1234 5678", "its country code does not exist"),
        ("phone", "+1 555 0100 123456789", "too long"),
        ("phone", "+55 11 08765-4321", "no such number is assigned in +55 (BR)"),
        ("instagram", "@", "it is only an @"),
        ("x", "ana souza", "it contains a space"),
        ("telegram", "ana\x00", "it contains control characters"),
    ],
)
def test_invalid_input_is_refused_with_the_value_and_the_reason(kind, value, reason):
    with pytest.raises(InvalidIdentity) as caught:
        normalize(kind, value)
    message = str(caught.value)
    assert repr(value) in message or repr(value.strip()) in message
    assert reason in message


def test_an_unknown_kind_is_refused_listing_the_kinds():
    with pytest.raises(InvalidIdentity, match="choose one of email, phone"):
        normalize("fax", "123")


def test_email_is_trimmed_lower_cased_and_loses_a_mailto_prefix():
    assert normalize_email("  mailto:Ana.Souza@Example.COM ") == "ana.souza@example.com"


def test_handles_lose_the_at_sign_and_case_only_where_the_network_ignores_case():
    assert normalize_handle("instagram", " @Ana.Souza ") == "ana.souza"
    assert normalize_handle("x", "https://x.com/AnaSouza") == "anasouza"
    assert normalize_handle("telegram", "t.me/AnaSouza") == "anasouza"
    assert normalize_handle("sdk", "User-4F2A") == "User-4F2A"
    assert normalize_handle("line", "Uabc123DEF") == "Uabc123DEF"


def test_a_whatsapp_id_without_plus_shares_the_phone_key_space():
    assert normalize("whatsapp", "5511987654321") == normalize("phone", "+55 (11) 98765-4321")
