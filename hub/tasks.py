"""Celery tasks of the core: thin, they take keys and call a service."""

from celery import shared_task


@shared_task
def run_import_job(job_id: int) -> str:
    """Run an uploaded file's import. Safe to deliver twice: only a queued job is run."""
    from hub.importing.jobs import run_import_job as run

    return run(job_id)
