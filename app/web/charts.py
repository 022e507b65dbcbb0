"""Charts drawn on the server as inline SVG: a horizontal bar chart and a line chart.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>`` (``aria-labelledby``).
Nothing depends on colour alone: every value is written beside its bar or at the end of its
line, and series differ by fill pattern (solid, hatched, dotted) or by dash and marker shape.
The page shows a data table with the same figures beside each chart: the chart is the picture,
the table is the data for screen readers, copying and zooming.

No script and no ``style`` attribute (the Content-Security-Policy allows neither): geometry is
SVG attributes, colours and fonts come from the ``.chart`` rules in ``site.css``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from app.web.filters import number_nb

FONT_SIZE = 13
"""Text size in SVG units; a chart is drawn at its natural size unless the screen is narrower."""

LABEL_CHARS = 64
"""Longest label drawn in a bar chart; the table beside the chart has the whole name."""

BAR = {"label": 18, "bar": 14, "gap": 4, "group_gap": 12, "value_space": 170, "legend": 26}
"""Bar chart geometry: label line, bar thickness, gaps, room for the value text, legend row."""

LINE = {"left": 52, "right": 150, "top": 14, "bottom": 30, "label_gap": 16}
"""Line chart margins (y tick labels left, end labels right) and least gap between end labels."""

DASHES = ("", "7 4", "2 3")
"""Dash pattern of the line of each series (solid, dashed, dotted)."""

FILLS = ("solid", "hatched", "dotted")
"""Fill of the bars of each series."""


@dataclass(frozen=True)
class Series:
    """A named row of values: one per label (bar chart) or per x position (line chart)."""

    name: str
    values: Sequence[int | float | Decimal]


def _number(value: float) -> str:
    return number_nb(round(value))


def _text(x: float, y: float, text: str, css: str, anchor: str = "start") -> Markup:
    return Markup('<text class="{}" x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>').format(
        css, x, y, anchor, text
    )


def _svg(
    chart_id: str, title: str, description: str, width: int, height: int, parts: list[Markup]
) -> Markup:
    """Wrap the drawing in an accessible ``<svg role="img">`` named by its title and desc."""
    return Markup(
        '<svg class="chart__svg" xmlns="http://www.w3.org/2000/svg" role="img" focusable="false"'
        ' width="{w}" height="{h}" viewBox="0 0 {w} {h}" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>'
    ).format(
        w=width, h=height, id=chart_id, title=title, desc=description, body=Markup("").join(parts)
    )


def _patterns(chart_id: str) -> Markup:
    """Return the hatched and dotted fills (ids carry the chart id: one page has many charts)."""
    return Markup(
        '<defs><pattern id="{id}-hatched" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect class="chart__pattern-bg" width="6" height="6"/>'
        '<rect class="chart__pattern-ink" width="2.5" height="6"/></pattern>'
        '<pattern id="{id}-dotted" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect class="chart__pattern-bg" width="5" height="5"/>'
        '<circle class="chart__pattern-ink" cx="2.5" cy="2.5" r="1.3"/></pattern></defs>'
    ).format(id=chart_id)


def _rect(chart_id: str, index: int, x: float, y: float, width: float, height: float) -> Markup:
    """Return a bar (or legend swatch) with the fill of series ``index``."""
    kind = FILLS[index % len(FILLS)]
    fill = "" if kind == "solid" else f"url(#{chart_id}-{kind})"
    return Markup(
        '<rect class="chart__bar chart__bar--{}"{} x="{:.1f}" y="{:.1f}" width="{:.1f}"'
        ' height="{:.1f}"/>'
    ).format(kind, Markup(' fill="{}"').format(fill) if fill else "", x, y, width, height)


def _legend(chart_id: str, series: Sequence[Series], y: float) -> list[Markup]:
    parts, x = [], 0.0
    for index, item in enumerate(series):
        parts.append(_rect(chart_id, index, x, y, 22, 12))
        parts.append(_text(x + 28, y + 11, item.name, "chart__legend"))
        x += 28 + len(item.name) * FONT_SIZE * 0.6 + 24
    return parts


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    description: str = "",
    width: int = 560,
) -> Markup:
    """Return a horizontal bar chart: one group of bars per label, one bar per series.

    Each label stands on its own line above its bars, so long names need no room at the side.
    With several series each value names its series (``5 400 (oppnådd)``), and a legend shows
    the fills.
    """
    many = len(series) > 1
    peak = max((float(v) for s in series for v in s.values), default=0.0) or 1.0
    plot = width - BAR["value_space"]
    parts: list[Markup] = [_patterns(chart_id)]
    y = 0.0
    if many:
        parts.extend(_legend(chart_id, series, 2))
        y += BAR["legend"]
    for row, label in enumerate(labels):
        parts.append(_text(0, y + FONT_SIZE, _short(label), "chart__label"))
        y += BAR["label"]
        for index, item in enumerate(series):
            value = float(item.values[row])
            length = max(value, 0.0) / peak * plot
            if length > 0:
                parts.append(_rect(chart_id, index, 0, y, max(length, 1), BAR["bar"]))
            text = _number(value) + (f" ({item.name.lower()})" if many else "")
            parts.append(_text(length + 6, y + BAR["bar"] - 2, text, "chart__value"))
            y += BAR["bar"] + BAR["gap"]
        y += BAR["group_gap"]
    if not labels:
        parts.append(_text(0, y + FONT_SIZE, "Ingen tall å vise ennå.", "chart__label"))
        y += BAR["label"]
    return _svg(chart_id, title, description, width, math.ceil(y), parts)


def nice_ticks(peak: float, count: int = 4) -> list[float]:
    """Return round axis ticks from 0 to at least ``peak`` (steps of 1, 2 or 5 × 10ⁿ)."""
    if peak <= 0:
        return [0.0, 1.0]
    raw = peak / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    return [step * n for n in range(math.ceil(peak / step) + 1)]


MARKERS = (
    Markup('<circle class="chart__marker chart__marker--{i}" cx="{x:.1f}" cy="{y:.1f}" r="4"/>'),
    Markup(
        '<rect class="chart__marker chart__marker--{i}" x="{l:.1f}" y="{t:.1f}"'
        ' width="8" height="8"/>'
    ),
    Markup(
        '<path class="chart__marker chart__marker--{i}"'
        ' d="M{x:.1f} {t:.1f} L{r:.1f} {b:.1f} L{l:.1f} {b:.1f} Z"/>'
    ),
)
"""Point marker of each series: a circle, a square, a triangle."""


def _marker(index: int, x: float, y: float) -> Markup:
    """Return the point marker of series ``index`` at (x, y)."""
    return MARKERS[index % len(MARKERS)].format(
        i=index, x=x, y=y, l=x - 4, r=x + 4, t=y - 4, b=y + 4
    )


def _spread(positions: list[float], gap: float) -> list[float]:
    """Return label y positions at least ``gap`` apart, each as near its own line as it can be."""
    order = sorted(range(len(positions)), key=positions.__getitem__)
    placed = list(positions)
    for before, after in zip(order, order[1:], strict=False):
        placed[after] = max(placed[after], placed[before] + gap)
    return placed


def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    description: str = "",
    width: int = 640,
    height: int = 280,
) -> Markup:
    """Return a line chart: one line per series over ``x_labels``, its last value at its end."""
    margin = LINE
    plot_w = width - margin["left"] - margin["right"]
    plot_h = height - margin["top"] - margin["bottom"]
    peak = max((float(v) for s in series for v in s.values), default=0.0)
    ticks = nice_ticks(peak)
    top = ticks[-1]
    step = plot_w / max(len(x_labels) - 1, 1)

    def at(n: int, value: float) -> tuple[float, float]:
        x = margin["left"] + (n * step if len(x_labels) > 1 else plot_w / 2)
        return x, margin["top"] + plot_h - value / top * plot_h

    parts: list[Markup] = []
    for tick in ticks:
        _, y = at(0, tick)
        parts.append(
            Markup('<line class="chart__grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>').format(
                margin["left"], margin["left"] + plot_w, y, y
            )
        )
        parts.append(_text(margin["left"] - 8, y + 4, _number(tick), "chart__axis", "end"))
    # At most about a dozen x labels, counted back from the last so the latest is always shown.
    every = math.ceil(len(x_labels) / 12) or 1
    for n, label in enumerate(x_labels):
        if (len(x_labels) - 1 - n) % every == 0:
            x, _ = at(n, 0)
            parts.append(_text(x, height - 8, label, "chart__axis", "middle"))
    ends = []
    for index, item in enumerate(series):
        points = [at(n, float(v)) for n, v in enumerate(item.values)]
        if not points:
            continue
        dash = DASHES[index % len(DASHES)]
        parts.append(
            Markup('<polyline class="chart__line chart__line--{}" points="{}"{}/>').format(
                index,
                " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                Markup(' stroke-dasharray="{}"').format(dash) if dash else "",
            )
        )
        parts.extend(_marker(index, x, y) for x, y in points)
        ends.append((points[-1], f"{item.name}: {_number(float(item.values[-1]))}"))
    for ((x, _), text), y in zip(
        ends, _spread([y + 4 for (_, y), _ in ends], margin["label_gap"]), strict=True
    ):
        parts.append(_text(x + 10, y, text, "chart__value"))
    if not x_labels:
        parts.append(
            _text(margin["left"], margin["top"] + 16, "Ingen tall å vise ennå.", "chart__label")
        )
    return _svg(chart_id, title, description, width, height, parts)
