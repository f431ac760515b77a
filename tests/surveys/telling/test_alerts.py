"""One alert per window when a touchpoint's standards fall below the threshold."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.counting.aggregation import rollups_drain_all
from surveys.models import StandardAlert
from surveys.tasks import check_standards as check_standards_task
from surveys.telling.alerts import check_standards, notify_alert, window_of
from tests.factories import InteractionFactory, TouchpointFactory, UserFactory
from tests.smtp import body_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def hotline(department_a, settings):
    settings.TOUCHSTONE_STANDARD_ALERT_THRESHOLD = 80
    settings.TOUCHSTONE_STANDARD_ALERT_MIN_MEASURED = 10
    department_a.heads.add(UserFactory(username="cleo", email="cleo@flooring.example"))
    return TouchpointFactory(name="Hotline", department=department_a, target_wait_seconds=120)


def calls(touchpoint, count, wait, day=TODAY):
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    for _ in range(count):
        InteractionFactory(touchpoint=touchpoint, occurred_at=moment, wait_seconds=wait)
    rollups_drain_all()


def test_windows_are_fixed_blocks_of_days(settings):
    settings.TOUCHSTONE_STANDARD_ALERT_WINDOW_DAYS = 7
    start, end = window_of(dt.date(2026, 11, 25))  # a Wednesday
    assert (start, end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert window_of(end) == (start, end) and window_of(end + dt.timedelta(days=1))[
        0
    ] == end + dt.timedelta(days=1)


def test_one_alert_and_one_email_per_window(hotline, smtp):
    calls(hotline, 6, wait=60)
    calls(hotline, 6, wait=900)  # 50% met, 12 measured
    (alert,) = check_standards()
    assert (alert.measured, alert.met, alert.window_start) == (12, 6, window_of(TODAY)[0])
    assert notify_alert(alert.pk) and not notify_alert(alert.pk)
    (message,) = smtp.messages
    assert message["To"] == "cleo@flooring.example"
    assert "Hotline" in message["Subject"] and "50% met" in message["Subject"]
    assert "6 of 12 measured interactions" in body_of(message)
    calls(hotline, 10, wait=900)  # worse still, same window
    assert check_standards() == [] and StandardAlert.objects.count() == 1
    next_window = window_of(TODAY)[1] + dt.timedelta(days=1)
    calls(hotline, 12, wait=900, day=next_window)
    assert len(check_standards(today=next_window)) == 1


def test_no_alert_above_the_threshold_or_on_too_few_interactions(hotline):
    calls(hotline, 9, wait=900)  # 0% met, but only 9 measured
    assert check_standards() == []
    calls(hotline, 40, wait=60)  # 40 of 49 met: 82%
    assert check_standards() == []


def test_the_beat_task_opens_and_emails(hotline, smtp, eager_tasks):
    calls(hotline, 12, wait=900)
    assert check_standards_task.delay().get() == 1
    assert len(smtp.messages) == 1
    assert check_standards_task.delay().get() == 0 and len(smtp.messages) == 1
