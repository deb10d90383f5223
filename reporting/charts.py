"""Charts as inline SVG, built on the server: no JavaScript, no CDN.

Pure functions from numbers to markup. Each chart is an `<svg role="img">`
with a `<title>`, a `data-chart` name and one `<title>` per bar or point,
so a browser shows the value on hover and tests can find what was drawn.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 30
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
GRID_LINES = 4
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: nothing to draw for that label
    color: str


def _n(value: float) -> str:
    return f"{value:.1f}"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover  (the loop always returns)


def _frame(
    title: str, labels: Sequence[str], top: float, y_label: Callable[[float], str]
) -> list[SafeString]:
    parts = [format_html("<title>{}</title>", title)]
    for i in range(GRID_LINES + 1):
        value = top * i / GRID_LINES
        y = TOP + PLOT_H - PLOT_H * i / GRID_LINES
        parts.append(format_html(
            '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
            '<text class="y-label" x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT, _n(y), WIDTH - RIGHT, _n(y), LEFT - 6, _n(y + 4), y_label(value),
        ))
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    slot = PLOT_W / max(len(labels), 1)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(format_html(
                '<text class="x-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                _n(LEFT + slot * (i + 0.5)), HEIGHT - 10, label,
            ))
    return parts


def _svg(name: str, title: str, parts: list[SafeString]) -> SafeString:
    return format_html(
        '<svg class="chart" data-chart="{}" role="img" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" aria-label="{}">{}</svg>',
        name, WIDTH, HEIGHT, title, mark_safe("".join(parts)),  # noqa: S308  (parts are escaped)
    )


def bar_chart(
    *, name: str, title: str, labels: Sequence[str], series: Sequence[Series],
    y_label: Callable[[float], str] = lambda v: f"{v:g}",
) -> SafeString:
    """Grouped bars, one group per label, one bar per series."""
    top = nice_ceiling(max((v or 0 for s in series for v in s.values), default=0))
    parts = _frame(title, labels, top, y_label)
    slot = PLOT_W / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    for i, label in enumerate(labels):
        for j, line in enumerate(series):
            value = line.values[i] or 0
            height = PLOT_H * value / top
            parts.append(format_html(
                '<rect class="bar" data-series="{}" x="{}" y="{}" width="{}" height="{}" '
                'fill="{}"><title>{}: {} {}</title></rect>',
                line.name, _n(LEFT + slot * (i + 0.1) + bar * j), _n(TOP + PLOT_H - height),
                _n(max(bar - 1, 1)), _n(height), line.color, label, y_label(value), line.name,
            ))
    return _svg(name, title, parts)


def line_chart(
    *, name: str, title: str, labels: Sequence[str], series: Sequence[Series],
    y_label: Callable[[float], str] = lambda v: f"{v:g}", top: float | None = None,
) -> SafeString:
    """One line per series; a missing value breaks the line rather than faking a zero."""
    top = top or nice_ceiling(max((v or 0 for s in series for v in s.values), default=0))
    parts = _frame(title, labels, top, y_label)
    slot = PLOT_W / max(len(labels), 1)
    for line in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(line.values):
            if value is None:
                runs.append([])
                continue
            point = (LEFT + slot * (i + 0.5), TOP + PLOT_H - PLOT_H * min(value / top, 1))
            runs[-1].append(point)
            parts.append(format_html(
                '<circle class="point" data-series="{}" cx="{}" cy="{}" r="3" fill="{}">'
                "<title>{}: {}</title></circle>",
                line.name, _n(point[0]), _n(point[1]), line.color, labels[i], y_label(value),
            ))
        for run in runs:
            if len(run) > 1:
                parts.append(format_html(
                    '<polyline class="line" fill="none" stroke="{}" stroke-width="2" points="{}"/>',
                    line.color, " ".join(f"{x:.1f},{y:.1f}" for x, y in run),
                ))
    return _svg(name, title, parts)
