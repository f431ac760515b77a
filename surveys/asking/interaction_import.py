"""CSV import of interactions: the command and the upload page both read files here,
through the generic line-by-line reader (lib/csv_import.py) and the API's validation."""

from collections.abc import Callable

from lib.csv_import import CsvFormat, CsvImport, FileRejected, import_rows
from lib.csv_import import open_rows as _open_rows
from surveys.asking.serializers import InteractionInSerializer

INTERACTIONS = CsvFormat(
    InteractionInSerializer, required=("touchpoint", "customer_email", "occurred_at", "outcome")
)
REQUIRED = list(INTERACTIONS.required)
KNOWN = INTERACTIONS.known

__all__ = ["KNOWN", "REQUIRED", "FileRejected", "import_interactions", "open_rows"]


def open_rows(stream):
    return _open_rows(stream, INTERACTIONS)


def import_interactions(rows, on_line: Callable[[], None] | None = None) -> CsvImport:
    return import_rows(rows, INTERACTIONS, on_line)
