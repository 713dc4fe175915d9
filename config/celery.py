import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def keep_django_logging(**kwargs):
    """A worker logs through Django's LOGGING, whose handlers withhold record content, instead of
    the handlers Celery would otherwise put on the root logger (which print task results)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
