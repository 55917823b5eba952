"""The organization report: contacts per month, by channel, by status and by team, for the last 12 months.

One grouped query (month, channel, status, team) feeds every breakdown, the charts,
the tables and the CSV, so they always agree. The team is the one each contact is
routed to now (organizations.routing), "No team" when none.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.selectors import ContactScope, organization_contacts
from profiles.models import ContactChannel, ContactStatus

REPORT_MONTHS = 12


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    counts: list[int]  # one per month, oldest first

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class MonthlyReport:
    scope: str
    months: list[date]  # first day of each month, oldest first
    by_channel: list[Series]  # only channels with contacts, in the channels' order
    by_status: list[Series]  # every status, in workflow order
    by_team: list[Series] = field(default_factory=list)  # teams with contacts, by name; "No team" last

    @property
    def totals(self) -> list[int]:
        return [sum(series.counts[i] for series in self.by_status) for i in range(len(self.months))]

    @property
    def total(self) -> int:
        return sum(self.totals)

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    @property
    def channel_rows(self) -> list[tuple[date, int, list[int]]]:
        """(month, total, a count per listed channel): the rows of the channel table."""
        return self._rows(self.by_channel)

    @property
    def status_rows(self) -> list[tuple[date, int, list[int]]]:
        return self._rows(self.by_status)

    @property
    def routed(self) -> bool:
        """Some of these contacts were routed to a team (otherwise the "by team" breakdown says nothing)."""
        return any(series.key != "no-team" for series in self.by_team)

    @property
    def team_rows(self) -> list[tuple[date, int, list[int]]]:
        return self._rows(self.by_team)

    def _rows(self, breakdown: list[Series]) -> list[tuple[date, int, list[int]]]:
        totals = self.totals
        return [(month, totals[i], [s.counts[i] for s in breakdown]) for i, month in enumerate(self.months)]


def report_months(now: datetime | None = None, count: int = REPORT_MONTHS) -> list[date]:
    """The first days of the last `count` months, the current one last (in the current time zone)."""
    today = timezone.localdate(now or timezone.now())
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def monthly_report(
    organization: Organization, *, scope: str = ContactScope.FILED, now: datetime | None = None
) -> MonthlyReport:
    """Contacts of `organization` (in `scope`) per month for the last 12 months, by channel and by status."""
    months = report_months(now)
    start = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
    rows = (
        organization_contacts(organization, scope=scope)
        .filter(created_at__gte=start)
        .select_related(None)
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "channel", "status", "route__team_id", "route__team__name")
        .annotate(n=Count("*"))
    )
    index = {month: i for i, month in enumerate(months)}
    channels: dict[str, list[int]] = {key: [0] * len(months) for key in ContactChannel.values}
    statuses: dict[str, list[int]] = {key: [0] * len(months) for key in ContactStatus.values}
    teams: dict[tuple[str, str], list[int]] = {}
    for month, channel, status, team_id, team_name, n in rows:
        position = index.get(_as_date(month))
        if position is None:  # a contact dated in the future
            continue
        channels.setdefault(channel, [0] * len(months))[position] += n
        statuses.setdefault(status, [0] * len(months))[position] += n
        team = (f"team-{team_id}", team_name) if team_id else ("no-team", _("No team"))
        teams.setdefault(team, [0] * len(months))[position] += n
    return MonthlyReport(
        scope=scope,
        months=months,
        by_channel=[
            Series(key, _label(ContactChannel, key), counts) for key, counts in channels.items() if any(counts)
        ],
        by_status=[Series(key, _label(ContactStatus, key), counts) for key, counts in statuses.items()],
        by_team=[
            Series(key, label, counts)
            for (key, label), counts in sorted(teams.items(), key=lambda item: (item[0][0] == "no-team", item[0][1]))
        ],
    )


def report_csv_rows(report: MonthlyReport) -> Iterator[list[str | int]]:
    """The report as CSV rows: a header, then one row per month with every channel and status as a column."""
    channel_keys, status_keys = ContactChannel.values, ContactStatus.values
    channels = {series.key: series.counts for series in report.by_channel}
    statuses = {series.key: series.counts for series in report.by_status}
    yield ["month", "total"] + [f"channel:{k}" for k in channel_keys] + [f"status:{k}" for k in status_keys]
    for i, month in enumerate(report.months):
        yield (
            [month.strftime("%Y-%m"), report.totals[i]]
            + [channels.get(k, [0] * len(report.months))[i] for k in channel_keys]
            + [statuses.get(k, [0] * len(report.months))[i] for k in status_keys]
        )


def write_report_csv(report: MonthlyReport, out) -> None:
    writer = csv.writer(out)
    writer.writerows(report_csv_rows(report))


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _label(choices, key: str) -> str:
    try:
        return str(choices(key).label)
    except ValueError:  # a value the code no longer knows: show it as stored
        return key
