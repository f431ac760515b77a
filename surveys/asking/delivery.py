"""Sending due invitations, one reminder, and expiry: what the beat job does each minute.

A row is claimed before it is sent: in a short transaction it moves from PENDING to SENDING
with a lease (lib/outbox.py: SELECT ... FOR UPDATE SKIP LOCKED), so two workers never send
the same row. The row becomes SENT only after the SMTP server accepted the message; a
failure puts it back to PENDING with exponential backoff. Just before a message goes to
the SMTP server the row is stamped handed_over_at (committed). A worker that dies leaves
a lease that expires: its rows not yet handed over are claimed again, and the one it was
handing over, which may or may not have arrived, is marked FAILED rather than sent twice.
A reminder is claimed by stamping reminded_at first: a customer gets at most one, never two.
"""

import contextlib
import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lib import outbox
from surveys import enqueue
from surveys.asking import links
from surveys.asking.emails import survey_message
from surveys.asking.policy import is_suppressed
from surveys.counting.aggregation import rollups_mark_dirty
from surveys.models import (
    Invitation,
    InvitationStatus,
    SuppressedAddress,
    SuppressionReason,
)
from touchpoints.models import local_day

log = logging.getLogger(__name__)

BATCH = 20
MAX_ATTEMPTS = 6
REMINDER_RETRY = dt.timedelta(minutes=15)


def lease() -> dt.timedelta:
    """Long enough for a whole batch to time out one message after another."""
    return dt.timedelta(seconds=max(600, 2 * BATCH * settings.EMAIL_TIMEOUT))


@dataclass
class DeliveryReport:
    sent: int = 0
    reminded: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    expired: int = 0
    errors: list[str] = field(default_factory=list)


def deliver(now: dt.datetime | None = None, *, max_batches: int = 50) -> DeliveryReport:
    """Expire, send what is due, send reminders; bounded so one run never starves the rest."""
    report = DeliveryReport()
    report.expired = expire_invitations(now)
    report.failed += give_up_uncertain(now)
    for _batch in range(max_batches):
        if not send_due(now, report):
            break
    for _batch in range(max_batches):
        if not send_reminders(now, report):
            break
    if report.sent:
        enqueue.wake_on_commit(enqueue.DRAIN_ROLLUPS)  # the days counting sent invitations
    return report


def expire_invitations(now: dt.datetime | None = None) -> int:
    """Close the links whose time is up; the days they were sent on count them again (the
    response rate's invitations still open)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status__in=[InvitationStatus.PENDING, InvitationStatus.SENT], expires_at__lte=now
            )
            .values_list("pk", "interaction__touchpoint_id", "sent_on")
        )
        Invitation.objects.filter(pk__in=[pk for pk, _, _ in due]).update(
            status=InvitationStatus.EXPIRED, locked_until=None
        )
        rollups_mark_dirty({(tp, day) for _, tp, day in due if day is not None}, wake=False)
    return len(due)


UNCERTAIN = (
    "The sender stopped while handing this email to the SMTP server, so it may have arrived; "
    "it is not sent again, so that it cannot arrive twice."
)


def give_up_uncertain(now: dt.datetime | None = None) -> int:
    """Rows a dead sender was handing over: FAILED, once their lease has run out."""
    now = now or timezone.now()
    return Invitation.objects.filter(
        status=InvitationStatus.SENDING, locked_until__lt=now, handed_over_at__isnull=False
    ).update(status=InvitationStatus.FAILED, locked_until=None, last_error=UNCERTAIN)


def send_due(now: dt.datetime | None, report: DeliveryReport) -> int:
    """Claim and send one batch of due invitations; returns how many were claimed."""
    now = now or timezone.now()
    return _send_batch(_claim_due(now), _send_first, now, report)


def send_reminders(now: dt.datetime | None, report: DeliveryReport) -> int:
    now = now or timezone.now()
    return _send_batch(_claim_reminders(now), _send_reminder, now, report)


class _Mailer:
    """One SMTP session for a batch rather than a handshake per email; after a failure the
    session is dropped and the next email opens a fresh one."""

    def __init__(self):
        self.connection = get_connection(fail_silently=False)

    def send(self, message) -> None:
        try:
            self.connection.open()
            self.connection.send_messages([message])
        except OSError:
            self.close()
            raise

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()


def _send_batch(claimed, send_one, now, report) -> int:
    mailer = _Mailer()
    try:
        for invitation in claimed:
            try:
                send_one(invitation, now, mailer, report)
            except Exception as error:  # this row's own fault: it fails alone, said why
                log.exception("Invitation %s could not be sent", invitation.pk)
                _failed_alone(invitation, error, report)
    finally:
        mailer.close()
    return len(claimed)


def _failed_alone(invitation, error, report) -> None:
    """A row that broke its send (a malformed address, an unexpected error): failed, with
    the reason, so it never holds up the rows after it, nor stays claimed."""
    message = _describe(error)
    report.errors.append(message)
    if invitation.status == InvitationStatus.SENDING:
        _finish(invitation, status=InvitationStatus.FAILED, locked_until=None,
                handed_over_at=None, last_error=message)  # fmt: skip
        report.failed += 1
    else:  # a reminder: the first email went; this one is not tried again
        Invitation.objects.filter(pk=invitation.pk).update(last_error=message)


def _claim_due(now):
    due = Invitation.objects.filter(
        Q(status=InvitationStatus.PENDING, due_at__lte=now)
        | Q(status=InvitationStatus.SENDING, locked_until__lt=now, handed_over_at__isnull=True)
    )
    ids = outbox.claim(
        due,
        ["due_at"],
        BATCH,
        status=InvitationStatus.SENDING,
        locked_until=now + lease(),
        attempts=F("attempts") + 1,
    )
    return list(_with_recipients(Invitation.objects.filter(pk__in=ids).order_by("due_at")))


def _claim_reminders(now):
    due = Invitation.objects.filter(
        status=InvitationStatus.SENT,
        remind_at__lte=now,
        reminded_at__isnull=True,
        expires_at__gt=now,
    )
    ids = outbox.claim(due, ["remind_at"], BATCH, reminded_at=now)
    return list(_with_recipients(Invitation.objects.filter(pk__in=ids).order_by("remind_at")))


def _with_recipients(invitations):
    return invitations.select_related("survey", "interaction__customer", "interaction__touchpoint")


def _send_first(invitation, now, mailer, report):
    if _no_longer_wanted(invitation):
        _finish(invitation, status=InvitationStatus.CANCELLED, locked_until=None)
        report.cancelled += 1
        return
    token = _token(invitation)
    expires_at = now + dt.timedelta(days=invitation.survey.expires_after_days)
    stored_expiry, invitation.expires_at = invitation.expires_at, expires_at  # for the email
    message = survey_message(invitation, token)
    if not _still_ours(invitation).update(handed_over_at=timezone.now()):
        return  # the lease ran out and another sender has the row
    try:
        mailer.send(message)
    except smtplib.SMTPRecipientsRefused as error:
        _refused(invitation, error, report)
        return
    except OSError as error:  # smtplib errors, refused connections and timeouts
        invitation.expires_at = stored_expiry
        _retry_later(invitation, error, now, report)
        return
    reminder_days = invitation.survey.reminder_after_days
    remind_at = now + dt.timedelta(days=reminder_days) if reminder_days else None
    sent_on = local_day(now)
    with transaction.atomic():
        _finish(
            invitation,
            status=InvitationStatus.SENT,
            sent_at=now,
            sent_on=sent_on,
            expires_at=expires_at,
            remind_at=remind_at if remind_at and remind_at < expires_at else None,
            locked_until=None,
            last_error="",
        )
        # The day counts one more invitation sent (response rates): recount it.
        rollups_mark_dirty([(invitation.interaction.touchpoint_id, sent_on)], wake=False)
    report.sent += 1


def _send_reminder(invitation, now, mailer, report):
    if _no_longer_wanted(invitation):
        return
    token = _token(invitation)
    try:
        mailer.send(survey_message(invitation, token, reminder=True))
    except OSError as error:
        Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENT).update(
            reminded_at=None, remind_at=now + REMINDER_RETRY, last_error=_describe(error)
        )
        report.errors.append(_describe(error))
        return
    report.reminded += 1


def _no_longer_wanted(invitation) -> bool:
    customer = invitation.interaction.customer
    return customer.has_opted_out or is_suppressed(customer.email)


def _token(invitation) -> str:
    """The link's token; re-issued (and saved) only when it cannot be derived any more."""
    token = links.current_token(invitation)
    if token is None:
        token = links.issue(invitation)
        Invitation.objects.filter(pk=invitation.pk).update(
            token_nonce=invitation.token_nonce, token_hash=invitation.token_hash
        )
    return token


def _retry_later(invitation, error, now, report):
    message = _describe(error)
    report.errors.append(message)
    retry_at = now + outbox.backoff(invitation.attempts)
    if invitation.attempts >= MAX_ATTEMPTS or retry_at >= invitation.expires_at:
        _finish(
            invitation,
            status=InvitationStatus.FAILED,
            locked_until=None,
            handed_over_at=None,
            last_error=message,
        )
        report.failed += 1
        log.warning("Invitation %s failed after %s attempts", invitation.pk, invitation.attempts)
        return
    _finish(
        invitation,
        status=InvitationStatus.PENDING,
        due_at=retry_at,
        locked_until=None,
        handed_over_at=None,  # refused by the server: nothing arrived
        last_error=message,
    )
    report.retrying += 1


def _refused(invitation, error, report):
    """The server refused the address itself: retrying cannot help, and neither would
    sending to it again later."""
    SuppressedAddress.objects.get_or_create(
        email=invitation.interaction.customer.email.strip().lower(),
        defaults={"reason": SuppressionReason.BOUNCED, "note": _describe(error)[:200]},
    )
    _finish(
        invitation,
        status=InvitationStatus.FAILED,
        locked_until=None,
        handed_over_at=None,
        last_error=_describe(error),
    )
    report.failed += 1


def _finish(invitation, **changes) -> None:
    _still_ours(invitation).update(**changes)


def _still_ours(invitation):
    # A row whose lease ran out may belong to another worker now.
    return Invitation.objects.filter(
        pk=invitation.pk, status=InvitationStatus.SENDING, locked_until=invitation.locked_until
    )


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]
