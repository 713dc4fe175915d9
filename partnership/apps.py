from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from . import (  # noqa: F401
            admin_mail,
            exports,
            lockout_hooks,
            retention,
            roles,
            sessions,
            token_hooks,
            two_factor_hooks,
            vocabulary,
        )
        from .admin_dates import use_english_dates
        from .models import Agency, Partnership, Theme

        use_english_dates()
        # Listings shown to anonymous visitors name themes, partnerships and agencies.
        from hub.page_cache import invalidate_when_changed

        invalidate_when_changed(Theme, Agency, Partnership)
        exports.guard_wagtail_exports()

        for model in (Theme, Agency, Partnership):
            for signal in (post_save, post_delete):
                signal.connect(
                    vocabulary.invalidate, sender=model, dispatch_uid=f"hub-vocabulary-{model}"
                )
        m2m_changed.connect(
            roles.invalidate_admin_roles,
            sender=Group.permissions.through,
            dispatch_uid="hub-admin-roles",
        )
        admin_mail.connect()
        sessions.connect()
        for model in (get_user_model(), Agency):
            pre_delete.connect(
                retention.refuse_delete_while_named,
                sender=model,
                dispatch_uid=f"hub-retention-{model._meta.label}",
            )
        self._register_document_policy()

    def _register_document_policy(self):
        """For the exact document class: Wagtail looks that registration up first, so the
        policy holds whichever app's ready() or hooks module runs later (wagtail.documents
        registers its own, for the class and its subclasses, in its ready())."""
        from wagtail.documents import get_document_model
        from wagtail.permissions import register_permission_policy

        from .documents import DocumentPermissionPolicy

        register_permission_policy(
            get_document_model(), DocumentPermissionPolicy(), exact_class=True
        )
