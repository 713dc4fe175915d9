"""Multi-agency training: courses, sessions, bookings and waiting lists, the register,
evaluations, and each partnership's training terms."""

from .booking import Booking, BookingState
from .course import Course, CourseIndexPage, CourseLevel, CourseTheme, Duration
from .evaluation import Evaluation, EvaluationKind, PracticeChange
from .message import SessionMessage
from .notice import TrainingNoticeKind, notice_key
from .session import Delivery, Session
from .terms import TrainingTerms

__all__ = [
    "Booking",
    "BookingState",
    "Course",
    "CourseIndexPage",
    "CourseLevel",
    "CourseTheme",
    "Delivery",
    "Duration",
    "Evaluation",
    "EvaluationKind",
    "PracticeChange",
    "Session",
    "SessionMessage",
    "TrainingNoticeKind",
    "TrainingTerms",
    "notice_key",
]
