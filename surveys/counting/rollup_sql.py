"""The SQL that recomputes rollups: set-based, one statement per batch of keys.

A recount counts the settled answers: those not listed as uncounted. The uncounted ones
(answers through a link, just written) are added to the sums by their own statements
(the *_added_select functions and add_from), once, whichever of the two runs first.

A list of keys becomes a relation to join as unnest() of one array per column
(key_relation), so a batch of any size is one statement with a fixed number of parameters.
"""

import datetime as dt

from django.db import connection

from surveys.models import (
    EFFECT_FIELDS,
    LOOP_FIELDS,
    STANDARD_FIELDS,
    SUM_FIELDS,
    AnswerSource,
    FollowUp,
    FollowUpStatus,
    Invitation,
    InvitationStatus,
    QuestionAnswer,
    Response,
    TouchpointDailyAnswer,
    TouchpointDailyLoop,
    TouchpointDailyScore,
    TouchpointDailyStandardEffect,
    TouchpointDailyStandards,
    TouchpointMonthlyScore,
    TouchpointSegmentDailyScore,
    UncountedInvitation,
    UncountedResponse,
)
from touchpoints.models import Customer, Interaction, Touchpoint

_BOTH = "expectation IS NOT NULL AND experience IS NOT NULL"
# Per-response terms, summed per (touchpoint, day); keys are the rollup fields.
RESPONSE_TERMS = {
    "responses": "1",
    "invitations_sent": "0",
    "invitations_answered": "0",
    "invitations_expired": "0",
    "gap_answered": f"CASE WHEN {_BOTH} THEN 1 ELSE 0 END",
    "sum_expectation": f"CASE WHEN {_BOTH} THEN expectation ELSE 0 END",
    "sum_experience": f"CASE WHEN {_BOTH} THEN experience ELSE 0 END",
    "sum_gap": f"CASE WHEN {_BOTH} THEN expectation - experience ELSE 0 END",
    "sum_gap_squared": (
        f"CASE WHEN {_BOTH} THEN (expectation - experience) * (expectation - experience) ELSE 0 END"
    ),
    "csat_answered": "CASE WHEN csat IS NOT NULL THEN 1 ELSE 0 END",
    "csat_top2": "CASE WHEN csat >= 4 THEN 1 ELSE 0 END",
    "nps_answered": "CASE WHEN nps IS NOT NULL THEN 1 ELSE 0 END",
    "promoters": "CASE WHEN nps >= 9 THEN 1 ELSE 0 END",
    "detractors": "CASE WHEN nps <= 6 THEN 1 ELSE 0 END",
    "effort_answered": "CASE WHEN effort IS NOT NULL THEN 1 ELSE 0 END",
    "sum_effort": "COALESCE(effort, 0)",
    "sum_effort_squared": "COALESCE(effort * effort, 0)",
    "comments": "CASE WHEN comment <> '' THEN 1 ELSE 0 END",
    "sentiment_scored": "CASE WHEN sentiment IS NOT NULL THEN 1 ELSE 0 END",
    "sum_sentiment_milli": "COALESCE(CAST(ROUND(sentiment * 1000) AS INTEGER), 0)",
}
assert list(RESPONSE_TERMS) == SUM_FIELDS
# Per-invitation terms, summed per (touchpoint, day it was sent); the rest are 0. An answered
# invitation counts once it is settled: not still listed for a worker to add.
INVITATION_TERMS = {
    "invitations_sent": "1",
    "invitations_answered": (
        f"CASE WHEN i.status = '{InvitationStatus.ANSWERED}' AND NOT EXISTS (SELECT 1 FROM "
        "{uncounted} u WHERE u.invitation_id = i.id) THEN 1 ELSE 0 END"
    ),
    "invitations_expired": f"CASE WHEN i.status = '{InvitationStatus.EXPIRED}' THEN 1 ELSE 0 END",
}


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def month_of(column: str) -> str:
    """SQL for the first day of the month of a date column."""
    return f"date_trunc('month', {column})::date"


def id_filter(column: str, ids: list[int]) -> tuple[str, list]:
    """SQL true when `column` is one of these ids, as one parameter whatever their number."""
    return f"{column} = ANY(%s::bigint[])", [ids]


def key_relation(rows: list[tuple], columns: tuple[str, ...]) -> tuple[str, list]:
    """A SELECT of these rows (an int, then dates) under these column names, to join."""
    types = ["bigint", *["date"] * (len(columns) - 1)]
    arrays = ", ".join(f"%s::{kind}[]" for kind in types)
    names = ", ".join(columns)
    columns_of_rows = [list(column) for column in zip(*rows, strict=True)]
    return f"SELECT * FROM unnest({arrays}) AS k({names})", columns_of_rows


def daily_sums_select(
    keys: list[tuple[int, dt.date]] | None, touchpoint_ids: list[int] | None = None
) -> tuple[str, list]:
    """SELECT touchpoint_id, day, <sums> for these keys, or every day of these touchpoints,
    or (both None) everything; of the settled answers."""
    return _sums_select(keys, touchpoint_ids, by_segment=False)


def segment_sums_select(
    keys: list[tuple[int, dt.date]] | None, touchpoint_ids: list[int] | None = None
) -> tuple[str, list]:
    """As daily_sums_select, split by the customer's segment and prospect flag and by the
    answer's source: SELECT touchpoint_id, day, segment, is_prospect, source, <sums>."""
    return _sums_select(keys, touchpoint_ids, by_segment=True)


def daily_added_select(response_ids: list[int]) -> tuple[str, list]:
    """The sums of these answers alone, by (touchpoint, day), to add (add_from)."""
    return _sums_select(None, None, by_segment=False, response_ids=response_ids)


def segment_added_select(response_ids: list[int]) -> tuple[str, list]:
    return _sums_select(None, None, by_segment=True, response_ids=response_ids)


def answered_added_select(invitation_ids: list[int], by_segment: bool) -> tuple[str, list]:
    """These answered invitations, counted on their send days, to add (add_from)."""
    return _sums_select(None, None, by_segment=by_segment, invitation_ids=invitation_ids)


def _settled(response: str) -> str:
    """SQL true when the answer `response` (an alias) is not waiting to be added."""
    return (
        f"NOT EXISTS (SELECT 1 FROM {table(UncountedResponse)} u "
        f"WHERE u.response_id = {response}.id)"
    )


def _sums_select(
    keys, touchpoint_ids, by_segment: bool, response_ids=None, invitation_ids=None
) -> tuple[str, list]:
    response_filter = invitation_filter = "true"
    params: list = []
    terms = {
        name: term.format(uncounted=table(UncountedInvitation))
        for name, term in INVITATION_TERMS.items()
    }
    if touchpoint_ids is not None:
        marks = ", ".join(["%s"] * len(touchpoint_ids))
        response_filter = f"r.touchpoint_id IN ({marks})"
        invitation_filter = f"x.touchpoint_id IN ({marks})"
        params = [*touchpoint_ids, *touchpoint_ids]
    if keys is not None:
        relation, flat = key_relation(keys, ("tp", "day"))
        response_filter = f"(r.touchpoint_id, r.day) IN (SELECT tp, day FROM ({relation}) k)"
        invitation_filter = f"(x.touchpoint_id, i.sent_on) IN (SELECT tp, day FROM ({relation}) k)"
        params = flat + flat
    if response_ids is not None:  # these answers' sums, nothing of the invitations
        response_filter, params = id_filter("r.id", response_ids)
        invitation_filter = "false"
    elif invitation_ids is not None:  # these invitations, answered now: nothing else
        response_filter = "false"
        invitation_filter, params = id_filter("i.id", invitation_ids)
        terms = {"invitations_answered": "1"}
    else:
        response_filter = f"{response_filter} AND {_settled('r')}"
    response_sums = ", ".join(f"SUM({term}) AS {name}" for name, term in RESPONSE_TERMS.items())
    invitation_sums = ", ".join(f"SUM({terms.get(name, '0')}) AS {name}" for name in SUM_FIELDS)
    interaction, customer = table(Interaction), table(Customer)
    totals = ", ".join(f"SUM({name}) AS {name}" for name in SUM_FIELDS)
    # The columns and joins of whose answers are there only when splitting by them. An
    # answer's customer is its invitation's, or the one a public answer left an email as.
    split = ", segment, is_prospect, source" if by_segment else ""
    who = ", COALESCE(c.segment, '') AS segment, COALESCE(c.is_prospect, FALSE) AS is_prospect"
    response_who = f"{who}, r.source AS source" if by_segment else ""
    invitation_who = f"{who}, '{AnswerSource.EMAIL}' AS source" if by_segment else ""
    response_joins = (
        f"LEFT JOIN {table(Invitation)} i ON i.id = r.invitation_id "
        f"LEFT JOIN {interaction} x ON x.id = i.interaction_id "
        f"LEFT JOIN {customer} c ON c.id = COALESCE(x.customer_id, r.customer_id)"
        if by_segment
        else ""
    )
    invitation_joins = f"JOIN {customer} c ON c.id = x.customer_id" if by_segment else ""
    group_split = ", COALESCE(c.segment, ''), COALESCE(c.is_prospect, FALSE)" if by_segment else ""
    response_group = f"{group_split}, r.source" if by_segment else ""
    sql = f"""
        SELECT touchpoint_id, day{split}, {totals} FROM (
            SELECT r.touchpoint_id AS touchpoint_id, r.day AS day{response_who}, {response_sums}
            FROM {table(Response)} r {response_joins}
            WHERE {response_filter}
            GROUP BY r.touchpoint_id, r.day{response_group}
            UNION ALL
            SELECT x.touchpoint_id AS touchpoint_id, i.sent_on AS day{invitation_who},
                   {invitation_sums}
            FROM {table(Invitation)} i JOIN {interaction} x ON x.id = i.interaction_id
                 {invitation_joins}
            WHERE i.sent_on IS NOT NULL AND {invitation_filter}
            GROUP BY x.touchpoint_id, i.sent_on{group_split}
        ) parts
        GROUP BY touchpoint_id, day{split}
    """
    return sql, params


def _interaction_filter(keys, touchpoint_ids) -> tuple[str, list]:
    """SQL true for the interactions (x) of these (touchpoint, day) keys, or of these
    touchpoints, or (both None) all of them."""
    if keys is not None:
        relation, values = key_relation(keys, ("tp", "day"))
        return f"(x.touchpoint_id, x.day) IN (SELECT tp, day FROM ({relation}) k)", values
    if touchpoint_ids is not None:
        return id_filter("x.touchpoint_id", list(touchpoint_ids))
    return "true", []


def _timed(fact: str, target: str) -> tuple[str, str]:
    """SQL conditions: this timed standard was measured, and was missed."""
    measured = f"(t.{target} IS NOT NULL AND x.{fact} IS NOT NULL)"
    return measured, f"({measured} AND x.{fact} > t.{target})"


_WAIT = _timed("wait_seconds", "target_wait_seconds")
_RESPONSE = _timed("response_seconds", "target_response_seconds")
_RESOLUTION = _timed("resolution_seconds", "target_resolution_seconds")
_TIMED = f"({_WAIT[0]} OR {_RESPONSE[0]} OR {_RESOLUTION[0]})"
_FCR = "(t.target_first_contact_resolution IS NOT NULL AND x.first_contact_resolution IS NOT NULL)"
# Per-interaction terms, summed per (touchpoint, day); keys are the standards fields.
STANDARD_TERMS = {
    "interactions": "1",
    "timed_measured": _TIMED,
    "timed_met": f"({_TIMED} AND NOT ({_WAIT[1]} OR {_RESPONSE[1]} OR {_RESOLUTION[1]}))",
    "wait_measured": _WAIT[0],
    "wait_met": f"({_WAIT[0]} AND NOT {_WAIT[1]})",
    "response_measured": _RESPONSE[0],
    "response_met": f"({_RESPONSE[0]} AND NOT {_RESPONSE[1]})",
    "resolution_measured": _RESOLUTION[0],
    "resolution_met": f"({_RESOLUTION[0]} AND NOT {_RESOLUTION[1]})",
    "fcr_measured": _FCR,
    "fcr_met": f"({_FCR} AND x.first_contact_resolution = TRUE)",
}
assert list(STANDARD_TERMS) == STANDARD_FIELDS


def standards_sums_select(
    keys: list[tuple[int, dt.date]] | None, touchpoint_ids: list[int] | None = None
) -> tuple[str, list]:
    """SELECT touchpoint_id, day, <standard counts> from the interactions, for these keys, or
    every day of these touchpoints, or (both None) everything."""
    where, params = _interaction_filter(keys, touchpoint_ids)
    sums = ", ".join(
        f"SUM(CASE WHEN {term} THEN 1 ELSE 0 END) AS {name}"
        if term != "1"
        else f"COUNT(*) AS {name}"
        for name, term in STANDARD_TERMS.items()
    )
    sql = f"""
        SELECT x.touchpoint_id, x.day, {sums}
        FROM {table(Interaction)} x JOIN {table(Touchpoint)} t ON t.id = x.touchpoint_id
        WHERE {where}
        GROUP BY x.touchpoint_id, x.day
    """
    return sql, params


TIMED_STANDARDS = {
    "wait": ("wait_seconds", "target_wait_seconds"),
    "response": ("response_seconds", "target_response_seconds"),
    "resolution": ("resolution_seconds", "target_resolution_seconds"),
}


def effect_sums_select(
    keys: list[tuple[int, dt.date]] | None, touchpoint_ids: list[int] | None = None
) -> tuple[str, list]:
    """SELECT touchpoint_id, day, standard, met, <answer sums> of the settled answers to
    interactions measured against each timed standard, split by met or missed."""
    where, values = _interaction_filter(keys, touchpoint_ids)
    return _effects_select(f"{where} AND {_settled('r')}", values)


def effect_added_select(response_ids: list[int]) -> tuple[str, list]:
    """As effect_sums_select, of these answers alone (keyed by their interactions' days)."""
    return _effects_select(*id_filter("r.id", response_ids))


def _effects_select(where: str, values: list) -> tuple[str, list]:
    parts, params = [], []
    sums = ", ".join(f"SUM({RESPONSE_TERMS[name]}) AS {name}" for name in EFFECT_FIELDS)
    for standard, (fact, target) in TIMED_STANDARDS.items():
        met = f"CASE WHEN x.{fact} <= t.{target} THEN TRUE ELSE FALSE END"
        parts.append(f"""
            SELECT x.touchpoint_id, x.day, '{standard}' AS standard, {met} AS met, {sums}
            FROM {table(Interaction)} x
                 JOIN {table(Touchpoint)} t ON t.id = x.touchpoint_id
                 JOIN {table(Invitation)} i ON i.interaction_id = x.id
                 JOIN {table(Response)} r ON r.invitation_id = i.id
            WHERE {where} AND t.{target} IS NOT NULL AND x.{fact} IS NOT NULL
            GROUP BY x.touchpoint_id, x.day, {met}
        """)
        params += values
    return " UNION ALL ".join(parts), params


def _seconds(since: str, until: str) -> str:
    """The sorted whole seconds from one column to another, of the rows where both are set."""
    span = f"FLOOR(EXTRACT(EPOCH FROM f.{until} - f.{since}))::int"
    return (
        f"COALESCE(array_agg({span} ORDER BY {span}) FILTER (WHERE f.{until} IS NOT NULL), '{{}}')"
    )


LOOP_TERMS = {
    "opened": "COUNT(*)",
    "decided": (
        "COUNT(*) FILTER (WHERE f.first_contact_at IS NOT NULL OR f.escalated_at IS NOT NULL "
        f"OR f.status = '{FollowUpStatus.DONE}')"
    ),
    "contacted": "COUNT(f.first_contact_at)",
    "contacted_in_time": "COUNT(*) FILTER (WHERE f.first_contact_at <= f.due_at)",
    "resolved": f"COUNT(*) FILTER (WHERE f.status = '{FollowUpStatus.DONE}')",
    "overdue": (
        "COUNT(*) FILTER (WHERE f.escalated_at IS NOT NULL AND f.first_contact_at IS NULL "
        f"AND f.status <> '{FollowUpStatus.DONE}')"
    ),
    "contact_seconds": _seconds("created_at", "first_contact_at"),
    "resolve_seconds": _seconds("created_at", "closed_at"),
}
assert list(LOOP_TERMS) == LOOP_FIELDS


def loop_sums_select(
    keys: list[tuple[int, dt.date]] | None, touchpoint_ids: list[int] | None = None
) -> tuple[str, list]:
    """SELECT touchpoint_id, day, staff_id, <loop terms> of the follow-ups opened by the
    answers of these keys, or of every day of these touchpoints, or (both None) all."""
    where, params = "true", []
    if keys is not None:
        relation, params = key_relation(keys, ("tp", "day"))
        where = f"(f.touchpoint_id, f.day) IN (SELECT tp, day FROM ({relation}) k)"
    elif touchpoint_ids is not None:
        where, params = id_filter("f.touchpoint_id", touchpoint_ids)
    terms = ", ".join(f"{term} AS {name}" for name, term in LOOP_TERMS.items())
    sql = f"""
        SELECT f.touchpoint_id, f.day, COALESCE(f.assigned_to_id, 0) AS staff_id, {terms}
        FROM {table(FollowUp)} f
        WHERE {where}
        GROUP BY f.touchpoint_id, f.day, COALESCE(f.assigned_to_id, 0)
    """
    return sql, params


def answer_sums_select(
    keys: list[tuple[int, dt.date]] | None,
    touchpoint_ids: list[int] | None = None,
    response_ids: list[int] | None = None,
) -> tuple[str, list]:
    """SELECT touchpoint_id, day, question_id, option_id, source, n, total, squares of the
    answers to the surveys' own questions: those of these answers alone (to add), or the
    settled ones given on these keys' days (by the response's touchpoint and day), or on
    every day of these touchpoints, or (all None) all. Option 0 is the question as a
    whole: its answers (one per response) and the sums of their numbers."""
    if response_ids is not None:
        # Both sides by the ids: each then reads by its index whatever the planner's
        # statistics say (a fast-growing answers table's are soon stale, and it would
        # scan the whole table to join a batch's few rows).
        where, params = id_filter("r.id", response_ids)
        answers_of, also = id_filter("a.response_id", response_ids)
        where, params = f"{where} AND {answers_of}", params + also
    else:
        where, params = _settled("r"), []
        if keys is not None:
            relation, params = key_relation(keys, ("tp", "day"))
            where += f" AND (r.touchpoint_id, r.day) IN (SELECT tp, day FROM ({relation}) k)"
        elif touchpoint_ids is not None:
            ids, params = id_filter("r.touchpoint_id", touchpoint_ids)
            where += f" AND {ids}"
    answers = f"{table(QuestionAnswer)} a JOIN {table(Response)} r ON r.id = a.response_id"
    sql = f"""
        SELECT r.touchpoint_id, r.day, a.question_id, 0 AS option_id, r.source,
               COUNT(DISTINCT a.response_id) AS n, COALESCE(SUM(a.number), 0) AS total,
               COALESCE(SUM(a.number * a.number), 0) AS squares
        FROM {answers} WHERE {where}
        GROUP BY r.touchpoint_id, r.day, a.question_id, r.source
        UNION ALL
        SELECT r.touchpoint_id, r.day, a.question_id, a.option_id, r.source, COUNT(*), 0, 0
        FROM {answers} WHERE a.option_id IS NOT NULL AND {where}
        GROUP BY r.touchpoint_id, r.day, a.question_id, a.option_id, r.source
    """
    return sql, params * 2


def monthly_sums_select(months: list[tuple[int, dt.date]]) -> tuple[str, list]:
    """SELECT touchpoint_id, month, <sums> of the daily rows of these (touchpoint, month).

    Daily rows are picked by a plain filter (touchpoints, date range) and grouped, with no
    join to plan: right after a bulk load the daily table has no statistics yet, and a
    join would be planned as if it were empty.
    """
    relation, wanted = key_relation(months, ("tp", "month"))
    touchpoints, ids = id_filter("touchpoint_id", sorted({tp for tp, _ in months}))
    first, stop = min(m for _, m in months), next_month(max(m for _, m in months))
    totals = ", ".join(f"SUM({name}) AS {name}" for name in SUM_FIELDS)
    sql = f"""
        SELECT * FROM (
            SELECT touchpoint_id, {month_of("day")} AS month, {totals}
            FROM {table(TouchpointDailyScore)}
            WHERE {touchpoints} AND day >= %s AND day < %s
            GROUP BY touchpoint_id, {month_of("day")}
        ) g
        WHERE (g.touchpoint_id, g.month) IN (SELECT tp, month FROM ({relation}) k)
    """
    return sql, [*ids, first, stop, *wanted]


def insert_from(
    model, key_column: str, select: tuple[str, list], now, fields=SUM_FIELDS
) -> tuple[str, list]:
    """INSERT INTO the rollup table the rows of a sums SELECT, stamped `now`. key_column
    names the columns after touchpoint_id (e.g. "day" or "day, segment, is_prospect")."""
    sql, params = select
    columns = ", ".join(fields)
    return (
        f"INSERT INTO {table(model)} (touchpoint_id, {key_column}, {columns}, updated_at) "
        f"SELECT s.*, %s FROM ({sql}) s WHERE true",
        [now, *params],
    )


def add_from(
    model, key_column: str, select: tuple[str, list], now, fields=SUM_FIELDS
) -> tuple[str, list]:
    """As insert_from, adding the SELECT's sums to the rows already there."""
    sql, params = insert_from(model, key_column, select, now, fields)
    added = ", ".join(f"{name} = {table(model)}.{name} + EXCLUDED.{name}" for name in fields)
    return (
        f"{sql} ON CONFLICT (touchpoint_id, {key_column}) "
        f"DO UPDATE SET {added}, updated_at = EXCLUDED.updated_at",
        params,
    )


def delete_keys(model, key_column: str, keys: list[tuple[int, dt.date]]) -> tuple[str, list]:
    relation, params = key_relation(keys, ("tp", "day"))
    condition = f"(touchpoint_id, {key_column}) IN (SELECT tp, day FROM ({relation}) k)"
    return f"DELETE FROM {table(model)} WHERE {condition}", params


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


MONTHLY = TouchpointMonthlyScore
DAILY = TouchpointDailyScore
SEGMENT = TouchpointSegmentDailyScore
STANDARDS = TouchpointDailyStandards
EFFECTS = TouchpointDailyStandardEffect
LOOPS = TouchpointDailyLoop
LOOP_KEY = "day, staff_id"
ANSWERS = TouchpointDailyAnswer
ANSWER_KEY = "day, question_id, option_id, source"
EFFECT_KEY = "day, standard, met"
SEGMENT_KEY = "day, segment, is_prospect, source"
