from django.core.management.base import BaseCommand

from surveys.said.theming import refresh_themes


class Command(BaseCommand):
    help = (
        "Find the themes of each touchpoint's comments and complaints; texts since the last "
        "fit are placed in its themes unless a refit is due (or --refit is given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--refit", action="store_true", help="refit every touchpoint")

    def handle(self, *args, refit=False, **options):
        report = refresh_themes(refit=refit)
        self.stdout.write(
            f"{report.fitted} fits ({report.themes} themes), {report.placed} texts placed, "
            f"{len(report.touchpoints)} touchpoints"
        )
