"""Closing the loop in the demo: detractors' call-backs worked at each salesperson's pace
(two in Sales call back within hours, most within a day or two, Logistics lets them go
overdue), and customers who were not called back in time often not seen again."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from surveys.models import (
    ContactChannel,
    ContactOutcome,
    FollowUp,
    FollowUpAction,
    FollowUpEvent,
    FollowUpReason,
    FollowUpStatus,
    Invitation,
    Response,
)
from touchpoints.models import Interaction

# The share of customers, called back late or never, who do not come back.
LEAVE_AFTER_LATE_CALL = 0.45


def create_follow_ups(rng, now, responses, fast) -> list[FollowUp]:
    follow_ups, contacts = [], []
    for response in responses:
        if response.nps is None or response.nps > 6:
            continue
        staff = response.invitation.interaction.handled_by
        opened = response.submitted_at
        due = opened + response.touchpoint.follow_up_within
        first = opened + callback_delay(rng, staff, fast)
        first = first if first < now else None
        done = first is not None and (now - first).days > 3 and rng.random() < 0.8
        # The sweep tells the heads a few minutes after the due time passes uncalled.
        escalated = due + dt.timedelta(minutes=5)
        late = (first is None or first > due) and escalated < now
        follow_up = FollowUp(
            response=response,
            touchpoint=response.touchpoint,
            day=response.day,
            reason=FollowUpReason.DETRACTOR,
            assigned_to=staff,
            created_at=opened,
            due_at=due,
            first_contact_at=first,
            escalated_at=escalated if late else None,
            status=FollowUpStatus.DONE
            if done
            else (FollowUpStatus.IN_PROGRESS if first else FollowUpStatus.OPEN),
            closed_at=first + dt.timedelta(days=rng.randrange(1, 3)) if done else None,
            notes="Called, apologised and put it right." if done else "",
        )
        follow_ups.append(follow_up)
        if first is not None:
            contacts.append((follow_up, first))
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    FollowUpEvent.objects.bulk_create(
        [
            FollowUpEvent(
                follow_up=follow_up,
                action=FollowUpAction.CONTACT,
                at=at,
                channel=ContactChannel.PHONE,
                outcome=ContactOutcome.REACHED,
            )
            for follow_up, at in contacts
        ],
        batch_size=2000,
    )
    return follow_ups


def callback_delay(rng, staff, fast) -> dt.timedelta:
    if staff is None:
        return dt.timedelta(hours=rng.uniform(20, 90))
    department = staff.department.name
    if department == "Logistics":
        # Often nobody calls at all.
        hours = rng.uniform(30, 120) if rng.random() < 0.6 else 24 * 365
    elif staff in fast:
        hours = rng.uniform(0.5, 5)
    else:
        hours = rng.uniform(4, 40)
    return dt.timedelta(hours=hours)


@dataclass
class Departures:
    interactions: set[int] = field(default_factory=set)
    invitations: int = 0
    responses: int = 0

    def __contains__(self, interaction_id) -> bool:
        return interaction_id in self.interactions


def leave_after_late_calls(rng, follow_ups) -> Departures:
    """Customers called back late or never leave, most of them: whatever they would have
    done after their unhappy answer is removed (interactions, invitations, answers and the
    follow-ups those opened)."""
    leaving: dict[int, dt.datetime] = {}
    for follow_up in sorted(follow_ups, key=lambda f: f.created_at):
        customer = follow_up.response.invitation.interaction.customer_id
        in_time = follow_up.first_contact_at and follow_up.first_contact_at <= follow_up.due_at
        if customer in leaving or in_time:
            continue
        if rng.random() < LEAVE_AFTER_LATE_CALL:
            leaving[customer] = follow_up.created_at
    after = Q(pk__in=[])
    for customer, since in leaving.items():
        after |= Q(customer_id=customer, occurred_at__gt=since)
    doomed = set(Interaction.objects.filter(after).values_list("pk", flat=True))
    # An answer outlives its invitation (SET_NULL), so answers go first.
    _, deleted = Response.objects.filter(invitation__interaction__in=doomed).delete()
    invitations = Invitation.objects.filter(interaction__in=doomed).count()
    Interaction.objects.filter(pk__in=doomed).delete()
    return Departures(doomed, invitations, deleted.get("surveys.Response", 0))
