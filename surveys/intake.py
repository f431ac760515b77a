"""Recording interactions: the one service behind the API, the CSV import and the admin.

An interaction, its customer (matched by external_ref, else by email) and its invitation
are written in one transaction: the invitation row is the outbox the delivery job reads,
so an invitation is never lost to a broker outage. The interaction's external_id makes
every door idempotent: recording it again returns the stored interaction.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from touchpoints.models import Customer, Interaction, Staff, Touchpoint

from . import links
from .models import Invitation
from .policy import decide, lock_address


@dataclass(frozen=True)
class CustomerDetails:
    email: str
    name: str = ""
    external_ref: str | None = None
    language: str = ""
    segment: str = ""


@dataclass(frozen=True)
class Recorded:
    interaction: Interaction
    created: bool
    invitation: Invitation | None = None
    skipped: str = ""


def record_interaction(
    *,
    touchpoint: Touchpoint,
    customer: CustomerDetails,
    occurred_at: dt.datetime,
    outcome: str,
    external_id: str | None = None,
    handled_by: Staff | None = None,
    wait_seconds: int | None = None,
    response_seconds: int | None = None,
    resolution_seconds: int | None = None,
    first_contact_resolution: bool | None = None,
) -> Recorded:
    external_id = external_id or None
    if external_id and (existing := _existing(external_id)):
        return existing
    try:
        with transaction.atomic():
            person = match_customer(customer)
            interaction = Interaction.objects.create(
                customer=person,
                touchpoint=touchpoint,
                occurred_at=occurred_at,
                outcome=outcome,
                external_id=external_id,
                handled_by=handled_by,
                wait_seconds=wait_seconds,
                response_seconds=response_seconds,
                resolution_seconds=resolution_seconds,
                first_contact_resolution=first_contact_resolution,
            )
            invitation, skipped = invite(interaction, person)
    except IntegrityError:
        # A concurrent request recorded the same external_id first: return its record.
        if external_id and (existing := _existing(external_id)):
            return existing
        raise
    return Recorded(interaction, True, invitation, skipped)


def match_customer(details: CustomerDetails) -> Customer:
    """The customer with this external_ref, else with this email; created when new. Known
    customers take the incoming name, email and language, the source system being newer."""
    email = details.email.strip()
    lock_address(email)
    if details.external_ref:
        found = Customer.objects.filter(external_ref=details.external_ref).first()
    else:
        found = Customer.objects.filter(email__iexact=email).order_by("pk").first()
    if found is None:
        return Customer.objects.create(
            email=email,
            name=details.name,
            external_ref=details.external_ref or None,
            language=details.language or "en",
            segment=details.segment,
        )
    changes = {
        "email": email,
        "name": details.name or found.name,
        "language": details.language or found.language,
        "segment": details.segment or found.segment,
    }
    changed = [field for field, value in changes.items() if getattr(found, field) != value]
    if changed:
        for field in changed:
            setattr(found, field, changes[field])
        found.save(update_fields=changed)
    return found


def invite(interaction: Interaction, customer: Customer) -> tuple[Invitation | None, str]:
    """Write the interaction's invitation if the policy allows it (in the caller's
    transaction); returns it, or None and the reason."""
    decision = decide(interaction, customer)
    if not decision.invites:
        return None, decision.skipped
    invitation = Invitation(
        interaction=interaction,
        survey=decision.survey,
        due_at=decision.due_at,
        expires_at=decision.due_at + dt.timedelta(days=decision.survey.expires_after_days),
    )
    links.issue(invitation)
    invitation.save()
    if invitation.due_at <= timezone.now():
        transaction.on_commit(_wake_delivery)
    return invitation, ""


def _existing(external_id: str) -> Recorded | None:
    interaction = (
        Interaction.objects.select_related("customer", "touchpoint", "invitation")
        .filter(external_id=external_id)
        .first()
    )
    if interaction is None:
        return None
    return Recorded(interaction, False, getattr(interaction, "invitation", None))


def _wake_delivery() -> None:
    from .tasks import deliver_invitations_soon  # tasks import the delivery modules

    deliver_invitations_soon()
