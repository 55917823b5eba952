"""Email domains are stored as bare lower-case host names; anything else is refused with a reason."""

from __future__ import annotations

import pytest

from organizations.domains import normalize_domain
from organizations.errors import InvalidDomain


@pytest.mark.parametrize(
    "written",
    [
        "acme.com",
        "ACME.com",
        " @acme.com",
        "http://acme.com/",
        "https://www.acme.com/contact?x=1",
        "sales@Acme.com",
        "acme.com.",
    ],
)
def test_ways_of_writing_a_domain_meet_on_one_form(written):
    assert normalize_domain(written) == "acme.com"


def test_international_domains_are_stored_in_their_ascii_form():
    assert normalize_domain("Bücher.de") == "xn--bcher-kva.de"


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("acme", "it has no dot"),
        ("", "it is empty"),
        ("acme.com:8080", "a domain has no port"),
        ("ac me.com", "characters a domain cannot have"),
        ("-acme.com", "characters a domain cannot have"),
        ("10.0.0.1", "an IP address is not a domain"),
    ],
)
def test_what_is_not_a_domain_is_refused_with_the_reason(written, reason):
    with pytest.raises(InvalidDomain) as caught:
        normalize_domain(written)
    assert f"{written!r} is not an email domain" in str(caught.value)
    assert reason in str(caught.value)
