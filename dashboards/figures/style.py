"""What every figure shares: the font, the white page, and text kept as text."""

import textwrap

FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def figure(traces: list[dict], layout: dict) -> dict:
    layout = {"font": FONT, "paper_bgcolor": "white", "plot_bgcolor": "white", **layout}
    return {"data": traces, "layout": layout}


def escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover text and labels; user text must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrapped(text: str, width: int) -> str:
    """A label on lines of about `width` characters, so neighbours do not run into it."""
    return "<br>".join(escape(line) for line in textwrap.wrap(text, width) or [""])


def gap_bars(labels: list[str], comparisons: list, samples) -> list[dict]:
    """Grouped bars of two samples' gaps (GapComparison.reference and .compared), each with
    its 95% margin; `samples` is ((name, "reference" or "compared", colour), ...)."""
    return [
        {
            "type": "bar",
            "name": name,
            "x": labels,
            "y": [getattr(comparison, side).gap for comparison in comparisons],
            "marker": {"color": colour},
            "error_y": {
                "type": "data",
                "array": [getattr(comparison, side).gap_margin or 0 for comparison in comparisons],
                "visible": True,
            },
        }
        for name, side, colour in samples
    ]
