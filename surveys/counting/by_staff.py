"""Scores per staff member: the answers to the interactions each one handled.

Read from the answers themselves, with the same per-answer terms as the rollups
(rollup_sql.RESPONSE_TERMS), so a staff member's gap is counted exactly as a touchpoint's.
Answers without an invitation (imported) or anonymous ones name nobody and count for no one.
"""

from django.db import connection

from surveys.counting.periods import Period
from surveys.counting.rollup_sql import RESPONSE_TERMS, table
from surveys.counting.scores import Scores, scores_from_sums
from surveys.models import SUM_FIELDS, Invitation, InvitationStatus, Response, Survey
from touchpoints.models import Interaction


def staff_scores(staff_ids: list[int], period: Period) -> dict[int, Scores]:
    """Each of these staff members' scores over the answers given in `period` (every one of
    them present, with no answers as zeros)."""
    if not staff_ids:
        return {}
    sums = ", ".join(f"SUM({term}) AS {name}" for name, term in RESPONSE_TERMS.items())
    # Invitations sent in the period, for the response rate; an anonymous survey's are
    # nobody's, as their answers are.
    sent = (
        f"SELECT x.handled_by_id, COUNT(*), "
        f"COUNT(*) FILTER (WHERE i.status = '{InvitationStatus.ANSWERED}'), "
        f"COUNT(*) FILTER (WHERE i.status = '{InvitationStatus.EXPIRED}') "
        f"FROM {table(Invitation)} i JOIN {table(Interaction)} x ON x.id = i.interaction_id "
        f"JOIN {table(Survey)} s ON s.id = i.survey_id "
        f"WHERE x.handled_by_id = ANY(%s) AND i.sent_on BETWEEN %s AND %s AND NOT s.anonymous "
        f"GROUP BY x.handled_by_id"
    )
    answered = (
        f"SELECT x.handled_by_id, {sums} FROM {table(Response)} r "
        f"JOIN {table(Invitation)} i ON i.id = r.invitation_id "
        f"JOIN {table(Interaction)} x ON x.id = i.interaction_id "
        f"WHERE x.handled_by_id = ANY(%s) AND r.day BETWEEN %s AND %s "
        f"GROUP BY x.handled_by_id"
    )
    found: dict[int, dict] = {pk: {} for pk in staff_ids}
    with connection.cursor() as cursor:
        cursor.execute(answered, [list(staff_ids), period.since, period.until])
        for staff_id, *values in cursor.fetchall():
            found[staff_id].update(zip(SUM_FIELDS, values, strict=True))
        cursor.execute(sent, [list(staff_ids), period.since, period.until])
        for staff_id, invited, replied, expired in cursor.fetchall():
            found[staff_id].update(
                invitations_sent=invited,
                invitations_answered=replied,
                invitations_expired=expired,
            )
    return {pk: scores_from_sums(sums) for pk, sums in found.items()}
