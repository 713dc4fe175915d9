"""Celery tasks of the reviews app: thin, they take keys and call a service."""

from celery import shared_task


@shared_task
def run_import_job(job_id: int) -> str:
    """Run an uploaded tracker's import. Safe to deliver twice: only a queued job is run."""
    from .import_jobs import run_import_job as run

    return run(job_id)
