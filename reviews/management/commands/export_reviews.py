from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.exporting import FORMATS, export_reviews

from ._transfer import user_named


class Command(BaseCommand):
    help = (
        "Export the reviews USERNAME may see, with their status and milestone due dates, as CSV "
        "or XLSX. Never confidential details; restricted reviews are audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="file_format")
        parser.add_argument("--user", required=True, help="Whose view of the reviews to export.")
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, file_format, user, output=None, **options):
        # Run on the server by someone who already holds the data, so any person's view may be
        # exported; the admin view is where the role to export is checked.
        acting = user_named(user)
        if not acting.is_active:
            raise CommandError(f"{acting.get_username()} is not an active user.")
        if file_format == "xlsx" and not output:
            raise CommandError("An XLSX export needs --output FILE.")
        content, export = export_reviews(acting, file_format)
        if output:
            Path(output).write_bytes(content)
        else:
            self.stdout.write(content.decode("utf-8-sig"), ending="")
        self.stderr.write(f"{len(export.rows)} reviews exported.")
