from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Case reviews"

    def ready(self):
        from . import import_hooks  # noqa: F401  (registers the import/export admin hooks)
