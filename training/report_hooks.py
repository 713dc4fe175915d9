"""The training reports in the admin's Reports menu, each with CSV and XLSX export: attendance,
non-attendance charges, waiting-list demand and evaluation scores. The numbers come from
`training.reports`, narrowed to the reader's partnership; views only choose the grouping and the
period."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from hub.admin_menu import MenuItemFor
from hub.charts import ChartsMixin
from partnership.admin_dates import DateFilter

from . import charts, reports
from .models import Booking


class PeriodFilterSet(WagtailFilterSet):
    """Sessions on days from `start` to `end`, inclusive."""

    start = DateFilter(label="Sessions from")
    end = DateFilter(label="Sessions to")

    class Meta:
        model = Booking
        fields = []

    path = "session__starts_at"

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return reports.in_period(queryset, data.get("start"), data.get("end"), self.path)


class SessionPeriodFilterSet(PeriodFilterSet):
    path = "starts_at"


def percent(key):
    def value(row):
        number = row.get(key)
        return "" if number is None else f"{number:g}%"

    return value


def money(row):
    return f"£{row['total']:,.2f}"


def agency_name(row):
    return row.get("agency__name") or "No agency recorded"


def agency_name_of(booking):
    return booking.agency_name or "No agency recorded"


class TrainingReportView(ChartsMixin, ReportView):
    """A grouped report: `rows(bookings)` turns the reader's bookings, narrowed to the period,
    into the rows."""

    header_icon = "list-ul"
    results_template_name = "training/reports/results.html"
    filterset_class = PeriodFilterSet
    paginate_by = 100
    # The other groupings of the same report: (label, url name).
    alternatives: list[tuple[str, str]] = []
    allowed = staticmethod(reports.can_see_training_reports)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return reports.scoped_bookings(self.request.user)

    def rows(self, queryset):
        raise NotImplementedError

    def get_queryset(self):
        return self.base_queryset()

    def get_filtered_queryset(self):
        return self.rows(self.filter_queryset(self.base_queryset()))

    def get_filename(self):
        return f"{self.index_url_name.split(':')[-1].replace('_', '-')}-{timezone.localdate()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alternatives"] = [
            (label, reverse(name), name == self.index_url_name) for label, name in self.alternatives
        ]
        return context


ATTENDANCE_ALTERNATIVES = [
    ("By agency", "training_reports:attendance"),
    ("By partnership", "training_reports:attendance_partnerships"),
]
ATTENDANCE_EXPORT = ["booked", "attended", "did_not_attend", "cancelled_late", "rate"]
ATTENDANCE_HEADINGS = {
    "booked": "Places held",
    "attended": "Attended",
    "did_not_attend": "Did not attend",
    "cancelled_late": "Cancelled late",
    "rate": "Attendance rate (%)",
}
ATTENDANCE_COLUMNS = [
    Column("booked", label="Places held"),
    Column("attended", label="Attended"),
    Column("did_not_attend", label="Did not attend"),
    Column("cancelled_late", label="Cancelled late"),
    Column("rate", label="Attendance rate", accessor=percent("rate")),
]


class AttendanceByAgencyView(TrainingReportView):
    page_title = "Training attendance by agency"
    index_url_name = "training_reports:attendance"
    index_results_url_name = "training_reports:attendance_results"
    alternatives = ATTENDANCE_ALTERNATIVES
    list_export = ["agency__name", "agency__partnership__short_name", *ATTENDANCE_EXPORT]
    export_headings = {
        "agency__name": "Agency",
        "agency__partnership__short_name": "Partnership",
        **ATTENDANCE_HEADINGS,
    }
    columns = [
        Column("agency", label="Agency", accessor=agency_name),
        Column("partnership", label="Partnership", accessor="agency__partnership__short_name"),
        *ATTENDANCE_COLUMNS,
    ]

    def rows(self, queryset):
        return reports.attendance(queryset, by="agency")

    def get_charts(self):
        return [charts.attendance_by_agency(self.get_filtered_queryset(), table_id=self.table_id)]


class AttendanceByPartnershipView(TrainingReportView):
    page_title = "Training attendance by partnership"
    index_url_name = "training_reports:attendance_partnerships"
    index_results_url_name = "training_reports:attendance_partnerships_results"
    alternatives = ATTENDANCE_ALTERNATIVES
    list_export = ["partnership__name", *ATTENDANCE_EXPORT]
    export_headings = {"partnership__name": "Delegates' partnership", **ATTENDANCE_HEADINGS}
    columns = [
        Column("partnership", label="Delegates' partnership", accessor="partnership__name"),
        *ATTENDANCE_COLUMNS,
    ]

    def rows(self, queryset):
        return reports.attendance(queryset, by="partnership")


CHARGE_ALTERNATIVES = [
    ("By agency", "training_reports:charges"),
    ("By partnership", "training_reports:charges_partnerships"),
    ("Each charge", "training_reports:charge_lines"),
]
CHARGE_EXPORT = ["delegates", "sessions", "did_not_attend", "cancelled_late", "charges", "total"]
CHARGE_HEADINGS = {
    "delegates": "Delegates",
    "sessions": "Sessions",
    "did_not_attend": "Did not attend",
    "cancelled_late": "Cancelled late",
    "charges": "Charges",
    "total": "Total (£)",
}
CHARGE_COLUMNS = [
    Column("delegates", label="Delegates"),
    Column("sessions", label="Sessions"),
    Column("did_not_attend", label="Did not attend"),
    Column("cancelled_late", label="Cancelled late"),
    Column("charges", label="Charges"),
    Column("total", label="Total", accessor=money),
]


class ChargeReportView(TrainingReportView):
    allowed = staticmethod(reports.can_see_charges)
    alternatives = CHARGE_ALTERNATIVES


class ChargesByAgencyView(ChargeReportView):
    page_title = "Non-attendance charges by agency"
    index_url_name = "training_reports:charges"
    index_results_url_name = "training_reports:charges_results"
    list_export = ["agency__name", "agency__partnership__short_name", *CHARGE_EXPORT]
    export_headings = {
        "agency__name": "Agency",
        "agency__partnership__short_name": "Partnership",
        **CHARGE_HEADINGS,
    }
    columns = [
        Column("agency", label="Agency", accessor=agency_name),
        Column("partnership", label="Partnership", accessor="agency__partnership__short_name"),
        *CHARGE_COLUMNS,
    ]

    def rows(self, queryset):
        return reports.charges(queryset, by="agency")


class ChargesByPartnershipView(ChargeReportView):
    page_title = "Non-attendance charges by partnership"
    index_url_name = "training_reports:charges_partnerships"
    index_results_url_name = "training_reports:charges_partnerships_results"
    list_export = ["partnership__name", *CHARGE_EXPORT]
    export_headings = {"partnership__name": "Delegates' partnership", **CHARGE_HEADINGS}
    columns = [
        Column("partnership", label="Delegates' partnership", accessor="partnership__name"),
        *CHARGE_COLUMNS,
    ]

    def rows(self, queryset):
        return reports.charges(queryset, by="partnership")


class ChargeLinesView(ChargeReportView):
    page_title = "Non-attendance charges: each charge"
    index_url_name = "training_reports:charge_lines"
    index_results_url_name = "training_reports:charge_lines_results"
    list_export = [
        "agency_name",
        "session.starts_at",
        "session.course.title",
        "delegate_name",
        "get_state_display",
        "charge",
        "marked_by_name",
        "marked_at",
    ]
    export_headings = {
        "agency_name": "Agency",
        "session.starts_at": "Session",
        "session.course.title": "Course",
        "delegate_name": "Delegate",
        "get_state_display": "Marked",
        "charge": "Charge (£)",
        "marked_by_name": "Marked by",
        "marked_at": "Marked at",
    }
    columns = [
        Column("agency", label="Agency", accessor=agency_name_of),
        Column(
            "session",
            label="Session",
            accessor=lambda b: timezone.localtime(b.session.starts_at).strftime("%-d %b %Y"),
        ),
        Column("course", label="Course", accessor="session.course.title"),
        Column("delegate", label="Delegate", accessor="delegate_name"),
        Column("state", label="Marked", accessor="get_state_display"),
        Column("charge", label="Charge", accessor=lambda b: f"£{b.charge:,.2f}"),
        Column("marked_by", label="Marked by", accessor="marked_by_name"),
    ]

    def rows(self, queryset):
        return reports.charge_lines(queryset)


WAITING_ALTERNATIVES = [
    ("By session", "training_reports:waiting"),
    ("By course", "training_reports:waiting_courses"),
]


class WaitingBySessionView(TrainingReportView):
    page_title = "Waiting-list demand by session"
    index_url_name = "training_reports:waiting"
    index_results_url_name = "training_reports:waiting_results"
    filterset_class = SessionPeriodFilterSet
    alternatives = WAITING_ALTERNATIVES
    list_export = [
        "course__title",
        "starts_at",
        "capacity",
        "taken",
        "waiting",
        "offered",
        "offers_expired",
    ]
    export_headings = {
        "course__title": "Course",
        "starts_at": "Session",
        "capacity": "Places",
        "taken": "Places taken",
        "waiting": "Waiting now",
        "offered": "Offered a place",
        "offers_expired": "Offers expired",
    }
    columns = [
        Column("course", label="Course", accessor="course__title"),
        Column(
            "starts_at",
            label="Session",
            accessor=lambda r: timezone.localtime(r["starts_at"]).strftime("%-d %b %Y %H:%M"),
        ),
        Column("capacity", label="Places"),
        Column("taken", label="Places taken"),
        Column("waiting", label="Waiting now"),
        Column("offered", label="Offered a place"),
        Column("offers_expired", label="Offers expired"),
    ]

    def base_queryset(self):
        return reports.scoped_sessions(self.request.user)

    def rows(self, queryset):
        return reports.waiting_demand_by_session(queryset)


class WaitingByCourseView(TrainingReportView):
    page_title = "Waiting-list demand by course"
    index_url_name = "training_reports:waiting_courses"
    index_results_url_name = "training_reports:waiting_courses_results"
    alternatives = WAITING_ALTERNATIVES
    list_export = ["session__course__title", "sessions", "waiting", "offered", "offers_expired"]
    export_headings = {
        "session__course__title": "Course",
        "sessions": "Sessions",
        "waiting": "Waiting now",
        "offered": "Offered a place",
        "offers_expired": "Offers expired",
    }
    columns = [
        Column("course", label="Course", accessor="session__course__title"),
        Column("sessions", label="Sessions"),
        Column("waiting", label="Waiting now"),
        Column("offered", label="Offered a place"),
        Column("offers_expired", label="Offers expired"),
    ]

    def rows(self, queryset):
        return reports.waiting_demand_by_course(queryset)


EVALUATION_ALTERNATIVES = [
    ("By course", "training_reports:evaluations"),
    ("By agency", "training_reports:evaluations_agencies"),
]
SCORE_EXPORT = [
    "attended",
    "evaluated",
    "response_rate",
    "overall",
    "outcomes_met",
    "confidence_before",
    "confidence_after",
    "followed_up",
    "practice_changed",
    "changed_rate",
]
SCORE_HEADINGS = {
    "attended": "Attended",
    "evaluated": "Evaluations",
    "response_rate": "Response rate (%)",
    "overall": "Overall (1-5)",
    "outcomes_met": "Outcomes met (1-5)",
    "confidence_before": "Confidence before (1-5)",
    "confidence_after": "Confidence after (1-5)",
    "followed_up": "Follow-ups answered",
    "practice_changed": "Said practice changed",
    "changed_rate": "Practice changed (%)",
}
SCORE_COLUMNS = [
    Column("attended", label="Attended"),
    Column("evaluated", label="Evaluations"),
    Column("response_rate", label="Response rate", accessor=percent("response_rate")),
    Column("overall", label="Overall"),
    Column("outcomes_met", label="Outcomes met"),
    Column("confidence_before", label="Confidence before"),
    Column("confidence_after", label="Confidence after"),
    Column("followed_up", label="Follow-ups"),
    Column("practice_changed", label="Practice changed"),
]


class ScoresByCourseView(TrainingReportView):
    page_title = "Evaluation scores by course"
    index_url_name = "training_reports:evaluations"
    index_results_url_name = "training_reports:evaluations_results"
    alternatives = EVALUATION_ALTERNATIVES
    list_export = ["session__course__title", *SCORE_EXPORT]
    export_headings = {"session__course__title": "Course", **SCORE_HEADINGS}
    columns = [Column("course", label="Course", accessor="session__course__title"), *SCORE_COLUMNS]

    def rows(self, queryset):
        return reports.evaluation_scores(queryset, by="course")


class ScoresByAgencyView(TrainingReportView):
    page_title = "Evaluation scores by agency"
    index_url_name = "training_reports:evaluations_agencies"
    index_results_url_name = "training_reports:evaluations_agencies_results"
    alternatives = EVALUATION_ALTERNATIVES
    list_export = ["agency__name", "agency__partnership__short_name", *SCORE_EXPORT]
    export_headings = {
        "agency__name": "Agency",
        "agency__partnership__short_name": "Partnership",
        **SCORE_HEADINGS,
    }
    columns = [Column("agency", label="Agency", accessor=agency_name), *SCORE_COLUMNS]

    def rows(self, queryset):
        return reports.evaluation_scores(queryset, by="agency")


VIEWS = [
    ("attendance/", "attendance", AttendanceByAgencyView),
    ("attendance/partnerships/", "attendance_partnerships", AttendanceByPartnershipView),
    ("charges/", "charges", ChargesByAgencyView),
    ("charges/partnerships/", "charges_partnerships", ChargesByPartnershipView),
    ("charges/each/", "charge_lines", ChargeLinesView),
    ("waiting-lists/", "waiting", WaitingBySessionView),
    ("waiting-lists/courses/", "waiting_courses", WaitingByCourseView),
    ("evaluations/", "evaluations", ScoresByCourseView),
    ("evaluations/agencies/", "evaluations_agencies", ScoresByAgencyView),
]

report_urls = (
    [
        url
        for route, name, view in VIEWS
        for url in (
            path(route, view.as_view(), name=name),
            path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
        )
    ],
    "training_reports",
)


@hooks.register("register_admin_urls")
def register_training_report_urls():
    return [path("reports/training/", include(report_urls))]


MENU = [
    ("Training attendance", "attendance", "group", reports.can_see_training_reports, 200),
    ("Non-attendance charges", "charges", "form", reports.can_see_charges, 201),
    ("Waiting-list demand", "waiting", "time", reports.can_see_training_reports, 202),
    ("Evaluation scores", "evaluations", "pick", reports.can_see_training_reports, 203),
]


def _menu_hook(label, name, icon, allowed, order):
    def hook():
        return MenuItemFor(
            label,
            reverse(f"training_reports:{name}"),
            name=f"training-{name}",
            icon_name=icon,
            order=order,
            shown_to=allowed,
        )

    return hook


for entry in MENU:
    hooks.register("register_reports_menu_item", _menu_hook(*entry))
