import importlib
import importlib.util
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from partnership.demo import World


def demo_modules():
    """Each of the Hub's own apps that has a `demo` module with `build(world, scale)`, in
    INSTALLED_APPS order, which is the apps' dependency order: each demo hangs its records on
    what the ones before it made, and search (after the domains) indexes all of it. An app joins
    the demo by having the module; nothing here names it."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(base):
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if callable(getattr(module, "build", None)):
            yield name, module


DEFAULT_DEMO_PASSWORD = "learning-hub-demo"


class Command(BaseCommand):
    help = "Create the fictional demo partnership world. Re-runnable: it never duplicates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the volume of records, for benchmarks (default 1).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has people in it.",
        )

    def handle(self, *args, scale, if_empty, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("The database already has data: demo not loaded.")
            return
        password = settings.HUB_DEMO_PASSWORD or (DEFAULT_DEMO_PASSWORD if settings.DEBUG else None)
        world = World(password=password)
        started = time.monotonic()
        for name, module in demo_modules():
            with transaction.atomic():
                module.build(world, scale)
            self.stdout.write(f"  {name}: done")
        for line in world.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready (scale {scale}) in {time.monotonic() - started:.1f}s."
            )
        )
        if password is None:
            self.stdout.write(
                "Demo accounts have no usable password: set HUB_DEMO_PASSWORD to sign in."
            )
