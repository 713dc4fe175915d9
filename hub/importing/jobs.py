"""Admin uploads, imported by a Celery task and kept as `ImportJob` records.

A tracker of tens of thousands of rows takes longer than a web request should, and a browser
that gives up waiting must not leave the import half-seen. So the upload view keeps the file
privately, records a job and enqueues its task after the job is committed; the task runs the
same pipeline as the management commands (`run_import` with the importer its kind registered),
stores its progress and its result on the job, and deletes the file. In the embedded default
Celery runs the task eagerly, inside the request; the code path is the same."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from hub.models import ImportJob

from .pipeline import run_import
from .registry import import_kind

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 1.0


def start_import(user, kind: str, upload) -> ImportJob:
    """Keep the uploaded file, record the job, and enqueue its task once the job is saved."""
    from hub.tasks import run_import_job

    import_kind(kind)  # a kind no app registered fails here, not in the task
    job = ImportJob(user=user, kind=kind, file_name=upload.name[:255])
    job.upload.save(upload.name, upload, save=False)
    with transaction.atomic():
        job.save()
        run_import_job.delay_on_commit(job.pk)
    return job


class JobProgress:
    """The pipeline's `progress(stage, done, total)` for a job: at most once a second and at
    the end of each stage, into the cache, and into the job's row when outside the import's
    transaction (while rows are checked), where the page can read it."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.last = 0.0
        self.latest = ("", 0, 0)

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.latest = (stage, done, total)
        now = timezone.now().timestamp()
        if done < total and now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        cache.set(self.job.progress_key(), (stage, done, total), 24 * 3600)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(
                stage=stage, rows_done=done, rows_total=total
            )


def run_import_job(job_id: int) -> str:
    """Run the job if it is still queued; its state afterwards."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job.state
    progress = JobProgress(job)
    try:
        with job.upload.open("rb") as source:
            importer = import_kind(job.kind).importer()
            result = run_import(
                importer, source, name=job.file_name, user=job.user, progress=progress
            )
    except Exception:
        logger.exception("Import job %s stopped", job.pk)
        job.refresh_from_db()
        job.state = ImportJob.State.FAILED
        job.summary = "The import stopped on an unexpected error: nothing was imported."
    else:
        job.refresh_from_db()
        job.state = ImportJob.State.DONE if result.ok else ImportJob.State.FAILED
        job.summary = result.summary()
        job.created, job.updated = result.created, result.updated
        job.errors = [error.as_dict() for error in result.errors]
        job.ignored_columns = result.ignored_columns
        job.stage, job.rows_done, job.rows_total = progress.latest
    finally:
        # The file may name restricted records: it is not kept once the job has read it.
        job.upload.delete(save=False)
        cache.delete(job.progress_key())
    job.finished_at = timezone.now()
    job.save()
    return job.state
