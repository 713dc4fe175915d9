"""The audit-log actions of milestones and conversion, under the `hub.review.*` names."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter


@hooks.register("register_log_actions")
def register_deadline_actions(actions):
    actions.register_action(
        "hub.review.converted",
        _("Convert to LCSPR"),
        _("Converted into a Local Child Safeguarding Practice Review"),
    )
    actions.register_action(
        "hub.review.converted_from",
        _("Open from a rapid review"),
        _("Opened from a rapid review"),
    )

    @actions.register_action("hub.review.milestone_completed")
    class MilestoneCompleted(LogFormatter):
        label = _("Complete milestone")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Marked “%(label)s” done on %(day)s") % {
                "label": data.get("label", ""),
                "day": data.get("day", ""),
            }

    @actions.register_action("hub.review.milestones_signed_off")
    class MilestonesSignedOff(LogFormatter):
        label = _("Close milestones at sign-off")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Sign-off closed %(labels)s on %(day)s") % {
                "labels": ", ".join(f"“{label}”" for label in data.get("labels", [])),
                "day": data.get("day", ""),
            }
