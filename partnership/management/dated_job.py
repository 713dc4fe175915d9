from datetime import date

from django.core.management.base import BaseCommand, CommandError


class DatedJobCommand(BaseCommand):
    """A daily job that beat runs, as a command people can run by hand: `--today` runs it as if
    on another date, progress goes to stdout, and the last line is the job's counts of what this
    run sent. Subclasses say which job in `run_job`."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Run as if on this date (YYYY-MM-DD); default: today in London."
        )

    def run_job(self, today: date | None, progress):
        raise NotImplementedError

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be a date as YYYY-MM-DD.") from error
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        counts = self.run_job(today, progress)
        self.stdout.write(str(counts))
