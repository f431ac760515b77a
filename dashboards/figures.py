"""Plotly figures, built from selector output only. Each returns a plain dict (the figure's
JSON), which the page embeds with json_script and static/js/charts.js draws.

Traces and layout are written as plain dicts in Plotly's figure schema. Building them as
graph objects (validated property by property) would cost more than the rest of a page,
so the test suite validates every builder's output with plotly.graph_objects instead
(tests/dashboards/test_dashboards.py).
"""

import math
import textwrap
from collections import defaultdict

from surveys.counting import score_text
from surveys.said.shares import THEMES_SHOWN

# Gap = expected - experienced: negative is delight (green), positive is frustration (red).
GAP_SCALE = [
    [0.0, "#15803d"],
    [0.35, "#86efac"],
    [0.5, "#f1f5f9"],
    [0.65, "#fca5a5"],
    [1.0, "#b91c1c"],
]
GAP_RANGE = 3.0
THIN = "#cbd5e1"
# Characters per line of a touchpoint's label on the live map: a stage's column is about
# 110 px wide on a 1024 px screen with seven stages.
MAP_LABEL_WIDTH = 13
# Height of a row of the live map (a bubble and three lines of its label), and of the
# emotion curve under it, in pixels.
MAP_ROW_PX = 118
CURVE_PX = 230
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}
ZERO_LINE = {
    "type": "line",
    "xref": "paper",
    "x0": 0,
    "x1": 1,
    "line": {"color": "#94a3b8", "dash": "dot"},
}


def _figure(traces: list[dict], layout: dict) -> dict:
    layout = {"font": FONT, "paper_bgcolor": "white", "plot_bgcolor": "white", **layout}
    return {"data": traces, "layout": layout}


def _hover(point) -> str:
    """A map point's hover: its scores, standards, what customers say and complain of."""
    touchpoint, scores, enough_data = point.touchpoint, point.scores, point.enough_data
    compliance, complaints = point.compliance, point.complaints
    lines = [f"<b>{_escape(touchpoint.name)}</b>", _escape(touchpoint.department.name)]
    lines.append(f"n = {scores.gap_answered}" + ("" if enough_data else " (not enough data)"))
    lines += score_text.one_line(scores)  # each figure with its 95% interval and n
    if compliance is not None and compliance.measured:
        missed = compliance.breaches
        lines.append(
            f"standards met {compliance.percent:.0f}% ({missed} breach{'' if missed == 1 else 'es'}"
            f" in {compliance.measured})"
        )
    if scores.sentiment is not None:
        lines.append(f"comment sentiment {scores.sentiment:+.2f}")
    if complaints is not None:
        lines.append(f"complaints {complaints.total} ({complaints.unresolved} not resolved)")
    for heading, shares in (("said", point.themes), ("complained of", point.complaint_themes)):
        if shares:
            said = "; ".join(f"{_escape(s.label)} {s.percent:.0f}%" for s in shares[:THEMES_SHOWN])
            lines.append(f"{heading}: {said}")
    return "<br>".join(lines)


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover text and labels; user text must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrapped(text: str, width: int) -> str:
    """A label on lines of about `width` characters, so neighbours do not run into it."""
    return "<br>".join(_escape(line) for line in textwrap.wrap(text, width) or [""])


def journey_map(stages, show_backstage=False) -> dict:
    """Stages left to right, touchpoints down each stage, coloured by gap and sized by
    answers; below, the emotion curve: mean expectation and experience per stage."""
    names = [_stage_label(s.stage) for s in stages]
    most = max((p.scores.gap_answered for s in stages for p in s.points), default=0) or 1
    deepest = max((len(s.points) for s in stages), default=0)
    traces = []
    for lane, offset in (("customer", 0), ("backstage", deepest + 1)):
        if lane == "backstage" and not show_backstage:
            continue
        measured, thin = _points(stages, lane, offset, most)
        traces.append(_scatter(measured, f"{lane.title()} touchpoints", colour=True))
        traces.append(
            _scatter(thin, "Not enough data", colour=False)
            | {"legendgroup": "thin", "showlegend": lane == "customer"}
        )
    curve = {"type": "scatter", "x": names, "mode": "lines+markers", "xaxis": "x2", "yaxis": "y2",
             "connectgaps": True}  # fmt: skip
    traces.append(
        curve
        | {
            "name": "Expected",
            "y": [s.scores.mean_expectation for s in stages],
            "line": {"dash": "dash", "color": "#64748b"},
        }
    )
    traces.append(
        curve
        | {
            "name": "Experienced",
            "y": [s.scores.mean_experience for s in stages],
            "line": {"color": "#4338ca", "width": 3, "shape": "spline"},
        }
    )
    backstage_rows = max((len(s.backstage) for s in stages), default=0)
    rows = deepest + (backstage_rows + 2 if show_backstage else 1)
    categories = {"type": "category", "categoryorder": "array", "categoryarray": names}
    shapes = []
    if show_backstage:
        line = -(deepest + 0.5)
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": line,
                       "y1": line, "line": {"color": "#94a3b8", "dash": "dot"}})  # fmt: skip
    # Half a column of room beyond the first and last stage, for their cards' labels.
    categories["range"] = [-0.5, len(names) - 0.5]
    # In pixels, whatever the number of rows: each row a bubble and three lines of label.
    map_px, gap_px = MAP_ROW_PX * (rows + 0.8), 80
    plot_px = map_px + gap_px + CURVE_PX
    layout = {
        "xaxis": categories
        | {"side": "top", "tickangle": 0, "tickfont": {"size": 12, "color": "#1f2937"}},
        "yaxis": {
            "visible": False,
            "range": [-rows, 0.8],
            "domain": [(CURVE_PX + gap_px) / plot_px, 1],
        },
        "xaxis2": categories | {"anchor": "y2", "matches": "x"},
        "yaxis2": {
            "title": {"text": "Mean (1-7)"},
            "range": [1, 7],
            "domain": [0, CURVE_PX / plot_px],
        },
        "shapes": shapes,
        "height": plot_px + 40 + 70,
        "margin": {"l": 50, "r": 20, "t": 40, "b": 70},
        "legend": {"orientation": "h", "y": -45 / plot_px},
        "hoverlabel": {"align": "left"},
    }
    return _figure(traces, layout)


def _stage_label(stage) -> str:
    # Wrapped rather than tilted when the columns are narrow (a tilted name is cut off).
    return _wrapped(stage.name, MAP_LABEL_WIDTH)


def _points(stages, lane, offset, most):
    measured, thin = [], []
    for s in stages:
        points = s.points if lane == "customer" else s.backstage
        for row, p in enumerate(points):
            target = measured if p.enough_data else thin
            target.append(
                {
                    "x": _stage_label(s.stage),
                    "y": -(offset + row),
                    "gap": p.scores.gap,
                    "size": 14 + 30 * math.sqrt(p.scores.gap_answered / most),
                    "label": _wrapped(p.touchpoint.name, MAP_LABEL_WIDTH),
                    "hover": _hover(p),
                }
            )
    return measured, thin


def _scatter(points, name, colour):
    marker = {"size": [p["size"] for p in points], "line": {"width": 1, "color": "#475569"}}
    if colour:
        marker |= {
            "color": [p["gap"] for p in points],
            "colorscale": GAP_SCALE,
            "cmin": -GAP_RANGE,
            "cmax": GAP_RANGE,
            "showscale": True,
            "colorbar": {
                "title": {"text": "gap"},
                "len": 0.6,
                "y": 0.72,
                "tickvals": [-3, 0, 3],
                "ticktext": ["delight -3", "0", "frustration +3"],
            },
        }
    else:
        marker["color"] = THIN
    return {
        "type": "scatter",
        "x": [p["x"] for p in points],
        "y": [p["y"] for p in points],
        "mode": "markers+text",
        "name": name,
        "text": [p["label"] for p in points],
        "textposition": "bottom center",
        "textfont": {"size": 11},
        "cliponaxis": False,
        "hovertext": [p["hover"] for p in points],
        "hoverinfo": "text",
        "marker": marker,
        "showlegend": not colour,
    }


def weekly_lines(series: dict[str, list], measure: str = "gap", title: str = "") -> dict:
    """One line per name over weeks; `measure` is a Scores attribute."""
    traces = [
        {
            "type": "scatter",
            "x": [week.isoformat() for week, _ in points],
            "y": [getattr(scores, measure) for _, scores in points],
            "customdata": [scores.gap_answered for _, scores in points],
            "name": _escape(name),
            "mode": "lines+markers",
            "hovertemplate": "%{x|%d %b %Y}: %{y:.2f} (n=%{customdata})"
            f"<extra>{_escape(name)}</extra>",
        }
        for name, points in series.items()
    ]
    label = {
        "gap": "gap (expected - experienced)",
        "csat_percent": "CSAT %",
        "nps": "NPS",
        "ces": "CES",
    }
    layout = {
        "height": 360,
        "margin": {"l": 60, "r": 20, "t": 40 if title else 20, "b": 40},
        "yaxis": {"title": {"text": label.get(measure, measure)}},
        "legend": {"orientation": "h", "y": -0.2},
        "shapes": [ZERO_LINE | {"yref": "y", "y0": 0, "y1": 0}]
        if measure in ("gap", "sentiment")
        else [],
    }
    if title:
        layout["title"] = {"text": title}
    return _figure(traces, layout)


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
                    "customdata": [[_escape(p.touchpoint.name), p.effort] for p in chosen],
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
    return _figure(traces, layout)


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
            shown[p.touchpoint.pk] = "<br>".join(map(_escape, lines))
    return shown


def _boxes_meet(one, other) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def before_after(checks) -> dict:
    """Each action in effect: gap before and after with 95% intervals."""
    measured = [check for check in checks if check.change is not None]
    traces = [
        {
            "type": "bar",
            "name": label,
            "x": [_escape(check.action.title) for check in measured],
            "y": [getattr(check.change, side).gap for check in measured],
            "marker": {"color": colour},
            "error_y": {
                "type": "data",
                "array": [getattr(check.change, side).gap_margin or 0 for check in measured],
                "visible": True,
            },
        }
        for label, side, colour in (
            ("before", "reference", "#94a3b8"),
            ("after", "compared", "#4338ca"),
        )
    ]
    layout = {
        "barmode": "group",
        "height": 360,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 80},
        "yaxis": {"title": {"text": "gap (lower is better)"}},
        "legend": {"orientation": "h", "y": -0.3},
    }
    return _figure(traces, layout)


PATH_COLOURS = {
    "designed": "rgba(67, 56, 202, 0.45)",
    "off the map": "rgba(217, 119, 6, 0.55)",
    "walked away": "rgba(185, 28, 28, 0.6)",
    "stopped": "rgba(148, 163, 184, 0.5)",
}
# A node carrying less than this share of its step's customers is named on hover only.
SANKEY_LABEL_SHARE = 0.06
ENDS = {"walked away": "Walked away (abandoned, lost)", "stopped": "No further interaction"}


def real_paths(links) -> dict:
    """A Sankey of real paths: a node per (step, touchpoint), and where paths end, in the
    column after their last step. A node carrying a small share of its step's customers
    is named on hover only: labels of stacked small nodes would be drawn over each other."""
    nodes: dict[tuple, int] = {}
    names, colours, steps = [], [], []

    def node(key, step, name, colour):
        if key not in nodes:
            nodes[key] = len(names)
            names.append(name)
            colours.append(colour)
            steps.append(step)
        return nodes[key]

    sources, targets, values, link_colours, hovers = [], [], [], [], []
    for link in links:
        source = node(
            (link.step, link.source.pk),
            link.step,
            link.source.name,
            link.source.department.colour,
        )
        if link.target is None:
            colour = "#b91c1c" if link.kind == "walked away" else "#94a3b8"
            target = node((link.step + 1, link.kind), link.step + 1, ENDS[link.kind], colour)
        else:
            target = node(
                (link.step + 1, link.target.pk),
                link.step + 1,
                link.target.name,
                link.target.department.colour,
            )
        sources.append(source)
        targets.append(target)
        values.append(link.count)
        link_colours.append(PATH_COLOURS[link.kind])
        hovers.append(link.kind)
    inflow, outflow = [0] * len(names), [0] * len(names)
    for source, target, value in zip(sources, targets, values, strict=True):
        outflow[source] += value
        inflow[target] += value
    flow = [max(pair) for pair in zip(inflow, outflow, strict=True)]
    step_total = defaultdict(int)
    for step, customers in zip(steps, flow, strict=True):
        step_total[step] += customers
    labels = [
        _wrapped(name, 12) if customers >= SANKEY_LABEL_SHARE * step_total[step] else ""
        for name, step, customers in zip(names, steps, flow, strict=True)
    ]
    crowded = max((steps.count(step) for step in set(steps)), default=0)
    trace = {
        "type": "sankey",
        "arrangement": "snap",
        "node": {
            "label": labels,
            "color": colours,
            "pad": 14,
            "thickness": 14,
            # Each node in the column of its step, so a path's end sits right after it.
            "align": "left",
            "customdata": [
                f"step {step}: {_escape(name)}" for step, name in zip(steps, names, strict=True)
            ],
            "hovertemplate": "%{customdata}<br>%{value} customers<extra></extra>",
        },
        "link": {
            "source": sources,
            "target": targets,
            "value": values,
            "color": link_colours,
            "customdata": hovers,
            "hovertemplate": "%{source.customdata} → %{target.customdata}<br>%{value} customers"
            " · %{customdata}<extra></extra>",
        },
        "textfont": {"size": 11},
    }
    # Room for the most crowded column's nodes and their labels.
    height = max(620, 44 * crowded)
    return _figure([trace], {"height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}})


def standard_effects(effects) -> dict:
    """For each standard: the gap of answers when it was met against when it was missed,
    with 95% intervals."""
    labels = [f"{_escape(e.touchpoint.name)} · {e.standard}" for e in effects]
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": labels,
            "y": [getattr(e.change, side).gap for e in effects],
            "marker": {"color": colour},
            "error_y": {
                "type": "data",
                "array": [getattr(e.change, side).gap_margin or 0 for e in effects],
                "visible": True,
            },
        }
        for name, side, colour in (
            ("standard met", "reference", "#15803d"),
            ("standard missed", "compared", "#b91c1c"),
        )
    ]
    layout = {
        "barmode": "group",
        "height": 380,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 110},
        "yaxis": {"title": {"text": "gap (expected - experienced)"}},
        "legend": {"orientation": "h", "y": 1.1},
    }
    return _figure(traces, layout)
