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

from surveys.models import Invitation, InvitationStatus, SuppressedAddress, Survey, SurveyAudience
from touchpoints.models import Customer, Interaction

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


def lock_addresses(emails) -> None:
    """Serialise work on these email addresses until the transaction ends (PostgreSQL), so
    two concurrent interactions can neither create the customer twice nor both pass the
    cap. Taken in one order, so two batches cannot deadlock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(address)) "
            "FROM unnest(%s::text[]) AS address ORDER BY address",
            [_ADDRESS_LOCK_NAMESPACE, sorted({email.lower() for email in emails})],
        )


def is_suppressed(email: str) -> bool:
    return SuppressedAddress.objects.filter(email=email.strip().lower()).exists()


def prospect_survey() -> Survey | None:
    return (
        Survey.objects.filter(audience=SurveyAudience.PROSPECT, is_active=True)
        .order_by("name")
        .first()
    )


def decide_many(pairs: list[tuple[Interaction, Customer]], now: dt.datetime | None = None):
    """Decisions for interactions taken in order, as if one after another: an invitation
    decided for one counts against the cap of the next of the same customer. A few queries
    for the whole list."""
    now = now or timezone.now()
    emails = {customer.email.strip().lower() for _, customer in pairs}
    suppressed = set(
        SuppressedAddress.objects.filter(email__in=emails)
        .order_by()
        .values_list("email", flat=True)
    )
    prospects = _Once(prospect_survey)
    invited = _invited_days(pairs)
    decisions = []
    for interaction, customer in pairs:
        decision = _decide(interaction, customer, now, suppressed, prospects, invited)
        if decision.invites:
            invited.setdefault(customer.pk, []).append(decision.due_at)
        decisions.append(decision)
    return decisions


class _Once:
    def __init__(self, function):
        self.function, self.done, self.value = function, False, None

    def __call__(self):
        if not self.done:
            self.value, self.done = self.function(), True
        return self.value


def _invited_days(pairs) -> dict[int, list[dt.datetime]]:
    """When each of these customers is already invited, within the widest cap window."""
    customers = {customer.pk for _, customer in pairs if customer.pk}
    if not customers:
        return {}
    widest = max(dt.timedelta(days=i.touchpoint.survey_cap_days) for i, _ in pairs)
    earliest = min(i.occurred_at for i, _ in pairs) - widest
    rows = (
        Invitation.objects.filter(interaction__customer__in=customers, due_at__gt=earliest)
        .exclude(status__in=NOT_DELIVERED)
        .order_by()
        .values_list("interaction__customer_id", "due_at")
    )
    invited: dict[int, list[dt.datetime]] = {}
    for customer, due_at in rows:
        invited.setdefault(customer, []).append(due_at)
    return invited


def _decide(interaction, customer, now, suppressed, prospects, invited) -> Decision:
    touchpoint = interaction.touchpoint
    if not touchpoint.surveyed or touchpoint.survey is None or not touchpoint.survey.is_active:
        return Decision(skipped="touchpoint not surveyed")
    if customer.has_opted_out:
        return Decision(skipped="customer opted out")
    if customer.email.strip().lower() in suppressed:
        return Decision(skipped="address suppressed")
    survey = prospects() if interaction.customer_walked_away else touchpoint.survey
    if survey is None:
        return Decision(skipped="no active prospect survey")
    due_at = interaction.occurred_at + (touchpoint.survey_delay or dt.timedelta())
    if due_at + dt.timedelta(days=survey.expires_after_days) <= now:
        return Decision(skipped="interaction too old to survey")
    # Late-recorded interactions are sent now: the cap counts emails, so it looks from now.
    due_at = max(due_at, now)
    cap = dt.timedelta(days=touchpoint.survey_cap_days)
    if any(due_at - cap < other < due_at + cap for other in invited.get(customer.pk, [])):
        return Decision(skipped="customer invited recently")
    return Decision(survey=survey, due_at=due_at)
