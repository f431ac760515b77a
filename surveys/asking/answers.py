"""Recording a customer's answer: once per invitation, counted, and followed up.

The answer is one statement (answer_sql.py): it claims the invitation with a conditional
UPDATE, whose row lock a concurrent claim through the same link waits for and then finds
nothing to claim, inserts the response from the claimed row (its one-to-one key is a
unique index too) and marks the answer's rollup days dirty (see aggregation.py). A
detractor or a large gap opens a follow-up for the person who handled the interaction,
and the owning department's heads are told by email; webhooks are told of the answer.
The answers to the survey's own questions are written by the same statement. Follow-up
and webhook rows are written in one transaction with the answer; an answer that opens
nothing and tells no hook needs no transaction beyond its one statement.
"""

import datetime as dt
import logging
from contextlib import nullcontext

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.db.models.functions import Now
from django.utils import timezone

from surveys import enqueue
from surveys.asking import answer_sql
from surveys.asking.answer_sql import CLOSED
from surveys.models import (
    FollowUp,
    FollowUpReason,
    Invitation,
    InvitationStatus,
    Response,
)
from surveys.telling import webhooks
from touchpoints.models import Touchpoint, local_day

SCORES = ("expectation", "experience", "csat", "nps", "effort")


class AlreadyAnswered(Exception):
    pass


class LinkExpired(Exception):
    pass


def is_expired(invitation: Invitation, now=None) -> bool:
    return invitation.status in CLOSED or invitation.expires_at <= (now or timezone.now())


log = logging.getLogger(__name__)


def record_response(
    invitation: Invitation, answers: dict, language: str, own_answers=()
) -> Response:
    """Store the answer through `invitation`, loaded with its survey and interaction (and,
    by the link's lookup, with the active webhooks), with the answers to the survey's own
    questions (forms.OwnAnswer tuples)."""
    now = timezone.now()
    anonymous = invitation.survey.anonymous
    interaction = invitation.interaction
    response = Response(
        # Anonymous: no way back to the person, and no time finer than the day. The
        # invitation still records that its link was used, so it works once.
        invitation=None if anonymous else invitation,
        touchpoint_id=interaction.touchpoint_id,
        submitted_at=local_midnight(now) if anonymous else now,
        language=language,
        comment=answers.get("comment") or "",
        **{name: answers.get(name) for name in SCORES},
    )
    response.day = local_day(response.submitted_at)
    # Anonymous: nobody to call back.
    reason = None if anonymous else follow_up_reason(response)
    hooks = webhooks.hooks_told_of_answer(
        response, reason is not None, getattr(invitation, "active_hooks", None)
    )
    try:
        with transaction.atomic() if reason or hooks else nullcontext():
            _write(response, invitation, now, own_answers)
            follow_up = (
                open_follow_up(response, reason, interaction.handled_by_id) if reason else None
            )
            if hooks:
                webhooks.answer_events(response, follow_up, hooks)
    except IntegrityError as error:  # the unique one-to-one, should a claim be bypassed
        raise AlreadyAnswered from error
    invitation.status = InvitationStatus.ANSWERED
    invitation.answered_at = response.submitted_at if anonymous else now
    enqueue.wake_on_commit(enqueue.DRAIN_ROLLUPS)
    if response.comment:
        enqueue.on_commit(enqueue.SCORE_RESPONSE_SENTIMENT, response.pk)
    return response


def _write(response: Response, invitation: Invitation, now, own_answers) -> None:
    written = answer_sql.write_answer(response, invitation.pk, now, own_answers)
    if written.response_id is None:
        # Closed or out of time before this claim: expired. Open before it, yet not
        # claimed: a concurrent answer through the same link claimed it first.
        if written.status in CLOSED or (
            written.status != InvitationStatus.ANSWERED and written.expired
        ):
            raise LinkExpired
        raise AlreadyAnswered
    response.pk = written.response_id
    response._state.adding, response._state.db = False, invitation._state.db


def local_midnight(moment):
    day = timezone.localtime(moment).date()
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def follow_up_reason(response: Response) -> str | None:
    if response.is_detractor:
        return FollowUpReason.DETRACTOR
    if response.gap is not None and response.gap >= settings.TOUCHSTONE_FOLLOW_UP_GAP:
        return FollowUpReason.LARGE_GAP
    return None


def open_follow_up(response: Response, reason: str, assigned_to_id: int | None) -> FollowUp:
    """Open it for the person who handled the interaction, due by the touchpoint's policy
    (read inside the INSERT: no query of its own on the answer's path)."""
    within = Touchpoint.objects.filter(pk=response.touchpoint_id).values("follow_up_within")
    follow_up = FollowUp(
        response=response,
        touchpoint_id=response.touchpoint_id,
        day=response.day,
        reason=reason,
        assigned_to_id=assigned_to_id,
        due_at=Now() + Subquery(within),
    )
    # Its day's loop figures are recounted with the answer (aggregation.py): no mark of
    # its own on the answer's path.
    follow_up.counted_with_answer = True
    follow_up.save(force_insert=True)
    # The instance holds the expression, not its value: read it from the row if asked.
    del follow_up.due_at
    enqueue.on_commit(enqueue.NOTIFY_FOLLOW_UP, follow_up.pk)
    return follow_up
