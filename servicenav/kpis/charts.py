"""The trend of an indicator as a chart drawn on the server in SVG: no JavaScript,
printable, readable without colour. Values are points joined by a line that breaks where a
period has no value; the interval of a value, where it has one, is a thin vertical bar;
the target is a dashed line (shape, not only colour, tells them apart). The image has a
title and a description in words, and the page puts every figure in a table beside it.

Colours hold at least 3:1 against white for the graphics and 4.5:1 for the text
(WCAG 2.1 AA, 1.4.3 and 1.4.11)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

WIDTH, HEIGHT = 640, 285
LEFT, RIGHT, TOP, BOTTOM = 64, 624, 44, 250
INK, MUTED, GRID = "#1b1b1b", "#4a4a4a", "#d9d9d9"
VALUE = "#0b3a66"  # 11.9:1 on white
TARGET = "#8a4b00"  # 6.6:1 on white
MOST_LABELS = 8  # period labels under the axis; more would overlap


@dataclass(frozen=True)
class ChartPoint:
    """One period of the trend: its short label, and what was measured and aimed at."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    target: float | None = None


def _number(value: float) -> str:
    digits = 0 if float(value).is_integer() else 1
    return number_format(round(value, digits), digits)


def _axis(figures: Sequence[float], *, percent: bool) -> tuple[float, float, float]:
    """A range with round ticks covering the figures, a little padded; 0–100 at most for
    percentages."""
    low, high = (min(figures), max(figures)) if figures else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - max(abs(low) * 0.1, 1.0), high + max(abs(high) * 0.1, 1.0)
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if min(figures, default=0.0) >= 0:
        low = max(low, 0.0)
    if percent and max(figures, default=0.0) <= 100:
        high = min(high, 100.0)
    return low, high, step


class _Frame:
    """Maps period positions (x) and figures (y) to the drawing."""

    def __init__(self, points: Sequence[ChartPoint], *, percent: bool) -> None:
        figures = [
            figure
            for point in points
            for figure in (point.value, point.low, point.high, point.target)
            if figure is not None
        ]
        self.low, self.high, self.step = _axis(figures, percent=percent)
        self.slot = (RIGHT - LEFT) / max(len(points), 1)

    def x(self, position: float) -> float:
        return round(LEFT + (position + 0.5) * self.slot, 1)

    def y(self, figure: float) -> float:
        return round(BOTTOM - (figure - self.low) / (self.high - self.low) * (BOTTOM - TOP), 1)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


def _grid(frame: _Frame) -> SafeString:
    lines = [
        (LEFT, frame.y(tick), RIGHT, frame.y(tick), LEFT - 8, frame.y(tick) + 4, _number(tick))
        for tick in frame.ticks()
    ]
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="' + GRID + '" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="' + MUTED + '">{}</text>',
        lines,
    )


def _period_labels(frame: _Frame, points: Sequence[ChartPoint]) -> SafeString:
    """Labels under the axis: every k-th period, counted back from the latest."""
    every = math.ceil(len(points) / MOST_LABELS) or 1
    last = len(points) - 1
    labels = [
        (frame.x(i), BOTTOM + 20, point.label)
        for i, point in enumerate(points)
        if (last - i) % every == 0
    ]
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>{}',
        LEFT,
        BOTTOM,
        RIGHT,
        BOTTOM,
        INK,
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="'
            + MUTED
            + '">{}</text>',
            labels,
        ),
    )


def _runs(points: Sequence[ChartPoint], figure: str) -> list[list[tuple[int, float]]]:
    """Consecutive periods that have `figure` ("value" or "target"), as (position, figure)
    runs; a period without it ends a run, so a line drawn per run leaves a gap there."""
    runs: list[list[tuple[int, float]]] = []
    previous: int | None = None
    for position, point in enumerate(points):
        value = getattr(point, figure)
        if value is None:
            continue
        if previous is None or position != previous + 1:
            runs.append([])
        runs[-1].append((position, value))
        previous = position
    return runs


def _target(frame: _Frame, points: Sequence[ChartPoint]) -> SafeString:
    """The target as a dashed line, level while it stays the same and broken where it
    changes (a new year's target) or is missing."""
    segments: list[tuple[int, int, float]] = []  # first position, last position, target
    for run in _runs(points, "target"):
        for position, value in run:
            if segments and segments[-1][1] == position - 1 and segments[-1][2] == value:
                segments[-1] = (segments[-1][0], position, value)
            else:
                segments.append((position, position, value))
    lines = [
        (frame.x(first - 0.45), frame.y(value), frame.x(last + 0.45), frame.y(value))
        for first, last, value in segments
    ]
    return format_html_join(
        "",
        '<line class="target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="' + TARGET + '" '
        'stroke-width="2.5" stroke-dasharray="8 5"/>',
        lines,
    )


def _values(frame: _Frame, points: Sequence[ChartPoint]) -> SafeString:
    lines = [
        (" ".join(f"{frame.x(position)},{frame.y(value)}" for position, value in run),)
        for run in _runs(points, "value")
        if len(run) > 1
    ]
    intervals = [
        (frame.x(i), frame.y(point.low), frame.x(i), frame.y(point.high))
        for i, point in enumerate(points)
        if point.value is not None and point.low is not None and point.high is not None
    ]
    dots = [
        (frame.x(i), frame.y(point.value))
        for i, point in enumerate(points)
        if point.value is not None
    ]
    return format_html(
        "{}{}{}",
        format_html_join(
            "",
            '<line class="interval" x1="{}" y1="{}" x2="{}" y2="{}" stroke="' + VALUE + '" '
            'stroke-width="1.5"/>',
            intervals,
        ),
        format_html_join(
            "",
            '<polyline class="value-line" points="{}" fill="none" stroke="' + VALUE + '" '
            'stroke-width="2"/>',
            lines,
        ),
        format_html_join(
            "",
            '<circle class="point" cx="{}" cy="{}" r="5" fill="' + VALUE + '" stroke="#ffffff" '
            'stroke-width="1.5"/>',
            dots,
        ),
    )


def _legend(value_label: str) -> SafeString:
    return format_html(
        '<g class="legend"><line x1="{}" y1="18" x2="{}" y2="18" stroke="{}" stroke-width="2"/>'
        '<circle cx="{}" cy="18" r="5" fill="{}"/>'
        '<text x="{}" y="22" font-size="13" fill="{}">{}</text>'
        '<line x1="{}" y1="18" x2="{}" y2="18" stroke="{}" stroke-width="2.5" '
        'stroke-dasharray="8 5"/><text x="{}" y="22" font-size="13" fill="{}">{}</text></g>',
        LEFT,
        LEFT + 28,
        VALUE,
        LEFT + 14,
        VALUE,
        LEFT + 36,
        INK,
        value_label,
        LEFT + 300,
        LEFT + 328,
        TARGET,
        LEFT + 336,
        INK,
        _("Target"),
    )


def _missing(points: Iterable[ChartPoint]) -> list[str]:
    return [point.label for point in points if point.value is None]


def trend_description(points: Sequence[ChartPoint], unit_label: str) -> str:
    """The chart in words, for the SVG's <desc>: the span, the latest value against its
    target, the range, and the periods without a value. The table gives every figure."""
    measured = [point for point in points if point.value is not None]
    if not measured:
        return _("No period from %(first)s to %(last)s has a value.") % {
            "first": points[0].label if points else "",
            "last": points[-1].label if points else "",
        }
    latest = measured[-1]
    text = _(
        "%(count)s periods from %(first)s to %(last)s, in %(unit)s. Latest value %(value)s "
        "(%(period)s), target %(target)s. Lowest %(lowest)s, highest %(highest)s."
    ) % {
        "count": len(points),
        "first": points[0].label,
        "last": points[-1].label,
        "unit": unit_label,
        "value": _number(latest.value or 0.0),
        "period": latest.label,
        "target": _number(latest.target) if latest.target is not None else "–",
        "lowest": _number(min(point.value or 0.0 for point in measured)),
        "highest": _number(max(point.value or 0.0 for point in measured)),
    }
    if missing := _missing(points):
        text += " " + _("No value in: %(periods)s.") % {"periods": ", ".join(missing)}
    return text


def trend_svg(
    points: Sequence[ChartPoint],
    *,
    title: str,
    unit_label: str,
    percent: bool = False,
    id_prefix: str = "trend",
) -> SafeString:
    """The trend as an accessible SVG image (role="img", named by its title and
    described by its description)."""
    frame = _Frame(points, percent=percent)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        trend_description(points, unit_label),
        WIDTH,
        HEIGHT,
        _grid(frame),
        _period_labels(frame, points),
        _target(frame, points),
        _values(frame, points),
        _legend(_("Value (%(unit)s)") % {"unit": unit_label}),
    )
