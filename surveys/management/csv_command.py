"""The one shape of the CSV import commands: progress bar, line errors, exit status."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lib.csv_import import CsvFormat, CsvImport, FileRejected, import_rows, open_rows

SHOWN_ERRORS = 50


class CsvImportCommand(BaseCommand):
    kind: CsvFormat

    def add_arguments(self, parser):
        parser.add_argument("file")

    def summary(self, result: CsvImport) -> str:
        raise NotImplementedError

    def handle(self, *args, file, **options):
        try:
            with open(file, newline="", encoding="utf-8-sig") as stream:
                total = max(sum(1 for _line in stream) - 1, 0)
                stream.seek(0)
                rows = open_rows(stream, self.kind)
                with tqdm(total=total, unit="line", disable=None) as progress:
                    result = import_rows(rows, self.kind, on_line=progress.update)
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
        self.stdout.write(self.summary(result))
        if result.errors:
            raise CommandError(f"{len(result.errors)} line(s) rejected; the others were recorded.")
