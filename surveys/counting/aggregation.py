"""Fold survey answers into per-(touchpoint, day) rollups, exactly and crash-proof.

Design: two outboxes, written in the same transaction as what they report.
- DirtyRollup (touchpoint, day): whatever changes a day other than a new answer through
  a link (an invitation sent, an import, an edit, an erasure) asks for the day's recount.
- UncountedResponse: an answer through a link, written by the statement that writes the
  answer, asks to be added. Recounting a busy day for every batch of answers would read
  the whole day again each time (tens of thousands of invitations at a campaign's peak).
  UncountedInvitation, written by the same statement, asks for the invitation to be added
  to its send day's count of answered invitations (the response rate's cohort), kept
  apart so that nothing ties an anonymous answer to its invitation.

A worker then, in one transaction:
1. claims a batch of each (SELECT ... FOR UPDATE SKIP LOCKED, then DELETE),
2. takes transaction-scoped advisory locks on their touchpoints (striped, below),
3. adds the claimed answers' sums to their days' rows (INSERT ... ON CONFLICT DO UPDATE),
4. deletes the dirty days' rows and re-inserts them with one INSERT ... SELECT ...
   GROUP BY over the settled answers (those not uncounted) and the invitations,
5. recomputes the months of every day touched from the daily rows.

So the rollups equal a recomputation of the settled answers at any quiet moment, and of
every answer once the outboxes are empty:
- each answer is counted once. A recount leaves out the answers still listed as
  uncounted in its snapshot, and an answer leaves that list in the same transaction that
  adds it. Recounts and additions of one touchpoint serialize on its lock: a recount
  after an addition sees the answer settled and counts it (replacing the row, addition
  included); a recount before it left the answer out, and the addition adds it after;
- a task delivered twice finds nothing left to claim, or recomputes the same values;
- a worker killed mid-task rolls back: its claimed rows come back and are claimed again;
- two workers never claim the same row; a change committed after a recount's snapshot
  left a row of its own;
- Redis restarting loses at most a wake-up: the outboxes are in the database, and the
  beat job drains them every minute.
Work coalesces: 10,000 dirty rows of one touchpoint and day are one recount, and a
batch of answers is added with one statement per rollup table.
One lock covers all of a touchpoint's days and months. Touchpoints map onto a fixed set of
lock stripes, so a batch of 20,000 keys takes at most LOCK_STRIPES locks (PostgreSQL's lock
table is small), taken in sorted order so no two workers can wait on each other in a cycle.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from surveys import enqueue
from surveys.counting import rollup_sql as sql
from surveys.counting.figure_cache import figures_changed
from surveys.models import (
    ANSWER_FIELDS,
    EFFECT_FIELDS,
    LOOP_FIELDS,
    STANDARD_FIELDS,
    SUM_FIELDS,
    DirtyRollup,
    FollowUp,
    Invitation,
    Response,
    TouchpointDailyScore,
    UncountedInvitation,
    UncountedResponse,
)
from touchpoints.models import Touchpoint, local_day

# Keys per statement: bounded so one statement's arrays stay small.
KEY_CHUNK = 2000
# Dirty rows claimed per drain transaction.
CLAIM_BATCH = 20000
# Advisory locks are pg_advisory_xact_lock(LOCK_NAMESPACE, touchpoint_id % LOCK_STRIPES).
LOCK_NAMESPACE = 0x546F7563  # "Touc"
LOCK_STRIPES = 256


def rollups_recompute(keys: Iterable[tuple[int, dt.date]]) -> int:
    """Recompute the daily and monthly rollups of these (touchpoint_id, day) keys now."""
    keys = sorted(set(keys))
    with transaction.atomic():
        _recompute(keys)
    return len(keys)


def rollups_rebuild(touchpoint_ids: list[int]) -> int:
    """Recompute every rollup of these touchpoints from scratch; returns daily rows."""
    with transaction.atomic():
        _lock_tables()
        _on_one_core()
        sql.MONTHLY.objects.filter(touchpoint_id__in=touchpoint_ids).delete()
        TouchpointDailyScore.objects.filter(touchpoint_id__in=touchpoint_ids).delete()
        sql.SEGMENT.objects.filter(touchpoint_id__in=touchpoint_ids).delete()
        now = timezone.now()
        select = sql.daily_sums_select(None, touchpoint_ids)
        _execute(sql.insert_from(sql.DAILY, "day", select, now))
        select = sql.segment_sums_select(None, touchpoint_ids)
        _execute(sql.insert_from(sql.SEGMENT, sql.SEGMENT_KEY, select, now))
        sql.STANDARDS.objects.filter(touchpoint_id__in=touchpoint_ids).delete()
        select = sql.standards_sums_select(None, touchpoint_ids)
        _execute(sql.insert_from(sql.STANDARDS, "day", select, now, STANDARD_FIELDS))
        sql.EFFECTS.objects.filter(touchpoint_id__in=touchpoint_ids).delete()
        select = sql.effect_sums_select(None, touchpoint_ids)
        _execute(sql.insert_from(sql.EFFECTS, sql.EFFECT_KEY, select, now, EFFECT_FIELDS))
        sql.LOOPS.objects.filter(touchpoint_id__in=touchpoint_ids).delete()
        select = sql.loop_sums_select(None, touchpoint_ids)
        _execute(sql.insert_from(sql.LOOPS, sql.LOOP_KEY, select, now, LOOP_FIELDS))
        sql.ANSWERS.objects.filter(touchpoint_id__in=touchpoint_ids).delete()
        select = sql.answer_sums_select(None, touchpoint_ids)
        _execute(sql.insert_from(sql.ANSWERS, sql.ANSWER_KEY, select, now, ANSWER_FIELDS))
        days = list(
            TouchpointDailyScore.objects.filter(touchpoint_id__in=touchpoint_ids).values_list(
                "touchpoint_id", "day"
            )
        )
        _recompute_months(_months_of(days))
        figures_changed()
        return len(days)


def rollups_rebuild_all() -> int:
    """Recompute every rollup from scratch in one transaction; returns daily rows."""
    with transaction.atomic():
        DirtyRollup.objects.all().delete()
        return rollups_rebuild(list(Touchpoint.objects.values_list("pk", flat=True)))


def rollups_mark_dirty(keys: Iterable[tuple[int, dt.date]], wake: bool = True) -> None:
    """Record keys to recompute, in the caller's transaction; wake a worker on commit
    (without waking, the beat's drain picks them up within a minute)."""
    rows = [DirtyRollup(touchpoint_id=tp, day=day) for tp, day in set(keys)]
    if rows:
        DirtyRollup.objects.bulk_create(rows, batch_size=5000)
        if wake:
            enqueue.wake_on_commit(enqueue.DRAIN_ROLLUPS)


def keys_of_responses(responses) -> set[tuple[int, dt.date]]:
    return {(r.touchpoint_id, r.day or local_day(r.submitted_at)) for r in responses}


class Drained(NamedTuple):
    keys: int  # recomputed
    backlog: bool  # the claim was full: more rows were waiting


def rollups_drain(batch: int = CLAIM_BATCH) -> Drained:
    """Claim up to `batch` dirty rows and as many uncounted answers and answered
    invitations; add those to their days' sums, then recompute the dirty keys (what was
    just added included)."""
    with transaction.atomic():
        claimed = list(
            DirtyRollup.objects.select_for_update(skip_locked=True)
            .order_by("id")
            .values_list("id", "touchpoint_id", "day")[:batch]
        )
        answers = _claim(UncountedResponse, "response_id", batch)
        answered = _claim(UncountedInvitation, "invitation_id", batch)
        if not claimed and not answers and not answered:
            return Drained(0, False)
        DirtyRollup.objects.filter(id__in=[row[0] for row in claimed]).delete()
        keys = sorted({(tp, day) for _, tp, day in claimed})
        added = _recompute(keys, answers, answered)
        full = batch in (len(claimed), len(answers), len(answered))
        return Drained(len(set(keys) | added), full)


def _claim(outbox, key: str, batch: int) -> list[int]:
    """Up to `batch` rows of an outbox, taken out of it (in the caller's transaction)."""
    ids = list(
        outbox.objects.select_for_update(skip_locked=True)
        .order_by(key)
        .values_list(key, flat=True)[:batch]
    )
    outbox.objects.filter(**{f"{key}__in": ids}).delete()
    return ids


def rollups_drain_all() -> int:
    """Drain until no dirty row is left; returns the keys recomputed."""
    total = 0
    while done := rollups_drain().keys:
        total += done
    return total


def rollups_differences() -> list[tuple[tuple[int, dt.date], dict | None, dict | None]]:
    """Days whose stored rollup differs from a fresh recomputation: (key, stored, expected).

    Months are compared too, against the sums of the stored days. Read-only.
    """
    expected = _rows_by_key(*sql.daily_sums_select(None))
    stored = {
        (row.pop("touchpoint_id"), row.pop("day")): row
        for row in TouchpointDailyScore.objects.values("touchpoint_id", "day", *SUM_FIELDS)
    }
    differences = [
        (key, stored.get(key), expected.get(key))
        for key in sorted(expected.keys() | stored.keys())
        if stored.get(key) != expected.get(key)
    ]
    return (
        differences
        + _month_differences(stored.keys())
        + _keyed_differences(
            sql.segment_sums_select(None), sql.SEGMENT, ("day", "segment", "is_prospect", "source")
        )
        + _keyed_differences(
            sql.standards_sums_select(None), sql.STANDARDS, ("day",), STANDARD_FIELDS
        )
        + _keyed_differences(
            sql.effect_sums_select(None), sql.EFFECTS, ("day", "standard", "met"), EFFECT_FIELDS
        )
        + _keyed_differences(
            sql.loop_sums_select(None), sql.LOOPS, ("day", "staff_id"), LOOP_FIELDS
        )
        + _keyed_differences(
            sql.answer_sums_select(None),
            sql.ANSWERS,
            ("day", "question_id", "option_id", "source"),
            ANSWER_FIELDS,
        )
    )


# --- internals ----------------------------------------------------------------------------
def _recompute(
    keys: list[tuple[int, dt.date]], answers: Sequence[int] = (), answered: Sequence[int] = ()
) -> set:
    """Add these uncounted answers and answered invitations to their days, then recount
    the keys' days (what was just added included), then the months of all; returns the
    days added to."""
    added = _keys_of_answers(answers) if answers else set()
    added |= _send_days(answered) if answered else set()
    _lock_touchpoints({tp for tp, _ in keys} | {tp for tp, _ in added})
    _on_one_core()
    _add_answers(answers)
    _add_answered(answered)
    _recompute_days(keys)
    # An answer is added, not recounted; the day of one that opened a follow-up has its
    # loop figures recounted (from the follow-ups alone: cheap).
    if answers:
        opened = FollowUp.objects.filter(response_id__in=answers)
        _recompute_loops(sorted(set(opened.values_list("touchpoint_id", "day")) - set(keys)))
    _recompute_months(_months_of([*keys, *added]))
    figures_changed()
    return added


def _recompute_days(keys: list[tuple[int, dt.date]]) -> None:
    """The days' rows from their settled answers, invitations and interactions."""
    now = timezone.now()
    for chunk in _chunks(keys):
        _execute(sql.delete_keys(sql.DAILY, "day", chunk))
        _execute(sql.insert_from(sql.DAILY, "day", sql.daily_sums_select(chunk), now))
        _execute(sql.delete_keys(sql.SEGMENT, "day", chunk))
        select = sql.segment_sums_select(chunk)
        _execute(sql.insert_from(sql.SEGMENT, sql.SEGMENT_KEY, select, now))
        _execute(sql.delete_keys(sql.STANDARDS, "day", chunk))
        select = sql.standards_sums_select(chunk)
        _execute(sql.insert_from(sql.STANDARDS, "day", select, now, STANDARD_FIELDS))
        _execute(sql.delete_keys(sql.EFFECTS, "day", chunk))
        select = sql.effect_sums_select(chunk)
        _execute(sql.insert_from(sql.EFFECTS, sql.EFFECT_KEY, select, now, EFFECT_FIELDS))
    _recompute_loops(keys)
    _recompute_own_answers(keys)


def _recompute_loops(keys: list[tuple[int, dt.date]]) -> None:
    """The days' follow-up rows, every staff member's, from the follow-ups as they are."""
    now = timezone.now()
    for chunk in _chunks(keys):
        _execute(sql.delete_keys(sql.LOOPS, "day", chunk))
        select = sql.loop_sums_select(chunk)
        _execute(sql.insert_from(sql.LOOPS, sql.LOOP_KEY, select, now, LOOP_FIELDS))


def _recompute_own_answers(keys: list[tuple[int, dt.date]]) -> None:
    """The days' rows of answers to the surveys' own questions, from their settled answers
    (those still uncounted are added when claimed, as their scores are)."""
    now = timezone.now()
    for chunk in _chunks(keys):
        _execute(sql.delete_keys(sql.ANSWERS, "day", chunk))
        select = sql.answer_sums_select(chunk)
        _execute(sql.insert_from(sql.ANSWERS, sql.ANSWER_KEY, select, now, ANSWER_FIELDS))


def _keys_of_answers(response_ids: list[int]) -> set[tuple[int, dt.date]]:
    """The days whose rows these answers add to: their own, and their interactions' (the
    standard effects)."""
    rows = Response.objects.filter(pk__in=response_ids).values_list(
        "touchpoint_id", "day", "invitation__interaction__touchpoint_id",
        "invitation__interaction__day",
    )  # fmt: skip
    return {(tp, day) for tp, day, *_ in rows} | {
        (tp, day) for *_, tp, day in rows if tp is not None
    }


def _add_answers(response_ids: list[int]) -> None:
    if not response_ids:
        return
    now = timezone.now()
    _execute(sql.add_from(sql.DAILY, "day", sql.daily_added_select(response_ids), now))
    select = sql.segment_added_select(response_ids)
    _execute(sql.add_from(sql.SEGMENT, sql.SEGMENT_KEY, select, now))
    select = sql.effect_added_select(response_ids)
    _execute(sql.add_from(sql.EFFECTS, sql.EFFECT_KEY, select, now, EFFECT_FIELDS))
    select = sql.answer_sums_select(None, response_ids=response_ids)
    _execute(sql.add_from(sql.ANSWERS, sql.ANSWER_KEY, select, now, ANSWER_FIELDS))


def _send_days(invitation_ids: list[int]) -> set[tuple[int, dt.date]]:
    rows = Invitation.objects.filter(pk__in=invitation_ids, sent_on__isnull=False).values_list(
        "interaction__touchpoint_id", "sent_on"
    )
    return set(rows)


def _add_answered(invitation_ids: list[int]) -> None:
    if not invitation_ids:
        return
    now = timezone.now()
    for model, key, by_segment in ((sql.DAILY, "day", False), (sql.SEGMENT, sql.SEGMENT_KEY, True)):
        select = sql.answered_added_select(invitation_ids, by_segment)
        _execute(sql.add_from(model, key, select, now))


def _recompute_months(months: list[tuple[int, dt.date]]) -> None:
    now = timezone.now()
    for chunk in _chunks(months):
        _execute(sql.delete_keys(sql.MONTHLY, "month", chunk))
        _execute(sql.insert_from(sql.MONTHLY, "month", sql.monthly_sums_select(chunk), now))


def _months_of(keys) -> list[tuple[int, dt.date]]:
    return sorted({(tp, day.replace(day=1)) for tp, day in keys})


def _lock_touchpoints(touchpoint_ids: set[int]) -> None:
    """Serialize recomputations of one touchpoint across workers."""
    if not touchpoint_ids:
        return
    stripes = sorted({tp % LOCK_STRIPES for tp in touchpoint_ids})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, stripe) FROM unnest(%s::int[]) AS s(stripe)",
            [LOCK_NAMESPACE, stripes],
        )


def _on_one_core() -> None:
    """A recount is background work: no parallel workers, so the requests keep a core.
    Each parallel worker builds the same hash of a day's interactions, so they took two
    cores for as long as one took (500 ms for a day of 60,000 invitations)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


def _lock_tables() -> None:
    """A full rebuild waits for running recomputations and holds new ones off until done."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE {sql.table(sql.DAILY)}, {sql.table(sql.MONTHLY)}, "
            f"{sql.table(sql.SEGMENT)}, {sql.table(sql.STANDARDS)}, "
            f"{sql.table(sql.EFFECTS)} IN EXCLUSIVE MODE"
        )


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), KEY_CHUNK):
        yield items[start : start + KEY_CHUNK]


def _execute(statement: tuple[str, list]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(*statement)


def _rows_by_key(query: str, params: list, fields=SUM_FIELDS) -> dict[tuple, dict]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    return {(tp, day): dict(zip(fields, map(int, sums), strict=True)) for tp, day, *sums in rows}


def _month_differences(days) -> list:
    months = _months_of(days)
    expected: dict = {}
    for chunk in _chunks(months):
        expected.update(_rows_by_key(*sql.monthly_sums_select(chunk)))
    stored = {
        (row.pop("touchpoint_id"), row.pop("month")): row
        for row in sql.MONTHLY.objects.values("touchpoint_id", "month", *SUM_FIELDS)
    }
    return [
        (key, stored.get(key), expected.get(key))
        for key in sorted(expected.keys() | stored.keys())
        if stored.get(key) != expected.get(key)
    ]


def _keyed_differences(select, model, keys: tuple[str, ...], fields=SUM_FIELDS) -> list:
    """Rows of a rollup keyed by (touchpoint_id, *keys) against a fresh recomputation."""
    with connection.cursor() as cursor:
        cursor.execute(*select)
        rows = cursor.fetchall()
    columns = ("touchpoint_id", *keys)
    width = len(columns)
    expected = {}
    for row in rows:
        values = [value if isinstance(value, list) else int(value) for value in row[width:]]
        expected[tuple(row[:width])] = dict(zip(fields, values, strict=True))
    stored = {
        tuple(row.pop(name) for name in columns): row
        for row in model.objects.values(*columns, *fields)
    }
    return [
        (key, stored.get(key), expected.get(key))
        for key in sorted(expected.keys() | stored.keys())
        if stored.get(key) != expected.get(key)
    ]
