from lib.csv_import import CsvFormat
from surveys.complaints.serializers import ComplaintInSerializer
from surveys.management.csv_command import CsvImportCommand

COMPLAINTS = CsvFormat(
    ComplaintInSerializer,
    required=("touchpoint", "source", "received_at", "text"),
    customer_required=False,
)


class Command(CsvImportCommand):
    kind = COMPLAINTS
    help = (
        f"Record complaints from a CSV file. Columns: {', '.join(COMPLAINTS.known)} "
        "(touchpoint, source, received_at and text are required). Good lines are recorded, "
        "bad lines are reported with their line number; importing the same file again adds "
        "nothing."
    )

    def summary(self, result):
        return f"{result.created} complaint(s) recorded, {result.existing} already present."
