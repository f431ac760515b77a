"""The impact/effort matrix of the priorities page, labels dodged so none covers another."""

import textwrap
from collections import defaultdict

from dashboards.figures.style import escape, figure


def impact_effort(priorities) -> dict:
    colours = {
        "quick win": "#15803d",
        "next quarter": "#d97706",
        "the quarter after": "#64748b",
        "watch": "#cbd5e1",
    }
    shifts = _dodged(priorities)
    shown = _labels_with_room(priorities, shifts)
    traces = []
    for bucket, colour in colours.items():
        chosen = [p for p in priorities if p.bucket == bucket]
        if chosen:
            traces.append(
                {
                    "type": "scatter",
                    "x": [p.effort + shifts[p.touchpoint.pk] for p in chosen],
                    "y": [p.impact for p in chosen],
                    "mode": "markers+text",
                    "name": bucket,
                    # Named beside the point where there is room, on hover everywhere.
                    "text": [shown.get(p.touchpoint.pk, "") for p in chosen],
                    "customdata": [[escape(p.touchpoint.name), p.effort] for p in chosen],
                    "textposition": "top center",
                    "textfont": {"size": 11},
                    "marker": {
                        "size": 16,
                        "color": colour,
                        "line": {"width": 1, "color": "#334155"},
                    },
                    "hovertemplate": "%{customdata[0]}<br>impact %{y:.0f}"
                    " · effort %{customdata[1]}<extra></extra>",
                }
            )
    layout = {
        "height": 460,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "xaxis": {"title": {"text": "effort to improve (1 trivial - 5 major)"},
                  "range": [0.5, 5.5], "dtick": 1},
        "yaxis": {"title": {"text": "impact (gap x volume x detractor share)"},
                  "range": [-5, 110]},
        "legend": {"orientation": "h", "y": -0.18},
        "shapes": [{"type": "rect", "x0": 0.5, "x1": 2.5, "y0": 50, "y1": 105,
                    "fillcolor": "#dcfce7", "opacity": 0.5, "line": {"width": 0},
                    "layer": "below"}],
        "annotations": [{"x": 1.5, "y": 103, "text": "quick wins", "showarrow": False,
                         "font": {"color": "#166534"}}],
    }  # fmt: skip
    return figure(traces, layout)


def _dodged(priorities, close=6.0, step=0.12) -> dict[int, float]:
    """Sideways shifts, by touchpoint, that set apart points of one effort whose impacts
    are within `close` of each other (they would be drawn on top of each other)."""
    by_effort = defaultdict(list)
    for p in priorities:
        by_effort[p.effort].append(p)
    shifts = {}
    for column in by_effort.values():
        column.sort(key=lambda p: p.impact)
        crowd = 0
        for previous, p in zip([None, *column], column, strict=False):
            crowd = crowd + 1 if previous and p.impact - previous.impact < close else 0
            # 0, +1, -1, +2, -2 ... steps from the column's line.
            side = 1 if crowd % 2 else -1
            shifts[p.touchpoint.pk] = step * side * ((crowd + 1) // 2)
    return shifts


# The priorities chart as drawn on the narrowest screen it is read on (1024 px): about
# 860 px for the five steps of effort and 390 px for the 115 points of impact.
PX_PER_EFFORT, PX_PER_IMPACT = 170, 3.4
LABEL_CHAR_PX, LABEL_LINE_PX, MARKER_PX = 6.5, 14, 9


def _labels_with_room(priorities, shifts) -> dict[int, str]:
    """The labels that fit, by touchpoint: the most urgent first, each above its point
    unless it would cover another label or point; the rest are named on hover only (the
    touchpoints only watched, at the bottom, always)."""
    centre = {
        p.touchpoint.pk: ((p.effort + shifts[p.touchpoint.pk]) * PX_PER_EFFORT,
                          p.impact * PX_PER_IMPACT)
        for p in priorities
    }  # fmt: skip
    taken = [(x - MARKER_PX, y - MARKER_PX, x + MARKER_PX, y + MARKER_PX)
             for x, y in centre.values()]  # fmt: skip
    shown = {}
    for p in sorted(priorities, key=lambda p: -p.impact):
        if p.bucket == "watch":
            continue
        lines = textwrap.wrap(p.touchpoint.name, 18) or [""]
        x, y = centre[p.touchpoint.pk]
        half = LABEL_CHAR_PX * max(map(len, lines)) / 2
        box = (x - half, y + MARKER_PX, x + half, y + MARKER_PX + LABEL_LINE_PX * len(lines))
        if not any(_boxes_meet(box, other) for other in taken):
            taken.append(box)
            shown[p.touchpoint.pk] = "<br>".join(map(escape, lines))
    return shown


def _boxes_meet(one, other) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]
