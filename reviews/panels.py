"""Panels of the review editor that know who is looking."""

from wagtail.admin.panels import FieldPanel, Panel

from .permissions import may_read_confidential
from .signoff import sign_off_progress


class ConfidentialFieldPanel(FieldPanel):
    """A field only the review's panel and its owners' managers may read.

    Hidden in the editor, and so in revision comparisons, which ask the same `is_shown`;
    `ReviewAdminForm` removes the field itself, so it is neither rendered nor accepted."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            if self.request is None or not may_read_confidential(self.request.user, self.instance):
                return False
            return super().is_shown()


class SignOffProgressPanel(Panel):
    """Who approved and signed off the review, and when, step by step."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "reviews/panels/sign_off_progress.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["steps"] = sign_off_progress(self.instance)
            return context
