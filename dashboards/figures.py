"""Plotly figures, built from selector output only. Each returns a plain dict (the figure's
JSON), which the page embeds with json_script and static/js/charts.js draws."""

import json
import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

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
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def _as_dict(figure: go.Figure) -> dict:
    figure.update_layout(font=FONT, paper_bgcolor="white", plot_bgcolor="white")
    return json.loads(figure.to_json())


def _fmt(value, digits=1, suffix=""):
    return "-" if value is None else f"{value:.{digits}f}{suffix}"


def _hover(touchpoint, scores, enough_data) -> str:
    lines = [f"<b>{_escape(touchpoint.name)}</b>", _escape(touchpoint.department.name)]
    lines.append(f"n = {scores.gap_answered}" + ("" if enough_data else " (not enough data)"))
    if scores.gap is not None:
        margin = f" ± {scores.gap_margin:.2f}" if scores.gap_margin is not None else ""
        lines.append(f"gap {scores.gap:.2f}{margin}")
    lines.append(
        f"CSAT {_fmt(scores.csat_percent, 0, '%')} · NPS {_fmt(scores.nps, 0)} "
        f"· CES {_fmt(scores.ces)}"
    )
    return "<br>".join(lines)


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover text and labels; user text must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def journey_map(stages, show_backstage=False) -> dict:
    """Stages left to right, touchpoints down each stage, coloured by gap and sized by
    answers; below, the emotion curve: mean expectation and experience per stage."""
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06
    )
    names = [_escape(s.stage.name) for s in stages]
    most = max((p.scores.gap_answered for s in stages for p in s.points), default=0) or 1
    deepest = max((len(s.points) for s in stages), default=0)
    for lane, offset in (("customer", 0), ("backstage", deepest + 1)):
        if lane == "backstage" and not show_backstage:
            continue
        measured, thin = _points(stages, lane, offset, most)
        figure.add_trace(
            _scatter(measured, f"{lane.title()} touchpoints", colour=True), row=1, col=1
        )
        thin_trace = _scatter(thin, "Not enough data", colour=False)
        thin_trace.update(legendgroup="thin", showlegend=lane == "customer")
        figure.add_trace(thin_trace, row=1, col=1)
    expectation = [s.scores.mean_expectation for s in stages]
    experience = [s.scores.mean_experience for s in stages]
    figure.add_trace(
        go.Scatter(
            x=names,
            y=expectation,
            name="Expected",
            mode="lines+markers",
            line={"dash": "dash", "color": "#64748b"},
            connectgaps=True,
        ),
        row=2,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=names,
            y=experience,
            name="Experienced",
            mode="lines+markers",
            line={"color": "#4338ca", "width": 3, "shape": "spline"},
            connectgaps=True,
        ),
        row=2,
        col=1,
    )
    rows = deepest + (deepest + 2 if show_backstage else 1)
    figure.update_yaxes(visible=False, range=[-rows, 0.8], row=1, col=1)
    figure.update_yaxes(title_text="Mean (1-7)", range=[1, 7], row=2, col=1)
    figure.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=names,
        side="top",
        showticklabels=True,
        tickfont={"size": 14, "color": "#1f2937"},
        row=1,
        col=1,
    )
    if show_backstage:
        figure.add_hline(
            y=-(deepest + 0.5),
            line_dash="dot",
            line_color="#94a3b8",
            row=1,
            col=1,
            annotation_text="line of visibility",
            annotation_position="bottom left",
        )
    figure.update_layout(
        height=320 + 95 * rows,
        margin={"l": 50, "r": 20, "t": 40, "b": 30},
        legend={"orientation": "h", "y": -0.08},
        hoverlabel={"align": "left"},
    )
    return _as_dict(figure)


def _points(stages, lane, offset, most):
    measured, thin = [], []
    for s in stages:
        points = s.points if lane == "customer" else s.backstage
        for row, p in enumerate(points):
            target = measured if p.enough_data else thin
            target.append(
                {
                    "x": _escape(s.stage.name),
                    "y": -(offset + row),
                    "gap": p.scores.gap,
                    "size": 16 + 34 * math.sqrt(p.scores.gap_answered / most),
                    "label": _escape(p.touchpoint.name),
                    "hover": _hover(p.touchpoint, p.scores, p.enough_data),
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
    return go.Scatter(
        x=[p["x"] for p in points],
        y=[p["y"] for p in points],
        mode="markers+text",
        name=name,
        text=[p["label"] for p in points],
        textposition="bottom center",
        hovertext=[p["hover"] for p in points],
        hoverinfo="text",
        marker=marker,
        showlegend=not colour,
    )


def weekly_lines(series: dict[str, list], measure: str = "gap", title: str = "") -> dict:
    """One line per name over weeks; `measure` is a Scores attribute."""
    figure = go.Figure()
    for name, points in series.items():
        figure.add_trace(
            go.Scatter(
                x=[week.isoformat() for week, _ in points],
                y=[getattr(scores, measure) for _, scores in points],
                customdata=[scores.gap_answered for _, scores in points],
                name=_escape(name),
                mode="lines+markers",
                hovertemplate="%{x|%d %b %Y}: %{y:.2f} (n=%{customdata})<extra>"
                + _escape(name)
                + "</extra>",
            )
        )
    label = {
        "gap": "gap (expected - experienced)",
        "csat_percent": "CSAT %",
        "nps": "NPS",
        "ces": "CES",
    }
    figure.update_layout(
        title={"text": title} if title else None,
        height=360,
        margin={"l": 60, "r": 20, "t": 40 if title else 20, "b": 40},
        yaxis_title=label.get(measure, measure),
        legend={"orientation": "h", "y": -0.2},
    )
    if measure == "gap":
        figure.add_hline(y=0, line_color="#94a3b8", line_dash="dot")
    return _as_dict(figure)


def impact_effort(priorities) -> dict:
    colours = {
        "quick win": "#15803d",
        "next quarter": "#d97706",
        "the quarter after": "#64748b",
        "watch": "#cbd5e1",
    }
    figure = go.Figure()
    for bucket, colour in colours.items():
        chosen = [p for p in priorities if p.bucket == bucket]
        if not chosen:
            continue
        figure.add_trace(
            go.Scatter(
                x=[p.effort for p in chosen],
                y=[p.impact for p in chosen],
                mode="markers+text",
                name=bucket,
                text=[_escape(p.touchpoint.name) for p in chosen],
                textposition="top center",
                marker={"size": 16, "color": colour, "line": {"width": 1, "color": "#334155"}},
                hovertemplate="%{text}<br>impact %{y:.0f} · effort %{x}<extra></extra>",
            )
        )
    figure.add_shape(
        type="rect",
        x0=0.5,
        x1=2.5,
        y0=50,
        y1=105,
        fillcolor="#dcfce7",
        opacity=0.5,
        line_width=0,
        layer="below",
    )
    figure.add_annotation(
        x=1.5, y=103, text="quick wins", showarrow=False, font={"color": "#166534"}
    )
    figure.update_layout(
        height=460,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        xaxis={"title": "effort to improve (1 trivial - 5 major)", "range": [0.5, 5.5], "dtick": 1},
        yaxis={"title": "impact (gap x volume x detractor share)", "range": [-5, 110]},
        legend={"orientation": "h", "y": -0.18},
    )
    return _as_dict(figure)


def before_after(checks) -> dict:
    """Each verified action: gap before and after with 95% intervals."""
    figure = go.Figure()
    for label, attribute, colour in (
        ("before", "before", "#94a3b8"),
        ("after", "after", "#4338ca"),
    ):
        xs, ys, errors = [], [], []
        for check in checks:
            if check.change is None:
                continue
            scores = getattr(check.change, attribute)
            xs.append(_escape(check.action.title))
            ys.append(scores.gap)
            errors.append(scores.gap_margin or 0)
        figure.add_trace(
            go.Bar(
                x=xs,
                y=ys,
                name=label,
                marker_color=colour,
                error_y={"type": "data", "array": errors, "visible": True},
            )
        )
    figure.update_layout(
        barmode="group",
        height=360,
        margin={"l": 60, "r": 20, "t": 20, "b": 80},
        yaxis_title="gap (lower is better)",
        legend={"orientation": "h", "y": -0.3},
    )
    return _as_dict(figure)
