"""Erasing a person: every personal detail goes, the measurements stay.

The customer record is kept, as an anonymous one (no email, name or reference), so their
interactions, invitations and answers still count: the rollups do not change. What they
wrote (comments, short answers, complaints) is replaced by a marker, its sentiment kept.
The erasure reaches every other place that can hold the person: the suppression list,
identity changes reported about them, staff's notes on their follow-ups and outreach, the
errors an email to them left, the admin's log, the payloads of webhook deliveries, and
the emails written to the outbox folder in embedded mode. After it, a dump of the
database holds none of it.
"""

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from surveys.counting.figure_cache import figures_changed
from surveys.models import (
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpEvent,
    Invitation,
    Outreach,
    QuestionAnswer,
    Response,
    SetAsideAnswer,
    SuppressedAddress,
    WebhookDelivery,
)
from touchpoints.models import Customer, IdentityChange, Interaction

ERASED_TEXT = "[erased]"
ERASED_DOMAIN = "erased.invalid"
ERASED_SUFFIX = f"@{ERASED_DOMAIN}"


def is_erased(customer) -> bool:
    return customer.email.endswith(ERASED_SUFFIX)


def not_erased(customers):
    """Of these customers, those still someone: erased ones keep a record, no person."""
    return customers.exclude(email__endswith=ERASED_SUFFIX)


@dataclass
class Erasure:
    customers: int = 0
    comments: int = 0
    short_answers: int = 0  # to the surveys' own questions
    complaints: int = 0
    suppressions: int = 0


@transaction.atomic
def erase_customer(email: str) -> Erasure:
    email = email.strip()
    customers = list(Customer.objects.select_for_update().filter(email__iexact=email))
    # Invited answers through their interaction; public ones name the person themselves.
    answers = Response.objects.filter(
        Q(invitation__interaction__customer__in=customers) | Q(customer__in=customers)
    )
    complaints = Complaint.objects.filter(customer__in=customers)
    # What else names them, read before their record and texts change.
    traces = _traces(customers, answers, complaints, email)
    result = Erasure(
        customers=_anonymise(Customer.objects.filter(pk__in=[c.pk for c in customers]))
    )
    # The text is replaced, not emptied, so the count of comments in the rollups holds.
    response_ids = list(answers.values_list("pk", flat=True))
    result.comments = answers.exclude(comment="").update(comment=ERASED_TEXT)
    result.short_answers = (
        QuestionAnswer.objects.filter(response_id__in=response_ids)
        .exclude(text="")
        .update(text=ERASED_TEXT)
    )
    result.complaints = complaints.update(text=ERASED_TEXT, resolution_notes="")
    result.suppressions, _ = SuppressedAddress.objects.filter(email__iexact=email).delete()
    IdentityChange.objects.filter(Q(customer__in=customers) | Q(value__iexact=email)).delete()
    FollowUp.objects.filter(response_id__in=response_ids).exclude(notes="").update(
        notes=ERASED_TEXT
    )
    # What staff wrote of their calls names the person too; the steps themselves stay.
    FollowUpEvent.objects.filter(follow_up__response_id__in=response_ids).exclude(note="").update(
        note=ERASED_TEXT
    )
    Outreach.objects.filter(customer__in=customers).exclude(note="").update(note=ERASED_TEXT)
    Invitation.objects.filter(interaction__customer__in=customers).update(last_error="")
    _erase_webhook_payloads(response_ids, list(complaints.values_list("pk", flat=True)))
    _erase_admin_log(traces)
    transaction.on_commit(lambda: _erase_outbox_files(email))
    figures_changed()  # cached figures are rebuilt without them
    return result


def _traces(customers, answers, complaints, email) -> dict:
    """The admin log's references to them: by object, and by the texts it shows."""
    interactions = Interaction.objects.filter(customer__in=customers)
    objects = [
        (Customer, [c.pk for c in customers]),
        (Interaction, list(interactions.values_list("pk", flat=True))),
        (Complaint, list(complaints.values_list("pk", flat=True))),
        (Response, list(answers.values_list("pk", flat=True))),
    ]
    texts = {email, *(c.name for c in customers if len(c.name) >= 3)}
    return {"objects": objects, "texts": texts}


def _erase_admin_log(traces: dict) -> None:
    """The admin's log keeps each changed object's name as it was (object_repr)."""
    about = Q(pk__in=[])
    for model, pks in traces["objects"]:
        content_type = ContentType.objects.get_for_model(model)
        about |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    for text in traces["texts"]:
        about |= Q(object_repr__icontains=text) | Q(change_message__icontains=text)
    LogEntry.objects.filter(about).update(object_repr=ERASED_TEXT, change_message="")


def _erase_webhook_payloads(response_ids: list[int], complaint_ids: list[int]) -> None:
    """Deliveries of their answers and complaints carried their words, kept for resends
    and the log."""
    told = WebhookDelivery.objects.filter(
        Q(payload__data__response__in=response_ids) | Q(payload__data__complaint__in=complaint_ids)
    )
    for delivery in told.only("pk", "payload"):
        data = delivery.payload.get("data", {})
        said = [key for key in ("comment", "text") if data.get(key)]
        for key in said:
            data[key] = ERASED_TEXT
        if said:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(payload=delivery.payload)


def _erase_outbox_files(email: str) -> None:
    """Embedded mode writes each email to a file: those sent to them go."""
    folder = getattr(settings, "EMAIL_FILE_PATH", None)
    if not folder or not Path(folder).is_dir():
        return
    wanted = email.lower().encode()
    for path in Path(folder).glob("*.log"):
        with contextlib.suppress(OSError):
            if wanted in path.read_bytes().lower():
                path.unlink()


EXPIRED_TEXT = "[expired]"


@dataclass
class Purge:
    comments: int = 0
    complaints: int = 0
    customers: int = 0
    short_answers: int = 0


@transaction.atomic
def purge_expired(days: int, now=None) -> Purge:
    """Raw words and personal data older than `days`: comments, short answers and resolved
    complaints lose their text (the counts and sentiment in the rollups stay), and
    customers known for longer with no interaction or complaint since lose their email,
    name and reference. Zero days keeps everything."""
    if days <= 0:
        return Purge()
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    kept = ("", ERASED_TEXT, EXPIRED_TEXT)
    comments = (
        Response.objects.filter(submitted_at__lt=cutoff)
        .exclude(comment__in=kept)
        .update(comment=EXPIRED_TEXT)
    )
    complaints = (
        Complaint.objects.filter(received_at__lt=cutoff, status=ComplaintStatus.RESOLVED)
        .exclude(text__in=kept)
        .update(text=EXPIRED_TEXT, resolution_notes="")
    )
    short_answers = (
        QuestionAnswer.objects.filter(response__submitted_at__lt=cutoff)
        .exclude(text__in=kept)
        .update(text=EXPIRED_TEXT)
    )
    # Answers kept aside hold their words too, and count nowhere.
    SetAsideAnswer.objects.filter(received_at__lt=cutoff).delete()
    recent = Interaction.objects.filter(customer=OuterRef("pk"), occurred_at__gte=cutoff)
    complained = Complaint.objects.filter(customer=OuterRef("pk"), received_at__gte=cutoff)
    stale = not_erased(Customer.objects).filter(
        ~Exists(recent), ~Exists(complained), created_at__lt=cutoff
    )
    return Purge(
        comments=comments,
        complaints=complaints,
        customers=_anonymise(stale),
        short_answers=short_answers,
    )


def _anonymise(customers) -> int:
    """No email, name or reference left, in one statement; returns how many."""
    return customers.update(
        email=Concat(Value("erased-"), Cast("pk", CharField()), Value(ERASED_SUFFIX)),
        name="",
        external_ref=None,
    )
