import itertools
from datetime import date

import pytest

from reviews.models import Review, ReviewType

_numbers = itertools.count(1)


@pytest.fixture
def make_review(world):
    """A fictional review of the Wirral partnership unless told otherwise."""

    def make(partnership=None, review_type=ReviewType.RAPID_REVIEW, **fields):
        n = next(_numbers)
        fields.setdefault("reference", f"TST-{n:04d}")
        fields.setdefault("title", f"Test review {n}")
        fields.setdefault("subject_pseudonym", "Child T")
        return Review.objects.create(
            lead_partnership=partnership or world.partnerships["Wirral"],
            review_type=review_type,
            **fields,
        )

    return make


@pytest.fixture
def rapid_review(make_review):
    return make_review(aware_date=date(2026, 12, 18), notification_date=date(2026, 12, 18))
