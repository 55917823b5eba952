"""The organization report: 12 months by channel and by status, its CSV, and the chart drawn from it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from organizations.charts import NARROW, WIDE, axis, stacked_bar_chart
from organizations.reports import Series, monthly_report, report_csv_rows, report_months
from organizations.selectors import ContactScope
from tests.factories import ContactFactory, EndUserFactory, MembershipFactory, OrganizationFactory

NOW = timezone.make_aware(datetime(2026, 11, 20, 12, 0))


def at(year: int, month: int, day: int = 10):
    return timezone.make_aware(datetime(year, month, day, 9, 30))


def test_the_report_covers_the_twelve_months_ending_with_the_current_one():
    months = report_months(NOW)
    assert months[0] == date(2025, 12, 1) and months[-1] == date(2026, 11, 1) and len(months) == 12


@pytest.mark.django_db
def test_contacts_are_counted_per_month_by_channel_and_by_status():
    acme = OrganizationFactory(name="Acme")
    ContactFactory(organization=acme, channel="email", status="solved", created_at=at(2026, 11, 1))
    ContactFactory(organization=acme, channel="email", status="open", created_at=at(2026, 11, 19))
    ContactFactory(organization=acme, channel="whatsapp", status="open", created_at=at(2026, 3))
    ContactFactory(organization=acme, channel="voice", status="new", created_at=at(2025, 12, 1))
    ContactFactory(organization=acme, channel="voice", status="new", created_at=at(2025, 11, 30))  # 13 months ago
    ContactFactory(organization=OrganizationFactory(), channel="sms", created_at=at(2026, 11))  # another org

    report = monthly_report(acme, now=NOW)

    assert report.total == 4
    assert [s.key for s in report.by_channel] == ["email", "voice", "whatsapp"]  # only channels with contacts
    email = next(s for s in report.by_channel if s.key == "email")
    assert email.counts[-1] == 2 and email.total == 2
    voice = next(s for s in report.by_channel if s.key == "voice")
    assert voice.counts[0] == 1 and voice.total == 1
    assert [s.key for s in report.by_status] == ["new", "open", "pending", "solved", "closed"]
    assert {s.key: s.total for s in report.by_status} == {"new": 1, "open": 2, "pending": 0, "solved": 1, "closed": 0}
    assert report.totals == [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert report.channel_rows[-1] == (date(2026, 11, 1), 2, [2, 0, 0])


@pytest.mark.django_db
def test_the_members_scope_counts_every_contact_of_current_members():
    acme = OrganizationFactory(name="Acme")
    member = EndUserFactory()
    MembershipFactory(user=member, organization=acme)
    ContactFactory(requester=member, organization=None, created_at=at(2026, 10))
    ContactFactory(organization=acme, created_at=at(2026, 10))  # filed here by someone who left
    assert monthly_report(acme, now=NOW).total == 1
    assert monthly_report(acme, scope=ContactScope.MEMBERS, now=NOW).total == 1
    assert monthly_report(acme, scope=ContactScope.MEMBERS, now=NOW).by_channel[0].counts[-2] == 1


@pytest.mark.django_db
def test_the_csv_has_every_channel_and_status_as_a_column_and_a_row_per_month():
    acme = OrganizationFactory(name="Acme")
    ContactFactory(organization=acme, channel="whatsapp", status="pending", created_at=at(2026, 2))
    rows = list(report_csv_rows(monthly_report(acme, now=NOW)))
    header = rows[0]
    assert header[:3] == ["month", "total", "channel:email"]
    assert "channel:other" in header and header[-1] == "status:closed"
    assert len(rows) == 13
    february = dict(zip(header, rows[3], strict=True))
    assert february["month"] == "2026-02"
    assert (february["total"], february["channel:whatsapp"], february["status:pending"]) == (1, 1, 1)
    assert february["channel:email"] == 0


@pytest.mark.parametrize(
    ("maximum", "expected"), [(0, (1, 1)), (3, (3, 1)), (7, (8, 2)), (133, (150, 50)), (1000, (1000, 250)), (2, (2, 1))]
)
def test_the_value_axis_ends_on_a_round_number(maximum, expected):
    assert axis(maximum) == expected


@pytest.mark.parametrize("layout", [WIDE, NARROW])
def test_bars_stack_their_segments_from_the_baseline_to_the_total(layout):
    months = report_months(NOW)
    series = [
        Series("email", "Email", [0] * 11 + [30]),
        Series("voice", "Phone call", [0] * 11 + [10]),
    ]
    chart = stacked_bar_chart("By channel", months, series, layout)
    last = chart.bars[-1]
    assert last.total == 40 and [s.title for s in last.segments] == ["Email, Nov 2026: 30", "Phone call, Nov 2026: 10"]
    top_tick = chart.ticks[-1]
    assert top_tick.value == 40 and top_tick.y == pytest.approx(last.segments[-1].y)
    assert sum(s.height for s in last.segments) == pytest.approx(chart.baseline - top_tick.y)
    # The year is written under the first month and under January only.
    assert [bar.label for bar in chart.bars[:3]] == ["Dec", "Jan", "Feb"]
    assert [bool(bar.sublabel) for bar in chart.bars[:3]] == [True, True, False]
    assert chart.bars[1].total == 0 and chart.bars[1].segments == []
    assert "Nov 2026: 40" in chart.description
