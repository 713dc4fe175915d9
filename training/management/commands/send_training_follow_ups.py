from partnership.management.dated_job import DatedJobCommand
from training.follow_ups import send_training_follow_ups


class Command(DatedJobCommand):
    help = (
        "Email delegates who attended a session: 'please evaluate' the day after, and the "
        "follow-up about what changed in practice after the partnership's follow-up interval. "
        "Each once: safe to run twice or alongside the worker."
    )

    def run_job(self, today, progress):
        return send_training_follow_ups(today, progress=progress)
