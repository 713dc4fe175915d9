"""Registers training's follow-up evaluations as evidence towards embedding (`learning.impact`)."""

from wagtail import hooks

from learning.impact import HOOK

from . import evaluations, impact


@hooks.register(HOOK)
def count_training_follow_ups():
    return impact.FollowUpCounter()


@hooks.register("register_log_actions")
def register_evaluation_log_actions(actions):
    actions.register_action(evaluations.EVALUATED, "Session evaluated", "Session evaluated")
    actions.register_action(
        evaluations.FOLLOWED_UP, "Follow-up answered", "Follow-up evaluation answered"
    )
