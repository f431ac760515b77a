"""How many complaints each touchpoint received, and how many are still open."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from surveys.models import Complaint, ComplaintStatus


@dataclass(frozen=True)
class ComplaintCount:
    total: int
    unresolved: int


def complaint_counts(
    touchpoint_ids, start: dt.datetime, stop: dt.datetime
) -> dict[int, ComplaintCount]:
    """Complaints received in [start, stop) per touchpoint, and how many are not resolved.
    Complaints are few beside answers; one indexed count per page."""
    rows = (
        Complaint.objects.filter(
            touchpoint_id__in=list(touchpoint_ids), received_at__gte=start, received_at__lt=stop
        )
        .values("touchpoint_id")
        .annotate(
            total=Count("pk"), unresolved=Count("pk", filter=~Q(status=ComplaintStatus.RESOLVED))
        )
        .order_by()
    )
    return {row["touchpoint_id"]: ComplaintCount(row["total"], row["unresolved"]) for row in rows}
