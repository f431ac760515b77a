"""The SQL that recomputes rollups: set-based, one statement per batch of keys.

Written once for PostgreSQL and SQLite alike (row values, VALUES lists, CASE sums), so the
embedded mode and production run the same aggregation.
"""

import datetime as dt

from django.db import connection

from .models import SUM_FIELDS, Invitation, Response, TouchpointDailyScore, TouchpointMonthlyScore

_BOTH = "expectation IS NOT NULL AND experience IS NOT NULL"
# Per-response terms, summed per (touchpoint, day); keys are the rollup fields.
RESPONSE_TERMS = {
    "responses": "1",
    "invitations_sent": "0",
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
    "comments": "CASE WHEN comment <> '' THEN 1 ELSE 0 END",
}
assert list(RESPONSE_TERMS) == SUM_FIELDS


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def key_list(count: int) -> str:
    """A VALUES list of `count` (touchpoint, date) pairs, for `(a, b) IN (...)`."""
    return "VALUES " + ", ".join(["(%s, %s)"] * count)


def daily_sums_select(
    keys: list[tuple[int, dt.date]] | None, touchpoint_ids: list[int] | None = None
) -> tuple[str, list]:
    """SELECT touchpoint_id, day, <sums> for these keys, or every day of these touchpoints,
    or (both None) everything."""
    response_filter = invitation_filter = "true"
    params: list = []
    if touchpoint_ids is not None:
        marks = ", ".join(["%s"] * len(touchpoint_ids))
        response_filter = f"touchpoint_id IN ({marks})"
        invitation_filter = f"x.touchpoint_id IN ({marks})"
        params = [*touchpoint_ids, *touchpoint_ids]
    if keys is not None:
        flat = [value for key in keys for value in key]
        response_filter = f"(touchpoint_id, day) IN ({key_list(len(keys))})"
        invitation_filter = f"(x.touchpoint_id, i.sent_on) IN ({key_list(len(keys))})"
        params = flat + flat
    response_sums = ", ".join(f"SUM({term}) AS {name}" for name, term in RESPONSE_TERMS.items())
    invitation_sums = ", ".join(
        f"{'COUNT(*)' if name == 'invitations_sent' else '0'} AS {name}" for name in SUM_FIELDS
    )
    interaction = table(Invitation._meta.get_field("interaction").related_model)
    totals = ", ".join(f"SUM({name}) AS {name}" for name in SUM_FIELDS)
    sql = f"""
        SELECT touchpoint_id, day, {totals} FROM (
            SELECT touchpoint_id, day, {response_sums}
            FROM {table(Response)}
            WHERE {response_filter}
            GROUP BY touchpoint_id, day
            UNION ALL
            SELECT x.touchpoint_id AS touchpoint_id, i.sent_on AS day, {invitation_sums}
            FROM {table(Invitation)} i JOIN {interaction} x ON x.id = i.interaction_id
            WHERE i.sent_on IS NOT NULL AND {invitation_filter}
            GROUP BY x.touchpoint_id, i.sent_on
        ) parts
        GROUP BY touchpoint_id, day
    """
    return sql, params


def monthly_sums_select(months: list[tuple[int, dt.date]]) -> tuple[str, list]:
    """SELECT touchpoint_id, month, <sums> of the daily rows of these (touchpoint, month)."""
    ranges = " UNION ALL ".join(
        ["SELECT %s AS tp, %s AS month_start, %s AS month_stop"] * len(months)
    )
    params = [value for tp, month in months for value in (tp, month, next_month(month))]
    totals = ", ".join(f"SUM(d.{name}) AS {name}" for name in SUM_FIELDS)
    sql = f"""
        SELECT d.touchpoint_id, m.month_start, {totals}
        FROM {table(TouchpointDailyScore)} d
        JOIN ({ranges}) m
          ON d.touchpoint_id = m.tp AND d.day >= m.month_start AND d.day < m.month_stop
        GROUP BY d.touchpoint_id, m.month_start
    """
    return sql, params


def insert_from(model, key_column: str, select: tuple[str, list], now) -> tuple[str, list]:
    """INSERT INTO the rollup table the rows of a sums SELECT, stamped `now`."""
    sql, params = select
    columns = ", ".join(SUM_FIELDS)
    return (
        f"INSERT INTO {table(model)} (touchpoint_id, {key_column}, {columns}, updated_at) "
        f"SELECT s.*, %s FROM ({sql}) s WHERE true",
        [now, *params],
    )


def delete_keys(model, key_column: str, keys: list[tuple[int, dt.date]]) -> tuple[str, list]:
    condition = f"(touchpoint_id, {key_column}) IN ({key_list(len(keys))})"
    return f"DELETE FROM {table(model)} WHERE {condition}", [v for key in keys for v in key]


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


MONTHLY = TouchpointMonthlyScore
DAILY = TouchpointDailyScore
