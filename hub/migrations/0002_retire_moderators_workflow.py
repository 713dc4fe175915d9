"""Retire Wagtail's default "Moderators approval" page workflow.

Wagtail's own migrations put it on the root page, so every page offered "Submit to Moderators
approval", and it waits for Wagtail's "Moderators" group, which no Hub role is: a briefing or
course submitted there would wait for ever. The Hub's page editors (library editors, trainers)
publish their own pages, and reviews have their own sign-off workflow (reviews/migrations). Any
page still waiting on it is let go, as Wagtail does when a workflow is disabled."""

from django.db import migrations

NAME = "Moderators approval"


def retire(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Task = apps.get_model("wagtailcore", "Task")
    workflows = Workflow.objects.filter(name=NAME)
    states = WorkflowState.objects.filter(
        workflow__in=workflows, status__in=["in_progress", "needs_changes"]
    )
    TaskState.objects.filter(workflow_state__in=states, status="in_progress").update(
        status="cancelled"
    )
    states.update(status="cancelled")
    WorkflowPage.objects.filter(workflow__in=workflows).delete()
    workflows.update(active=False)
    Task.objects.filter(name=NAME, content_type__model="groupapprovaltask").update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
