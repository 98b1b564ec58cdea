"""The shared chart frame: round ticks, the mapping of positions and figures into the plot
area, gaps in lines, figures written as the language writes them, and texts escaped so the
SVG stays well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.html import format_html

from servicenav.core.charts import (
    Area,
    Frame,
    Scale,
    fixed,
    grid,
    number,
    round_step,
    runs,
    svg_image,
    x_axis,
)

SVG = "{http://www.w3.org/2000/svg}"
AREA = Area(left=0, right=100, top=0, bottom=50)


def image(body, **options):
    """The body inside an image, parsed: well-formed or the test fails."""
    options = {"size": (100, 60), "id_prefix": "c", "title": "T", "description": "D", **options}
    return ET.fromstring(str(svg_image(body, **options)))  # noqa: S314 - our own SVG


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("least", "step"),
    [(0.3, 0.5), (1.9, 2), (2.2, 2.5), (3, 5), (20, 20), (46, 50), (0.004, 0.005)],
)
def test_a_step_is_the_smallest_round_one_of_at_least_the_least(least, step):
    assert round_step(least) == pytest.approx(step)


@pytest.mark.parametrize(("least", "step"), [(0.3, 1), (2.2, 5), (11, 20)])
def test_a_step_between_counts_is_whole_and_never_two_and_a_half(least, step):
    assert round_step(least, whole=True) == step


def test_a_scale_covers_its_figures_from_a_tick_below_to_a_tick_above():
    scale = Scale.covering(-3.3, 7.1)
    assert (scale.low, scale.high, scale.step) == (-5, 7.5, 2.5)
    assert scale.ticks() == [-5, -2.5, 0, 2.5, 5, 7.5]


def test_a_scale_of_small_counts_has_whole_ticks():
    assert Scale.covering(0, 3.3, whole=True).ticks() == [0, 1, 2, 3, 4]


def test_a_percentage_scale_stops_at_100_unless_a_figure_is_above_it():
    scale = Scale(0, 120, 20)
    assert scale.for_percentages([40.0, 99.5]).high == 100
    assert scale.for_percentages([40.0, 101.0]).high == 120
    assert scale.for_percentages([]).high == 100


def test_a_figure_shares_the_scale_from_low_to_high():
    scale = Scale(-10, 10, 5)
    assert [scale.share(figure) for figure in (-10, 0, 5, 10)] == [0, 0.5, 0.75, 1]


def test_positions_sit_in_the_middle_of_equal_slots_rounded_to_a_tenth():
    assert [Frame(AREA, 4, Scale(0, 10, 2)).x(i) for i in range(4)] == [12.5, 37.5, 62.5, 87.5]
    assert Frame(AREA, 3, Scale(0, 10, 2)).x(0) == 16.7
    assert Frame(AREA, 0, Scale(0, 10, 2)).x(0) == 50  # no positions: one slot, no error


def test_figures_rise_from_the_bottom_of_the_area_to_its_top():
    frame = Frame(AREA, 2, Scale(-10, 10, 5))
    assert (frame.y(-10), frame.y(0), frame.y(10)) == (50, 25, 0)
    assert frame.polyline([(0, -10.0), (1, 10.0)]) == "25.0,50.0 75.0,0.0"


def test_a_position_without_a_figure_ends_a_run():
    assert runs([1.0, None, 2.0, 3.0, None, None, 4.0]) == [
        [(0, 1.0)],
        [(2, 2.0), (3, 3.0)],
        [(6, 4.0)],
    ]
    assert runs([None, None]) == []


def test_figures_are_written_as_the_language_writes_them_without_a_needless_decimal():
    with translation.override("sv"):
        assert (number(3.0), number(2.5), number(2.345, 2), fixed(2, 1)) == (
            "3",
            "2,5",
            "2,35",
            "2,0",
        )
    with translation.override("en"):
        assert (number(-7.0), number(0.25), fixed(61.6, 0)) == ("-7", "0.2", "62")


def test_the_grid_has_a_line_and_a_figure_at_every_tick():
    with translation.override("sv"):
        root = image(grid(Frame(AREA, 2, Scale(-2.5, 5, 2.5))))
    lines = list(root.iter(f"{SVG}line"))
    assert [float(line.get("y1")) for line in lines] == [50, 33.3, 16.7, 0]
    assert {(line.get("x1"), line.get("x2")) for line in lines} == {("0", "100")}
    assert texts(root) == ["-2,5", "0", "2,5", "5"]


def test_few_labels_are_all_shown_under_their_positions():
    root = image(x_axis(Frame(AREA, 4, Scale(0, 1, 1)), ["a", "b", "c", "d"]))
    labels = list(root.iter(f"{SVG}text"))
    assert [(label.text, float(label.get("x"))) for label in labels] == [
        ("a", 12.5),
        ("b", 37.5),
        ("c", 62.5),
        ("d", 87.5),
    ]
    assert {label.get("y") for label in labels} == {"70"}  # under the axis


def test_many_labels_are_thinned_out_keeping_the_last():
    labels = [f"2025-{month:02d}" for month in range(1, 21)]
    shown = texts(image(x_axis(Frame(AREA, 20, Scale(0, 1, 1)), labels)))
    assert len(shown) <= 8
    assert shown[-1] == "2025-20"
    assert shown == labels[1::3]


def test_the_image_is_named_and_described_on_a_white_background():
    root = image(
        format_html('<g class="{}"/>', "marks"),
        size=(640, 300),
        id_prefix="kpi-7",
        title="Answered",
    )
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 300"
    assert root.get("aria-labelledby") == "kpi-7-title kpi-7-desc"
    assert root.find(f"{SVG}title").get("id") == "kpi-7-title"
    assert root.find(f"{SVG}title").text == "Answered"
    assert root.find(f"{SVG}desc").text == "D"
    background = root.find(f"{SVG}rect")
    assert (background.get("width"), background.get("height")) == ("640", "300")


def test_an_image_whose_body_draws_its_own_background_gets_none():
    assert (
        image(format_html('<g class="{}"/>', "marks"), background=False).find(f"{SVG}rect") is None
    )


def test_texts_are_escaped_so_the_svg_stays_well_formed():
    hostile = "<script>alert(\"x\")</script> & 'dagar'"
    root = image(
        x_axis(Frame(AREA, 1, Scale(0, 1, 1)), [hostile]),
        id_prefix='a"b',
        title=hostile,
        description=hostile,
    )
    assert root.find(f"{SVG}title").text == hostile
    assert root.find(f"{SVG}desc").text == hostile
    assert texts(root) == [hostile]
    assert root.get("aria-labelledby") == 'a"b-title a"b-desc'
    assert not list(root.iter(f"{SVG}script"))
