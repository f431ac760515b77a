"""Opting out: the customer is never surveyed again, on this record or any other with the
same address, and nothing already queued is sent."""

from django.db import transaction
from django.utils import timezone

from surveys.models import Invitation, InvitationStatus, SuppressedAddress, SuppressionReason
from touchpoints.models import Customer


def opt_out(customer: Customer) -> None:
    email = customer.email.strip().lower()
    with transaction.atomic():
        if customer.opted_out_at is None:
            customer.opted_out_at = timezone.now()
            customer.save(update_fields=["opted_out_at"])
        SuppressedAddress.objects.get_or_create(
            email=email, defaults={"reason": SuppressionReason.UNSUBSCRIBED}
        )
        Invitation.objects.filter(
            interaction__customer__email__iexact=email, status=InvitationStatus.PENDING
        ).update(status=InvitationStatus.CANCELLED)
