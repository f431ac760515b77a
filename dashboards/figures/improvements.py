"""Improvement checks: a touchpoint's gap before and after an action, with intervals."""

from dashboards.figures.style import escape, figure, gap_bars


def before_after(checks) -> dict:
    """Each action in effect: gap before and after with 95% intervals."""
    measured = [check for check in checks if check.change is not None]
    traces = gap_bars(
        [escape(check.action.title) for check in measured],
        [check.change for check in measured],
        (("before", "reference", "#94a3b8"), ("after", "compared", "#4338ca")),
    )
    layout = {
        "barmode": "group",
        "height": 360,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 80},
        "yaxis": {"title": {"text": "gap (lower is better)"}},
        "legend": {"orientation": "h", "y": -0.3},
    }
    return figure(traces, layout)
