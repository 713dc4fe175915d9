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
            import_hooks,  # noqa: F401
            report_hooks,  # noqa: F401
            token_hooks,  # noqa: F401
        )

        self._connect_library_editors()

        from wagtail.models import PageViewRestriction

        from .models import serving

        for signal in (post_save, post_delete):
            signal.connect(
                serving.forget_view_restrictions,
                sender=PageViewRestriction,
                dispatch_uid=f"hub-view-restrictions-{id(signal)}",
            )

    def _connect_library_editors(self):
        """Each partnership's library editors follow its people and their roles (see
        `learning.library_editors`)."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from partnership.models import Membership, Partnership

        from . import library_editors as editors
        from .models import LibraryPage

        uid = "hub-library-editors"
        post_save.connect(editors.on_partnership_saved, sender=Partnership, dispatch_uid=uid)
        post_save.connect(editors.on_library_saved, sender=LibraryPage, dispatch_uid=uid)
        post_save.connect(editors.on_membership_changed, sender=Membership, dispatch_uid=uid)
        post_delete.connect(editors.on_membership_changed, sender=Membership, dispatch_uid=uid)
        m2m_changed.connect(
            editors.on_groups_changed, sender=get_user_model().groups.through, dispatch_uid=uid
        )
        post_migrate.connect(editors.sync_all, sender=self, dispatch_uid=uid)
