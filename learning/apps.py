from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self):
        import learning.qa_hooks  # noqa: F401

        from . import report_cache

        report_cache.connect_signals()

        from . import (
            briefing_hooks,  # noqa: F401
            import_hooks,  # noqa: F401
            report_hooks,  # noqa: F401
        )

        self._connect_library_editors()

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
