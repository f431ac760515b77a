"""The period a dashboard reads: whole local days, since to until inclusive."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

ONE_DAY = dt.timedelta(days=1)
DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    """A period asked for that cannot be read; the message is for the person asking."""


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.since - self.days * ONE_DAY, self.since - ONE_DAY)


def moments(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as [start, stop) instants: local midnights."""
    start = timezone.make_aware(dt.datetime.combine(period.since, dt.time.min))
    stop = timezone.make_aware(dt.datetime.combine(period.until + ONE_DAY, dt.time.min))
    return start, stop


def period_asked(since: dt.date | None, until: dt.date | None) -> Period:
    """The period a page or the API is asked for: empty ends mean the last DEFAULT_DAYS
    days up to today; at most three years."""
    until = until or timezone.localdate()
    since = since or until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise PeriodError("The start must be on or before the end.")
    if (until - since).days >= MAX_DAYS:
        raise PeriodError("Choose at most three years.")
    return Period(since, until)


def default_period() -> Period:
    return period_asked(None, None)
