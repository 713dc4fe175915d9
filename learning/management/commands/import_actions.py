"""python manage.py import_actions FILE: follow-up actions from a CSV or XLSX tracker.

Whole or nothing: every problem is listed by row and column and the command exits non-zero
without writing anything. With --by, rows for actions that person may not change are refused;
without it, the import is the server operator's own."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hub.importing import PROGRESS_EVERY
from learning.imports import COLUMNS, import_actions, may_import_actions


class Command(BaseCommand):
    help = (
        "Import follow-up actions from a CSV or XLSX file with the columns "
        + ", ".join(COLUMNS)
        + ". Re-importing updates actions by reference, never their state: a new action arrives"
        " open or in progress and moves on through the Hub's lifecycle."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="Whose import it is, for the actions' history; limits the import to the actions "
            "that person may change.",
        )

    def handle(self, *args, file, by=None, verbosity=1, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"no user is called {by}")
            if not may_import_actions(user):
                raise CommandError(
                    f"{by} may not import actions: only quality assurance and partnership "
                    "managers may."
                )

        def progress(stage, done, total):
            if (
                verbosity
                and total >= PROGRESS_EVERY
                and (done % PROGRESS_EVERY == 0 or done == total)
            ):
                self.stderr.write(f"{stage} {done} of {total} rows")

        result = import_actions(file, user=user, progress=progress)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s) in {file}; nothing was imported")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} actions created, {result.updated} updated, "
                f"{result.added.get('recommendation', 0)} recommendations added to their reviews."
            )
        )
