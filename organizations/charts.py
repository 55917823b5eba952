"""Server-side SVG bar charts: the geometry is computed here, the template only draws rectangles.

No JavaScript and no chart library: a stacked bar per month, a few horizontal
grid lines with round numbers, a legend. The numbers are also given as a table
next to the chart, so nothing is only in the picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.utils.dateformat import format as format_date

from organizations.reports import Series

# Two layouts of the same chart; the page shows one or the other by screen width (CSS), so
# labels stay legible on a phone instead of shrinking with the picture.
WIDE = {"width": 960, "height": 280, "left": 52, "right": 8, "top": 16, "bottom": 42, "year": "Y"}
NARROW = {"width": 360, "height": 240, "left": 34, "right": 4, "top": 16, "bottom": 38, "year": "\\'y"}
BAR_FILL = 0.62  # share of a month's slot the bar takes

# Distinguishable on white and for common colour-vision deficiencies (Okabe-Ito first, then extended).
PALETTE = [
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#5b6676",
    "#f0c419",
    "#7b3294",
    "#1f3a93",
    "#a6761d",
    "#e7298a",
    "#66a61e",
]


# Statuses read as a workflow: waiting (amber), open (vermillion), pending (blue), solved (green), closed (grey).
STATUS_COLORS = {"new": "#e69f00", "open": "#d55e00", "pending": "#0072b2", "solved": "#009e73", "closed": "#8a94a3"}


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass(frozen=True)
class Bar:
    month: date
    label: str
    sublabel: str  # the year under January and under the first bar
    label_x: float
    total: int
    total_y: float
    segments: list[Segment]


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class LegendItem:
    label: str
    color: str
    total: int


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    legend: list[LegendItem]

    @property
    def description(self) -> str:
        parts = [f"{format_date(bar.month, 'M Y')}: {bar.total:,}" for bar in self.bars]
        return f"{self.title}. " + "; ".join(parts) + "."


def nice_step(value: float) -> int:
    """The smallest of 1, 2, 2.5, 5 times 10^k (an integer, at least 1) that is at least `value`."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * magnitude
        if candidate >= value and candidate == int(candidate):  # 2.5 only from 25 up
            return int(candidate)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def axis(maximum: int, *, intervals: int = 4) -> tuple[int, int]:
    """(top, step) of a value axis from 0 with round ticks: 133 → (150, 50); 7 → (8, 2); 0 → (1, 1)."""
    step = nice_step(maximum / intervals)
    return max(step * math.ceil(maximum / step), step), step


def stacked_bar_chart(
    title: str,
    months: list[date],
    series: list[Series],
    layout: dict | None = None,
    colors: dict[str, str] | None = None,
) -> Chart:
    """A stacked bar per month: one segment per series with contacts that month.

    `colors` maps series keys to colours; the others take the palette in series order.
    """
    layout = layout or WIDE
    width, height = layout["width"], layout["height"]
    plot_left, plot_right = layout["left"], width - layout["right"]
    baseline = height - layout["bottom"]
    plot_height = baseline - layout["top"]
    totals = [sum(s.counts[i] for s in series) for i in range(len(months))]
    top, step = axis(max(totals, default=0))
    scale = plot_height / top
    slot = (plot_right - plot_left) / max(len(months), 1)
    bar_width = slot * BAR_FILL
    colors = {s.key: (colors or {}).get(s.key) or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    bars = []
    for i, month in enumerate(months):
        x = plot_left + slot * i + (slot - bar_width) / 2
        y = baseline
        segments = []
        month_label = format_date(month, "M Y")
        for s in series:
            count = s.counts[i]
            if not count:
                continue
            segment_height = count * scale
            y -= segment_height
            segments.append(
                Segment(
                    x=round(x, 2),
                    y=round(y, 2),
                    width=round(bar_width, 2),
                    height=round(segment_height, 2),
                    color=colors[s.key],
                    title=f"{s.label}, {month_label}: {count:,}",
                )
            )
        first_of_year = i == 0 or month.month == 1
        bars.append(
            Bar(
                month=month,
                label=format_date(month, "M"),
                sublabel=format_date(month, layout["year"]) if first_of_year else "",
                label_x=round(x + bar_width / 2, 2),
                total=totals[i],
                total_y=round(y - 4, 2),
                segments=segments,
            )
        )
    ticks = [Tick(value=v, y=round(baseline - v * scale, 2)) for v in range(0, top + 1, step)]
    return Chart(
        title=title,
        width=width,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        baseline=baseline,
        bars=bars,
        ticks=ticks,
        legend=[LegendItem(s.label, colors[s.key], s.total) for s in series],
    )


@dataclass(frozen=True)
class ResponsiveChart:
    """The same chart drawn for wide screens and for phones; one legend."""

    title: str
    wide: Chart
    narrow: Chart

    @property
    def legend(self) -> list[LegendItem]:
        return self.wide.legend

    @property
    def drawings(self) -> list[tuple[Chart, str]]:
        return [(self.wide, "wide"), (self.narrow, "narrow")]

    @property
    def description(self) -> str:
        return self.wide.description


def responsive_stacked_bar_chart(
    title: str, months: list[date], series: list[Series], colors: dict[str, str] | None = None
) -> ResponsiveChart:
    return ResponsiveChart(
        title=title,
        wide=stacked_bar_chart(title, months, series, WIDE, colors),
        narrow=stacked_bar_chart(title, months, series, NARROW, colors),
    )
