from django.core.management.base import BaseCommand, CommandError

from surveys.counting.importing import ImportRejected, responses_import

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Load historical survey answers from a CSV file (columns: touchpoint, submitted_at, "
        "expectation, experience, csat, nps, effort, comment, language), then recompute "
        "the rollups of the days it touched. A file with a bad line imports nothing unless "
        "--skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good lines, report the bad"
        )
        parser.add_argument(
            "--defer-rollups",
            action="store_true",
            help="leave the rollups of the touched days to the Celery workers",
        )

    def handle(self, *args, file, skip_invalid, defer_rollups, **options):
        try:
            with open(file, newline="", encoding="utf-8-sig") as stream:
                result = responses_import(
                    stream, skip_invalid=skip_invalid, defer_rollups=defer_rollups
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
        except ImportRejected as rejected:
            self._print(rejected.errors)
            raise CommandError(f"{rejected}.") from rejected
        self._print(result.errors)
        skipped = f", skipped {result.skipped:,} bad line(s)" if result.skipped else ""
        self.stdout.write(self.style.SUCCESS(f"Imported {result.imported:,} answers{skipped}."))

    def _print(self, errors):
        for message in errors[:SHOWN_ERRORS]:
            self.stderr.write(message)
        if len(errors) > SHOWN_ERRORS:
            self.stderr.write(f"... and {len(errors) - SHOWN_ERRORS:,} more")
