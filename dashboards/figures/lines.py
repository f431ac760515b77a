"""Weekly lines of a measure, one per touchpoint, stage or department."""

from dashboards.figures.style import escape, figure

ZERO_LINE = {
    "type": "line",
    "xref": "paper",
    "x0": 0,
    "x1": 1,
    "line": {"color": "#94a3b8", "dash": "dot"},
}


def weekly_lines(series: dict[str, list], measure: str = "gap", title: str = "") -> dict:
    """One line per name over weeks; `measure` is a Scores attribute."""
    traces = [
        {
            "type": "scatter",
            "x": [week.isoformat() for week, _ in points],
            "y": [getattr(scores, measure) for _, scores in points],
            "customdata": [scores.gap_answered for _, scores in points],
            "name": escape(name),
            "mode": "lines+markers",
            "hovertemplate": "%{x|%d %b %Y}: %{y:.2f} (n=%{customdata})"
            f"<extra>{escape(name)}</extra>",
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
    return figure(traces, layout)
