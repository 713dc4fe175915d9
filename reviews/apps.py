from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Case reviews"

    def ready(self):
        # Deadlines, timescales and the dashboard are registered here rather than in
        # wagtail_hooks.py so that they stay one concern, apart from the review admin; signoff
        # connects the handler that marks a review signed off when its workflow completes;
        # import_hooks adds the import and export pages.
        from hub.page_cache import invalidate_when_changed

        from . import (  # noqa: F401
            dashboard,
            deadline_cache,
            import_hooks,
            log_actions_deadlines,
            signals,
            signoff,
            timescale_admin,
        )
        from .models import Finding, Recommendation, Review

        deadline_cache.connect_signals()

        # Libraries list findings and reviews to anonymous visitors from the page cache.
        invalidate_when_changed(Review, Finding, Recommendation)
