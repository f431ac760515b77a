"""Real paths as a Sankey diagram: where customers went from each touchpoint."""

from collections import defaultdict

from dashboards.figures.style import escape, figure, wrapped

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
        wrapped(name, 12) if customers >= SANKEY_LABEL_SHARE * step_total[step] else ""
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
                f"step {step}: {escape(name)}" for step, name in zip(steps, names, strict=True)
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
    return figure([trace], {"height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}})
