from learning.reminders import send_action_reminders
from partnership.management.dated_job import DatedJobCommand


class Command(DatedJobCommand):
    help = (
        "Send the due-soon and overdue reminders, escalations and weekly digests about "
        "follow-up actions that no run has sent yet. Safe to run twice or alongside the worker."
    )

    def run_job(self, today, progress):
        return send_action_reminders(today, progress=progress)
