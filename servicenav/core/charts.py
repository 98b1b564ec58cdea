"""The frame the server-drawn SVG charts share: a scale with round ticks, the mapping of
positions and figures into the plot area, the grid with the figures of its ticks, the x
axis with its labels, and the image around it all, named by its title and described in
words (role="img"). Every text goes into the SVG through `format_html`, so names and labels
are escaped and the image stays well-formed.

The charts themselves (`kpis.charts`, `public.charts`, `surveys.charts`) draw their own
marks, legends and descriptions on this frame. Colours hold at least 4.5:1 against white for
the text and 3:1 for the graphics (WCAG 2.1 AA, 1.4.3 and 1.4.11); the grid is lighter on
purpose, as it only helps the eye and every figure is written out."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.utils.safestring import SafeString

INK, MUTED, GRID, WHITE = "#1b1b1b", "#4a4a4a", "#d9d9d9", "#ffffff"
STEPS_PER_SCALE = 5  # about as many steps between the lowest and the highest tick
ROUND_STEPS = (1, 2, 2.5, 5, 10)  # times a power of ten
WHOLE_STEPS = (1, 2, 5, 10)  # counts: no step of 2.5
MOST_LABELS = 8  # labels under the x axis; more would overlap

Run = list[tuple[int, float]]  # consecutive (position, figure) pairs


def fixed(value: float, decimals: int) -> str:
    """A figure with exactly `decimals` decimals, as the current language writes it."""
    return number_format(round(value, decimals), decimals)


def number(value: float, decimals: int = 1) -> str:
    """A figure as the current language writes it, without a needless decimal."""
    return fixed(value, 0 if float(value).is_integer() else decimals)


def round_step(least: float, *, whole: bool = False) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) of at least `least`;
    for counts (`whole`) never 2.5 and never less than 1, so that every tick is a count."""
    magnitude = 10 ** math.floor(math.log10(least))
    steps = WHOLE_STEPS if whole else ROUND_STEPS
    step = next(m * magnitude for m in steps if m * magnitude >= least)
    return max(step, 1.0) if whole else step


@dataclass(frozen=True)
class Scale:
    """The figures an axis spans, from `low` to `high` with a tick every `step`."""

    low: float
    high: float
    step: float

    @classmethod
    def covering(cls, low: float, high: float, *, whole: bool = False) -> Scale:
        """About five round steps, from the tick at or below `low` to the one at or above
        `high`."""
        step = round_step((high - low) / STEPS_PER_SCALE, whole=whole)
        return cls(math.floor(low / step) * step, math.ceil(high / step) * step, step)

    def for_percentages(self, figures: Sequence[float]) -> Scale:
        """The scale ending at 100 at the most, unless a figure lies above it."""
        if max(figures, default=0.0) <= 100:
            return replace(self, high=min(self.high, 100.0))
        return self

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]

    def share(self, figure: float) -> float:
        """How far along the scale `figure` lies: 0 at `low`, 1 at `high`."""
        return (figure - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class Area:
    """Where the plot is drawn, in the image's coordinates (y grows downwards)."""

    left: int
    right: int
    top: int
    bottom: int


class Frame:
    """Maps positions (x: each in the middle of an equally wide slot, one per period or
    bar) and figures (y, on `scale`) to points in `area`, rounded to a tenth."""

    def __init__(self, area: Area, count: int, scale: Scale) -> None:
        self.area = area
        self.scale = scale
        self.slot = (area.right - area.left) / max(count, 1)

    def x(self, position: float) -> float:
        return round(self.area.left + (position + 0.5) * self.slot, 1)

    def y(self, figure: float) -> float:
        area = self.area
        return round(area.bottom - self.scale.share(figure) * (area.bottom - area.top), 1)

    def polyline(self, run: Run) -> str:
        """The `points` of an SVG polyline through the run."""
        return " ".join(f"{self.x(position)},{self.y(figure)}" for position, figure in run)


def runs(figures: Sequence[float | None]) -> list[Run]:
    """The positions that have a figure, in runs of consecutive ones: a position without a
    figure ends a run, so a line drawn per run leaves a gap there."""
    found: list[Run] = []
    previous: int | None = None
    for position, figure in enumerate(figures):
        if figure is None:
            continue
        if previous is None or position != previous + 1:
            found.append([])
        found[-1].append((position, figure))
        previous = position
    return found


def grid(frame: Frame) -> SafeString:
    """A line across the plot at every tick, with the tick's figure to the left of it."""
    area = frame.area
    lines = []
    for tick in frame.scale.ticks():
        y = frame.y(tick)
        lines.append((area.left, y, area.right, y, area.left - 8, y + 4, number(tick)))
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="' + GRID + '" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="' + MUTED + '">{}</text>',
        lines,
    )


def x_axis(frame: Frame, labels: Sequence[str]) -> SafeString:
    """The x axis and the labels of the positions under it: every k-th, counted back from
    the last, so that the latest always has its label."""
    area = frame.area
    every = math.ceil(len(labels) / MOST_LABELS) or 1
    last = len(labels) - 1
    shown = [
        (frame.x(i), area.bottom + 20, label)
        for i, label in enumerate(labels)
        if (last - i) % every == 0
    ]
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>{}',
        area.left,
        area.bottom,
        area.right,
        area.bottom,
        INK,
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="'
            + MUTED
            + '">{}</text>',
            shown,
        ),
    )


def svg_image(
    body: SafeString,
    *,
    size: tuple[int, int],
    id_prefix: str,
    title: str,
    description: str,
    background: bool = True,
) -> SafeString:
    """`body` as an accessible SVG image of `size` (width, height): role="img", named by
    its title and described by its description; on a white background unless the body
    draws its own."""
    width, height = size
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}{}</svg>',
        width,
        height,
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        format_html('<rect x="0" y="0" width="{}" height="{}" fill="{}"/>', width, height, WHITE)
        if background
        else "",
        body,
    )
