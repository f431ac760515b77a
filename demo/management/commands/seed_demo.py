from django.core.management.base import BaseCommand

from demo.build import DEMO_PASSWORD, demo_build


class Command(BaseCommand):
    help = "Load the demo organisation (deterministic; does nothing if it is already loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=2000)
        parser.add_argument("--interactions", type=int, default=20000)
        parser.add_argument("--days", type=int, default=180)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, customers, interactions, days, seed, **options):
        summary = demo_build(customers=customers, interactions=interactions, days=days, seed=seed)
        if summary.created:
            counts = ", ".join(f"{value:,} {name}" for name, value in summary.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {counts}."))
        else:
            self.stdout.write("Demo data is already loaded; nothing changed.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in summary.logins:
            self.stdout.write(f"  {login.username:<20} {login.role}")
