"""The score cells of every dashboard table, written in Python: a template include per row
costs more than the page's queries once a table has a few hundred rows."""

from django import template
from django.utils.html import format_html, format_html_join

from journeys.templatetags.board_tags import gap_tone
from surveys.counting import score_text
from surveys.counting.scores import scores_from_sums
from touchpoints.models import short_duration

register = template.Library()


@register.simple_tag
def score_cells(scores):
    """n, gap, CSAT, NPS, CES and response rate as <td> cells, each figure with its 95%
    interval and its own n, or why there is none (surveys/counting/score_text.py)."""
    if scores is None:
        scores = scores_from_sums({})
    gap_figure, gap_detail = score_text.gap(scores)
    cells = [
        format_html(
            '<span class="score" data-tone="{}">{}</span><br><span class="muted small">{}</span>',
            gap_tone(scores.gap) if scores.enough_gap else "none",
            gap_figure,
            gap_detail,
        )
    ]
    for text in (score_text.csat, score_text.nps, score_text.ces, score_text.response_rate):
        figure, detail = text(scores)
        cells.append(format_html('{}<br><span class="muted small">{}</span>', figure, detail))
    return format_html(
        "<td>{}</td>{}",
        scores.gap_answered,
        format_html_join("", "<td>{}</td>", ((cell,) for cell in cells)),
    )


@register.filter
def duration_label(seconds):
    return short_duration(seconds)


@register.filter
def p_is(p_value):
    """ "= 0.034", or "< 0.001" where three decimals would read as a p of zero."""
    if p_value is None:
        return ""
    return "< 0.001" if p_value < 0.001 else f"= {p_value:.3f}"


@register.filter
def p_figure(p_value):
    """ "0.034", or "< 0.001": a p on its own, as in a table's p column."""
    return p_is(p_value).removeprefix("= ")
