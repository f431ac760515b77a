"""The weekly digest: each department head gets, on Monday morning, last week at their
touchpoints (scores with n and an arrow only where the gap changed significantly from the
week before), the standards breached, the follow-ups overdue now, the top comment themes
and the complaints, so that they need not log in to know.

Sent once per head and week: the (user, week) row is claimed before the email goes, and
let go again if the mail server refuses it, so a retry sends what is missing."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lib.mail_headers import header_text
from surveys.counting import score_text
from surveys.counting.periods import ONE_DAY, Period, moments
from surveys.counting.scores import (
    GapComparison,
    Scores,
    compare_gaps,
    control_false_discoveries,
    scores_from_sums,
)
from surveys.counting.selectors import sums_by_touchpoint
from surveys.models import (
    SUM_FIELDS,
    Complaint,
    ComplaintStatus,
    DigestOptOut,
    DigestSent,
    FollowUp,
    StandardAlert,
)
from surveys.said.shares import comment_themes
from touchpoints.models import Touchpoint

UNSUBSCRIBE_SALT = "touchstone.digest.unsubscribe"
SHOWN = 5  # overdue follow-ups and complaints listed by name; the rest counted
NO_SUMS = dict.fromkeys(SUM_FIELDS, 0)


@dataclass
class TouchpointWeek:
    touchpoint: Touchpoint
    scores: Scores
    change: GapComparison | None

    @property
    def lines(self) -> dict[str, str]:
        return {
            name: "{} ({})".format(*text(self.scores))
            for name, text in (
                ("gap", score_text.gap),
                ("CSAT", score_text.csat),
                ("NPS", score_text.nps),
            )
        }

    @property
    def arrow(self) -> str:
        """Only a significant change gets one (the gap is expected minus experienced:
        smaller is better)."""
        if self.change is None or not self.change.significant:
            return ""
        return "▲ better" if self.change.difference < 0 else "▼ worse"


@dataclass
class Digest:
    week: Period
    touchpoints: list[TouchpointWeek]
    breaches: list[StandardAlert]
    overdue: list[FollowUp]
    overdue_count: int
    complaints: list[Complaint]
    complaint_count: int
    complaints_open: int
    themes: list = field(default_factory=list)

    @property
    def answers(self) -> int:
        return sum(row.scores.responses for row in self.touchpoints)


def last_week(today: dt.date) -> Period:
    """Monday to Sunday of the week before `today`'s."""
    monday = today - dt.timedelta(days=today.weekday())
    return Period(monday - 7 * ONE_DAY, monday - ONE_DAY)


def digest_for(user, today: dt.date, now: dt.datetime | None = None) -> Digest:
    """Last week at the touchpoints of the departments `user` heads."""
    now = now or timezone.now()
    week = last_week(today)
    before = Period(week.since - 7 * ONE_DAY, week.until - 7 * ONE_DAY)
    touchpoints = list(
        Touchpoint.objects.filter(department__heads=user)
        .select_related("department")
        .order_by("department__name", "name")
    )
    ids = [tp.pk for tp in touchpoints]
    this, previous = (sums_by_touchpoint(ids, p.since, p.until) for p in (week, before))
    changes = control_false_discoveries(
        [compare_gaps(previous.get(tp.pk, NO_SUMS), this.get(tp.pk, NO_SUMS)) for tp in touchpoints]
    )
    rows = [
        TouchpointWeek(tp, scores_from_sums(this.get(tp.pk, NO_SUMS)), change)
        for tp, change in zip(touchpoints, changes, strict=True)
    ]
    start, stop = moments(week)
    overdue = FollowUp.objects.filter(touchpoint_id__in=ids).overdue(now)
    overdue_first = overdue.select_related("touchpoint", "assigned_to").order_by("due_at")
    complaints = Complaint.objects.filter(
        touchpoint_id__in=ids, received_at__gte=start, received_at__lt=stop
    )
    comment_counts = {tp: sums["comments"] for tp, sums in this.items() if sums["comments"]}
    names = {tp.pk: tp.name for tp in touchpoints}
    # Each touchpoint's most frequent comment theme of the week, the most frequent first.
    themes = sorted(
        ((names[tp], shares[0]) for tp, shares in comment_themes(comment_counts, week).items()),
        key=lambda pair: -pair[1].count,
    )
    return Digest(
        week=week,
        touchpoints=rows,
        breaches=list(
            StandardAlert.objects.filter(
                touchpoint_id__in=ids, window_start__lte=week.until, window_end__gte=week.since
            ).select_related("touchpoint")
        ),
        overdue=list(overdue_first[:SHOWN]),
        overdue_count=overdue.count(),
        complaints=list(complaints.select_related("touchpoint").order_by("-received_at")[:SHOWN]),
        complaint_count=complaints.count(),
        complaints_open=complaints.exclude(status=ComplaintStatus.RESOLVED).count(),
        themes=themes[:SHOWN],
    )


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_of_token(token: str):
    """The user an unsubscribe link was made for, or None for a forged or broken one."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):  # signed with our secret, yet not one of our links
        return None
    return get_user_model().objects.filter(pk=pk).first()


def digest_message(user, digest: Digest) -> EmailMultiAlternatives:
    unsubscribe = settings.SITE_URL + reverse(
        "surveys:digest_unsubscribe", args=[unsubscribe_token(user)]
    )
    context = {
        "user": user,
        "digest": digest,
        "site_url": settings.SITE_URL,
        "follow_ups_url": settings.SITE_URL + reverse("surveys:follow_ups"),
        "complaints_url": settings.SITE_URL + reverse("surveys:complaints"),
        "unsubscribe_url": unsubscribe,
        "min_sample": settings.TOUCHSTONE_MIN_SAMPLE,
    }
    week = digest.week
    message = EmailMultiAlternatives(
        subject=header_text(
            f"Your week at {settings.TOUCHSTONE_COMPANY_NAME}: "
            f"{week.since:%d %b} to {week.until:%d %b}"
        ),
        body=render_to_string("surveys/email/digest.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("surveys/email/digest.html", context), "text/html")
    return message


def send_weekly_digests(today: dt.date | None = None) -> int:
    """Each head with an email who has not opted out gets last week's digest once; returns
    how many were sent. A refused email is let go, for the task's retry, after the others."""
    today = today or timezone.localdate()
    week = last_week(today)
    heads = (
        get_user_model()
        .objects.filter(headed_departments__isnull=False, is_active=True)
        .exclude(email="")
        .exclude(pk__in=DigestOptOut.objects.values("user_id"))
        .distinct()
        .order_by("pk")
    )
    sent, failed = 0, None
    for user in heads:
        try:
            with transaction.atomic():
                claim = DigestSent.objects.create(user=user, week_start=week.since)
        except IntegrityError:
            continue  # sent already
        try:
            digest_message(user, digest_for(user, today)).send()
        except OSError as error:
            claim.delete()
            failed = error
            continue
        sent += 1
    if failed is not None:
        raise failed
    return sent
