"""What needs an agency lead from self-assessment and case audits, on their home page
(`hub.home`): their agency's returns to complete, the challenges from quality assurance they have
not answered, and the audit cases their agency has still to grade. Two queries, and none for
anyone who is not an agency lead."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from hub.formats import long_date
from hub.home import NOTE, SOON, URGENT, Item, Section
from partnership.access import has_role, membership_of
from partnership.models import Role

from .cycles import OPEN_STATES
from .models import AgencyReturn, CaseAudit, CaseAuditState, ReturnState


def return_sections(request):
    user = request.user
    membership = membership_of(user)
    if membership is None or not membership.agency_id or not has_role(user, Role.AGENCY_LEAD):
        return None
    unanswered = Q(assessments__challenged_at__isnull=False) & (
        Q(assessments__responded_at__isnull=True)
        | Q(assessments__responded_at__lt=F("assessments__challenged_at"))
    )
    returns = (
        AgencyReturn.objects.visible_to(user)
        .filter(agency_id=membership.agency_id, cycle__partnership_id=membership.partnership_id)
        .annotate(
            unrated=Count("assessments", filter=Q(assessments__rating__isnull=True)),
            to_answer=Count(
                "assessments", filter=unanswered & Q(assessments__agreed_rating__isnull=True)
            ),
        )
        .filter(Q(state__in=OPEN_STATES) | Q(state=ReturnState.SUBMITTED, to_answer__gt=0))
        .select_related("cycle")
        .order_by("cycle__due_date")
    )
    today = timezone.localdate()
    items = [_item(r, today) for r in returns[:5]]
    items += [_grading_item(audit) for audit in _to_grade(user, membership.agency_id)]
    return Section(
        key="self-assessment",
        heading="Self-assessment and case audits",
        caption=f"{membership.agency.name}'s returns and case gradings.",
        items=tuple(items[:6]),
        empty="No returns or cases waiting.",
        more_url=reverse("audits"),
        more_text="All self-assessment",
        order=18,
    )


def _item(agency_return, today) -> Item:
    url = reverse("audit-return", args=[agency_return.pk])
    if agency_return.state == ReturnState.SUBMITTED:
        count = agency_return.to_answer
        return Item(
            text=f"{agency_return.cycle.title}: answer {count} challenge{'s' * (count != 1)}",
            url=url,
            tag="Challenged",
            tag_colour=SOON,
        )
    late = agency_return.cycle.due_date < today
    left = agency_return.unrated
    return Item(
        text=f"{agency_return.cycle.title}: {left} standard{'s' * (left != 1)} to rate, then submit"
        if left
        else f"{agency_return.cycle.title}: ready to submit",
        url=url,
        tag="Overdue" if late else f"Due {long_date(agency_return.cycle.due_date)}",
        tag_colour=URGENT if late else NOTE,
    )


def _to_grade(user, agency_id):
    """The audits grading now that asked the agency, with its cases it has not graded."""
    return (
        CaseAudit.objects.visible_to(user)
        .filter(state=CaseAuditState.GRADING, agencies=agency_id)
        .annotate(
            cases_in=Count("cases", distinct=True),
            graded=Count(
                "cases__gradings",
                filter=Q(cases__gradings__agency_id=agency_id),
                distinct=True,
            ),
        )
        .filter(cases_in__gt=F("graded"))
        .select_related("review")
        .order_by("quarter")[:3]
    )


def _grading_item(audit) -> Item:
    left = audit.cases_in - audit.graded
    return Item(
        text=f"{audit.review.title}: grade {left} case{'s' * (left != 1)}",
        url=reverse("case-audit", args=[audit.reference]),
        tag="Case audit",
        tag_colour=NOTE,
    )
