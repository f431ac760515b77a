"""CSV import of interactions: the command and the upload page both read files here,
through the generic line-by-line reader (surveys/csv_import.py) and the API's validation."""

from collections.abc import Callable

from .csv_import import CsvFormat, CsvImport, FileRejected, import_rows
from .csv_import import open_rows as _open_rows
from .serializers import InteractionInSerializer

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
