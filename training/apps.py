from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        # Celery's autodiscovery imports only `tasks` modules: the evaluation emails' tasks
        # live apart from booking's, so the worker is told of them here.
        from hub.page_cache import invalidate_when_changed

        from . import evaluation_tasks  # noqa: F401
        from .models import Booking, Session

        # Course lists and pages show sessions and places left to anonymous visitors from the
        # page cache: a booking, a cancellation or a changed session empties it.
        invalidate_when_changed(Session, Booking)
