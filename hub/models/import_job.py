"""An admin upload's import, run by a Celery task rather than inside the web request.

Every app's imports run as these jobs (`hub.importing.jobs`); `kind` names the import its app
registered (`hub.importing.register`), so the core stores and shows them without knowing the
apps."""

from django.conf import settings
from django.core.cache import cache
from django.db import models

from hub.importing.errors import RowError
from hub.importing.registry import import_kind
from hub.importing.result import STAGES


def upload_path(job, filename: str) -> str:
    """Under MEDIA_ROOT/imports/, which no URL serves (only images/ are public media), with a
    random name: the uploader's own file name is kept on the job, never in a path."""
    import uuid
    from pathlib import PurePath

    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the person who started a job, and system administrators (active superusers,
        as `partnership.access.sees_everything` has them), see it: its errors quote the file,
        which may name records that no one else may see."""
        if getattr(user, "is_active", False) and getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ImportJob(models.Model):
    """One uploaded tracker and what became of it: kept after it ends, so that its page still
    says what was imported or why nothing was."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Nothing imported"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    # The name of a registered import kind: "reviews", "findings", "actions".
    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    upload = models.FileField(upload_to=upload_path, max_length=255, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{import_kind(self.kind).label} from {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def noun(self) -> str:
        return import_kind(self.kind).noun

    def row_errors(self) -> list[RowError]:
        return [RowError(e["row"], e["column"], e["message"]) for e in self.errors]

    # Progress while rows are written is in the cache: the job's row is not written inside the
    # import's transaction, where no one else could read it until the end.
    def progress_key(self) -> str:
        return f"hub:import-job:{self.pk}:progress"

    def progress(self) -> tuple[str, int, int]:
        """(stage, rows done, rows in the file), the furthest of the row's and the cache's."""
        noted = (self.stage, self.rows_done, self.rows_total)
        if self.finished:
            return noted
        cached = cache.get(self.progress_key())
        order = {stage: number for number, stage in enumerate(STAGES, start=1)}
        if cached and (order.get(cached[0], 0), cached[1]) > (order.get(noted[0], 0), noted[1]):
            return tuple(cached)
        return noted
