"""The SVG charts: accessible names, every value as text, patterns and shapes, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from app.web.charts import LABEL_CHARS, Series, bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Parse a chart as XML (it must be well-formed to be SVG at all)."""
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, not untrusted input


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def assert_accessible(svg: ET.Element, chart_id: str, title: str) -> None:
    """An ``img`` named by its own title and description, with no style attribute anywhere."""
    assert svg.get("role") == "img"
    assert svg.get("focusable") == "false"
    assert svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert svg.find(f"{SVG}title").get("id") == f"{chart_id}-title"
    assert svg.find(f"{SVG}title").text == title
    assert svg.find(f"{SVG}desc").get("id") == f"{chart_id}-desc"
    assert all(element.get("style") is None for element in svg.iter())
    width, height = int(svg.get("width")), int(svg.get("height"))
    assert svg.get("viewBox") == f"0 0 {width} {height}"


def test_bar_chart_writes_every_value_and_names_each_series():
    chart = bar_chart(
        "c1",
        "Spart tid etter tema",
        ["Helse og omsorg", "Arbeid"],
        [Series("Oppnådd", [Decimal("5950.00"), 1100]), Series("Forventet", [3780, 0])],
        description="Tallene står i tabellen under.",
    )
    svg = parse(chart)
    assert_accessible(svg, "c1", "Spart tid etter tema")
    words = texts(svg)
    assert "Helse og omsorg" in words
    assert "Arbeid" in words
    assert "5\u00a0950 (oppnådd)" in words
    assert "3\u00a0780 (forventet)" in words
    assert "0 (forventet)" in words  # a zero is said, not left out
    # The legend names both series; the second fills with its chart's own hatching.
    assert words[:2] == ["Oppnådd", "Forventet"]
    bars = [r for r in svg.iter(f"{SVG}rect") if "chart__bar" in (r.get("class") or "")]
    hatched = [r for r in bars if r.get("fill") == "url(#c1-hatched)"]
    solid = [r for r in bars if "chart__bar--solid" in r.get("class")]
    assert len(solid) == 3
    assert len(hatched) == 2
    assert {p.get("id") for p in svg.iter(f"{SVG}pattern")} == {"c1-hatched", "c1-dotted"}


def test_bar_lengths_are_proportional_to_the_values():
    svg = parse(bar_chart("c", "t", ["a", "b"], [Series("x", [200, 50])], width=470))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("y")]
    assert widths[0] == pytest.approx(4 * widths[1])
    assert widths[0] == pytest.approx(470 - 170)  # the longest bar leaves room for its value


def test_one_series_needs_no_legend_and_writes_plain_values():
    svg = parse(bar_chart("c", "t", ["Løsning"], [Series("Oppnådd", [6330])]))
    assert texts(svg) == ["Løsning", "6\u00a0330"]


def test_labels_and_titles_are_escaped_and_long_labels_shortened():
    name = '<script>alert("x")</script> & ' + "lang " * 30
    chart = str(bar_chart("c", "A & B <i>", [name], [Series("S", [1])]))
    assert "<script>" not in chart
    assert "<i>" not in chart
    svg = parse(chart)
    assert svg.find(f"{SVG}title").text == "A & B <i>"
    label = texts(svg)[0]
    assert label.startswith('<script>alert("x")</script> &')
    assert label.endswith("…")
    assert len(label) <= LABEL_CHARS


def test_empty_charts_say_so():
    assert "Ingen tall å vise ennå." in texts(parse(bar_chart("c", "t", [], [Series("S", [])])))
    assert "Ingen tall å vise ennå." in texts(parse(line_chart("l", "t", [], [])))


def test_line_chart_differs_by_dash_and_marker_and_labels_each_line():
    chart = line_chart(
        "tl",
        "Bruk over tid",
        ["2021", "2022", "2023"],
        [Series("I bruk", [10, 40, 52]), Series("Pilot", [0, 3, 5])],
        description="I bruk og pilot.",
    )
    svg = parse(chart)
    assert_accessible(svg, "tl", "Bruk over tid")
    lines = list(svg.iter(f"{SVG}polyline"))
    assert [line.get("stroke-dasharray") for line in lines] == [None, "7 4"]
    assert len(lines[0].get("points").split()) == 3
    circles = list(svg.iter(f"{SVG}circle"))
    squares = [r for r in svg.iter(f"{SVG}rect") if "chart__marker" in (r.get("class") or "")]
    assert len(circles) == 3
    assert len(squares) == 3
    words = texts(svg)
    assert "I bruk: 52" in words
    assert "Pilot: 5" in words
    assert {"2021", "2022", "2023"} <= set(words)
    assert {"0", "20", "40", "60"} <= set(words)  # y axis ticks


def test_line_chart_keeps_end_labels_apart():
    svg = parse(line_chart("l", "t", ["1", "2"], [Series("A", [5, 100]), Series("B", [5, 99])]))
    ends = [t for t in svg.iter(f"{SVG}text") if re.match(r"[AB]: ", t.text or "")]
    assert abs(float(ends[0].get("y")) - float(ends[1].get("y"))) >= 16


def test_line_chart_shows_at_most_about_a_dozen_years_and_always_the_last():
    years = [str(y) for y in range(1990, 2027)]
    words = texts(parse(line_chart("l", "t", years, [Series("A", [1] * len(years))])))
    shown = [w for w in words if w in years]
    assert len(shown) <= 13
    assert shown[-1] == "2026"


def test_line_chart_of_a_single_year():
    svg = parse(line_chart("l", "t", ["2026"], [Series("I bruk", [3])]))
    assert "I bruk: 3" in texts(svg)


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (352, [0, 100, 200, 300, 400]),
        (375, [0, 100, 200, 300, 400]),
        (36435, [0, 10000, 20000, 30000, 40000]),
        (9, [0, 5, 10]),
    ],
)
def test_nice_ticks(peak, ticks):
    assert nice_ticks(peak) == ticks
