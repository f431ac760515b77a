"""Improvement checks: a touchpoint's gap before and after an action, with intervals."""

from dashboards.figures.style import escape, figure


def before_after(checks) -> dict:
    """Each action in effect: gap before and after with 95% intervals."""
    measured = [check for check in checks if check.change is not None]
    traces = [
        {
            "type": "bar",
            "name": label,
            "x": [escape(check.action.title) for check in measured],
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
    return figure(traces, layout)
