"""Who may change a known customer's identity (email, name, segment), through each door.

- CX managers and admins (pages, API with their session or a full token, the CSV upload
  page, the admin) and operators' commands are trusted: what they send updates the record.
- Partner systems (integration tokens) and department heads (complaints) are not: they
  may create customers and have their records matched to known ones (by external_ref,
  else email), but a difference they report is kept as an IdentityChange, never applied
  silently. A CX manager accepts it (the record takes it) or dismisses it.
Matching never hands the caller the stored record: replies show a customer only to those
who may read them (see readable_customer_ids).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from touchpoints.models import Customer, IdentityChange, IdentityField


@dataclass(frozen=True)
class Reporter:
    """An untrusted door's caller: recorded with what they report."""

    user: object
    source: str


def differences(customer: Customer, email: str, name: str, segment: str) -> dict[str, str]:
    """The identity fields the report would change, by name (empty values change nothing)."""
    reported = {"email": email, "name": name, "segment": segment}
    return {
        field: value
        for field, value in reported.items()
        if value and not _same(field, value, getattr(customer, field))
    }


def _same(field: str, reported: str, stored: str) -> bool:
    # Addresses are matched without regard to case, as customers are found by them.
    if field == IdentityField.EMAIL:
        return reported.lower() == stored.lower()
    return reported == stored


def report_changes(changes: list[tuple[Customer, str, str]], reporter: Reporter) -> None:
    """Keep (customer, field, value) reports for a CX manager; one pending per value."""
    IdentityChange.objects.bulk_create(
        [
            IdentityChange(
                customer=customer,
                field=field,
                value=value[:254],
                reported_by=reporter.user,
                source=reporter.source[:160],
            )
            for customer, field, value in changes
        ],
        ignore_conflicts=True,  # already pending: the same report again
    )


@transaction.atomic
def accept_change(change: IdentityChange, user) -> None:
    """The customer's record takes the reported value."""
    change = IdentityChange.objects.select_for_update().get(pk=change.pk)
    if change.decided_at is not None:
        return
    customer = change.customer
    setattr(customer, change.field, change.value)
    customer.save(update_fields=[change.field])
    _decide(change, user, accepted=True)
    # Other reports for the same field are settled by this decision.
    IdentityChange.objects.filter(
        customer=customer, field=change.field, decided_at__isnull=True
    ).update(decided_at=timezone.now(), decided_by=user, accepted=False)


def dismiss_change(change: IdentityChange, user) -> None:
    _decide(change, user, accepted=False)


def _decide(change: IdentityChange, user, accepted: bool) -> None:
    IdentityChange.objects.filter(pk=change.pk, decided_at__isnull=True).update(
        decided_at=timezone.now(), decided_by=user, accepted=accepted
    )


def readable_customer_ids(user, customer_ids) -> set[int]:
    """Of these customers, the ones `user` may read (a head: those who met their
    department's touchpoints)."""
    wanted = {pk for pk in customer_ids if pk is not None}
    if not wanted:
        return set()
    return set(Customer.objects.for_user(user).filter(pk__in=wanted).values_list("pk", flat=True))
