"""The inbound log keeps each channel's latest lines, fits long values to its columns, and trims now and then."""

from __future__ import annotations

import pytest

from intake.models import DeliveryOutcome, InboundDelivery, Provider, WebhookChannel
from intake.services import inbound_log
from intake.services.inbound_log import LogLine, log_deliveries, trim

pytestmark = pytest.mark.django_db

SECRET = "0123456789abcdef0123456789abcdef"


def channel(slug: str) -> WebhookChannel:
    return WebhookChannel.objects.create(provider=Provider.EMAIL, name=slug, slug=slug, secret=SECRET)


def recorded(n: int) -> list[LogLine]:
    return [LogLine(DeliveryOutcome.RECORDED, source_ref=f"m{i}") for i in range(n)]


def test_trim_keeps_the_latest_lines_of_that_channel_only():
    busy, quiet = channel("busy"), channel("quiet")
    log_deliveries(quiet, recorded(3))
    log_deliveries(busy, recorded(8))

    assert trim(busy, keep=5) == 3

    assert list(busy.deliveries.order_by("id").values_list("source_ref", flat=True)) == ["m3", "m4", "m5", "m6", "m7"]
    assert quiet.deliveries.count() == 3
    assert trim(busy, keep=5) == 0


def test_a_busy_channel_is_trimmed_when_the_log_s_ids_cross_a_multiple_of_trim_every(monkeypatch):
    monkeypatch.setattr(inbound_log, "KEPT_PER_CHANNEL", 4)
    monkeypatch.setattr(inbound_log, "TRIM_EVERY", 10)
    busy = channel("busy")

    for _ in range(5):
        log_deliveries(busy, recorded(3))

    # 15 lines written; the ids crossed multiples of 10 once or twice, each time leaving the latest 4 and
    # letting fewer than 10 more in since.
    assert 4 <= busy.deliveries.count() < 4 + 10
    assert busy.deliveries.order_by("-id").first().source_ref == "m2"


def test_values_longer_than_their_columns_are_cut_with_an_ellipsis():
    inbox = channel("inbox")

    log_deliveries(inbox, [LogLine(DeliveryOutcome.SKIPPED, source_ref="r" * 300, sender="s" * 300, detail="d" * 900)])

    line = InboundDelivery.objects.get()
    assert (len(line.source_ref), len(line.sender), len(line.detail)) == (255, 255, 500)
    assert line.detail.endswith("…")


def test_nothing_to_log_writes_nothing():
    log_deliveries(channel("inbox"), [])

    assert not InboundDelivery.objects.exists()


def test_a_nul_character_a_provider_sent_is_logged_visibly_not_refused_by_the_database():
    inbox = channel("inbox")

    log_deliveries(inbox, [LogLine(DeliveryOutcome.SKIPPED, source_ref="SM\x00x", sender="+55\x00", detail="bad\x00")])

    line = InboundDelivery.objects.get()
    assert (line.source_ref, line.sender, line.detail) == ("SM\\0x", "+55\\0", "bad\\0")
