"""Bulk import of historical survey answers from CSV (e.g. exported from an earlier tool).

Columns: touchpoint (an id, or a name that names exactly one touchpoint), submitted_at
(ISO 8601; without an offset it is read in the site's time zone), and any of expectation,
experience, csat, nps, effort, comment, language.

The file is COPied as text into a temporary staging table, checked with a few set-based
queries (each problem reported with its line), then inserted with casts in one statement,
so the import runs near COPY speed. It is one transaction: a file with a bad line writes nothing,
unless skip_invalid is asked for, and then exactly the good lines are written. The days
touched are marked dirty in the same transaction and recomputed right after it.
"""

import csv
import datetime as dt
from dataclasses import dataclass, field

from django.db import DataError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from surveys import enqueue
from surveys.counting.aggregation import rollups_drain_all
from surveys.counting.rollup_sql import table
from surveys.models import DirtyRollup, Response
from touchpoints.models import Touchpoint

REQUIRED = ["touchpoint", "submitted_at"]
SCORES = {
    "expectation": (1, 7),
    "experience": (1, 7),
    "csat": (1, 5),
    "nps": (0, 10),
    "effort": (1, 7),
}
OPTIONAL = [*SCORES, "comment", "language"]
MAX_LANGUAGE = Response._meta.get_field("language").max_length


class ImportRejected(Exception):
    """The file was not imported; `errors` says where and why."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the file; nothing was imported")
        self.errors = errors


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def responses_import(stream, *, skip_invalid=False, defer_rollups=False):
    """Import answers from a text stream of CSV; raises ImportRejected if nothing may be written.

    defer_rollups: leave the touched days to the workers (woken on commit) instead of
    recomputing them here before returning.
    """
    header = _read_header(stream)
    with transaction.atomic():
        result = _import_by_copy(stream, header, skip_invalid)
        enqueue.wake_on_commit(enqueue.DRAIN_ROLLUPS)
    if not defer_rollups:
        rollups_drain_all()
    return result


def _read_header(stream) -> list[str]:
    header = [name.strip().lower() for name in next(csv.reader([stream.readline()]), [])]
    problems = [f"line 1: unknown column '{n}'" for n in header if n not in REQUIRED + OPTIONAL]
    problems += [f"line 1: missing column '{n}'" for n in REQUIRED if n not in header]
    if len(set(header)) != len(header):
        problems.append("line 1: a column is named twice")
    if problems:
        raise ImportRejected(problems)
    return header


# --- COPY into staging, check in one scan, insert with casts ---------------------------------
# (condition on a staging row that makes it bad, message), evaluated in one scan. Scores
# are compared with their allowed literals (much cheaper than a regex per row); moments are
# checked by the cast itself, and by _impossible_moments whenever the file has a problem.
STAGING_CHECKS = [
    ("k.id IS NULL", "touchpoint {touchpoint!r} is not one known touchpoint"),
    ("s.submitted_at IS NULL", "submitted_at is missing"),
    *[
        (
            f"NULLIF(trim(s.{name}), '') IS NOT NULL AND trim(s.{name}) NOT IN "
            f"({', '.join(repr(str(v)) for v in range(low, high + 1))})",
            f"{name} must be {low}-{high}, not {{{name}!r}}",
        )
        for name, (low, high) in SCORES.items()
    ],
    (f"length(s.language) > {MAX_LANGUAGE}", "language {language!r} is too long"),
]
LOCAL_DAY = "(s.submitted_at::timestamptz AT TIME ZONE current_setting('timezone'))::date"


def _import_by_copy(stream, header, skip_invalid) -> ImportResult:
    with connection.cursor() as cursor:
        # Naive times in the file are read in the site's zone, as the Python path does.
        cursor.execute(
            "SELECT set_config('timezone', %s, true)", [timezone.get_current_timezone_name()]
        )
        columns = ", ".join(f"{name} text" for name in REQUIRED + OPTIONAL)
        cursor.execute(
            f"CREATE TEMP TABLE import_staging (line bigserial, {columns}) ON COMMIT DROP"
        )
        # line counts the header as line 1, as an editor does for one-line records.
        cursor.execute("SELECT setval(pg_get_serial_sequence('import_staging', 'line'), 1)")
        cursor.copy_expert(
            f"COPY import_staging ({', '.join(header)}) FROM STDIN WITH (FORMAT csv)", stream
        )
        _create_touchpoint_keys(cursor)
        errors = _staging_errors(cursor)
        if errors:
            errors = sorted(errors + _impossible_moments(cursor))
        while True:
            if errors and not skip_invalid:
                raise ImportRejected([message for _, message in errors])
            cursor.execute(
                "DELETE FROM import_staging WHERE line = ANY(%s)", [[line for line, _ in errors]]
            )
            try:
                with transaction.atomic():
                    imported = _insert_from_staging(cursor)
                break
            except DataError:
                # A date that looks right but does not exist (2026-02-30): find it in Python.
                impossible = _impossible_moments(cursor)
                if not impossible:
                    raise
                errors += impossible
    skipped = len({line for line, _ in errors})
    return ImportResult(imported, skipped, [message for _, message in errors])


def _create_touchpoint_keys(cursor) -> None:
    """What a file may write in the touchpoint column: an id, or a name only one touchpoint has."""
    touchpoint = table(Touchpoint)
    cursor.execute(
        "CREATE TEMP TABLE import_touchpoint_keys (key text PRIMARY KEY, id bigint) ON COMMIT DROP"
    )
    cursor.execute(
        f"INSERT INTO import_touchpoint_keys SELECT id::text, id FROM {touchpoint} "
        f"UNION ALL SELECT name, min(id) FROM {touchpoint} GROUP BY name "
        f"HAVING count(*) = 1 AND name !~ '^[0-9]+$'"
    )


STAGED = "import_staging s LEFT JOIN import_touchpoint_keys k ON k.key = trim(s.touchpoint)"


def _staging_errors(cursor) -> list[tuple[int, str]]:
    flags = ", ".join(
        f"({condition}) AS bad_{i}" for i, (condition, _) in enumerate(STAGING_CHECKS)
    )
    any_bad = " OR ".join(f"({condition})" for condition, _ in STAGING_CHECKS)
    fields = ", ".join(f"s.{name}" for name in REQUIRED + OPTIONAL)
    cursor.execute(
        f"SELECT s.line, {fields}, {flags} FROM {STAGED} WHERE {any_bad} ORDER BY s.line"
    )
    names = [column.name for column in cursor.description]
    errors = []
    for row in cursor.fetchall():
        values = dict(zip(names, row, strict=True))
        for i, (_, message) in enumerate(STAGING_CHECKS):
            if values[f"bad_{i}"]:
                errors.append(
                    (values["line"], f"line {values['line']}: {message.format(**values)}")
                )
    return errors


def _insert_from_staging(cursor) -> int:
    scores = ", ".join(f"NULLIF(trim(s.{name}), '')::smallint" for name in SCORES)
    cursor.execute(
        f"INSERT INTO {table(Response)} "
        f"(touchpoint_id, submitted_at, day, {', '.join(SCORES)}, comment, language) "
        f"SELECT k.id, s.submitted_at::timestamptz, {LOCAL_DAY}, {scores}, "
        f"COALESCE(s.comment, ''), COALESCE(NULLIF(trim(s.language), ''), 'en') FROM {STAGED}"
    )
    imported = cursor.rowcount
    cursor.execute(
        f"INSERT INTO {table(DirtyRollup)} (touchpoint_id, day) "
        f"SELECT DISTINCT k.id, {LOCAL_DAY} FROM {STAGED}"
    )
    return imported


def _impossible_moments(cursor) -> list[tuple[int, str]]:
    cursor.execute("SELECT line, submitted_at FROM import_staging WHERE submitted_at IS NOT NULL")
    return [
        (line, f"line {line}: submitted_at {value!r} is not an ISO 8601 date and time")
        for line, value in cursor.fetchall()
        if _parse_moment(value) is None
    ]


def _parse_moment(value):
    """An aware datetime from ISO 8601 text (a bare date is its midnight), or None."""
    text = (value or "").strip()
    try:
        moment = parse_datetime(text.replace(" ", "T", 1))
        if moment is None and (day := parse_date(text)) is not None:
            moment = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
