"""Alerts on service standards: when a touchpoint meets its timed standards for less than
the threshold share of interactions in a window, its department's heads get one email for
that window, not one per breach.

Windows are blocks of STANDARD_ALERT_WINDOW_DAYS days counted from a fixed day, so a window
is the same whenever the check runs (hourly by beat); the unique (touchpoint, window) row
makes a second alert impossible, and the email is claimed before it is sent.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lib.mail_headers import header_text
from surveys.counting.selectors import compliance_by_touchpoint
from surveys.models import StandardAlert
from surveys.telling import webhooks
from touchpoints.models import Touchpoint

WINDOW_ORIGIN = dt.date(2000, 1, 3)  # a Monday: with 7-day windows, weeks from Monday


def window_of(day: dt.date) -> tuple[dt.date, dt.date]:
    length = settings.TOUCHSTONE_STANDARD_ALERT_WINDOW_DAYS
    start = day - dt.timedelta(days=(day - WINDOW_ORIGIN).days % length)
    return start, start + dt.timedelta(days=length - 1)


def check_standards(today: dt.date | None = None) -> list[StandardAlert]:
    """Open an alert for each touchpoint below the threshold in the current window (so far);
    returns the alerts opened by this run."""
    today = today or timezone.localdate()
    start, end = window_of(today)
    with_targets = Touchpoint.objects.filter(
        Q(target_wait_seconds__isnull=False)
        | Q(target_response_seconds__isnull=False)
        | Q(target_resolution_seconds__isnull=False)
    ).values_list("pk", flat=True)
    opened = []
    for touchpoint_id, compliance in compliance_by_touchpoint(with_targets, start, today).items():
        if compliance.measured < settings.TOUCHSTONE_STANDARD_ALERT_MIN_MEASURED:
            continue
        if compliance.percent >= settings.TOUCHSTONE_STANDARD_ALERT_THRESHOLD:
            continue
        try:
            with transaction.atomic():
                alert = StandardAlert.objects.create(
                    touchpoint_id=touchpoint_id,
                    window_start=start,
                    window_end=end,
                    measured=compliance.measured,
                    met=compliance.met,
                )
                webhooks.standard_breached(alert)
        except IntegrityError:
            continue  # this window has its alert already
        opened.append(alert)
    return opened


def notify_alert(alert_id: int) -> bool:
    """Email the touchpoint's department heads once; False when done already or nobody to tell."""
    with transaction.atomic():
        claimed = StandardAlert.objects.filter(pk=alert_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    if not claimed:
        return False
    alert = StandardAlert.objects.select_related("touchpoint__department").get(pk=alert_id)
    department = alert.touchpoint.department
    heads = [user.email for user in department.heads.all() if user.email]
    if not heads:
        return False
    context = {
        "alert": alert,
        "threshold": settings.TOUCHSTONE_STANDARD_ALERT_THRESHOLD,
        "department_url": settings.SITE_URL
        + reverse("dashboards:department", args=[department.pk]),
    }
    message = EmailMessage(
        subject=header_text(
            f"Service standards missed at {alert.touchpoint.name}: "
            f"{alert.percent:.0f}% met since {alert.window_start:%d %b}"
        ),
        body=render_to_string("surveys/email/standard_alert.txt", context),
        to=heads,
    )
    try:
        message.send()
    except OSError:
        StandardAlert.objects.filter(pk=alert_id).update(notified_at=None)  # retried
        raise
    return True
