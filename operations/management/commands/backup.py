from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the database and the private files (MEDIA_ROOT) into one archive in "
        "HUB_BACKUP_DIR, encrypted when HUB_BACKUP_KEY is set. Prints the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Folder for the archive (default HUB_BACKUP_DIR).")

    def handle(self, *args, output=None, **options):
        try:
            result = back_up(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not result.encrypted:
            self.stderr.write(
                "Warning: HUB_BACKUP_KEY is not set, so this backup is NOT encrypted. It holds "
                "confidential case data: keep it only where the live database may be kept."
            )
        self.stderr.write(
            f"Backed up the {result.engine} database and {result.files} files "
            f"({result.size} bytes{', encrypted' if result.encrypted else ''})."
        )
        self.stdout.write(str(result.path))
