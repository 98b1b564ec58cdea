"""Charts of the survey analysis, drawn on the server as SVG: no JavaScript, printable, and
readable without colour. Each chart is an image with a title and a description that says
what it shows in words; the page puts the same figures in a table next to it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from servicenav.core.charts import INK, MUTED, Scale, fixed, svg_image

if TYPE_CHECKING:
    from collections.abc import Sequence

    from servicenav.surveys.analysis import PriorityMatrix, PriorityPoint

WIDTH, HEIGHT = 640, 470
LEFT, RIGHT, TOP, BOTTOM = 64, 620, 24, 400
BRAND, LINE = "#0b3a66", "#767676"
NAME_CHARACTERS = 28


def _scale(low: float, high: float) -> Scale:
    """Round ticks covering low..high, padded."""
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.12
    return Scale.covering(low - pad, high + pad)


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARACTERS else name[: NAME_CHARACTERS - 1] + "…"


class _Frame:
    """Maps effects (x) and indices (y) to the drawing."""

    def __init__(self, matrix: PriorityMatrix) -> None:
        effects = [point.effect for point in matrix.points] + [0.0]
        indices = [point.index.value for point in matrix.points]
        self.effects = _scale(min(effects), max(effects))
        # Indices read best on whole tens, inside 0–100 and at least 20 wide.
        padded = _scale(min(indices), max(indices))
        y_low = max(0.0, math.floor(padded.low / 10) * 10)
        y_high = min(100.0, math.ceil(padded.high / 10) * 10)
        if y_high - y_low < 20:
            y_low, y_high = max(0.0, y_low - 10), min(100.0, y_high + 10)
        self.indices = Scale(y_low, y_high, 10)

    def x(self, effect: float) -> float:
        return LEFT + self.effects.share(effect) * (RIGHT - LEFT)

    def y(self, index: float) -> float:
        return BOTTOM - self.indices.share(index) * (BOTTOM - TOP)


def _grid(frame: _Frame, matrix: PriorityMatrix) -> SafeString:
    parts = [
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" stroke="{}"/>',
            LEFT,
            TOP,
            RIGHT - LEFT,
            BOTTOM - TOP,
            LINE,
        )
    ]
    for tick in frame.effects.ticks():
        x = round(frame.x(tick), 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
                x,
                BOTTOM + 18,
                MUTED,
                fixed(tick, 1),
            )
        )
    for tick in frame.indices.ticks():
        y = round(frame.y(tick), 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                LEFT - 8,
                y + 4,
                MUTED,
                fixed(tick, 0),
            )
        )
    split_x, split_y = round(frame.x(matrix.effect_split), 1), round(frame.y(matrix.index_split), 1)
    dashed = 'stroke="{}" stroke-width="1.5" stroke-dasharray="6 4"'
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" ' + dashed + "/>",
            split_x,
            TOP,
            split_x,
            BOTTOM,
            INK,
        )
    )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" ' + dashed + "/>",
            LEFT,
            split_y,
            RIGHT,
            split_y,
            INK,
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


def _labels(matrix: PriorityMatrix) -> SafeString:
    """Axis titles and the four quadrants' names in their corners."""
    corners = [
        (LEFT + 8, TOP + 18, "start", _("Lower priority")),
        (RIGHT - 8, TOP + 18, "end", _("Keep")),
        (LEFT + 8, BOTTOM - 10, "start", _("Improve if possible")),
        (RIGHT - 8, BOTTOM - 10, "end", _("Prioritise!")),
    ]
    x_title = _("Effect: points the index rises if the area rises %(step)s") % {
        "step": fixed(matrix.step, 0)
    }
    return format_html(
        '{}<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="{}">{}</text>'
        '<text transform="translate(16 {}) rotate(-90)" text-anchor="middle" font-size="13" '
        'fill="{}">{}</text>',
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="{}" font-size="14" font-weight="700" '
            'fill="' + INK + '">{}</text>',
            corners,
        ),
        (LEFT + RIGHT) // 2,
        BOTTOM + 44,
        INK,
        x_title,
        (TOP + BOTTOM) // 2,
        INK,
        _("Area index (0–100)"),
    )


Box = tuple[float, float, float, float]  # left, right, top, bottom


def _overlaps(box: Box, others: list[Box]) -> bool:
    left, right, top, bottom = box
    return any(
        left < o_right and o_left < right and top < o_bottom and o_top < bottom
        for o_left, o_right, o_top, o_bottom in others
    )


def _name_places(frame: _Frame, points: Sequence[PriorityPoint]) -> list[tuple[float, float, str]]:
    """Where each area's name goes (x, baseline y, anchor): beside its point, to the left
    near the right edge, moved down a line at a time past the names and points it would
    cover, so that areas rated alike stay readable."""
    centres = [(frame.x(p.effect), frame.y(p.index.value)) for p in points]
    taken: list[Box] = [(x - 14, x + 14, y - 14, y + 14) for x, y in centres]
    places = []
    for point, (x, y) in zip(points, centres, strict=True):
        width = 7.5 * len(_short(point.name))
        at_right = x > (LEFT + RIGHT) / 2 + 120
        left = x - 17 - width if at_right else x + 17
        baseline = y + 4.5
        box = (left, left + width, baseline - 12, baseline + 3)
        for step in range(1, 8):
            if not _overlaps(box, taken):
                break
            shift = 15 * ((step + 1) // 2) * (1 if step % 2 else -1)
            box = (left, left + width, y + 4.5 + shift - 12, y + 4.5 + shift + 3)
        taken.append(box)
        anchor, name_x = ("end", x - 17) if at_right else ("start", x + 17)
        places.append((round(name_x, 1), round(box[3] - 3, 1), anchor))
    return places


def _point(frame: _Frame, point: PriorityPoint, place: tuple[float, float, str]) -> SafeString:
    x, y = round(frame.x(point.effect), 1), round(frame.y(point.index.value), 1)
    name_x, name_y, anchor = place
    return format_html(
        '<g><circle cx="{}" cy="{}" r="13" fill="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="13" font-weight="700" '
        'fill="#ffffff">{}</text>'
        '<text x="{}" y="{}" text-anchor="{}" font-size="13" fill="{}" stroke="#ffffff" '
        'stroke-width="4" paint-order="stroke">{}</text></g>',
        x,
        y,
        BRAND,
        x,
        y + 4.5,
        point.number,
        name_x,
        name_y,
        anchor,
        INK,
        _short(point.name),
    )


def priority_matrix_description(matrix: PriorityMatrix) -> str:
    """The chart in words, for the SVG's <desc>."""
    points = "; ".join(
        _("%(number)s %(name)s: index %(index)s, effect %(effect)s, %(quadrant)s")
        % {
            "number": point.number,
            "name": point.name,
            "index": fixed(point.index.value, 0),
            "effect": fixed(point.effect, 1),
            "quadrant": point.quadrant_label,
        }
        for point in matrix.points
    )
    return _(
        "Each numbered point is a question area: its index upwards, its effect on the "
        "overall index to the right. The dashed lines are the medians. %(points)s."
    ) % {"points": points}


def priority_matrix_svg(matrix: PriorityMatrix, *, id_prefix: str = "priority") -> SafeString:
    """The priority matrix as an accessible SVG image."""
    frame = _Frame(matrix)
    places = _name_places(frame, matrix.points)
    points = format_html_join(
        "",
        "{}",
        (
            (_point(frame, point, place),)
            for point, place in zip(matrix.points, places, strict=True)
        ),
    )
    return svg_image(
        format_html("{}{}{}", _grid(frame, matrix), _labels(matrix), points),
        size=(WIDTH, HEIGHT),
        id_prefix=id_prefix,
        title=_("Priority matrix"),
        description=priority_matrix_description(matrix),
        background=False,  # the grid draws the plot area's own
    )
