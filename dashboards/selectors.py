"""Reads for the dashboards: rollups only, never raw responses."""

from django.conf import settings

from surveys.selectors import scores_by_touchpoint
from touchpoints.models import Touchpoint


def department_touchpoint_rows(department, since, until):
    """(touchpoint, scores, enough_data) for each touchpoint the department owns."""
    touchpoints = list(
        Touchpoint.objects.filter(department=department).order_by("audience", "name")
    )
    scores = scores_by_touchpoint([tp.pk for tp in touchpoints], since, until)
    rows = []
    for touchpoint in touchpoints:
        score = scores.get(touchpoint.pk)
        enough = score is not None and score.gap_answered >= settings.TOUCHSTONE_MIN_SAMPLE
        rows.append((touchpoint, score, enough))
    return rows
