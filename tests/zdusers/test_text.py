"""Names stored and compared in one form: NFC, nothing invisible, single spaces — on every path that writes one."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.services.contacts import record_contact
from organizations.errors import OrganizationNameTaken
from organizations.models import Organization
from organizations.services.organizations import create_organization
from profiles.errors import ProfileError
from profiles.models import EndUser
from profiles.services.profiles import update_profile
from tests.factories import EndUserFactory
from zdusers.text import _INVISIBLE, clean_name, without_invisible

NFD_SAO_BENTO = unicodedata.normalize("NFD", "São Bento Ltda")
INVISIBLES = "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u00ad"


@given(st.text())
def test_a_cleaned_name_is_nfc_visible_single_spaced_and_cleaning_it_again_changes_nothing(text):
    cleaned = clean_name(text)

    assert unicodedata.is_normalized("NFC", cleaned)
    assert not _INVISIBLE.search(cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert clean_name(cleaned) == cleaned


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cf", "Zs", "Zl", "Zp"])))
def test_visible_words_come_through_whatever_invisible_characters_surround_them(word):
    padded = "\u200b".join(word) + "\u202e"
    assert clean_name(padded) == clean_name(unicodedata.normalize("NFC", word))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (NFD_SAO_BENTO, "São Bento Ltda"),
        ("São\u200b Bento\u00a0\u00a0Ltda", "São Bento Ltda"),
        ("\u202eadbL otneB oãS", "adbL otneB oãS"),
        (INVISIBLES, ""),
        ("Zoë 👨\u200d👩\u200d👧", "Zoë 👨\u200d👩\u200d👧"),  # the emoji's zero-width joiners stay
    ],
)
def test_examples(typed, stored):
    assert clean_name(typed) == stored


def test_a_search_keeps_its_spacing_and_loses_only_invisible_characters():
    assert without_invisible('name:"Ana\u200b Souza"') == 'name:"Ana Souza"'


@pytest.mark.django_db
def test_a_name_of_invisible_characters_only_is_refused_and_the_profile_keeps_its_name():
    ana = EndUserFactory(name="Ana Souza")

    with pytest.raises(ProfileError, match="A profile needs a name"):
        update_profile(user=ana, name=INVISIBLES)

    assert EndUser.objects.get(pk=ana.pk).name == "Ana Souza"


@pytest.mark.django_db
@pytest.mark.parametrize("again", [NFD_SAO_BENTO, "São Bento\u200b Ltda", "\u2066SÃO BENTO LTDA\u2069"])
def test_one_organization_name_written_three_ways_is_one_name(again):
    create_organization(name="São Bento Ltda")

    with pytest.raises(OrganizationNameTaken):
        create_organization(name=again)

    assert list(Organization.objects.values_list("name", flat=True)) == ["São Bento Ltda"]


@pytest.mark.django_db
def test_a_channel_name_with_a_direction_override_is_stored_clean_and_found_by_the_directory(agent_client):
    result = record_contact(channel="whatsapp", contact_point="5511987654321", name="\u202eJoão\u200b Pereira")

    stored = EndUser.objects.get(pk=result.user_id)
    assert stored.name == "João Pereira"
    page = agent_client.get("/users/", {"q": "name:Jo\u200bão"}).content.decode()
    assert f'href="/users/{stored.pk}/"' in page
