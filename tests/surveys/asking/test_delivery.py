"""Delivery against a real SMTP server: once, reminder once, expiry, retries, refusals."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from lib.outbox import backoff
from surveys.asking import delivery as delivery_module
from surveys.asking import links
from surveys.asking.delivery import MAX_ATTEMPTS, deliver, lease
from surveys.asking.intake import CustomerDetails, record_interaction
from surveys.asking.optout import opt_out
from surveys.counting.aggregation import rollups_differences, rollups_drain_all
from surveys.models import (
    Invitation,
    InvitationStatus,
    SuppressedAddress,
    TouchpointDailyScore,
)
from tests.factories import SurveyFactory, TouchpointFactory
from tests.smtp import body_of, free_port
from touchpoints.models import Outcome

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver/s/([A-Za-z0-9_-]{43})\b")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def touchpoint():
    return TouchpointFactory(
        name="Service hotline",
        surveyed=True,
        survey=SurveyFactory(reminder_after_days=3, expires_after_days=14),
    )


def invite(touchpoint, email="ann@example.com", language="en", occurred_at=None):
    return record_interaction(
        touchpoint=touchpoint,
        customer=CustomerDetails(email=email, name="Ann", language=language),
        occurred_at=occurred_at or timezone.now() - dt.timedelta(minutes=5),
        outcome=Outcome.RESOLVED,
    ).invitation


def test_a_due_invitation_is_sent_once_with_text_html_and_unsubscribe_headers(smtp, touchpoint):
    # Two days ago, so the link is still open whatever today is.
    occurred = timezone.localtime() - dt.timedelta(days=2)
    invitation = invite(touchpoint, occurred_at=occurred)
    report = deliver()
    assert report.sent == 1 and len(smtp.messages) == 1
    message = smtp.messages[0]
    text, html = body_of(message), body_of(message, "html")
    assert "Service hotline" in message["Subject"]
    assert "Service hotline" in text and date_format(occurred.date()) in text
    token = LINK.search(text).group(1)
    assert links.hash_token(token) == invitation.token_hash
    assert f"/s/{token}" in html
    assert message["List-Unsubscribe"].strip() == f"<http://testserver/s/{token}/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert invitation.sent_on == timezone.localdate() and invitation.attempts == 1
    assert deliver().sent == 0 and len(smtp.messages) == 1


def test_a_batch_is_sent_over_one_smtp_connection(smtp, touchpoint):
    for number in range(5):
        invite(touchpoint, email=f"c{number}@example.com")
    assert deliver().sent == 5
    assert len(smtp.messages) == 5 and len(smtp.sessions) == 1


def test_the_email_is_in_the_customers_language(smtp, touchpoint):
    invite(touchpoint, language="de-AT")
    deliver()
    text = body_of(smtp.messages[0])
    assert "Wie war" in smtp.messages[0]["Subject"] and "Service hotline" in text


def test_nothing_is_sent_before_it_is_due(smtp, touchpoint):
    touchpoint.survey_delay = dt.timedelta(hours=2)
    touchpoint.save()
    invitation = invite(touchpoint, occurred_at=timezone.now())
    assert deliver().sent == 0
    assert deliver(invitation.due_at + dt.timedelta(seconds=1)).sent == 1


def test_one_reminder_with_the_same_link_and_never_a_second(smtp, touchpoint):
    invite(touchpoint)
    start = timezone.now()
    deliver(start)
    assert deliver(start + dt.timedelta(days=2)).reminded == 0
    assert deliver(start + dt.timedelta(days=3, minutes=1)).reminded == 1
    assert deliver(start + dt.timedelta(days=5)).reminded == 0
    first, reminder = smtp.messages
    assert reminder["Subject"].startswith("Reminder")
    assert LINK.search(body_of(first)).group(1) == LINK.search(body_of(reminder)).group(1)


def test_no_reminder_after_an_answer(smtp, touchpoint):
    invitation = invite(touchpoint)
    start = timezone.now()
    deliver(start)
    Invitation.objects.filter(pk=invitation.pk).update(
        status=InvitationStatus.ANSWERED, answered_at=start
    )
    assert deliver(start + dt.timedelta(days=4)).reminded == 0
    assert len(smtp.messages) == 1


def test_links_expire_after_the_surveys_days(smtp, touchpoint):
    invitation = invite(touchpoint)
    start = timezone.now()
    deliver(start)
    invitation.refresh_from_db()
    assert invitation.expires_at == start + dt.timedelta(days=14)
    report = deliver(start + dt.timedelta(days=14, seconds=1))
    invitation.refresh_from_db()
    assert report.expired == 1 and invitation.status == InvitationStatus.EXPIRED


def test_an_opt_out_after_recording_cancels_the_queued_email(smtp, touchpoint):
    invitation = invite(touchpoint)
    opt_out(invitation.interaction.customer)
    assert deliver().sent == 0 and smtp.messages == []
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED


def test_a_server_failing_part_of_the_time_loses_and_duplicates_nothing(smtp, touchpoint):
    smtp.fail_every = 3
    for number in range(12):
        invite(touchpoint, email=f"c{number}@example.com")
    now = timezone.now()
    for _round in range(10):
        deliver(now)
        now += backoff(MAX_ATTEMPTS)
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        f"Ann <c{number}@example.com>" for number in range(12)
    )
    assert set(Invitation.objects.values_list("status", flat=True)) == {InvitationStatus.SENT}
    assert Invitation.objects.filter(attempts__gt=1).exists()


def test_an_unreachable_server_backs_off_then_gives_up(settings, touchpoint):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    invitation = invite(touchpoint)
    now = timezone.now()
    deliver(now)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING and invitation.attempts == 1
    assert invitation.due_at == now + backoff(1) and "Connection" in invitation.last_error
    for _attempt in range(MAX_ATTEMPTS - 1):
        now += backoff(MAX_ATTEMPTS)
        deliver(now)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.FAILED
    assert invitation.attempts == MAX_ATTEMPTS


def test_a_refused_address_fails_at_once_and_is_suppressed(smtp, touchpoint):
    smtp.refused.add("gone@example.com")
    invitation = invite(touchpoint, email="gone@example.com")
    report = deliver()
    invitation.refresh_from_db()
    assert report.failed == 1 and invitation.status == InvitationStatus.FAILED
    assert SuppressedAddress.objects.get(email="gone@example.com").reason == "bounced"


def test_a_row_held_by_a_live_sender_is_left_and_a_dead_senders_row_is_taken(smtp, touchpoint):
    invitation = invite(touchpoint)
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        status=InvitationStatus.SENDING, locked_until=now + dt.timedelta(minutes=1), attempts=1
    )
    assert deliver(now).sent == 0
    assert deliver(now + lease()).sent == 1
    invitation.refresh_from_db()
    assert invitation.attempts == 2 and len(smtp.messages) == 1


class Crash(BaseException):
    """A worker killed in the middle of a send: nothing after it runs."""


def test_a_dead_senders_rows_are_sent_once_and_the_one_in_flight_never_twice(
    smtp, touchpoint, monkeypatch
):
    first, second = invite(touchpoint), invite(touchpoint, email="bob@example.com")
    handed = []

    def dies_while_sending(mailer, message):
        handed.append(message)
        raise Crash

    monkeypatch.setattr("surveys.asking.delivery._Mailer.send", dies_while_sending)
    now = timezone.now()
    with pytest.raises(Crash):
        deliver(now)
    monkeypatch.undo()
    assert len(handed) == 1  # died handing over the first; the second was claimed only
    rows = {i.pk: i for i in Invitation.objects.all()}
    assert all(row.status == InvitationStatus.SENDING for row in rows.values())
    in_flight = next(row for row in rows.values() if row.handed_over_at)

    assert deliver(now).sent == 0  # the lease still runs
    report = deliver(now + lease() + dt.timedelta(seconds=1))
    assert report.sent == 1 and report.failed == 1
    in_flight.refresh_from_db()
    assert in_flight.status == InvitationStatus.FAILED and "twice" in in_flight.last_error
    other = first if in_flight.pk == second.pk else second
    other.refresh_from_db()
    assert other.status == InvitationStatus.SENT
    assert len(smtp.messages) == 1 and smtp.to(other.interaction.customer.email)


def test_a_sent_invitation_counts_in_the_rollups_of_its_day(smtp, touchpoint):
    invite(touchpoint)
    rollups_drain_all()  # the interaction's day, before anything was sent
    assert deliver().sent == 1
    rollups_drain_all()
    assert rollups_differences() == []
    assert TouchpointDailyScore.objects.get(touchpoint=touchpoint).invitations_sent == 1


def test_a_refused_message_may_be_sent_again(smtp, touchpoint):
    smtp.fail_every = 1
    invitation = invite(touchpoint)
    assert deliver().retrying == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING and invitation.handed_over_at is None
    smtp.fail_every = 0
    assert deliver(invitation.due_at).sent == 1 and len(smtp.messages) == 1


def test_retries_stop_when_the_link_would_expire_first(settings, touchpoint):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    invitation = invite(touchpoint)
    deliver(invitation.expires_at - dt.timedelta(seconds=30))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.FAILED


def test_a_name_with_line_breaks_neither_breaks_the_header_nor_holds_up_the_batch(smtp, touchpoint):
    crafted = invite(touchpoint, email="crlf@example.com")
    customer = crafted.interaction.customer
    customer.name = "Eve\r\nBcc: victim@example.com"
    customer.save()
    innocent = [invite(touchpoint, email=f"ok{n}@example.com") for n in range(2)]
    report = deliver()
    assert report.sent == 3 and not report.errors
    (sent,) = smtp.to("crlf@example.com")
    assert sent["To"] == '"Eve Bcc: victim@example.com" <crlf@example.com>'
    assert sent["Bcc"] is None and "victim@example.com" not in smtp.recipients
    for invitation in innocent:
        invitation.refresh_from_db()
        assert invitation.status == InvitationStatus.SENT


def test_a_row_that_cannot_be_sent_fails_alone_with_its_reason(smtp, touchpoint, monkeypatch):
    broken, fine = invite(touchpoint, email="broken@example.com"), invite(touchpoint)
    real = delivery_module.survey_message

    def survey_message(invitation, *args, **kwargs):
        if invitation.pk == broken.pk:
            raise ValueError("a malformed address")
        return real(invitation, *args, **kwargs)

    monkeypatch.setattr(delivery_module, "survey_message", survey_message)
    report = deliver()
    assert report.sent == 1 and report.failed == 1
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == InvitationStatus.FAILED and "malformed" in broken.last_error
    assert broken.locked_until is None  # not left claimed under a lease
    assert fine.status == InvitationStatus.SENT
