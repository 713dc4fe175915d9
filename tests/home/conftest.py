"""The builders the home pages' tests share with the training and learning tests."""

from tests.learning.conftest import make_action  # noqa: F401
from tests.training.conftest import (  # noqa: F401
    course_list,
    make_course,
    make_person,
    make_session,
)
