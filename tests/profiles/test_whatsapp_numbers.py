"""Every form in which WhatsApp and people write one mobile line reaches one key.

WhatsApp ids are the international digits without "+"; for Mexico they keep the "1" retired in 2019
(`521` + 10 digits), for Brazilian accounts older than the ninth digit an 8-digit mobile (`55` + area code
+ 8 digits starting 6-9); Argentina's ids carry the mobile "9" (`549`), as E.164 does.
"""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from profiles.errors import InvalidIdentity
from profiles.identities import normalize

DESK_REGIONS = [None, "BR", "MX", "AR", "ES"]


@pytest.mark.parametrize(
    ("kind", "written", "key"),
    [
        ("whatsapp", "5219999597727", "+529999597727"),  # WhatsApp's id of a Mexican mobile
        ("whatsapp", "+52 1 999 959 7727", "+529999597727"),
        ("phone", "+52 999 959 7727", "+529999597727"),
        ("whatsapp", "554163103529", "+5541963103529"),  # a Brazilian account from before the ninth digit
        ("whatsapp", "+55 41 6310-3529", "+5541963103529"),
        ("phone", "+55 41 96310-3529", "+5541963103529"),
        ("whatsapp", "5491123456789", "+5491123456789"),  # Argentina: the id keeps the mobile 9, as E.164 does
        ("phone", "+54 9 11 2345-6789", "+5491123456789"),
    ],
)
@pytest.mark.parametrize("region", DESK_REGIONS)
def test_the_forms_whatsapp_sends_reach_the_line_s_key(kind, written, key, region):
    assert normalize(kind, written, region=region) == key


@pytest.mark.parametrize(
    "region_of_number", sorted(r for r in phonenumbers.SUPPORTED_REGIONS if phonenumbers.example_number_for_type(r, 1))
)
def test_a_mobile_of_every_region_reaches_one_key_however_it_is_written(region_of_number):
    example = phonenumbers.example_number_for_type(region_of_number, phonenumbers.PhoneNumberType.MOBILE)
    key = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    international = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    whatsapp_forms = [key, international] + ([key[1:]] if len(key) > 8 else [])  # ids have 8+ digits
    for region in DESK_REGIONS:
        assert {normalize("whatsapp", form, region=region) for form in whatsapp_forms} == {key}
    assert normalize("phone", national, region=region_of_number) == key
    assert normalize("whatsapp", national, region=region_of_number) == key


# Brazilian mobiles: area codes that exist, 8 digits after the 9.
_BR_AREAS = [a for a in range(11, 100) if phonenumbers.is_valid_number(phonenumbers.parse(f"+55{a}987654321"))]


@given(area=st.sampled_from(_BR_AREAS), local=st.integers(60_000_000, 99_999_999), region=st.sampled_from(DESK_REGIONS))
def test_a_brazilian_mobile_without_its_ninth_digit_reaches_its_current_key(area, local, region):
    assume(phonenumbers.is_valid_number(phonenumbers.parse(f"+55{area}9{local}")))
    # Some 8-digit lines are numbers in their own right today (radio and fixed lines in a few areas): they keep it.
    assume(not phonenumbers.is_valid_number(phonenumbers.parse(f"+55{area}{local}")))
    key = f"+55{area}9{local}"
    for written in (f"55{area}{local}", f"+55 {area} {local // 10_000}-{local % 10_000:04d}"):
        assert normalize("whatsapp", written, region=region) == key


@given(national=st.integers(2_000_000_000, 9_999_999_999), region=st.sampled_from(DESK_REGIONS))
def test_a_mexican_mobile_with_the_retired_1_reaches_its_current_key(national, region):
    number = phonenumbers.parse(f"+52{national}")
    assume(phonenumbers.is_valid_number(number))
    key = f"+52{national}"
    for written in (f"521{national}", f"+52 1 {national}"):
        assert normalize("whatsapp", written, region=region) == key


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("+55 20 6310-3529", "+55 (BR)"),  # a legacy mobile's shape, but area code 20 does not exist
        ("5210000000000", "+52 (MX)"),  # the retired 1, but no current number behind it
        ("123", "too short"),
    ],
)
def test_a_number_that_is_truly_impossible_is_still_refused_with_a_reason(written, reason):
    with pytest.raises(InvalidIdentity) as refusal:
        normalize("whatsapp", written, region="BR")
    assert reason in refusal.value.message
