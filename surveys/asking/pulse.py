"""The employee pulse: staff score the employee-side touchpoints (the steps of employee
journeys) through the same invitation, link, answer and rollup machinery as customers.

A round asks each active staff member of a department that owns surveyed employee-side
touchpoints about one of them, rotating through them from month to month, so the pulse
stays one short survey per person. The staff member is the person who met the internal
touchpoint: recorded as its interaction (customer segment "staff") and invited within the
touchpoint's cap. Their answers give the employee gap, drawn under the customer
touchpoints these steps support on the live map.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from surveys.asking.intake import CustomerDetails, record_interaction
from touchpoints.models import Audience, Outcome, Staff, Touchpoint

STAFF_SEGMENT = "staff"


@dataclass
class PulseRound:
    asked: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def send_pulse(now: dt.datetime | None = None) -> PulseRound:
    now = now or timezone.now()
    by_department: dict[int, list[Touchpoint]] = {}
    for touchpoint in Touchpoint.objects.filter(audience=Audience.EMPLOYEE, surveyed=True).order_by(
        "name"
    ):
        by_department.setdefault(touchpoint.department_id, []).append(touchpoint)
    round_number = now.year * 12 + now.month
    result = PulseRound()
    staff = Staff.objects.filter(department_id__in=by_department, is_active=True).order_by("pk")
    for person in staff:
        touchpoints = by_department[person.department_id]
        touchpoint = touchpoints[(person.pk + round_number) % len(touchpoints)]
        recorded = record_interaction(
            touchpoint=touchpoint,
            customer=CustomerDetails(email=person.email, name=person.name, segment=STAFF_SEGMENT),
            occurred_at=now,
            outcome=Outcome.RESOLVED,
            external_id=f"pulse:{round_number}:{person.pk}",  # one per person and round
        )
        if recorded.invitation is not None and recorded.created:
            result.asked += 1
        else:
            reason = recorded.skipped or "asked already this round"
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
    return result
