"""python manage.py import_standards FILE --user USERNAME: standards sets from CSV or XLSX.

Whole or nothing: every problem is listed by row and column and the command exits non-zero
without writing anything. A `set` name the person's partnership has not used makes a new set; a
known one makes its next version."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audits.standards import COLUMNS, OPTIONAL, import_standards, may_import_standards


class Command(BaseCommand):
    help = (
        "Import standards from a CSV or XLSX file with the columns "
        + ", ".join(COLUMNS)
        + " (and optionally "
        + ", ".join(OPTIONAL)
        + "), one row per standard, into the partnership of --user."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            required=True,
            help="A manager or quality assurance officer: the sets are their partnership's.",
        )

    def handle(self, *args, file, user, **options):
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"no user is called {user}")
        if not may_import_standards(person):
            raise CommandError(
                f"{user} may not import standards: only a partnership's managers and quality "
                "assurance may."
            )
        result = import_standards(file, user=person)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s) in {file}; nothing was imported")
        self.stdout.write(self.style.SUCCESS(result.summary()))
