"""CSV files of records from other systems (interactions, complaints), read line by line
through the same serializer as the API.

Each line is validated and recorded in its own transaction: a bad line is reported with
its line number and the column at fault and writes nothing, the good lines are recorded.
Re-importing a file adds nothing, because every line has an external_id: its own column,
or else a key derived from the line's content.
"""

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import DataError

CUSTOMER_COLUMNS = {
    "customer_email": "email",
    "customer_name": "name",
    "customer_external_ref": "external_ref",
    "customer_language": "language",
    "customer_segment": "segment",
}


class FileRejected(Exception):
    """The file as a whole cannot be read (header, encoding); nothing was imported."""


@dataclass(frozen=True)
class CsvFormat:
    """A kind of file: the API serializer its lines go through, flattened (the nested
    customer becomes customer_* columns)."""

    serializer: type
    required: tuple[str, ...]
    customer_required: bool = True

    @cached_property
    def fields(self) -> list[str]:
        return [name for name in self.serializer().fields if name != "customer"]

    @cached_property
    def known(self) -> list[str]:
        return [*self.fields, *CUSTOMER_COLUMNS]


@dataclass
class CsvImport:
    created: int = 0
    existing: int = 0
    invited: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return self.created + self.existing + len(self.errors)


def open_rows(stream, kind: CsvFormat) -> csv.DictReader:
    """A reader over the file, its dialect (comma, semicolon or tab) sniffed from the
    header, and the header checked: missing or unknown columns reject the whole file."""
    header = stream.readline()
    if not header.strip():
        raise FileRejected("The file is empty.")
    try:
        dialect = csv.Sniffer().sniff(header, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    columns = [name.strip().lower() for name in next(csv.reader([header], dialect))]
    missing = [name for name in kind.required if name not in columns]
    unknown = [name for name in columns if name not in kind.known]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        raise FileRejected(
            f"Line 1 (header): {'; '.join(problems)}. Known columns: {', '.join(kind.known)}."
        )
    return csv.DictReader(stream, fieldnames=columns, dialect=dialect)


def import_rows(
    rows: csv.DictReader,
    kind: CsvFormat,
    on_line: Callable[[], None] | None = None,
    context: dict | None = None,
) -> CsvImport:
    result = CsvImport()
    for row in rows:
        # The reader counts the lines after the header; a quoted value may span several.
        _import_line(rows.line_num + 1, row, kind, result, context or {})
        if on_line:
            on_line()
    return result


def _import_line(line: int, row: dict, kind: CsvFormat, result: CsvImport, context) -> None:
    if None in row:
        result.errors.append(f"line {line}: more values than columns")
        return
    serializer = kind.serializer(data=_payload(row, kind), context=context)
    if not serializer.is_valid():
        result.errors.append(f"line {line}: {_describe(serializer.errors)}")
        return
    try:
        recorded = serializer.save()
    except DataError as refused:  # a value the validation let through but a column cannot hold
        result.errors.append(f"line {line}: a value does not fit ({refused.__cause__ or refused})")
        return
    if recorded.conflict:
        result.errors.append(
            f"line {line}: external_id: {serializer.validated_data['external_id']!r} is "
            "already recorded with other content"
        )
        return
    if not recorded.created:
        result.existing += 1
        return
    result.created += 1
    result.invited += getattr(recorded, "invitation", None) is not None


def _payload(row: dict, kind: CsvFormat) -> dict:
    values = {name: (value or "").strip() for name, value in row.items()}
    payload = {name: values[name] or None for name in kind.fields if name in values}
    customer = {key: values.get(column, "") for column, key in CUSTOMER_COLUMNS.items()}
    customer["external_ref"] = customer["external_ref"] or None
    if kind.customer_required or customer["email"]:
        payload["customer"] = customer
    if not payload.get("external_id"):
        payload["external_id"] = (
            "csv:" + hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:40]
        )
    return payload


def _describe(errors, prefix: str = "") -> str:
    """DRF's nested error dict as 'field: message; customer.email: message'."""
    parts = []
    for name, problems in errors.items():
        path = f"{prefix}{name}"
        if isinstance(problems, dict):
            parts.append(_describe(problems, prefix=f"{path}."))
        else:
            parts.append(f"{_column(path)}: {' '.join(str(p) for p in problems)}")
    return "; ".join(parts)


def _column(path: str) -> str:
    """Name the CSV column, not the API field, in messages about a line."""
    if path.startswith("customer."):
        return "customer_" + path.removeprefix("customer.")
    return path
