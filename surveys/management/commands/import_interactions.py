from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from surveys.interaction_import import (
    KNOWN,
    FileRejected,
    import_interactions,
    open_rows,
)

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Record interactions from a CSV file, with their survey invitations. Columns: "
        f"{', '.join(KNOWN)} (touchpoint, customer_email, occurred_at and outcome are "
        "required). Good lines are recorded, bad lines are reported with their line number; "
        "importing the same file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, newline="", encoding="utf-8-sig") as stream:
                total = max(sum(1 for _line in stream) - 1, 0)
                stream.seek(0)
                rows = open_rows(stream)
                with tqdm(total=total, unit="line", disable=None) as progress:
                    result = import_interactions(rows, on_line=progress.update)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
        except FileRejected as rejected:
            raise CommandError(str(rejected)) from rejected
        for error in result.errors[:SHOWN_ERRORS]:
            self.stderr.write(error)
        if len(result.errors) > SHOWN_ERRORS:
            self.stderr.write(f"... and {len(result.errors) - SHOWN_ERRORS} more")
        self.stdout.write(
            f"{result.created} interaction(s) recorded, {result.existing} already present, "
            f"{result.invited} survey invitation(s) queued."
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} line(s) rejected; the others were recorded.")
