"""What the import commands share: finding the acting user and reporting a result."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


def user_named(username):
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"There is no user called {username}.") from exc


class ImportCommand(BaseCommand):
    """Reads FILE, reports each bad row and column, and exits non-zero if anything was wrong."""

    importer = None
    noun = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="A CSV (UTF-8) or XLSX file with a header row.")
        parser.add_argument(
            "--user",
            help="Username to record as the importer in each revision and the history log; "
            "limits the import to what that person may change.",
        )

    def handle(self, *args, file, user=None, **options):
        from reviews.imports import may_import_reviews

        acting = user_named(user)
        if acting is not None and not may_import_reviews(acting):
            raise CommandError(
                f"{acting.get_username()} may not import {self.noun}s: only partnership "
                "managers and reviewers may."
            )
        result = type(self).importer(file, user=acting, progress=self.progress)
        if result.ignored_columns:
            self.stderr.write(f"Columns ignored: {', '.join(result.ignored_columns)}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def progress(self, stage, done, total):
        """Every PROGRESS_EVERY rows of a large file, and when each stage ends."""
        from hub.importing import pipeline

        every = pipeline.PROGRESS_EVERY
        if total >= every and (done % every == 0 or done == total):
            self.stderr.write(f"{stage} {done} of {total} rows")
