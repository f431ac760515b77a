"""Working a follow-up: each change with its history, refused when it no longer applies;
overdue ones escalated once, by email (a real SMTP server) and the webhook outbox."""

import datetime as dt
import socket

import pytest
from django.utils import timezone

from surveys.follow_ups import services
from surveys.models import FollowUpAction, FollowUpStatus, Webhook, WebhookDelivery, WebhookEvent
from surveys.telling import notifications
from surveys.telling.webhooks import new_secret
from tests.factories import FollowUpFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(db):
    return UserFactory(username="mia")


def test_the_first_contact_attempt_is_the_loops_first_contact(worker):
    follow_up = FollowUpFactory()
    services.log_contact(follow_up, worker, "phone", "no_answer", "Rang twice")
    follow_up.refresh_from_db()
    first = follow_up.first_contact_at
    assert first is not None and follow_up.status == FollowUpStatus.IN_PROGRESS
    services.log_contact(follow_up, worker, "phone", "reached", "Apologised, voucher sent")
    follow_up.refresh_from_db()
    assert follow_up.first_contact_at == first  # a later attempt does not move it
    events = list(follow_up.events.values_list("action", "outcome", "note", "by"))
    assert events == [
        ("contact", "no_answer", "Rang twice", worker.pk),
        ("contact", "reached", "Apologised, voucher sent", worker.pk),
    ]
    assert follow_up.contacted_in_time() is True


def test_resolving_needs_a_note_and_happens_once_and_reopening_undoes_it(worker):
    follow_up = FollowUpFactory()
    with pytest.raises(services.Refused, match="how it was resolved"):
        services.resolve(follow_up, worker, "  ")
    services.resolve(follow_up, worker, "Refunded the fee")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.notes) == (FollowUpStatus.DONE, "Refunded the fee")
    assert follow_up.closed_at is not None
    with pytest.raises(services.Refused, match="resolved already"):
        services.resolve(follow_up, worker, "Again")
    with pytest.raises(services.Refused, match="reopen it"):
        services.log_contact(follow_up, worker, "email", "reached")
    services.reopen(follow_up, worker, "Customer wrote again")
    follow_up.refresh_from_db()
    # Never contacted: back to open, not in progress.
    assert (follow_up.status, follow_up.closed_at) == (FollowUpStatus.OPEN, None)
    with pytest.raises(services.Refused, match="not resolved"):
        services.reopen(follow_up, worker)
    actions = list(follow_up.events.values_list("action", flat=True))
    assert actions == [FollowUpAction.RESOLVED, FollowUpAction.REOPENED]


def test_assigning_stays_inside_the_touchpoints_department(
    worker, smtp, django_capture_on_commit_callbacks
):
    follow_up = FollowUpFactory()
    department = follow_up.response.touchpoint.department
    colleague = StaffFactory(department=department, name="Noor", email="noor@example.com")
    stranger = StaffFactory()
    gone = StaffFactory(department=department, is_active=False)
    for refused in (stranger, gone):
        with pytest.raises(services.Refused, match="active in the touchpoint's department"):
            services.assign(follow_up, refused, worker)
    with django_capture_on_commit_callbacks() as callbacks:
        services.assign(follow_up, colleague, worker, "Noor knows them")
    assert callbacks  # the assignee's email is queued once the assignment commits
    follow_up.refresh_from_db()
    assert follow_up.assigned_to == colleague
    with pytest.raises(services.Refused, match="already"):
        services.assign(follow_up, colleague, worker)
    event = follow_up.events.get()
    assert (event.action, event.assigned_to, event.note) == (
        "assigned",
        colleague,
        "Noor knows them",
    )
    # The new assignee is emailed a link to it.
    assert notifications.notify_assignee(follow_up.pk) is True
    (email,) = smtp.messages
    assert email["To"] == "noor@example.com"
    assert f"/follow-ups/{follow_up.pk}/" in email.get_content()


def _overdue(**kwargs):
    follow_up = FollowUpFactory(**kwargs)
    follow_up.due_at = timezone.now() - dt.timedelta(minutes=5)
    follow_up.save(update_fields=["due_at"])
    return follow_up


def test_an_overdue_follow_up_is_escalated_once_by_email_and_webhook(smtp):
    late = _overdue(assigned_to=StaffFactory(email="mia@example.com"))
    department = late.response.touchpoint.department
    department.heads.add(UserFactory(username="boss", email="boss@example.com"))
    contacted = _overdue(response__touchpoint=late.response.touchpoint)
    contacted.first_contact_at = timezone.now()
    contacted.save(update_fields=["first_contact_at"])
    in_time = FollowUpFactory(response__touchpoint=late.response.touchpoint)
    hook = Webhook.objects.create(
        url="https://hooks.example.com/in",
        events=[WebhookEvent.FOLLOW_UP_OVERDUE],
        secret=new_secret(),
    )

    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0  # once

    late.refresh_from_db()
    assert late.escalated_at is not None
    assert late.events.get().action == FollowUpAction.ESCALATED
    (email,) = smtp.messages
    assert "boss@example.com" in email["To"] and "mia@example.com" in email["Cc"]
    assert "Overdue follow-up" in email["Subject"]
    assert f"/follow-ups/{late.pk}/" in email.get_content()
    (delivery,) = WebhookDelivery.objects.filter(webhook=hook)
    assert delivery.event == WebhookEvent.FOLLOW_UP_OVERDUE
    assert delivery.payload["data"]["follow_up"] == late.pk
    for untouched in (contacted, in_time):
        untouched.refresh_from_db()
        assert untouched.escalated_at is None


def test_an_escalation_whose_email_fails_is_tried_again(smtp, settings):
    late = _overdue()
    late.response.touchpoint.department.heads.add(UserFactory(email="boss@example.com"))
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()  # the mail server is down
    assert services.escalate_overdue() == 0
    settings.EMAIL_PORT = working_port
    late.refresh_from_db()
    assert late.escalated_at is None and not late.events.exists()  # nothing half-done
    assert services.escalate_overdue() == 1
    assert len(smtp.messages) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
