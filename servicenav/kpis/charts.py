"""The trend of an indicator as a chart drawn on the server in SVG: no JavaScript,
printable, readable without colour. Values are points joined by a line that breaks where a
period has no value; the interval of a value, where it has one, is a thin vertical bar;
the target is a dashed line (shape, not only colour, tells them apart). The image has a
title and a description in words, and the page puts every figure in a table beside it.

Colours hold at least 3:1 against white for the graphics and 4.5:1 for the text
(WCAG 2.1 AA, 1.4.3 and 1.4.11)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from servicenav.core.charts import (
    INK,
    Area,
    Frame,
    Scale,
    grid,
    number,
    runs,
    svg_image,
    x_axis,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 285
AREA = Area(left=64, right=624, top=44, bottom=250)
LEFT = AREA.left
VALUE = "#0b3a66"  # 11.9:1 on white
TARGET = "#8a4b00"  # 6.6:1 on white


@dataclass(frozen=True)
class ChartPoint:
    """One period of the trend: its short label, and what was measured and aimed at."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    target: float | None = None


def _scale(figures: Sequence[float], *, percent: bool) -> Scale:
    """Round ticks covering the figures, a little padded, from 0 at the lowest when none is
    negative; 0–100 at most for percentages."""
    low, high = (min(figures), max(figures)) if figures else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - max(abs(low) * 0.1, 1.0), high + max(abs(high) * 0.1, 1.0)
    pad = (high - low) * 0.1
    scale = Scale.covering(low - pad, high + pad)
    if min(figures, default=0.0) >= 0:
        scale = replace(scale, low=max(scale.low, 0.0))
    return scale.for_percentages(figures) if percent else scale


def _frame(points: Sequence[ChartPoint], *, percent: bool) -> Frame:
    figures = [
        figure
        for point in points
        for figure in (point.value, point.low, point.high, point.target)
        if figure is not None
    ]
    return Frame(AREA, len(points), _scale(figures, percent=percent))


def _target(frame: Frame, points: Sequence[ChartPoint]) -> SafeString:
    """The target as a dashed line, level while it stays the same and broken where it
    changes (a new year's target) or is missing."""
    segments: list[tuple[int, int, float]] = []  # first position, last position, target
    for run in runs([point.target for point in points]):
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


def _values(frame: Frame, points: Sequence[ChartPoint]) -> SafeString:
    lines = [
        (frame.polyline(run),) for run in runs([point.value for point in points]) if len(run) > 1
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
        "value": number(latest.value or 0.0),
        "period": latest.label,
        "target": number(latest.target) if latest.target is not None else "–",
        "lowest": number(min(point.value or 0.0 for point in measured)),
        "highest": number(max(point.value or 0.0 for point in measured)),
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
    frame = _frame(points, percent=percent)
    body = format_html(
        "{}{}{}{}{}",
        grid(frame),
        x_axis(frame, [point.label for point in points]),
        _target(frame, points),
        _values(frame, points),
        _legend(_("Value (%(unit)s)") % {"unit": unit_label}),
    )
    return svg_image(
        body,
        size=(WIDTH, HEIGHT),
        id_prefix=id_prefix,
        title=title,
        description=trend_description(points, unit_label),
    )
