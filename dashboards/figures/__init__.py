"""Plotly figures, built from selector output only. Each returns a plain dict (the figure's
JSON), which the page embeds with json_script and static/js/charts.js draws.

Traces and layout are written as plain dicts in Plotly's figure schema. Building them as
graph objects (validated property by property) would cost more than the rest of a page,
so the test suite validates every builder's output with plotly.graph_objects instead
(tests/dashboards/test_views.py).
"""

from dashboards.figures.improvements import before_after
from dashboards.figures.lines import weekly_lines
from dashboards.figures.live_map import journey_map
from dashboards.figures.paths import real_paths
from dashboards.figures.priorities import impact_effort
from dashboards.figures.standards import standard_effects

__all__ = [
    "before_after",
    "impact_effort",
    "journey_map",
    "real_paths",
    "standard_effects",
    "weekly_lines",
]
