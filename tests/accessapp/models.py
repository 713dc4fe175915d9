from django.conf import settings
from django.db import models

from partnership.access import AccessRule, SharingLevel


class Record(models.Model):
    """The smallest record the policy can judge: an owner, a sharing level, the partnerships
    taking part and the people named on it, all through many-to-many paths like a real review."""

    title = models.CharField(max_length=100)
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    sharing_level = models.CharField(max_length=20, choices=SharingLevel.choices)
    participating_partnerships = models.ManyToManyField(
        "partnership.Partnership", blank=True, related_name="+"
    )
    named_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    access_rule = AccessRule(
        participating=("participating_partnerships",), named_people=("named_people",)
    )

    def __str__(self):
        return self.title
