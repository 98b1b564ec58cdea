"""Charts of the public site, drawn on the server as SVG: no JavaScript, printable, and
readable without colour. A bar chart (how much feedback came, month by month or by kind)
and a line chart of several series over the years (the own municipality, Riket and the
comparison group). Each chart is an image (role="img") named by its title and described in
words by its description, every figure included; the page puts the same figures in a table
beside it.

Series are told apart by shape as well as colour: a solid line with circles, a dashed line
with squares and a dotted line with triangles. Colours hold at least 3:1 against white for
the graphics and 4.5:1 for the text (WCAG 2.1 AA, 1.4.3 and 1.4.11)."""

from __future__ import annotations

from dataclasses import dataclass
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
    from collections.abc import Sequence

    from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 300
AREA = Area(left=64, right=624, top=52, bottom=262)
BAR = "#0b3a66"  # 11.9:1 on white
MOST_BAR_VALUES = 14  # figures written above the bars; more would overlap


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str  # the stroke-dasharray, "" for a solid line
    marker: str  # circle, square or triangle


STYLES = (
    LineStyle("#0b3a66", "", "circle"),  # 11.9:1
    LineStyle("#8a4b00", "8 5", "square"),  # 6.6:1
    LineStyle("#5b2a86", "2 4", "triangle"),  # 10.3:1
)


@dataclass(frozen=True)
class Bar:
    """One bar: its label under the axis, its figure (None: no bar, and `text` says why)
    and the figure as the page writes it."""

    label: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Series:
    """One line: its name in the legend and a figure (or None) per label."""

    name: str
    values: Sequence[float | None]


def _frame(count: int, figures: Sequence[float], *, percent: bool) -> Frame:
    """Round ticks covering the figures, from 0 when none is negative (whole ones for
    counts); 0–100 at most for percentages."""
    low, high = (min(figures), max(figures)) if figures else (0.0, 1.0)
    if min(figures, default=0.0) >= 0:
        low = 0.0
    if high - low < 1e-9:
        high = low + max(abs(low) * 0.1, 1.0)
    high += (high - low) * 0.1
    counts = all(float(f).is_integer() for f in figures)
    scale = Scale.covering(low, high, whole=counts)
    return Frame(AREA, count, scale.for_percentages(figures) if percent else scale)


def _svg(id_prefix: str, title: str, description: str, body: SafeString) -> SafeString:
    return svg_image(
        body, size=(WIDTH, HEIGHT), id_prefix=id_prefix, title=title, description=description
    )


# --- Bars --------------------------------------------------------------------------------


def bar_description(bars: Sequence[Bar], summary: str) -> str:
    """`summary`, then every bar's label and figure in words."""
    items = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return f"{summary} {items}." if items else summary


def bar_chart_svg(
    bars: Sequence[Bar], *, title: str, summary: str, id_prefix: str, percent: bool = False
) -> SafeString:
    """Vertical bars, one per `bars`, each with its figure above it (while they fit)."""
    frame = _frame(len(bars), [bar.value for bar in bars if bar.value is not None], percent=percent)
    width = round(frame.slot * 0.6, 1)
    drawn = [
        (
            round(frame.x(i) - width / 2, 1),
            frame.y(bar.value),
            width,
            round(AREA.bottom - frame.y(bar.value), 1),
        )
        for i, bar in enumerate(bars)
        if bar.value is not None
    ]
    texts = (
        [
            (frame.x(i), frame.y(bar.value) - 6, bar.text)
            for i, bar in enumerate(bars)
            if bar.value is not None
        ]
        if len(bars) <= MOST_BAR_VALUES
        else []
    )
    body = format_html(
        "{}{}{}{}",
        grid(frame),
        format_html_join(
            "",
            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="' + BAR + '"/>',
            drawn,
        ),
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="' + INK + '">{}</text>',
            texts,
        ),
        x_axis(frame, [bar.label for bar in bars]),
    )
    return _svg(id_prefix, title, bar_description(bars, summary), body)


# --- Lines -------------------------------------------------------------------------------


def _marker(style: LineStyle, x: float, y: float) -> SafeString:
    if style.marker == "square":
        return format_html(
            '<rect x="{}" y="{}" width="9" height="9" fill="{}"/>',
            round(x - 4.5, 1),
            round(y - 4.5, 1),
            style.colour,
        )
    if style.marker == "triangle":
        top, bottom = round(y - 6, 1), round(y + 5, 1)
        points = f"{x},{top} {round(x - 6, 1)},{bottom} {round(x + 6, 1)},{bottom}"
        return format_html('<polygon points="{}" fill="{}"/>', points, style.colour)
    return format_html('<circle cx="{}" cy="{}" r="5" fill="{}"/>', x, y, style.colour)


def _line(frame: Frame, series: Series, style: LineStyle) -> SafeString:
    dash = format_html(' stroke-dasharray="{}"', style.dash) if style.dash else ""
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="' + style.colour + '" stroke-width="2.5"{}/>',
        [(frame.polyline(run), dash) for run in runs(series.values) if len(run) > 1],
    )
    markers = format_html_join(
        "",
        "{}",
        [
            (_marker(style, frame.x(p), frame.y(v)),)
            for p, v in enumerate(series.values)
            if v is not None
        ],
    )
    return format_html('<g class="series">{}{}</g>', lines, markers)


def _legend(series: Sequence[Series]) -> SafeString:
    items = []
    for index, one in enumerate(series):
        style = STYLES[index % len(STYLES)]
        x = AREA.left + index * 190
        dash = format_html(' stroke-dasharray="{}"', style.dash) if style.dash else ""
        items.append(
            format_html(
                '<line x1="{}" y1="20" x2="{}" y2="20" stroke="{}" stroke-width="2.5"{}/>{}'
                '<text x="{}" y="24" font-size="13" fill="{}">{}</text>',
                x,
                x + 32,
                style.colour,
                dash,
                _marker(style, x + 16, 20),
                x + 40,
                INK,
                one.name,
            )
        )
    return format_html(
        '<g class="legend">{}</g>', format_html_join("", "{}", [(i,) for i in items])
    )


def line_description(labels: Sequence[str], series: Sequence[Series], decimals: int) -> str:
    """Each series in words: its figure per label, "no figure" where it has none."""
    if not labels:
        return ""
    parts = [
        _("%(first)s to %(last)s.") % {"first": labels[0], "last": labels[-1]},
    ]
    for one in series:
        figures = ", ".join(
            f"{label} {number(value, decimals) if value is not None else _('no figure')}"
            for label, value in zip(labels, one.values, strict=True)
        )
        parts.append(f"{one.name}: {figures}.")
    return " ".join(parts)


def line_chart_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    id_prefix: str,
    percent: bool = False,
    decimals: int = 1,
) -> SafeString:
    """A line per series over `labels`, breaking where a series has no figure."""
    figures = [value for one in series for value in one.values if value is not None]
    frame = _frame(len(labels), figures, percent=percent)
    lines = format_html_join(
        "",
        "{}",
        [(_line(frame, one, STYLES[i % len(STYLES)]),) for i, one in enumerate(series)],
    )
    body = format_html("{}{}{}{}", grid(frame), x_axis(frame, labels), lines, _legend(series))
    return _svg(id_prefix, title, line_description(labels, series, decimals), body)
