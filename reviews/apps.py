from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Case reviews"

    def ready(self):
        # Connects the handler that marks a review signed off when its workflow completes.
        from . import signoff  # noqa: F401
