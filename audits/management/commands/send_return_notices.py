from audits.reminders import send_return_notices
from partnership.management.dated_job import DatedJobCommand


class Command(DatedJobCommand):
    help = (
        "Tell agencies' leads of self-assessment returns asked of them, due soon or overdue, "
        "where no run has told them yet. Safe to run twice or alongside the worker."
    )

    def run_job(self, today, progress):
        return send_return_notices(today).as_dict()
