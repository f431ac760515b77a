"""Whether an interaction earns a survey invitation, which survey, and when it is due.

The rules, in order: the touchpoint must be surveyed; the address must not have opted out or
be suppressed; a customer who walked away (lost, abandoned) gets the prospect survey; an
interaction too old to be answered before its link would expire is not surveyed; and a
customer gets at most one invitation per the touchpoint's cap window, whichever touchpoint
it came from, so that nobody is surveyed into leaving.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from touchpoints.models import Customer, Interaction

from .models import Invitation, InvitationStatus, SuppressedAddress, Survey, SurveyAudience

# Invitations that never reached the customer do not count against the cap.
NOT_DELIVERED = (InvitationStatus.CANCELLED, InvitationStatus.FAILED)
_ADDRESS_LOCK_NAMESPACE = 0x53757276  # "Surv"


@dataclass(frozen=True)
class Decision:
    survey: Survey | None = None
    due_at: dt.datetime | None = None
    skipped: str = ""  # why no invitation, for import reports and the admin

    @property
    def invites(self) -> bool:
        return self.survey is not None


def lock_address(email: str) -> None:
    """Serialise work on one email address until the transaction ends (PostgreSQL), so two
    concurrent interactions can neither create the customer twice nor both pass the cap.
    SQLite already runs one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                [_ADDRESS_LOCK_NAMESPACE, email.lower()],
            )


def is_suppressed(email: str) -> bool:
    return SuppressedAddress.objects.filter(email=email.strip().lower()).exists()


def prospect_survey() -> Survey | None:
    return (
        Survey.objects.filter(audience=SurveyAudience.PROSPECT, is_active=True)
        .order_by("name")
        .first()
    )


def decide(interaction: Interaction, customer: Customer, now: dt.datetime | None = None):
    now = now or timezone.now()
    touchpoint = interaction.touchpoint
    if not touchpoint.surveyed or touchpoint.survey is None or not touchpoint.survey.is_active:
        return Decision(skipped="touchpoint not surveyed")
    if customer.has_opted_out:
        return Decision(skipped="customer opted out")
    if is_suppressed(customer.email):
        return Decision(skipped="address suppressed")
    survey = prospect_survey() if interaction.customer_walked_away else touchpoint.survey
    if survey is None:
        return Decision(skipped="no active prospect survey")
    due_at = interaction.occurred_at + (touchpoint.survey_delay or dt.timedelta())
    if due_at + dt.timedelta(days=survey.expires_after_days) <= now:
        return Decision(skipped="interaction too old to survey")
    # Late-recorded interactions are sent now: the cap counts emails, so it looks from now.
    due_at = max(due_at, now)
    cap = dt.timedelta(days=touchpoint.survey_cap_days)
    capped = (
        Invitation.objects.filter(
            interaction__customer=customer,
            due_at__gt=due_at - cap,
            due_at__lt=due_at + cap,
        )
        .exclude(status__in=NOT_DELIVERED)
        .exists()
    )
    if capped:
        return Decision(skipped="customer invited recently")
    return Decision(survey=survey, due_at=due_at)
