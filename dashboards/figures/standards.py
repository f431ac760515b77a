"""Does a standard matter: the gap when it was met against when it was missed."""

from dashboards.figures.style import escape, figure, gap_bars


def standard_effects(effects) -> dict:
    """For each standard: the gap of answers when it was met against when it was missed,
    with 95% intervals."""
    labels = [f"{escape(e.touchpoint.name)} · {e.standard}" for e in effects]
    traces = gap_bars(
        labels,
        [e.change for e in effects],
        (("standard met", "reference", "#15803d"), ("standard missed", "compared", "#b91c1c")),
    )
    layout = {
        "barmode": "group",
        "height": 380,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 110},
        "yaxis": {"title": {"text": "gap (expected - experienced)"}},
        "legend": {"orientation": "h", "y": 1.1},
    }
    return figure(traces, layout)
