"""Email domains that belong to nobody in particular: free-mail providers and disposable-address services.

The one maintained list. An address at gmail.com says nothing about where its
owner works, so such a domain can never be an organization's domain (and so can
never auto-assign). Add a provider here, with a test if it needs a new rule.

Two kinds of entry:

- exact domains (`gmail.com`, `uol.com.br`, `mailinator.com`);
- brands that run the same free service under many country domains
  (`yahoo.com.br`, `hotmail.es`, `outlook.co.uk`): the brand followed only by a
  country or generic suffix such as `com`, `es`, `com.br` or `co.uk`.
"""

from __future__ import annotations

FREE_MAIL = "free-mail provider"
DISPOSABLE = "disposable-address service"

# Brands whose free mail lives at <brand>.<suffix> in many countries.
FREE_MAIL_BRANDS = frozenset(
    {
        "aol",
        "gmail",
        "gmx",
        "googlemail",
        "hotmail",
        "live",
        "msn",
        "outlook",
        "rocketmail",
        "windowslive",
        "yahoo",
        "yandex",
        "ymail",
    }
)

FREE_MAIL_DOMAINS = frozenset(
    {
        # Global
        "aim.com",
        "fastmail.com",
        "fastmail.fm",
        "hey.com",
        "hushmail.com",
        "icloud.com",
        "inbox.com",
        "mac.com",
        "mail.com",
        "me.com",
        "pm.me",
        "proton.me",
        "protonmail.ch",
        "protonmail.com",
        "tuta.io",
        "tutanota.com",
        "tutanota.de",
        "zoho.com",
        "zohomail.com",
        # Brazil and Latin America (most of our customers)
        "bol.com.br",
        "globo.com",
        "globomail.com",
        "ig.com.br",
        "oi.com.br",
        "r7.com",
        "terra.com.br",
        "uol.com.br",
        "zipmail.com.br",
        "arnet.com.ar",
        "fibertel.com.ar",
        "speedy.com.ar",
        "prodigy.net.mx",
        # Europe
        "btinternet.com",
        "free.fr",
        "laposte.net",
        "libero.it",
        "orange.fr",
        "sapo.pt",
        "clix.pt",
        "iol.pt",
        "netcabo.pt",
        "mail.pt",
        "sfr.fr",
        "sky.com",
        "t-online.de",
        "telefonica.net",
        "terra.es",
        "tiscali.it",
        "virgilio.it",
        "wanadoo.fr",
        "web.de",
        "interia.pl",
        "o2.pl",
        "onet.pl",
        "seznam.cz",
        "wp.pl",
        "bk.ru",
        "inbox.ru",
        "list.ru",
        "mail.ru",
        "rambler.ru",
        # North America (ISP mailboxes people use privately)
        "att.net",
        "bellsouth.net",
        "comcast.net",
        "cox.net",
        "earthlink.net",
        "juno.com",
        "sbcglobal.net",
        "verizon.net",
        # Asia
        "126.com",
        "163.com",
        "daum.net",
        "hanmail.net",
        "naver.com",
        "qq.com",
        "rediffmail.com",
        "sina.com",
    }
)

DISPOSABLE_DOMAINS = frozenset(
    {
        "10minutemail.com",
        "burnermail.io",
        "discard.email",
        "dispostable.com",
        "emailondeck.com",
        "fakeinbox.com",
        "getnada.com",
        "guerrillamail.com",
        "guerrillamail.net",
        "guerrillamail.org",
        "inboxkitten.com",
        "mail.tm",
        "mailcatch.com",
        "maildrop.cc",
        "mailinator.com",
        "mailnesia.com",
        "mintemail.com",
        "moakt.com",
        "mohmal.com",
        "sharklasers.com",
        "spamgourmet.com",
        "tempail.com",
        "temp-mail.org",
        "tempmail.com",
        "tempr.email",
        "throwawaymail.com",
        "trashmail.com",
        "yopmail.com",
        "yopmail.fr",
    }
)

# What may follow a brand: "com", "es", "com.br", "co.uk" — short labels, at most two.
_MAX_SUFFIX_LABELS = 2
_MAX_SUFFIX_LABEL_LENGTH = 3


def shared_mail_kind(domain: str) -> str | None:
    """FREE_MAIL or DISPOSABLE when `domain` (normalized, e.g. "yahoo.com.br") is such a service, else None."""
    if domain in DISPOSABLE_DOMAINS:
        return DISPOSABLE
    if domain in FREE_MAIL_DOMAINS:
        return FREE_MAIL
    brand, _, suffix = domain.partition(".")
    suffix_labels = suffix.split(".")
    if (
        brand in FREE_MAIL_BRANDS
        and len(suffix_labels) <= _MAX_SUFFIX_LABELS
        and all(0 < len(label) <= _MAX_SUFFIX_LABEL_LENGTH for label in suffix_labels)
    ):
        return FREE_MAIL
    return None
