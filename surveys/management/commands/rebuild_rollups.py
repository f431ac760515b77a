from django.core.management.base import BaseCommand
from tqdm import tqdm

from surveys.counting.aggregation import rollups_rebuild
from touchpoints.models import Touchpoint


class Command(BaseCommand):
    help = "Recompute every score rollup from the raw answers, touchpoint batch by batch."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=10, help="touchpoints per transaction")

    def handle(self, *args, batch, **options):
        ids = list(Touchpoint.objects.order_by("pk").values_list("pk", flat=True))
        rows = 0
        with tqdm(total=len(ids), unit="touchpoint", disable=options["verbosity"] == 0) as bar:
            for start in range(0, len(ids), batch):
                rows += rollups_rebuild(ids[start : start + batch])
                bar.update(len(ids[start : start + batch]))
        self.stdout.write(f"Rebuilt {rows:,} daily rollups of {len(ids):,} touchpoints.")
