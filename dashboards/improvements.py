"""Proof of improvement: the gap before each action took effect against the days since."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from dashboards.selectors import (
    add_sums,
)
from surveys.counting.periods import ONE_DAY, Period
from surveys.counting.scores import (
    GapComparison,
    answers_needed,
    compare_gaps,
    control_false_discoveries,
    pooled_gap_spread,
)
from surveys.models import SUM_FIELDS, TouchpointDailyScore
from touchpoints.models import ImprovementAction

IMPROVEMENT_WINDOW_DAYS = 60


@dataclass
class ImprovementCheck:
    action: ImprovementAction
    before: Period | None
    after: Period | None
    change: GapComparison | None

    @property
    def answers_needed(self) -> int | None:
        """More answers since the change before its check can tell a 0.3-point change (80%
        power); None when the answers before the change are too few for any number."""
        if self.change is None:
            return None
        before, after = self.change.reference, self.change.compared
        spread = pooled_gap_spread(before, after)
        return answers_needed(before.gap_answered, spread, after.gap_answered)


def improvement_checks(actions, today: dt.date, window: int = IMPROVEMENT_WINDOW_DAYS):
    """For each action that took effect: the gap in the `window` days before it against the
    days since (up to `window`), with Welch's test. Planned actions have no check yet.
    The daily rows of every window are read in one query, whatever the number of actions."""
    actions = list(actions)
    windows = {}
    for action in actions:
        if action.changed_on is not None and action.changed_on <= today:
            start = action.changed_on
            windows[action.pk] = (
                Period(start - window * ONE_DAY, start - ONE_DAY),
                Period(start, min(today, start + (window - 1) * ONE_DAY)),
            )
    days = Q(pk__in=[])
    for action in actions:
        for period in windows.get(action.pk, ()):
            days |= Q(
                touchpoint_id=action.touchpoint_id, day__gte=period.since, day__lte=period.until
            )
    rows = list(
        TouchpointDailyScore.objects.filter(days).values("touchpoint_id", "day", *SUM_FIELDS)
    )

    def summed(touchpoint_id, period):
        return add_sums(
            [
                {name: row[name] for name in SUM_FIELDS}
                for row in rows
                if row["touchpoint_id"] == touchpoint_id
                and period.since <= row["day"] <= period.until
            ]
        )

    checks = []
    for action in actions:
        if action.pk not in windows:
            checks.append(ImprovementCheck(action, None, None, None))
            continue
        before, after = windows[action.pk]
        tp = action.touchpoint_id
        change = compare_gaps(summed(tp, before), summed(tp, after))
        checks.append(ImprovementCheck(action, before, after, change))
    controlled = control_false_discoveries([check.change for check in checks])
    for check, change in zip(checks, controlled, strict=True):
        check.change = change
    return checks
