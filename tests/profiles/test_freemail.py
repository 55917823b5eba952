"""Free-mail and disposable domains are recognised from the one list in profiles/freemail.py."""

from __future__ import annotations

import pytest

from profiles.freemail import DISPOSABLE, FREE_MAIL, shared_mail_kind


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.es",
        "yahoo.com",
        "yahoo.com.br",
        "yahoo.co.jp",
        "live.co.uk",
        "icloud.com",
        "uol.com.br",
        "bol.com.br",
        "sapo.pt",
        "proton.me",
    ],
)
def test_free_mail_providers_are_recognised_in_every_country(domain):
    assert shared_mail_kind(domain) == FREE_MAIL


@pytest.mark.parametrize("domain", ["mailinator.com", "guerrillamail.com", "yopmail.com", "10minutemail.com"])
def test_disposable_address_services_are_recognised(domain):
    assert shared_mail_kind(domain) == DISPOSABLE


@pytest.mark.parametrize(
    "domain",
    ["acme.com", "yahoo-logistica.com.br", "live-music.com.br", "gmail.acme.com", "mail.acme.com", "outlookcorp.com"],
)
def test_company_domains_that_merely_look_alike_are_not_flagged(domain):
    assert shared_mail_kind(domain) is None
