"""Each score as people read it, with its n and its 95% interval, the same on every table,
panel, hover and legend: one wording, in one place.

Each returns (figure, detail): the figure ("0.42", "53%"), or why there is none ("not
enough data"), and the detail ("± 0.18 · n 120"). No figure is shown below a measure's
minimum sample, and an interval of answers all equal is said to be so, not "± 0.00".
"""

from surveys.counting.scores import Scores

NOT_ENOUGH = "not enough data"
DASH = "\u2013"


def _n(n: int) -> str:
    return f"n {n:,}"


def gap(scores: Scores) -> tuple[str, str]:
    if not scores.gap_answered:
        return DASH, _n(0)
    if not scores.enough_gap:
        return NOT_ENOUGH, _n(scores.gap_answered)
    if scores.gap_all_equal:
        return f"{scores.gap:.2f}", f"all {scores.gap_answered:,} answers equal"
    return f"{scores.gap:.2f}", f"± {scores.gap_margin:.2f} · {_n(scores.gap_answered)}"


def csat(scores: Scores) -> tuple[str, str]:
    if not scores.csat_answered:
        return DASH, _n(0)
    if not scores.enough_csat:
        return NOT_ENOUGH, _n(scores.csat_answered)
    interval = f"{scores.csat_low:.0f}{DASH}{scores.csat_high:.0f}%"
    return f"{scores.csat_percent:.0f}%", f"{interval} · {_n(scores.csat_answered)}"


def nps(scores: Scores) -> tuple[str, str]:
    if not scores.nps_answered:
        return DASH, _n(0)
    if not scores.enough_nps:
        return NOT_ENOUGH, _n(scores.nps_answered)
    interval = f"{scores.nps_low:.0f} to {scores.nps_high:.0f}"
    return f"{scores.nps:.0f}", f"{interval} · {_n(scores.nps_answered)}"


def ces(scores: Scores) -> tuple[str, str]:
    if not scores.effort_answered:
        return DASH, _n(0)
    if not scores.enough_ces:
        return NOT_ENOUGH, _n(scores.effort_answered)
    if scores.ces_all_equal:
        return f"{scores.ces:.1f}", f"all {scores.effort_answered:,} answers equal"
    return f"{scores.ces:.1f}", f"± {scores.ces_margin:.1f} · {_n(scores.effort_answered)}"


def response_rate(scores: Scores) -> tuple[str, str]:
    if not scores.invitations_sent:
        return DASH, "none sent"
    detail = f"of {scores.invitations_sent:,} sent"
    if scores.invitations_open:
        detail += f" · {scores.invitations_open:,} still open"
    return f"{scores.response_rate:.0f}%", detail


MEASURES = {"gap": gap, "CSAT": csat, "NPS": nps, "CES": ces, "response rate": response_rate}


def one_line(scores: Scores) -> list[str]:
    """Every measure on a line of its own: "gap 0.42 ± 0.18 · n 120"."""
    lines = []
    for name, text in MEASURES.items():
        figure, detail = text(scores)
        lines.append(f"{name} {figure} ({detail})" if detail else f"{name} {figure}")
    return lines
