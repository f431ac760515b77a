from surveys.asking.interaction_import import INTERACTIONS, KNOWN
from surveys.management.csv_command import CsvImportCommand


class Command(CsvImportCommand):
    kind = INTERACTIONS
    help = (
        f"Record interactions from a CSV file, with their survey invitations. Columns: "
        f"{', '.join(KNOWN)} (touchpoint, customer_email, occurred_at and outcome are "
        "required). Good lines are recorded, bad lines are reported with their line number; "
        "importing the same file again adds nothing."
    )

    def summary(self, result):
        return (
            f"{result.created} interaction(s) recorded, {result.existing} already present, "
            f"{result.invited} survey invitation(s) queued."
        )
