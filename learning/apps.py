from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        import learning.qa_hooks  # noqa: F401

        from . import page_cache

        # Anything that changes what a visitor could see on a published page starts a new
        # generation of the anonymous page cache.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(page_cache.invalidate, dispatch_uid=f"hub-page-cache-{id(signal)}")
        post_delete.connect(page_cache.invalidate, sender=Page, dispatch_uid="hub-page-cache-del")
        post_save.connect(page_cache.invalidate_on_page_save, dispatch_uid="hub-page-cache-save")
        post_save.connect(page_cache.invalidate, sender=Site, dispatch_uid="hub-page-cache-site")
        post_delete.connect(page_cache.invalidate, sender=Site, dispatch_uid="hub-page-cache-sdel")

        from . import filter_choices

        filter_choices.connect_signals()

        from . import (
            briefing_hooks,  # noqa: F401
            report_hooks,  # noqa: F401
            token_hooks,  # noqa: F401
        )
