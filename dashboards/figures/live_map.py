"""The live journey map: a bubble per touchpoint on its stage, coloured by its gap, over the
emotion curve of the stages."""

import math

from dashboards.figures.style import escape, figure, wrapped
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
    return figure(traces, layout)


def _stage_label(stage) -> str:
    # Wrapped rather than tilted when the columns are narrow (a tilted name is cut off).
    return wrapped(stage.name, MAP_LABEL_WIDTH)


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
                    "label": wrapped(p.touchpoint.name, MAP_LABEL_WIDTH),
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


def _hover(point) -> str:
    """A map point's hover: its scores, standards, what customers say and complain of."""
    touchpoint, scores, enough_data = point.touchpoint, point.scores, point.enough_data
    compliance, complaints = point.compliance, point.complaints
    lines = [f"<b>{escape(touchpoint.name)}</b>", escape(touchpoint.department.name)]
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
    for heading, shares in (
        ("said", point.themes),
        ("complained of", point.complaint_themes),
        ("wrote", point.short_answer_themes),
    ):
        if shares:
            said = "; ".join(f"{escape(s.label)} {s.percent:.0f}%" for s in shares[:THEMES_SHOWN])
            lines.append(f"{heading}: {said}")
    return "<br>".join(lines)
