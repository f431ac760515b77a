from django import template

from surveys.counting import score_text
from touchpoints.models import Channel

register = template.Library()

CHANNEL_ICONS = {
    Channel.PHONE: "☎",
    Channel.EMAIL: "✉",
    Channel.WEB: "🌐",
    Channel.CHAT: "💬",
    Channel.MOBILE_APP: "📱",
    Channel.STORE: "🏬",
    Channel.FIELD_VISIT: "🚐",
    Channel.MAIL: "📮",
    Channel.SOCIAL: "📣",
}


@register.filter
def channel_icon(channel: str) -> str:
    return CHANNEL_ICONS.get(channel, "•")


@register.filter
def figures_with_intervals(scores) -> list[tuple[str, str, str]]:
    """(name, figure, detail) of every measure: the figure with its 95% interval and n, or
    why there is none (surveys/counting/score_text.py)."""
    names = {"gap": "Gap", "CSAT": "CSAT", "NPS": "NPS", "CES": "Effort (CES)",
             "response rate": "Response rate"}  # fmt: skip
    return [(names[name], *text(scores)) for name, text in score_text.MEASURES.items()]


@register.filter
def gap_tone(gap: float | None) -> str:
    """Expected minus experienced: above half a point is frustration, below is delight."""
    if gap is None:
        return "none"
    if gap > 0.5:
        return "frustration"
    if gap < -0.5:
        return "delight"
    return "met"
