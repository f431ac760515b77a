from django.core.management.base import BaseCommand

from surveys.asking.pulse import send_pulse


class Command(BaseCommand):
    help = (
        "Ask every active staff member of a department with surveyed employee-side "
        "touchpoints about one of them (the monthly pulse, also run by beat)."
    )

    def handle(self, *args, **options):
        result = send_pulse()
        skipped = ", ".join(f"{count} {reason}" for reason, count in result.skipped.items())
        self.stdout.write(
            f"{result.asked} staff member(s) asked." + (f" Skipped: {skipped}." if skipped else "")
        )
