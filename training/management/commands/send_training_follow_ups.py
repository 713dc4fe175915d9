from datetime import date

from django.core.management.base import BaseCommand, CommandError

from training.follow_ups import send_training_follow_ups


class Command(BaseCommand):
    help = (
        "Email delegates who attended a session: 'please evaluate' the day after, and the "
        "follow-up about what changed in practice after the partnership's follow-up interval. "
        "Each once: safe to run twice or alongside the worker."
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
        counts = send_training_follow_ups(today, progress=progress)
        self.stdout.write(str(counts))
