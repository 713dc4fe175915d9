import time

from django.core.management.base import BaseCommand, CommandError

from search import sources
from search.engines import get_engine


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the records, with no downtime: searches keep reading the "
        "old index until the new one is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Index every searchable record afresh."
        )
        parser.add_argument(
            "--every",
            type=int,
            default=5000,
            help="Show progress every this many records (default 5000).",
        )

    def handle(self, *args, rebuild, every, **options):
        if not rebuild:
            raise CommandError("Say what to do: --rebuild.")
        engine = get_engine()
        total = sources.count_all()
        started = time.monotonic()
        self.stdout.write(
            f"Rebuilding the search index ({type(engine).__name__}): {total:,} records"
        )
        shown = [0]

        def progress(done):
            if done - shown[0] >= every or done == total:
                shown[0] = done
                rate = done / max(time.monotonic() - started, 0.001)
                self.stdout.write(
                    f"  {done:,} of {total:,} ({done * 100 // max(total, 1)}%), {rate:,.0f}/s"
                )
                self.stdout.flush()

        indexed = engine.rebuild(sources.all_documents(), progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {indexed:,} records in {time.monotonic() - started:.1f}s; "
                "searches now read the new index."
            )
        )
