"""Recovery: does closing the loop keep customers? Follow-ups whose first contact came by
the due time against those contacted late or never: the share of their customers who met
a touchpoint again within RECOVERY_WINDOW_DAYS of the follow-up opening, and how their next
answer's gap moved from the answer that opened it.

Only follow-ups whose window has passed are counted, so both groups had the same time to
come back. Returns and next answers are counted at the touchpoints the reader may read.
Read from the follow-ups themselves, not a rollup: there is one per unhappy answer, a
small table, and each needs its own customer's later history."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from surveys.counting.scores import (
    Mean,
    MeanDifference,
    ShareDifference,
    compare_shares,
    enough,
    mean_of,
    welch,
    wilson,
)
from surveys.models import FollowUp, Response
from touchpoints.models import Interaction, Touchpoint

NO_ANSWERS = Mean(0, None, None, None)


@dataclass(frozen=True)
class RecoveryGroup:
    follow_ups: int = 0
    came_back: int = 0
    # Next answer's gap minus the gap of the answer that opened the follow-up: negative is
    # better (the gap is expectation minus experience).
    change: Mean = NO_ANSWERS

    @property
    def came_back_percent(self) -> float | None:
        return 100 * self.came_back / self.follow_ups if enough(self.follow_ups) else None

    @property
    def came_back_interval(self) -> tuple[float, float] | None:
        return wilson(self.came_back, self.follow_ups) if enough(self.follow_ups) else None

    @property
    def change_shown(self) -> Mean | None:
        return self.change if enough(self.change.n) else None


@dataclass(frozen=True)
class Recovery:
    window_days: int
    in_time: RecoveryGroup
    late: RecoveryGroup
    waiting: int  # follow-ups whose window has not passed yet
    # In time minus late, each only when both groups have enough to compare.
    came_back_difference: ShareDifference | None
    change_difference: MeanDifference | None


def recovery(user, now: dt.datetime | None = None, window_days: int | None = None) -> Recovery:
    """Recovery over the follow-ups `user` may read that have a due time."""
    window_days = window_days or settings.RECOVERY_WINDOW_DAYS
    window = dt.timedelta(days=window_days)
    cutoff = (now or timezone.now()) - window
    readable = Touchpoint.objects.for_user(user).values("pk")
    follow_ups = FollowUp.objects.for_user(user).filter(
        due_at__isnull=False, response__invitation__isnull=False
    )
    waiting = follow_ups.filter(created_at__gt=cutoff).count()

    customer = OuterRef("response__invitation__interaction__customer_id")
    window_end = ExpressionWrapper(OuterRef("created_at") + window, output_field=DateTimeField())
    came_back = Interaction.objects.filter(
        customer_id=customer,
        touchpoint__in=readable,
        occurred_at__gt=OuterRef("created_at"),
        occurred_at__lte=window_end,
    )
    next_gap = (
        Response.objects.filter(
            invitation__interaction__customer_id=customer,
            touchpoint__in=readable,
            submitted_at__gt=OuterRef("response__submitted_at"),
            submitted_at__lte=window_end,
            expectation__isnull=False,
            experience__isnull=False,
        )
        .order_by("submitted_at", "pk")
        .annotate(gap=F("expectation") - F("experience"))
        .values("gap")[:1]
    )
    opening_gap = F("response__expectation") - F("response__experience")
    rows = (
        follow_ups.filter(created_at__lte=cutoff)
        .annotate(
            in_time=Case(
                When(first_contact_at__lte=F("due_at"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            came_back=Exists(came_back),
            change=ExpressionWrapper(
                Subquery(next_gap, output_field=IntegerField()) - opening_gap,
                output_field=IntegerField(),
            ),
        )
        .order_by()
        .values("in_time")
        .annotate(
            n=Count("pk"),
            returned=Count("pk", filter=Q(came_back=True)),
            answered=Count("change"),
            change_sum=Sum("change"),
            change_squares=Sum(F("change") * F("change")),
        )
    )
    groups = {
        row["in_time"]: RecoveryGroup(
            row["n"],
            row["returned"],
            mean_of(row["answered"], row["change_sum"] or 0, row["change_squares"] or 0),
        )
        for row in rows
    }
    in_time, late = groups.get(True, RecoveryGroup()), groups.get(False, RecoveryGroup())
    came_back_difference = change_difference = None
    if enough(in_time.follow_ups) and enough(late.follow_ups):
        came_back_difference = compare_shares(
            late.came_back, late.follow_ups, in_time.came_back, in_time.follow_ups
        )
    if enough(in_time.change.n) and enough(late.change.n):
        change_difference = welch(late.change, in_time.change)
    return Recovery(window_days, in_time, late, waiting, came_back_difference, change_difference)
