"""Events as chat messages: what a Slack or Microsoft Teams incoming webhook posts in a
channel, readable by the people there, with a link to the page to act on.

A message is written when it is sent, from the delivery's stored payload, so an erased
comment is never posted and names are today's. The same outbox signs, retries and logs
it as any other delivery (webhooks.py).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from surveys.models import ComplaintSource, FollowUpReason, WebhookEvent, WebhookFormat
from touchpoints.models import Staff, Touchpoint

COMMENT_CHARS = 300


@dataclass
class Message:
    title: str
    lines: list[str] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (label, absolute URL)

    @property
    def text(self) -> str:
        """The plain text, for notifications and clients that show no formatting."""
        parts = [self.title, *self.lines]
        if self.link:
            parts.append(f"{self.link[0]}: {self.link[1]}")
        return "\n".join(parts)


def body(hook_format: str, event: str, payload: dict) -> dict:
    """The JSON body a chat webhook of `hook_format` takes for this event."""
    message = message_for(event, payload.get("data", {}))
    if hook_format == WebhookFormat.SLACK:
        return slack(message)
    if hook_format == WebhookFormat.TEAMS:
        return teams(message)
    raise ValueError(f"not a chat format: {hook_format}")


def message_for(event: str, data: dict) -> Message:
    touchpoint = (
        Touchpoint.objects.select_related("department").filter(pk=data.get("touchpoint")).first()
    )
    where = touchpoint.name if touchpoint else "a removed touchpoint"
    scorecard = touchpoint and (
        "Open the scorecard",
        _absolute(reverse("dashboards:department", args=[touchpoint.department_id])),
    )
    if event == WebhookEvent.FOLLOW_UP_OPENED:
        reason = FollowUpReason(data["reason"]).label if data.get("reason") else "An answer"
        staff = Staff.objects.filter(pk=data.get("assigned_to")).first()
        who = f"assigned to {staff.name}" if staff else "not assigned to anyone yet"
        return Message(f"Follow-up opened at {where}", [f"{reason}, {who}."], scorecard)
    if event == WebhookEvent.FOLLOW_UP_OVERDUE:
        staff = Staff.objects.filter(pk=data.get("assigned_to")).first()
        who = f"Assigned to {staff.name}" if staff else "Assigned to nobody"
        link = (
            "Open the follow-up",
            _absolute(reverse("surveys:follow_up", args=[data["follow_up"]])),
        )
        due = f", due {_moment(data.get('due_at'))}" if data.get("due_at") else ""
        lines = [f"{who}; nobody has contacted the customer yet{due}."]
        return Message(f"Overdue follow-up at {where}", lines, link)
    if event in (WebhookEvent.RESPONSE_RECEIVED, WebhookEvent.DETRACTOR):
        title = "Detractor" if event == WebhookEvent.DETRACTOR else "New answer"
        return Message(f"{title} at {where}", _answer_lines(data), scorecard)
    if event == WebhookEvent.STANDARD_BREACHED:
        measured, met = data.get("measured") or 0, data.get("met") or 0
        share = f" ({100 * met / measured:.0f}%)" if measured else ""
        window = f"{_day(data.get('window_start'))} to {_day(data.get('window_end'))}"
        lines = [f"Met {met} of {measured} measured{share}, {window}."]
        return Message(f"Service standard breached at {where}", lines, scorecard)
    if event == WebhookEvent.COMPLAINT_RECEIVED:
        link = (
            "Open the complaint",
            _absolute(reverse("surveys:complaint", args=[data["complaint"]])),
        )
        source = data.get("source")
        how = ComplaintSource(source).label if source in ComplaintSource.values else "Unknown"
        lines = [f"Received by: {how}.", _quoted(data.get("text", ""))]
        return Message(f"Complaint received at {where}", [x for x in lines if x], link)
    if event == "ping":
        return Message("Touchstone is connected", ["Events will be posted to this channel."])
    return Message(f"{event} at {where}")


def _answer_lines(data: dict) -> list[str]:
    scores = [
        f"{label} {data[key]}{scale}"
        for key, label, scale in (
            ("nps", "NPS", "/10"),
            ("csat", "CSAT", "/5"),
            ("gap", "gap", ""),
            ("effort", "effort", "/7"),
        )
        if data.get(key) is not None
    ]
    lines = [", ".join(scores) + "."] if scores else []
    if comment := _quoted(data.get("comment") or ""):
        lines.append(comment)
    return lines


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > COMMENT_CHARS:
        text = text[: COMMENT_CHARS - 1] + "…"
    return f"“{text}”" if text else ""


def _day(value) -> str:
    return str(value or "")[:10]


def _moment(value) -> str:
    """An instant as local time, e.g. 2026-12-05 14:30 CET."""
    moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if moment is None:
        return str(value)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def slack(message: Message) -> dict:
    """Slack's incoming webhook: `text` is the notification, blocks the message."""
    lines = [f"*{_slack_escape(message.title)}*", *map(_slack_escape, message.lines)]
    if message.link:
        label, url = message.link
        lines.append(f"<{url}|{_slack_escape(label)}>")
    return {
        "text": message.text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}],
    }


def _slack_escape(text: str) -> str:
    """Slack reads &, < and > as markup: a customer's words must stay words."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def teams(message: Message) -> dict:
    """A Teams workflow ("When a Teams webhook request is received") takes an Adaptive
    Card as a message attachment."""
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": message.title, "weight": "Bolder", "wrap": True},
            *({"type": "TextBlock", "text": line, "wrap": True} for line in message.lines),
        ],
    }
    if message.link:
        label, url = message.link
        card["actions"] = [{"type": "Action.OpenUrl", "title": label, "url": url}]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }
