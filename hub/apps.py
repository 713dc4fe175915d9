from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub core"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import page_cache, pages
        from .signals import written_in_bulk

        # Anything that changes what a visitor could see on a published page starts a new
        # generation of the anonymous page cache.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(page_cache.invalidate, dispatch_uid=f"hub-page-cache-{id(signal)}")
        post_delete.connect(page_cache.invalidate, sender=Page, dispatch_uid="hub-page-cache-del")
        post_save.connect(page_cache.invalidate_on_page_save, dispatch_uid="hub-page-cache-save")
        post_save.connect(page_cache.invalidate, sender=Site, dispatch_uid="hub-page-cache-site")
        post_delete.connect(page_cache.invalidate, sender=Site, dispatch_uid="hub-page-cache-sdel")
        # A bulk import sends no post_save: what it wrote may be listed on anonymous pages.
        written_in_bulk.connect(page_cache.invalidate, dispatch_uid="hub-page-cache-bulk")

        for signal in (post_save, post_delete):
            signal.connect(
                pages.forget_view_restrictions,
                sender=PageViewRestriction,
                dispatch_uid=f"hub-view-restrictions-{id(signal)}",
            )
