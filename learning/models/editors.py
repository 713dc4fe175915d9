from django.db import models


class LibraryEditors(models.Model):
    """The managed group whose members write in one partnership's learning library: the
    partnership's people holding a writing role. Kept by `learning.library_editors`, never by
    hand, so that a renamed partnership keeps its group."""

    partnership = models.OneToOneField(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="library_editors"
    )
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "library editors group"

    def __str__(self):
        return f"{self.group.name}"
