from django.core.management.base import BaseCommand, CommandError

from surveys.privacy import erase_customer


class Command(BaseCommand):
    help = (
        "Erase a person: their email, name and reference, what they wrote, and their address "
        "on the suppression list. Their answers stay, anonymous, so the scores do not change."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        result = erase_customer(email)
        if not result.customers:
            raise CommandError(f"No customer has the address {email}.")
        self.stdout.write(
            f"Erased {result.customers} customer record(s): {result.comments} comment(s), "
            f"{result.short_answers} short answer(s) and {result.complaints} complaint(s) "
            f"replaced, {result.suppressions} suppression(s) removed. Their answers remain, "
            "anonymous."
        )
