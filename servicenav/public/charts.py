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

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 624, 52, 262
BAR_TOP = 28  # bar charts have no legend above them
INK, MUTED, GRID = "#1b1b1b", "#4a4a4a", "#d9d9d9"
BAR = "#0b3a66"  # 11.9:1 on white
MOST_LABELS = 8  # labels under the axis; more would overlap
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


def number(value: float, decimals: int = 1) -> str:
    """A figure as the current language writes it, without a needless decimal."""
    digits = 0 if float(value).is_integer() else decimals
    return number_format(round(value, digits), digits, use_l10n=True)


def _axis(figures: Sequence[float], *, percent: bool) -> tuple[float, float, float]:
    """A range with round ticks covering the figures, from 0 when none is negative; 0–100
    at most for percentages."""
    low, high = (min(figures), max(figures)) if figures else (0.0, 1.0)
    if min(figures, default=0.0) >= 0:
        low = 0.0
    if high - low < 1e-9:
        high = low + max(abs(low) * 0.1, 1.0)
    high += (high - low) * 0.1
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    counts = all(float(f).is_integer() for f in figures)
    steps = (1, 2, 5, 10) if counts else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    if counts:
        step = max(step, 1.0)  # counts: whole ticks
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if percent and max(figures, default=0.0) <= 100:
        high = min(high, 100.0)
    return low, high, step


class _Frame:
    """Maps positions (x) and figures (y) to the drawing."""

    def __init__(
        self, count: int, figures: Sequence[float], *, percent: bool, top: int = TOP
    ) -> None:
        self.low, self.high, self.step = _axis(figures, percent=percent)
        self.top = top
        self.slot = (RIGHT - LEFT) / max(count, 1)
        self.count = count

    def x(self, position: float) -> float:
        return round(LEFT + (position + 0.5) * self.slot, 1)

    def y(self, figure: float) -> float:
        return round(BOTTOM - (figure - self.low) / (self.high - self.low) * (BOTTOM - self.top), 1)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


def _grid(frame: _Frame) -> SafeString:
    lines = [
        (LEFT, frame.y(tick), RIGHT, frame.y(tick), LEFT - 8, frame.y(tick) + 4, number(tick))
        for tick in frame.ticks()
    ]
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="' + GRID + '" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="' + MUTED + '">{}</text>',
        lines,
    )


def _labels(frame: _Frame, labels: Sequence[str]) -> SafeString:
    """The axis and labels under it: every k-th, counted back from the last."""
    every = math.ceil(len(labels) / MOST_LABELS) or 1
    last = len(labels) - 1
    shown = [
        (frame.x(i), BOTTOM + 20, label)
        for i, label in enumerate(labels)
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
            shown,
        ),
    )


def _svg(id_prefix: str, title: str, description: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>{}</svg>',
        WIDTH,
        HEIGHT,
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        WIDTH,
        HEIGHT,
        body,
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
    frame = _Frame(len(bars), [bar.value for bar in bars if bar.value is not None], percent=percent)
    width = round(frame.slot * 0.6, 1)
    drawn = [
        (
            round(frame.x(i) - width / 2, 1),
            frame.y(bar.value),
            width,
            round(BOTTOM - frame.y(bar.value), 1),
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
        _grid(frame),
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
        _labels(frame, [bar.label for bar in bars]),
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


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive positions with a figure: a line is drawn per run, leaving gaps."""
    runs: list[list[tuple[int, float]]] = []
    previous: int | None = None
    for position, value in enumerate(values):
        if value is None:
            continue
        if previous is None or position != previous + 1:
            runs.append([])
        runs[-1].append((position, value))
        previous = position
    return runs


def _line(frame: _Frame, series: Series, style: LineStyle) -> SafeString:
    dash = format_html(' stroke-dasharray="{}"', style.dash) if style.dash else ""
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="' + style.colour + '" stroke-width="2.5"{}/>',
        [
            (" ".join(f"{frame.x(p)},{frame.y(v)}" for p, v in run), dash)
            for run in _runs(series.values)
            if len(run) > 1
        ],
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
        x = LEFT + index * 190
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
    frame = _Frame(len(labels), figures, percent=percent)
    lines = format_html_join(
        "",
        "{}",
        [(_line(frame, one, STYLES[i % len(STYLES)]),) for i, one in enumerate(series)],
    )
    body = format_html("{}{}{}{}", _grid(frame), _labels(frame, labels), lines, _legend(series))
    return _svg(id_prefix, title, line_description(labels, series, decimals), body)
