"""Email domains as organizations own them: lower-case host names, nothing else."""

from __future__ import annotations

import re

from organizations.errors import InvalidDomain

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(value: str) -> str:
    """Turn "Acme.COM", "@acme.com", "http://acme.com/" or "user@acme.com" into "acme.com".

    Raises InvalidDomain naming the value when what is left is not a host name with a dot.
    """
    text = (value or "").strip().lower()
    if not text:
        raise InvalidDomain(value, "it is empty")
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)  # a pasted URL: keep its host
    text = text.split("/", 1)[0].split("?", 1)[0]
    text = text.rpartition("@")[2]  # "@acme.com" or a whole address
    text = text.removeprefix("www.").rstrip(".")
    if ":" in text:
        raise InvalidDomain(value, "a domain has no port")
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidDomain(value, "it contains characters a domain cannot have") from None
    labels = text.split(".")
    if len(labels) < 2:
        raise InvalidDomain(value, "it has no dot (write it like acme.com)")
    if len(text) > 253 or not all(_LABEL.match(label) for label in labels):
        raise InvalidDomain(value, "it contains characters a domain cannot have")
    if labels[-1].isdigit():
        raise InvalidDomain(value, "an IP address is not a domain")
    return text
