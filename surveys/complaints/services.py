"""Complaints from every source: recorded against a touchpoint (and, when known, a
customer), owned, worked and resolved within the resolution-time standard."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from surveys import enqueue
from surveys.asking.intake import CustomerDetails, match_customer
from surveys.models import Complaint, ComplaintStatus
from surveys.telling import webhooks
from touchpoints.identity import Reporter
from touchpoints.models import Staff, Touchpoint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordedComplaint:
    complaint: Complaint
    created: bool
    # A known external_id sent with another complaint: nothing was recorded for it.
    conflict: bool = False


class ComplaintRefused(ValueError):
    """A change that would break the workflow (e.g. resolving without notes)."""


def resolution_standard() -> dt.timedelta:
    return dt.timedelta(hours=settings.TOUCHSTONE_COMPLAINT_RESOLUTION_HOURS)


def due_at(complaint: Complaint) -> dt.datetime:
    return complaint.received_at + resolution_standard()


def is_overdue(complaint: Complaint, now=None) -> bool:
    if complaint.status == ComplaintStatus.RESOLVED:
        return complaint.resolved_at > due_at(complaint)
    return (now or timezone.now()) > due_at(complaint)


@transaction.atomic
def record_complaint(
    *,
    touchpoint: Touchpoint,
    source: str,
    text: str,
    received_at: dt.datetime,
    customer: CustomerDetails | None = None,
    owner: Staff | None = None,
    external_id: str | None = None,
    reporter: Reporter | None = None,
) -> RecordedComplaint:
    """A new complaint; one with an external_id already recorded is returned as it is, or
    as a conflict when this one says something else. `reporter`: an untrusted door (see
    touchpoints/identity.py), which may not change a known customer's identity."""
    if external_id and (existing := Complaint.objects.filter(external_id=external_id).first()):
        same = (existing.touchpoint_id, existing.source, existing.text, existing.received_at) == (
            touchpoint.pk,
            source,
            text,
            received_at,
        )
        return RecordedComplaint(existing, False, conflict=not same)
    complaint = Complaint.objects.create(
        touchpoint=touchpoint,
        source=source,
        text=text,
        received_at=received_at,
        customer=match_customer(customer, reporter) if customer and customer.email else None,
        owner=owner,
        external_id=external_id or None,
    )
    enqueue.on_commit(enqueue.SCORE_COMPLAINT_SENTIMENT, complaint.pk)
    webhooks.complaint_received(complaint)
    return RecordedComplaint(complaint, True)


@transaction.atomic
def update_complaint(complaint: Complaint, *, status: str, owner, resolution_notes: str):
    """Move a complaint along: resolving needs notes and stamps the time; reopening clears
    it."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if status == ComplaintStatus.RESOLVED and not resolution_notes.strip():
        raise ComplaintRefused("Say how the complaint was resolved.")
    if status == ComplaintStatus.RESOLVED and complaint.status != ComplaintStatus.RESOLVED:
        complaint.resolved_at = timezone.now()
    elif status != ComplaintStatus.RESOLVED:
        complaint.resolved_at = None
    complaint.status, complaint.owner = status, owner
    complaint.resolution_notes = resolution_notes
    complaint.save(update_fields=["status", "owner", "resolution_notes", "resolved_at"])
    return complaint
