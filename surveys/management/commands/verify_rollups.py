from django.core.management.base import BaseCommand, CommandError

from surveys.counting.aggregation import rollups_differences, rollups_recompute
from surveys.models import DirtyRollup, UncountedInvitation, UncountedResponse


class Command(BaseCommand):
    help = "Compare the score rollups with a recomputation from raw answers; --repair fixes them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="recompute the keys that differ")
        parser.add_argument("--show", type=int, default=20, help="differences to print")

    def handle(self, *args, repair, show, **options):
        # Compared with what a recount would count now: the answers still waiting to be
        # added, and the days waiting to be recounted, are the workers' to fold in.
        waiting = (
            UncountedResponse.objects.count(),
            UncountedInvitation.objects.count(),
            DirtyRollup.objects.count(),
        )
        if any(waiting):
            self.stdout.write(
                f"Waiting for a worker: {waiting[0]:,} answers and {waiting[1]:,} answered "
                f"invitations to add, {waiting[2]:,} days to recount."
            )
        differences = rollups_differences()
        if not differences:
            self.stdout.write(self.style.SUCCESS("Rollups match the raw answers."))
            return
        for (touchpoint_id, *rest), stored, expected in differences[:show]:
            # Keys are (touchpoint, day), or longer for the segment, standards and effects.
            where = " ".join(str(part) for part in rest)
            self.stdout.write(
                f"touchpoint {touchpoint_id} {where}: stored {_brief(stored)}, "
                f"expected {_brief(expected)}"
            )
        if not repair:
            raise CommandError(f"{len(differences):,} rollups differ; run with --repair.")
        # Every key leads with (touchpoint, day): a segment's, a standard's or an effect's
        # row is redone with its day, and a month, keyed by its first day, with that day.
        rollups_recompute({(key[0], key[1]) for key, _, _ in differences})
        remaining = rollups_differences()
        if remaining:
            raise CommandError(f"{len(remaining):,} rollups still differ after repair.")
        self.stdout.write(self.style.SUCCESS(f"Repaired {len(differences):,} rollups."))


def _brief(sums, fields: int = 4):
    if sums is None:
        return "nothing"
    return " ".join(f"{name}={value}" for name, value in list(sums.items())[:fields])
