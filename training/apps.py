from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        # Celery's autodiscovery imports only `tasks` modules: the evaluation emails' tasks
        # live apart from booking's, so the worker is told of them here.
        from . import evaluation_tasks  # noqa: F401
