from django.conf import settings
from django.core.management.base import BaseCommand

from partnership.demo import PEOPLE

from .load_demo import DEFAULT_DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo sign-in details (only while DEBUG is on)."

    def add_arguments(self, parser):
        parser.add_argument("--address", default="127.0.0.1:8000", help="Where the server runs.")

    def handle(self, *args, address, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: demo sign-in details are not printed.")
            return
        password = settings.HUB_DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD
        self.stdout.write(
            f"Sign in at http://{address}/sign-in/ (site) or http://{address}/admin/ (admin)."
        )
        self.stdout.write(f"Every demo account's password is: {password}")
        if settings.HUB_TWO_FACTOR_REQUIRED:
            self.stdout.write(
                "Two-factor authentication is on: accounts that use the admin set up an "
                "authenticator app at their first sign-in."
            )
        else:
            self.stdout.write(
                "The second factor is bypassed in development (HUB_TWO_FACTOR_REQUIRED=0): "
                "the password alone signs in. Production refuses to start like this."
            )
        self.stdout.write(f"  {'admin':<24} Hub administrator (superuser)")
        for username, first, last, partnership, _agency, roles, _title in PEOPLE:
            role_names = ", ".join(r.label for r in roles)
            self.stdout.write(f"  {username:<24} {first} {last}, {partnership}: {role_names}")
