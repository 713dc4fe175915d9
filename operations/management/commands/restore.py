from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database and the private files from an archive made by `backup`, after "
        "checking every checksum. Replaces the database's content."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )
        parser.add_argument(
            "--allow-unencrypted",
            action="store_true",
            help="Restore an unencrypted archive although HUB_BACKUP_KEY is set.",
        )

    def handle(self, *args, archive, interactive=True, allow_unencrypted=False, **options):
        if interactive:
            answer = input(
                "This replaces everything in the database with the backup's content. "
                "Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("Restore cancelled.")
        try:
            result = restore(archive, allow_unencrypted=allow_unencrypted)
        except BackupError as exc:
            raise CommandError(f"Restore refused: {exc}") from exc
        self.stdout.write(
            f"Restored the {result.engine} database and {result.files} files from the backup "
            f"made at {result.created_at}."
        )
