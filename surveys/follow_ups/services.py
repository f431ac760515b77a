"""Working a follow-up: contact attempts, assignment, resolution, reopening, and escalating
the ones nobody contacted in time.

Every change takes the follow-up's row lock, checks it still applies to what is stored,
and writes its history event in the same transaction, so two people acting at once see
one of them refused rather than both half-applied.
"""

import logging

from django.db import transaction
from django.utils import timezone

from surveys import enqueue
from surveys.counting.aggregation import rollups_mark_dirty
from surveys.models import (
    FollowUp,
    FollowUpAction,
    FollowUpEvent,
    FollowUpStatus,
)
from surveys.telling import notifications, webhooks
from touchpoints.models import Staff

log = logging.getLogger(__name__)

ESCALATION_BATCH = 200
ASSIGN_WITHIN = "Assign someone active in the touchpoint's department."


class Refused(Exception):
    """The change does not apply to the follow-up as it is now; the message says why."""


def _locked(follow_up: FollowUp) -> FollowUp:
    return FollowUp.objects.select_for_update().get(pk=follow_up.pk)


def log_contact(follow_up: FollowUp, by, channel: str, outcome: str, note: str = "") -> FollowUp:
    """Record an attempt to reach the customer; the first one is the loop's first contact."""
    with transaction.atomic():
        current = _locked(follow_up)
        if current.status == FollowUpStatus.DONE:
            raise Refused("This follow-up is resolved; reopen it to log another contact.")
        now = timezone.now()
        FollowUpEvent.objects.create(
            follow_up=current,
            action=FollowUpAction.CONTACT,
            at=now,
            by=by,
            channel=channel,
            outcome=outcome,
            note=note,
        )
        if current.first_contact_at is None:
            current.first_contact_at = now
        current.status = FollowUpStatus.IN_PROGRESS
        current.save(update_fields=["first_contact_at", "status"])
    return current


def assign(follow_up: FollowUp, staff: Staff | None, by, note: str = "") -> FollowUp:
    """Give the follow-up to someone of the touchpoint's department (or to no one)."""
    with transaction.atomic():
        current = _locked(follow_up)
        department_id = current.response.touchpoint.department_id
        if staff is not None and (staff.department_id != department_id or not staff.is_active):
            raise Refused(ASSIGN_WITHIN)
        if current.assigned_to_id == (staff.pk if staff else None):
            raise Refused("It is assigned to them already.")
        current.assigned_to = staff
        current.save(update_fields=["assigned_to"])
        FollowUpEvent.objects.create(
            follow_up=current, action=FollowUpAction.ASSIGNED, by=by, assigned_to=staff, note=note
        )
        if staff is not None:
            enqueue.on_commit(enqueue.NOTIFY_ASSIGNEE, current.pk)
    return current


def resolve(follow_up: FollowUp, by, note: str) -> FollowUp:
    """Close the loop, saying how."""
    if not note.strip():
        raise Refused("Say how it was resolved.")
    with transaction.atomic():
        current = _locked(follow_up)
        if current.status == FollowUpStatus.DONE:
            raise Refused("It is resolved already.")
        now = timezone.now()
        current.status = FollowUpStatus.DONE
        current.closed_at = now
        current.notes = note
        current.save(update_fields=["status", "closed_at", "notes"])
        FollowUpEvent.objects.create(
            follow_up=current, action=FollowUpAction.RESOLVED, at=now, by=by, note=note
        )
    return current


def reopen(follow_up: FollowUp, by, note: str = "") -> FollowUp:
    """Open a resolved follow-up again (the customer was not satisfied after all)."""
    with transaction.atomic():
        current = _locked(follow_up)
        if current.status != FollowUpStatus.DONE:
            raise Refused("It is not resolved.")
        contacted = current.first_contact_at is not None
        current.status = FollowUpStatus.IN_PROGRESS if contacted else FollowUpStatus.OPEN
        current.closed_at = None
        current.save(update_fields=["status", "closed_at"])
        FollowUpEvent.objects.create(
            follow_up=current, action=FollowUpAction.REOPENED, by=by, note=note
        )
    return current


def set_status(follow_up: FollowUp, status: str, by) -> FollowUp:
    """The API's status field, through the same paths as the pages."""
    if status == follow_up.status:
        return follow_up
    if status == FollowUpStatus.DONE:
        return resolve(follow_up, by, follow_up.notes or "Resolved.")
    if follow_up.status == FollowUpStatus.DONE:
        follow_up = reopen(follow_up, by)
    if status != follow_up.status:
        with transaction.atomic():
            FollowUp.objects.filter(pk=follow_up.pk).exclude(status=FollowUpStatus.DONE).update(
                status=status
            )
        follow_up.refresh_from_db()
    return follow_up


# --- Escalation ----------------------------------------------------------------------------


def escalate_overdue(now=None) -> int:
    """Tell the heads, once, of each follow-up nobody contacted by its due time: an email
    (copying the assignee) and the `follow_up.overdue` webhook event. Returns how many.

    Each is claimed, recorded and told in one transaction: an email that cannot be sent
    rolls the claim back, and the next run tries again."""
    now = now or timezone.now()
    candidates = list(
        FollowUp.objects.overdue(now)
        .filter(escalated_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", flat=True)[:ESCALATION_BATCH]
    )
    escalated = 0
    for pk in candidates:
        try:
            escalated += _escalate(pk, now)
        except OSError:
            log.warning("Could not email the overdue follow-up %s; retrying later", pk)
    return escalated


def _escalate(pk: int, now) -> bool:
    with transaction.atomic():
        claimed = (
            FollowUp.objects.overdue(now)
            .filter(pk=pk, escalated_at__isnull=True)
            .update(escalated_at=now)
        )
        if not claimed:
            return False  # contacted, resolved or escalated meanwhile
        follow_up = FollowUp.objects.select_related(
            "assigned_to",
            "response__touchpoint__department",
            "response__invitation__interaction__customer",
        ).get(pk=pk)
        FollowUpEvent.objects.create(follow_up=follow_up, action=FollowUpAction.ESCALATED, at=now)
        # Claimed by an UPDATE, which tells no signal: its day counts one more overdue.
        rollups_mark_dirty([(follow_up.touchpoint_id, follow_up.day)])
        webhooks.follow_up_overdue(follow_up)
        message = notifications.overdue_message(follow_up)
        if message is not None:
            message.send()
    return True
