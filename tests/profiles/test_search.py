"""The directory's query language: what each kind of text means, and plain-word errors."""

from __future__ import annotations

from datetime import date

import pytest

from profiles.search import ParsedQuery, SearchSyntaxError, parse_query


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana.Souza@Example.com", ParsedQuery(emails=["ana.souza@example.com"])),
        ("+55 11 98765-4321", ParsedQuery(phones=["+5511987654321"])),
        ("5511987654321", ParsedQuery(phones=["+5511987654321"])),
        ("@Ana.Souza", ParsedQuery(handles=["Ana.Souza"])),
        ("souza", ParsedQuery(words=["souza"])),
        ("João Souza", ParsedQuery(words=["João Souza"])),
        ("O'Brien", ParsedQuery(words=["O'Brien"])),
        ('name:"Ana Souza"', ParsedQuery(names=["Ana Souza"])),
        ("email:ANA@example.com", ParsedQuery(emails=["ana@example.com"])),
        ('phone:"+55 (11) 98765 4321"', ParsedQuery(phones=["+5511987654321"])),
        ("org:acme tag:VIP", ParsedQuery(orgs=["acme"], tags=["vip"])),
        ('org:"Acme Logística"', ParsedQuery(orgs=["Acme Logística"])),
        ("created>2026-01-01", ParsedQuery(created_after=date(2026, 1, 2))),
        ("created>=2026-01-01", ParsedQuery(created_after=date(2026, 1, 1))),
        ("created<2026-02-01", ParsedQuery(created_before=date(2026, 2, 1))),
        ("created<=2026-02-01", ParsedQuery(created_before=date(2026, 2, 2))),
        (
            "souza org:acme created>2026-01-01",
            ParsedQuery(words=["souza"], orgs=["acme"], created_after=date(2026, 1, 2)),
        ),
        ("", ParsedQuery()),
    ],
)
def test_queries_are_read_by_their_shape_and_field_terms(text, expected):
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo:bar", "Unknown field 'foo'. Use name:, email:, phone:, org:, tag:, created> or created<."),
        ('name:"Ana', 'A quote is not closed: write name:"Ana Souza" with a quote on both sides.'),
        ("created>2026-13-01", "created> needs a date written like 2026-01-31 (got '2026-13-01')."),
        ("created:2026-01-01", "Use created>2026-01-01 or created<2026-01-01 (a date after > or <)."),
        ("email:ana", "email: 'ana' is not a valid email address: it has no @."),
        ("phone:+5512", "phone: '+5512' is not a valid phone number: it is too short"),
        ("name:", 'name: needs a value, like name:"Ana Souza".'),
        ("a", "Type at least 2 letters of a name."),
        ("size>3", "Only created compares with > or <; write size:value for other fields."),
        ("created>2026-02-01 created<2026-01-01", "created> must be earlier than created<; no profile can match both."),
        ("ana@@example.com", "'ana@@example.com' is not a valid email address"),
        ("x" * 501, "The search is longer than 500 characters; shorten it."),
    ],
)
def test_bad_syntax_is_explained_in_plain_words(text, message):
    with pytest.raises(SearchSyntaxError) as caught:
        parse_query(text)
    assert message in str(caught.value)


def test_only_a_single_email_or_phone_is_a_candidate_for_a_direct_hit():
    assert parse_query("ana@example.com").exact_contact_point
    assert parse_query("+55 11 98765-4321").exact_contact_point
    assert not parse_query("ana@example.com tag:vip").exact_contact_point
    assert not parse_query("souza").exact_contact_point
    assert parse_query("crm-77").is_only_words
    assert not parse_query("crm-77 tag:vip").is_only_words
