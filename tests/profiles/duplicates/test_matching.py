"""The matching service: which profiles are compared (blocking) and how a pair is scored and explained."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profiles.duplicates import rarity
from profiles.duplicates.matching import (
    MAX_NAME_BLOCK,
    WEIGHTS,
    ProfileFacts,
    blocking_keys,
    candidate_pairs,
    canonical_line,
    find_pairs,
    name_frequencies,
    name_tokens,
    score,
    sound_key,
)
from profiles.duplicates.rarity import NameFrequencies


def profile(id: int, name: str, **facts) -> ProfileFacts:
    return ProfileFacts(id=id, name=name, **facts)


def reasons(a: ProfileFacts, b: ProfileFacts) -> dict[str, int]:
    return {reason.text: reason.weight for reason in score(a, b).reasons}


# --- evidence -------------------------------------------------------------------------------------


def test_the_same_number_as_phone_on_one_and_whatsapp_on_the_other_is_the_same_phone():
    a = profile(1, "Ana Souza", phones=("+5511987654321",))
    b = profile(2, "Ana Souza", phones=("+5511987654321",))

    assert reasons(a, b)["same phone +5511987654321"] == WEIGHTS["same_phone"]
    assert score(a, b).score == WEIGHTS["same_phone"] + WEIGHTS["name_same"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("+5511987654321", "+551187654321"),  # Brazil's mobile 9th digit
        ("+5215512345678", "+525512345678"),  # Mexico's +52 1
        ("+5491112345678", "+541112345678"),  # Argentina's +54 9
    ],
)
def test_a_mobile_line_written_with_and_without_its_national_prefix_is_one_line(one, other):
    a = profile(1, "Ana Souza", phones=(one,))
    b = profile(2, "Ana Souza", phones=(other,))

    assert canonical_line(one) == canonical_line(other)
    assert reasons(a, b)[f"{one} and {other} are the same line written two ways"] == WEIGHTS["phone_variant"]


def test_digits_embedded_in_a_messaging_handle_count_as_a_phone_line():
    a = profile(1, "Ana Souza", phones=("+5511987654321",))
    b = profile(2, "Ana", handles=(("sdk", "wa-5511987654321"),))

    assert "same phone +5511987654321" in reasons(a, b)
    assert "p:+551187654321" in blocking_keys(b)


def test_gmail_ignores_dots_and_plus_tags():
    a = profile(1, "Ana Souza", emails=(("ana.souza@gmail.com", True),))
    b = profile(2, "Ana Souza", emails=(("anasouza+shop@googlemail.com", False),))

    text = "ana.souza@gmail.com and anasouza+shop@googlemail.com reach the same mailbox"
    assert reasons(a, b)[text] == WEIGHTS["same_mailbox"]


def test_a_plus_tag_elsewhere_is_weaker_evidence_than_at_gmail():
    a = profile(1, "Ana Souza", emails=(("ana@acme.com", True),))
    b = profile(2, "Ana Souza", emails=(("ana+support@acme.com", False),))

    assert reasons(a, b)["ana@acme.com and ana+support@acme.com reach the same mailbox"] == WEIGHTS["plus_tag"]


def test_dots_matter_outside_gmail():
    a = profile(1, "Ana Souza", emails=(("ana.souza@acme.com", True),))
    b = profile(2, "Ana Souza", emails=(("anasouza@acme.com", True),))

    assert not any("same mailbox" in text for text in reasons(a, b))


def test_the_same_distinctive_email_name_at_two_providers_is_supporting_evidence():
    a = profile(1, "Ana Souza", emails=(("ana.souza77@gmail.com", True),))
    b = profile(2, "Ana Souza", emails=(("anasouza77@hotmail.com", True),))

    assert (
        reasons(a, b)["email names ana.souza77@gmail.com / anasouza77@hotmail.com 1.00 alike"] == WEIGHTS["email_name"]
    )
    assert "l:anasouza77" in blocking_keys(a).keys() & blocking_keys(b).keys()


def test_generic_email_names_are_no_evidence():
    a = profile(1, "Ana Souza", emails=(("contato@loja-a.com.br", True),))
    b = profile(2, "Ana Souza", emails=(("contato@loja-b.com.br", True),))

    assert not any(key.startswith("l:") for key in blocking_keys(a))
    assert not any("email names" in text for text in reasons(a, b))


def test_external_ids_that_differ_only_in_formatting_are_the_same():
    a = profile(1, "Ana Souza", external_id="CUST-00123")
    b = profile(2, "Ana Souza", external_id="cust 00123")

    assert reasons(a, b)["external ids differ only in formatting"] == WEIGHTS["external_id"]


def test_different_external_ids_are_no_evidence_by_default():
    # A CRM record and a shop record of one customer: each system gave its own id.
    a = profile(1, "Lucas Prado", emails=(("lucas.prado@hotmail.com", True),), external_id="SHOP-88123")
    b = profile(2, "Lucas Prado", emails=(("lucas.prado@acme.com.br", True),), external_id="CRM-0042")
    alone = score(profile(1, "Lucas Prado", emails=a.emails), profile(2, "Lucas Prado", emails=b.emails))

    assert reasons(a, b)["different external ids (from different systems: not counted)"] == 0
    assert score(a, b).score == alone.score > 0


def test_different_external_ids_contradict_when_they_all_come_from_one_system(settings):
    settings.ZDUSERS_EXTERNAL_IDS_ARE_ONE_SYSTEM = True
    a = profile(1, "Ana Souza", phones=("+5511987654321",), external_id="A-1")
    b = profile(2, "Ana Souza", phones=("+5511987654321",), external_id="B-2")

    assert reasons(a, b)["different external ids"] == WEIGHTS["different_external_ids"]


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        ("João Silva", "joao silva", "same name 'João Silva' / 'joao silva'"),
        ("Silva João", "João Silva", "same name 'Silva João' / 'João Silva' (first and last names swapped)"),
        ("Bob Smith", "Robert Smith", "same name 'Bob Smith' / 'Robert Smith' (nickname)"),
        ("Pepe García", "José García", "same name 'Pepe García' / 'José García' (nickname)"),
    ],
)
def test_accents_case_word_order_and_nicknames_make_the_same_name(one, other, expected):
    assert reasons(profile(1, one), profile(2, other))[expected] == WEIGHTS["name_same"]


def test_a_one_letter_typo_makes_names_alike():
    found = reasons(profile(1, "Fernanda Olivera"), profile(2, "Fernanda Oliveira"))

    assert found == {"names 'Fernanda Olivera' / 'Fernanda Oliveira' 0.99 alike": WEIGHTS["name_alike"]}


def test_a_first_name_alone_matches_the_full_name():
    found = reasons(profile(1, "Mariana Costa"), profile(2, "Mariana"))

    assert found == {"first name matches 'Mariana Costa' / 'Mariana'": WEIGHTS["first_name_only"]}


def test_different_first_names_with_the_same_surname_contradict():
    found = reasons(profile(1, "Maria Silva"), profile(2, "Pedro Silva"))

    assert found["different first names 'Maria Silva' / 'Pedro Silva'"] == WEIGHTS["different_first_names"]


def test_different_surnames_contradict_even_under_a_long_shared_given_name():
    found = reasons(profile(1, "María del Carmen Delgado"), profile(2, "María del Carmen Álvarez"))

    assert found == {
        "different surnames 'María del Carmen Delgado' / 'María del Carmen Álvarez'": WEIGHTS["different_surnames"]
    }


@pytest.mark.parametrize(
    ("one", "other"),
    [("Felipe T.", "Felipe Teixeira"), ("Medina, Concepción", "Concepción Medina"), ("Ana Souza", "Ana Paula Souza")],
)
def test_an_initial_a_surname_first_export_or_a_middle_name_is_not_a_different_surname(one, other):
    assert not any("different surnames" in text for text in reasons(profile(1, one), profile(2, other)))


def test_a_username_like_name_is_the_same_name_written_as_one_word():
    found = reasons(profile(1, "Roberto Blanco"), profile(2, "robertoblanco78"))

    assert found == {"same name written as one word 'Roberto Blanco' / 'robertoblanco78'": WEIGHTS["name_same"]}


@pytest.mark.parametrize(("one", "other"), [("Gabriel Souza", "Gabriela Souza"), ("Mario Lima", "Maria Lima")])
def test_masculine_and_feminine_forms_are_different_first_names(one, other):
    assert f"different first names '{one}' / '{other}'" in reasons(profile(1, one), profile(2, other))


@pytest.mark.parametrize(("one", "other"), [("Wagner Barbosa", "Wanger Barbosa"), ("Vini Coelho", "Vinícius Coelho")])
def test_a_swapped_letter_or_a_short_form_is_the_same_first_name(one, other):
    assert not any("different first names" in text for text in reasons(profile(1, one), profile(2, other)))


@pytest.mark.parametrize("placeholder", ["", "5511987654321", "ana@example.com", "WhatsApp user", "+55 11 98765-4321"])
def test_a_placeholder_name_is_neither_evidence_nor_contradiction(placeholder):
    assert name_tokens(placeholder) == ()
    found = reasons(profile(1, "Ana Souza"), profile(2, placeholder))

    assert found == {"no name to compare on one profile": WEIGHTS["no_name"]}


# --- context --------------------------------------------------------------------------------------


def test_alike_names_inside_one_organization_are_strong_evidence():
    a = profile(1, "Ana Souza", emails=(("ana@acme.com.br", True),), organization_ids=(7,))
    b = profile(2, "Ana Sousa", emails=(("asouza@acme.com.br", True),), organization_ids=(7, 9))

    found = reasons(a, b)
    assert found["alike names inside one organization"] == WEIGHTS["alike_names_in_population"]
    assert found["both write from @acme.com.br"] == WEIGHTS["domain"]
    assert score(a, b).score >= 60


def test_alike_names_at_one_company_domain_are_strong_evidence():
    a = profile(1, "Ana Souza", emails=(("ana@acme.com.br", True),))
    b = profile(2, "Ana Souza", emails=(("asouza@acme.com.br", False),))

    assert reasons(a, b)["alike names at @acme.com.br"] == WEIGHTS["alike_names_in_population"]


def test_colleagues_are_only_in_the_same_organization():
    a = profile(1, "Ana Souza", emails=(("ana@acme.com.br", True),), phones=("+5511987654321",), organization_ids=(7,))
    b = profile(
        2, "Bruno Lima", emails=(("bruno@acme.com.br", True),), phones=("+5511987654321",), organization_ids=(7,)
    )

    found = reasons(a, b)
    assert found["both in the same organization"] == WEIGHTS["organization"]
    assert found["different verified addresses at @acme.com.br"] == WEIGHTS["different_verified_emails"]
    assert score(a, b).score < 60


def test_the_same_username_on_two_networks_is_evidence():
    a = profile(1, "Ana Souza", handles=(("instagram", "ana.souza.77"),))
    b = profile(2, "Ana Souza", handles=(("x", "ana.souza.77"),))

    assert reasons(a, b)["same username ana.souza.77 on Instagram and X (Twitter)"] == WEIGHTS["same_username"]
    assert score(a, b).score >= 60


def test_a_free_mail_domain_is_no_evidence():
    a = profile(1, "Ana Souza", emails=(("ana1@gmail.com", True),))
    b = profile(2, "Ana Souza", emails=(("souza.a@gmail.com", True),))

    assert not any("write from" in text for text in reasons(a, b))
    assert not any(key.startswith("d:") for key in blocking_keys(a))


def test_different_organizations_contradict():
    a = profile(1, "Ana Souza", phones=("+5511987654321",), organization_ids=(1,))
    b = profile(2, "Ana Souza", phones=("+5511987654321",), organization_ids=(2,))

    assert reasons(a, b)["in different organizations"] == WEIGHTS["different_organizations"]


# --- decisions at the default threshold (60) ------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (profile(1, "Roberto Silva", phones=("+5511987654321",)), profile(2, "Beto Silva", phones=("+551187654321",))),
        (
            profile(1, "Ana Souza", emails=(("a.souza@gmail.com", True),)),
            profile(2, "Ana Souza", emails=(("asouza@gmail.com", False),)),
        ),
        (profile(1, "Ana Souza", phones=("+5511987654321",)), profile(2, "5511987654321", phones=("+5511987654321",))),
    ],
    ids=["phone-variant-and-nickname", "gmail-dots", "whatsapp-profile-named-by-its-number"],
)
def test_duplicates_reach_the_threshold(a, b):
    assert score(a, b).score >= 60


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (profile(1, "Maria Silva", phones=("+5511987654321",)), profile(2, "João Silva", phones=("+5511987654321",))),
        (
            profile(1, "Ana Souza", emails=(("ana@acme.com", True),), organization_ids=(1,)),
            profile(2, "Ana Souza", emails=(("ana@globex.com", True),), organization_ids=(2,)),
        ),
    ],
    ids=["family-sharing-a-phone", "namesakes-in-different-companies"],
)
def test_look_alikes_stay_below_the_threshold(a, b):
    assert score(a, b).score < 60


# --- blocking -------------------------------------------------------------------------------------


def test_population_blocks_propose_only_alike_names():
    members = [
        profile(1, "Ana Souza", organization_ids=(5,)),
        profile(2, "Ana Sousa", organization_ids=(5,)),
        profile(3, "Pedro Lima", organization_ids=(5,)),
    ]

    assert candidate_pairs(members) == {(1, 2)}


def test_find_pairs_returns_each_pair_once_with_its_score():
    members = [
        profile(3, "Ana Souza", phones=("+5511987654321",), emails=(("ana.souza@gmail.com", True),)),
        profile(1, "Ana Souza", phones=("+551187654321",), emails=(("anasouza@gmail.com", True),)),
        profile(2, "Pedro Lima", phones=("+5511912345678",)),
    ]

    [(low, high, result)] = find_pairs(members)
    assert (low, high) == (1, 3)
    assert result.score == 100
    assert result.kinds == ["email", "name", "phone"]


def test_find_pairs_on_nothing_or_one_profile_finds_nothing():
    assert find_pairs([]) == []
    assert find_pairs([profile(1, "Ana")]) == []


# --- properties -----------------------------------------------------------------------------------

names = st.sampled_from(
    ["Ana Souza", "Ana Sousa", "Souza Ana", "Bob Smith", "Robert Smith", "", "Maria", "José García"]
)
phones = st.sampled_from(["+5511987654321", "+551187654321", "+5215512345678", "+525512345678", "+14155550100"])
emails = st.sampled_from(["ana.souza@gmail.com", "anasouza+x@gmail.com", "ana@acme.com", "bob@acme.com", "b@x.org"])
facts = st.builds(
    ProfileFacts,
    id=st.integers(1, 10_000),
    name=names,
    emails=st.lists(st.tuples(emails, st.booleans()), max_size=2, unique_by=lambda e: e[0]).map(tuple),
    phones=st.lists(phones, max_size=2, unique=True).map(tuple),
    organization_ids=st.lists(st.integers(1, 3), max_size=2, unique=True).map(tuple),
    external_id=st.none() | st.sampled_from(["C-1", "c1", "C-2"]),
)


@settings(max_examples=300)
@given(facts, facts)
def test_score_is_symmetric_and_within_0_and_100(a, b):
    b = ProfileFacts(**{**{f: getattr(b, f) for f in b.__slots__}, "id": a.id + 1})
    forward, backward = score(a, b), score(b, a)

    assert forward == backward
    assert 0 <= forward.score <= 100


@settings(max_examples=100)
@given(facts)
def test_a_profile_never_matches_itself(a):
    assert score(a, a).score == 0
    assert find_pairs([a, a]) == []


# --- names weighed by rarity in the desk -------------------------------------------------------------


def desk(*extra: ProfileFacts, crowd: int = 40, others: int = 2000) -> list[ProfileFacts]:
    """A desk of `others` distinct customers, a crowd of Maria Silvas, and `extra`."""
    first = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Fábio", "Gisele", "Hugo", "Iara", "Júlio"]
    last = [f"Sobrenome{n}" for n in range(others // len(first))]
    people = [
        profile(100_000 + n, f"{first[n % len(first)]} {last[n // len(first)]}", phones=(f"+55119{n:08d}",))
        for n in range(others)
    ]
    maria_silvas = [
        profile(200_000 + n, "Maria Silva", emails=((f"maria{n}@exemplo.com.br", True),)) for n in range(crowd)
    ]
    return [*people, *maria_silvas, *extra]


def test_a_rare_name_shared_by_an_email_profile_and_a_phone_profile_makes_a_likely_pair():
    by_email = profile(1, "Tomás Quiroga Ferrán", emails=(("tomas.quiroga@hotmail.com", True),), external_id="SHOP-1")
    by_phone = profile(2, "Tomas Quiroga Ferran", phones=("+5491123456789",), external_id="CRM-9")

    [(low, high, result)] = [found for found in find_pairs(desk(by_email, by_phone)) if found[0] == 1]

    assert (low, high) == (1, 2)
    assert result.score >= 60
    [name] = [reason for reason in result.reasons if reason.kind == "name"]
    assert name.text == ("same name 'Tomás Quiroga Ferrán' / 'Tomas Quiroga Ferran' — 2 of 2,042 profiles are named so")


def test_a_rare_name_on_three_profiles_is_one_customer_s_three_profiles_not_a_crowd():
    email, phone, whatsapp = (
        profile(1, "Tomás Quiroga Ferrán", emails=(("tomas.quiroga@hotmail.com", True),)),
        profile(2, "Tomas Quiroga Ferran", phones=("+5491123456789",)),
        profile(3, "TOMAS QUIROGA FERRAN", phones=("+5491187654321",)),
    )
    frequencies = name_frequencies(desk(email, phone, whatsapp))

    assert score(email, phone, frequencies).score >= 60
    assert score(phone, whatsapp, frequencies).score >= 60


def test_a_name_on_more_profiles_than_one_customer_has_is_a_crowd():
    namesakes = [profile(n, "Tomás Quiroga Ferrán", phones=(f"+54911234567{n:02d}",)) for n in range(1, 6)]
    frequencies = name_frequencies(desk(*namesakes))

    [name] = score(namesakes[0], namesakes[1], frequencies).reasons
    assert name.weight == rarity.SAME_NAME_FLOOR


def test_a_common_name_alone_is_never_a_likely_pair():
    by_email = profile(1, "Maria Silva", emails=(("maria.s@gmail.com", True),))
    by_phone = profile(2, "Maria Silva", phones=("+5511987654321",))
    frequencies = name_frequencies(desk(by_email, by_phone))

    assert score(by_email, by_phone, frequencies).score < 60
    [name] = score(by_email, by_phone, frequencies).reasons
    assert name.text == "same name 'Maria Silva' / 'Maria Silva' — 42 of 2,042 profiles are named so"


def test_the_rarer_the_name_the_more_it_is_worth():
    frequencies = name_frequencies(desk(crowd=40))
    common = score(profile(1, "Maria Silva"), profile(2, "Maria Silva"), frequencies)
    rare = score(profile(1, "Eulália Mascarenhas"), profile(2, "Eulália Mascarenhas"), frequencies)

    assert common.score < rare.score


def test_a_typo_does_not_make_a_common_name_rare():
    frequencies = name_frequencies(desk(crowd=40))

    typo = score(profile(1, "Maria Silva"), profile(2, "Maria Silvaa"), frequencies)

    assert typo.score < 60
    assert typo.reasons[0].text == "names 'Maria Silva' / 'Maria Silvaa' 0.98 alike — 40 of 2,040 profiles are named so"


def test_without_counts_the_fixed_weights_apply():
    assert reasons(profile(1, "Eulália Mascarenhas"), profile(2, "Eulália Mascarenhas")) == {
        "same name 'Eulália Mascarenhas' / 'Eulália Mascarenhas'": WEIGHTS["name_same"]
    }


# --- name blocking -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Tomás Quiroga Ferrán", "Tomas Quiroga Ferran"),  # accents
        ("Quiroga Tomás", "Tomás Quiroga"),  # word order
        ("Tomás Quiroga", "Tomaz Quiroga"),  # a typo in the given name: last name and initial
        ("Tomás Quiroga", "Tomás Kiroga"),  # a typo in the surname: given name and its sound
        ("Mariana Sabino Montalvão", "Mariana Sabino Monyalvão"),  # a typo in one surname: the other with the initial
        ("Alberto Quintela Valadares", "Beto Quintela Valadares"),  # a nickname: the surnames alone
    ],
)
def test_profiles_sharing_only_a_name_are_compared(one, other):
    by_email = profile(1, one, emails=(("t.q@gmail.com", True),))
    by_phone = profile(2, other, phones=("+5491123456789",))

    assert candidate_pairs([by_email, by_phone]) == {(1, 2)}


def test_a_crowd_of_one_name_is_not_compared_by_name():
    crowd = [profile(n, "Maria Silva", phones=(f"+55119876543{n:02d}",)) for n in range(MAX_NAME_BLOCK + 1)]

    assert candidate_pairs(crowd) == set()


@pytest.mark.parametrize(
    ("one", "other"),
    [("vieira", "vieiraa"), ("souza", "sousa"), ("goncalves", "goncalvez"), ("villalobos", "vilalobos"),
     ("quiroga", "kiroga"), ("guimaraes", "gimaraes")],
)  # fmt: skip
def test_surnames_that_sound_alike_have_one_sound_key(one, other):
    assert sound_key(one) == sound_key(other)


def test_surnames_that_sound_different_have_different_sound_keys():
    assert sound_key("ferreira") != sound_key("pereira")


# --- email names that only spell the name, and names of their own -----------------------------------


def test_an_email_name_that_only_spells_the_name_counts_a_little_when_written_alike():
    a = profile(1, "Lucas Prado", emails=(("lucas.prado@hotmail.com", True),))
    b = profile(2, "Lucas Prado", emails=(("lucas.prado@acme.com.br", True),))

    found = reasons(a, b)
    text = "email names lucas.prado@hotmail.com / lucas.prado@acme.com.br 1.00 alike (the name written the same way)"
    assert found[text] == WEIGHTS["email_name_spelled"] < WEIGHTS["email_name"]


def test_two_spellings_of_a_name_with_different_numbers_are_no_evidence():
    a = profile(1, "Francesca Ferrari", emails=(("francescaferrari58@hotmail.com", True),))
    b = profile(2, "Francesca Ferrari", emails=(("francesca.ferrari11@gmail.com", True),))

    assert not any(text.startswith("email names") for text in reasons(a, b))


def test_two_established_given_names_a_letter_apart_are_different_names():
    crowd = [profile(10 + n, name) for n, name in enumerate(["Diego Lima", "Diogo Reis"] * 3)]
    a, b = profile(1, "Diego Prudente Conceição"), profile(2, "Diogo Prudente Conceição")

    found = {r.text: r.weight for r in score(a, b, name_frequencies([*crowd, a, b])).reasons}

    assert found["different first names 'Diego Prudente Conceição' / 'Diogo Prudente Conceição'"] < 0


def test_a_rare_spelling_a_letter_apart_is_a_typo():
    crowd = [profile(10 + n, "Diego Lima") for n in range(3)]
    a, b = profile(1, "Diego Conceição"), profile(2, "Diegi Conceição")

    found = score(a, b, name_frequencies([*crowd, a, b]))

    assert not any("different first names" in r.text for r in found.reasons)


def test_a_typo_repeated_by_a_few_writers_is_still_a_typo_of_a_far_commoner_name():
    crowd = [profile(10 + n, f"Lily Sobrenome{n}") for n in range(20)]
    typos = [profile(40 + n, f"Liyl Outro{n}") for n in range(3)]
    a, b = profile(1, "Lily Warnock"), profile(2, "Liyl Warnock")

    found = score(a, b, name_frequencies([*crowd, *typos, a, b]))

    assert not any("different first names" in r.text for r in found.reasons)


def test_daniel_and_danielle_are_two_names():
    assert "different first names 'Daniel Hill' / 'Danielle Hill'" in reasons(
        profile(1, "Daniel Hill"), profile(2, "Danielle Hill")
    )


def test_the_readme_examples_in_a_desk_of_a_million():
    desk_of_a_million = NameFrequencies(
        profiles=1_000_000,
        tokens={"eulalia": 3, "mascarenhas": 40, "tavares": 2_000, "maria": 60_000, "silva": 45_000},
        names={"eulalia mascarenhas tavares": 2, "maria silva": 4_812},
    )
    rare = score(
        profile(1, "Eulália Mascarenhas Tavares"), profile(2, "Eulalia Mascarenhas Tavares"), desk_of_a_million
    )
    common = score(profile(1, "Maria Silva"), profile(2, "Maria Silva"), desk_of_a_million)

    assert [(r.text, r.weight) for r in rare.reasons] == [
        (
            "same name 'Eulália Mascarenhas Tavares' / 'Eulalia Mascarenhas Tavares'"
            " — 2 of 1,000,000 profiles are named so",
            75,
        )
    ]
    assert [(r.text, r.weight) for r in common.reasons] == [
        ("same name 'Maria Silva' / 'Maria Silva' — 4,812 of 1,000,000 profiles are named so", 27)
    ]
