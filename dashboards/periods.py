"""The period a dashboard reads: whole local days, since to until inclusive."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

ONE_DAY = dt.timedelta(days=1)


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
