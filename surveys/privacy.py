"""Erasing a person: every personal detail goes, the measurements stay.

The customer record is kept, as an anonymous one (no email, name or reference), so their
interactions, invitations and answers still count: the rollups do not change. What they
wrote (comments, complaints) is replaced by a marker, its sentiment kept. Their address
leaves the suppression list too: after erasure it is not stored anywhere.
"""

from dataclasses import dataclass

from django.db import transaction

from touchpoints.models import Complaint, Customer

from .models import Response, SuppressedAddress

ERASED_TEXT = "[erased]"


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
    result = Erasure(customers=len(customers))
    for customer in customers:
        customer.email = f"erased-{customer.pk}@erased.invalid"
        customer.name = ""
        customer.external_ref = None
        customer.save(update_fields=["email", "name", "external_ref"])
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
