from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Case reviews"

    def ready(self):
        # Registered here rather than in wagtail_hooks.py so that deadlines, timescales and the
        # dashboard stay one concern, apart from the review admin.
        from . import (  # noqa: F401
            dashboard,
            log_actions_deadlines,
            signals,
            timescale_admin,
        )
