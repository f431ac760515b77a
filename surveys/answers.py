"""Recording a customer's answer: once per invitation, counted, and followed up.

The invitation is claimed by a conditional UPDATE, whose row lock lasts while the answer
is written, and the response's one-to-one key is a unique index, so concurrent
submissions through one link store exactly one response. The answer marks its rollup
key dirty in the same transaction (see aggregation.py); a detractor or a large gap opens
a follow-up for the person who handled the interaction, and the owning department's
heads are told by email.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import webhooks
from .aggregation import wake_drain_on_commit
from .models import FollowUp, FollowUpReason, Invitation, InvitationStatus, Response

CLOSED = (InvitationStatus.EXPIRED, InvitationStatus.CANCELLED)


class AlreadyAnswered(Exception):
    pass


class LinkExpired(Exception):
    pass


def is_expired(invitation: Invitation, now=None) -> bool:
    return invitation.status in CLOSED or invitation.expires_at <= (now or timezone.now())


log = logging.getLogger(__name__)


def record_response(invitation: Invitation, answers: dict, language: str) -> Response:
    """Store the answer through `invitation`, loaded with its survey and interaction."""
    now = timezone.now()
    try:
        with transaction.atomic():
            _claim(invitation, now)
            anonymous = invitation.survey.anonymous
            response = Response.objects.create(
                # Anonymous: no way back to the person, and no time finer than the day. The
                # invitation still records that its link was used, so it works once.
                invitation=None if anonymous else invitation,
                touchpoint_id=invitation.interaction.touchpoint_id,
                submitted_at=local_midnight(now) if anonymous else now,
                language=language,
                comment=answers.get("comment") or "",
                **{
                    name: answers.get(name)
                    for name in ("expectation", "experience", "csat", "nps", "effort")
                },
            )
            wake_drain_on_commit()  # saving the answer marked its days (signals.py)
            # Anonymous: nobody to call back.
            follow_up = None if anonymous else open_follow_up(response, invitation)
            webhooks.answer_events(response, follow_up)
            if response.comment:
                transaction.on_commit(lambda: _score(response.pk))
    except IntegrityError as error:  # the unique one-to-one, where row locks do not exist
        raise AlreadyAnswered from error
    return response


def _claim(invitation: Invitation, now) -> None:
    """Mark the invitation answered if it is still open, in one statement.

    The UPDATE locks the row until the transaction ends; a concurrent claim waits for it,
    then re-reads the row, finds it answered and updates nothing."""
    claimed = (
        Invitation.objects.filter(pk=invitation.pk, expires_at__gt=now)
        .exclude(status__in=(InvitationStatus.ANSWERED, *CLOSED))
        .update(status=InvitationStatus.ANSWERED, answered_at=now)
    )
    if not claimed:
        status = Invitation.objects.filter(pk=invitation.pk).values_list("status", flat=True)
        if status.first() == InvitationStatus.ANSWERED:
            raise AlreadyAnswered
        raise LinkExpired
    invitation.status, invitation.answered_at = InvitationStatus.ANSWERED, now


def local_midnight(moment):
    day = timezone.localtime(moment).date()
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _score(response_id: int) -> None:
    from .tasks import score_response_sentiment  # tasks import this module

    try:
        score_response_sentiment.delay(response_id)
    except Exception:  # the broker is down: the nightly rescoring catches up
        log.warning("Could not queue the sentiment of response %s", response_id, exc_info=True)


def follow_up_reason(response: Response) -> str | None:
    if response.nps is not None and response.nps <= 6:
        return FollowUpReason.DETRACTOR
    if response.gap is not None and response.gap >= settings.TOUCHSTONE_FOLLOW_UP_GAP:
        return FollowUpReason.LARGE_GAP
    return None


def open_follow_up(response: Response, invitation: Invitation) -> FollowUp | None:
    reason = follow_up_reason(response)
    if reason is None:
        return None
    follow_up = FollowUp.objects.create(
        response=response, reason=reason, assigned_to_id=invitation.interaction.handled_by_id
    )
    transaction.on_commit(lambda: _notify(follow_up.pk))
    return follow_up


def _notify(follow_up_id: int) -> None:
    from .tasks import notify_follow_up  # tasks import this module

    notify_follow_up.delay(follow_up_id)
