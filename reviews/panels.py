"""Panels of the review editor that know who is looking."""

from wagtail.admin.panels import FieldPanel, Panel

from .permissions import may_mark_milestones_done, may_read_confidential
from .signoff import sign_off_progress
from .timeline import timeline_for


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


class TimelinePanel(Panel):
    """Every milestone of the review: due when, statutory or not, done when and how, or how long
    is left; with a link to mark an open one done for those who may change the review.

    The mark-done form is a page of its own: a form cannot sit inside the editor's form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "reviews/panels/timeline.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            user = getattr(self.request, "user", None)
            may_mark = bool(
                user and self.instance.pk and may_mark_milestones_done(user, self.instance)
            )
            context["rows"] = timeline_for(self.instance, may_mark_done=may_mark)
            return context
