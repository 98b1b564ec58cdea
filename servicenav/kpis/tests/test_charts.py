"""The trend chart: well-formed SVG, named and described, one point per value, the line
broken where a period has no value, the target drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.utils import translation

from servicenav.kpis.charts import ChartPoint, trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def draw(values, targets=None, **options):
    targets = targets or [None] * len(values)
    points = [
        ChartPoint(label=f"2025-{i + 1:02d}", value=value, target=target)
        for i, (value, target) in enumerate(zip(values, targets, strict=True))
    ]
    with translation.override("en"):
        svg = trend_svg(
            points, title=options.pop("title", "Answered"), unit_label="percent", **options
        )
    return ET.fromstring(str(svg))  # noqa: S314 - our own SVG


def of_class(root, tag, name):
    return [e for e in root.iter(f"{SVG}{tag}") if e.get("class") == name]


def test_the_chart_is_an_image_with_a_title_and_a_description():
    root = draw([80.0, 85.0, 90.0], [90.0, 90.0, 90.0], id_prefix="kpi-7")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kpi-7-title kpi-7-desc"
    assert root.find(f"{SVG}title").text == "Answered"
    description = root.find(f"{SVG}desc").text
    assert "3 periods from 2025-01 to 2025-03" in description
    assert "Latest value 90 (2025-03), target 90" in description


def test_there_is_one_point_per_value_and_the_line_breaks_at_a_period_without_one():
    root = draw([80.0, 82.0, None, 85.0, 86.0, None, 70.0])
    points = of_class(root, "circle", "point")
    assert len(points) == 5
    lines = of_class(root, "polyline", "value-line")
    # 80–82 and 85–86 are lines; 70 stands alone; nothing is drawn across the gaps.
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    # With few periods every one is labelled under its place on the axis.
    label_x = {e.text: float(e.get("x")) for e in root.iter(f"{SVG}text")}
    gap_x = {label_x["2025-03"], label_x["2025-06"]}
    assert not gap_x & {float(point.get("cx")) for point in points}
    drawn_x = {float(pair.split(",")[0]) for line in lines for pair in line.get("points").split()}
    assert not gap_x & drawn_x
    assert "No value in: 2025-03, 2025-06." in root.find(f"{SVG}desc").text


def test_the_target_is_a_dashed_line_broken_where_it_changes():
    root = draw([80.0, 85.0, 90.0, 91.0], [90.0, 90.0, 95.0, 95.0])
    targets = of_class(root, "line", "target")
    assert len(targets) == 2
    assert all(line.get("stroke-dasharray") for line in targets)
    assert targets[0].get("y1") != targets[1].get("y1")


def test_a_chart_without_values_has_no_points_and_says_so():
    root = draw([None, None, None, None, None])
    assert of_class(root, "circle", "point") == []
    assert root.find(f"{SVG}desc").text == "No period from 2025-01 to 2025-05 has a value."


def test_texts_are_escaped_so_the_svg_stays_well_formed():
    root = draw([1.0, 2.0], title='Svar <inom> "10" & dagar')
    assert root.find(f"{SVG}title").text == 'Svar <inom> "10" & dagar'


def test_intervals_are_drawn_for_values_that_have_them():
    points = [
        ChartPoint(label="2025-01", value=80.0, low=75.0, high=85.0),
        ChartPoint(label="2025-02", value=82.0),
    ]
    svg = trend_svg(points, title="Index", unit_label="index")
    root = ET.fromstring(str(svg))  # noqa: S314 - our own SVG
    assert len(of_class(root, "line", "interval")) == 1
