"""What happens when a Wagtail workflow finishes (settings.WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail imports this while its models load, so the imports wait until a workflow finishes."""


def finish_workflow(workflow_state, user=None):
    """A review's sign-off ends with the review signed off; anything else is published as
    Wagtail does by default."""
    from wagtail.workflows import publish_workflow_state

    from .models import Review
    from .signoff import mark_signed_off

    obj = workflow_state.content_object
    if isinstance(obj, Review):
        mark_signed_off(obj, user=user)
    else:
        publish_workflow_state(workflow_state, user=user)
