"""Choice labels in the interface language, translated where they are shown, not in the models.

The models keep plain English labels: text built from them and stored (duplicate reasons, inbound log lines,
merge records) must read the same whatever language the agent who triggered it was using, and changing a
field's choices to lazy strings would also mean a migration. Pages translate a label when they show it:
`{% translate contact.get_channel_display %}` in templates, `translated_choices(...)` for form fields.

makemessages only extracts literal strings, so every label is listed once below with gettext_noop;
tests/zdusers/test_i18n.py checks the list against the models' choices.
"""

from __future__ import annotations

from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

MARKED_LABELS = (
    # EndUserSource
    gettext_noop("Import"),
    gettext_noop("Created by an agent"),
    gettext_noop("Channel (automatic)"),
    gettext_noop("API"),
    # ContactChannel
    gettext_noop("Email"),
    gettext_noop("Phone call"),
    gettext_noop("SMS"),
    gettext_noop("WhatsApp"),
    gettext_noop("Messenger"),
    gettext_noop("Instagram"),
    gettext_noop("X (Twitter)"),
    gettext_noop("Telegram"),
    gettext_noop("LINE"),
    gettext_noop("Web chat"),
    gettext_noop("Mobile SDK"),
    gettext_noop("Walk-in"),
    gettext_noop("Other"),
    # ContactStatus
    gettext_noop("New"),
    gettext_noop("Open"),
    gettext_noop("Pending"),
    gettext_noop("Solved"),
    gettext_noop("Closed"),
    # CandidateStatus
    gettext_noop("Not a duplicate"),
    gettext_noop("Merged"),
    # IdentityKind
    gettext_noop("Phone"),
    gettext_noop("Web chat / SDK user id"),
    # intake Provider
    gettext_noop("WhatsApp Cloud API"),
    gettext_noop("Twilio SMS and Voice"),
    gettext_noop("Inbound email"),
    # intake DeliveryOutcome
    gettext_noop("Recorded"),
    gettext_noop("Replayed"),
    gettext_noop("Skipped"),
    gettext_noop("Ignored"),
    gettext_noop("Refused"),
    # profiles.duplicates: the queue's tiers and reason kinds (filters)
    gettext_noop("Likely"),
    gettext_noop("Possible"),
    gettext_noop("Same phone line"),
    gettext_noop("Same mailbox"),
    gettext_noop("Same external id"),
    gettext_noop("Similar names"),
    gettext_noop("Same username"),
    gettext_noop("Same organization"),
    gettext_noop("Same email domain"),
    gettext_noop("Alike email names"),
    gettext_noop("Shared contact point"),
    gettext_noop("Contradicting evidence"),
    # profiles.duplicates.selectors.comparison: the compare page's row labels
    gettext_noop("Name"),
    gettext_noop("Source"),
    gettext_noop("Created"),
    gettext_noop("External id"),
    gettext_noop("Locale"),
    gettext_noop("Time zone"),
    gettext_noop("Organizations"),
    gettext_noop("Tags"),
)


def translated_choices(choices: type[Choices] | list[tuple[str, str]] | dict[str, str]) -> list[tuple[str, Promise]]:
    """(value, label) pairs whose labels translate when a form renders them (the labels are msgids)."""
    pairs = choices.choices if isinstance(choices, type) else choices.items() if isinstance(choices, dict) else choices
    return [(value, gettext_lazy(label)) for value, label in pairs]
