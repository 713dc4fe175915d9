from datetime import date

from django.core.management.base import BaseCommand, CommandError

from learning.reminders import send_action_reminders


class Command(BaseCommand):
    help = (
        "Send the due-soon and overdue reminders, escalations and weekly digests about "
        "follow-up actions that no run has sent yet. Safe to run twice or alongside the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Run as if on this date (YYYY-MM-DD); default: today in London."
        )

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be a date as YYYY-MM-DD.") from error
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        counts = send_action_reminders(today, progress=progress)
        self.stdout.write(str(counts))
