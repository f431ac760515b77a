"""The whole loop with real parts: interactions recorded, a real Celery worker delivering
through a real SMTP server, the link followed and answered, the answer counted."""

import re

import pytest
from django.db import transaction
from django.utils import timezone

from surveys.asking.delivery import deliver
from surveys.asking.intake import CustomerDetails, record_interaction
from surveys.models import (
    FollowUp,
    Invitation,
    InvitationStatus,
    Response,
    TouchpointDailyScore,
)
from surveys.tasks import deliver_invitations
from tests.factories import StaffFactory, SurveyFactory, TouchpointFactory, UserFactory
from tests.smtp import body_of
from tests.worker import running_worker, wait_until
from touchpoints.models import Outcome

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://[^/\s]+(/s/[A-Za-z0-9_-]{43})\b")


@pytest.fixture
def mail_worker(smtp):
    """A worker process whose mail goes to this test's SMTP server."""
    port = smtp.controller.port
    with running_worker(extra_env={"EMAIL_URL": f"smtp://127.0.0.1:{port}"}) as worker:
        yield worker


def record_calls(touchpoint, count, agent=None):
    with transaction.atomic():  # committed together: one wake-up for delivery
        for number in range(count):
            record_interaction(
                touchpoint=touchpoint,
                customer=CustomerDetails(email=f"caller{number}@example.com", name="Caller"),
                occurred_at=timezone.now(),
                outcome=Outcome.RESOLVED,
                external_id=f"CALL-{number}",
                handled_by=agent,
            )


def test_recorded_delivered_answered_counted(client, smtp, mail_worker):
    agent = StaffFactory(name="Mia", email="mia@example.com")
    touchpoint = TouchpointFactory(
        name="Service hotline", department=agent.department, surveyed=True, survey=SurveyFactory()
    )
    agent.department.heads.add(UserFactory(username="boss", email="boss@example.com"))
    record_calls(touchpoint, 3, agent)

    wait_until(
        lambda: Invitation.objects.filter(status=InvitationStatus.SENT).count() == 3,
        message=mail_worker.log(),
    )
    assert len(smtp.messages) == 3
    link = LINK.search(body_of(smtp.to("caller0@example.com")[0])).group(1)

    assert client.get(link).status_code == 200
    answer = {"expectation": "6", "experience": "2", "nps": "2", "comment": "On hold forever"}
    assert client.post(link, answer).status_code == 200
    assert client.post(link, answer).status_code == 409

    wait_until(
        lambda: TouchpointDailyScore.objects.filter(touchpoint=touchpoint, responses=1).exists(),
        message=f"the answer was not counted:\n{mail_worker.log()}",
    )
    assert Response.objects.get().invitation.interaction.external_id == "CALL-0"
    follow_up = FollowUp.objects.get()
    assert follow_up.assigned_to == agent
    wait_until(lambda: smtp.to("boss@example.com"), message=mail_worker.log())
    assert "On hold forever" in smtp.to("boss@example.com")[0].get_content()
    assert deliver().sent == 0  # the beat's next run finds nothing left to send
    assert len(smtp.to("caller")) == 3


def test_a_server_failing_part_of_the_time_loses_nothing_and_duplicates_nothing(smtp, mail_worker):
    smtp.fail_every = 2
    touchpoint = TouchpointFactory(surveyed=True, survey=SurveyFactory())
    record_calls(touchpoint, 10)

    def all_sent():
        # Time passes for the backoff: what waits for a retry is due again at once.
        Invitation.objects.filter(status=InvitationStatus.PENDING).update(due_at=timezone.now())
        if Invitation.objects.exclude(status=InvitationStatus.SENT).exists():
            deliver_invitations.delay()
            return False
        return True

    wait_until(all_sent, interval=0.5, message=mail_worker.log())
    recipients = sorted(message["To"] for message in smtp.messages)
    assert recipients == sorted(f"Caller <caller{n}@example.com>" for n in range(10))
    assert Invitation.objects.filter(attempts__gt=1).exists()
