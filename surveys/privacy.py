"""Erasing a person: every personal detail goes, the measurements stay.

The customer record is kept, as an anonymous one (no email, name or reference), so their
interactions, invitations and answers still count: the rollups do not change. What they
wrote (comments, complaints) is replaced by a marker, its sentiment kept. Their address
leaves the suppression list too: after erasure it is not stored anywhere.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from touchpoints.models import Complaint, ComplaintStatus, Customer, Interaction

from .models import Response, SuppressedAddress

ERASED_TEXT = "[erased]"
ERASED_DOMAIN = "erased.invalid"


@dataclass
class Erasure:
    customers: int = 0
    comments: int = 0
    complaints: int = 0
    suppressions: int = 0


@transaction.atomic
def erase_customer(email: str) -> Erasure:
    email = email.strip()
    customers = list(Customer.objects.select_for_update().filter(email__iexact=email))
    result = Erasure(
        customers=_anonymise(Customer.objects.filter(pk__in=[c.pk for c in customers]))
    )
    # The text is replaced, not emptied, so the count of comments in the rollups holds.
    result.comments = (
        Response.objects.filter(invitation__interaction__customer__in=customers)
        .exclude(comment="")
        .update(comment=ERASED_TEXT)
    )
    result.complaints = Complaint.objects.filter(customer__in=customers).update(
        text=ERASED_TEXT, resolution_notes=""
    )
    result.suppressions, _ = SuppressedAddress.objects.filter(email__iexact=email).delete()
    return result


EXPIRED_TEXT = "[expired]"


@dataclass
class Purge:
    comments: int = 0
    complaints: int = 0
    customers: int = 0


@transaction.atomic
def purge_expired(days: int, now=None) -> Purge:
    """Raw words and personal data older than `days`: comments and resolved complaints lose
    their text (the counts and sentiment in the rollups stay), and customers known for
    longer with no interaction or complaint since lose their email, name and reference.
    Zero days keeps everything."""
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
    recent = Interaction.objects.filter(customer=OuterRef("pk"), occurred_at__gte=cutoff)
    complained = Complaint.objects.filter(customer=OuterRef("pk"), received_at__gte=cutoff)
    stale = Customer.objects.exclude(email__endswith=ERASED_DOMAIN).filter(
        ~Exists(recent), ~Exists(complained), created_at__lt=cutoff
    )
    return Purge(comments, complaints, _anonymise(stale))


def _anonymise(customers) -> int:
    """No email, name or reference left, in one statement; returns how many."""
    return customers.update(
        email=Concat(Value("erased-"), Cast("pk", CharField()), Value(f"@{ERASED_DOMAIN}")),
        name="",
        external_ref=None,
    )
