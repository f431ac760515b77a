"""The score cells of every dashboard table, written in Python: a template include per row
costs more than the page's queries once a table has a few hundred rows."""

from django import template
from django.utils.html import format_html, format_html_join

from journeys.templatetags.board_tags import gap_tone
from touchpoints.models import short_duration

register = template.Library()

DASH = "\u2013"  # an en dash, as the templates show missing figures


def _number(value, digits, suffix=""):
    return DASH if value is None else f"{value:.{digits}f}{suffix}"


@register.simple_tag
def score_cells(scores, enough=True):
    """n, gap ± CI, CSAT, NPS, CES and response rate as <td> cells."""
    if scores is None:
        return format_html('<td>0</td><td colspan="5" class="muted">Not enough data</td>')
    if not enough:
        return format_html(
            '<td>{}</td><td colspan="5" class="muted">Not enough data</td>', scores.gap_answered
        )
    margin = (
        format_html(' <span class="muted">± {}</span>', _number(scores.gap_margin, 2))
        if scores.gap_margin is not None
        else ""
    )
    gap = format_html(
        '<span class="score" data-tone="{}">{}</span>{}',
        gap_tone(scores.gap),
        _number(scores.gap, 2),
        margin,
    )
    rest = [
        _number(scores.csat_percent, 0, "%"),
        _number(scores.nps, 0),
        _number(scores.ces, 1),
        _number(scores.response_rate, 0, "%"),
    ]
    return format_html(
        "<td>{}</td><td>{}</td>{}",
        scores.gap_answered,
        gap,
        format_html_join("", "<td>{}</td>", ((value,) for value in rest)),
    )


@register.filter
def duration_label(seconds):
    return short_duration(seconds)
