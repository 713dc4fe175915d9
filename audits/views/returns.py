"""An agency's return and its assessments: the agency's leads rate each standard, add evidence
and submit; quality assurance challenges, the agency answers, quality assurance agrees.

Each change is a POST to its own URL, handled by a service in `audits.cycles`; on success the
person goes back to the page (post, redirect, get), and on a failed form the page is shown again
with what they typed and the problem named."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import cycles as services
from ..forms import (
    AgreeForm,
    AssessmentForm,
    ChallengeForm,
    ResponseForm,
    ReturnEvidenceForm,
    SubmitForm,
)
from ..models import AgencyReturn, Assessment, ReturnState
from .common import DATE_PARTS, visible_or_404

RETURNS = AgencyReturn.objects.select_related("cycle__standard_set", "cycle__partnership", "agency")


@login_required
def return_detail(request, pk: int, forms=None, errors=()):
    agency_return = visible_or_404(RETURNS, request.user, pk=pk)
    forms = forms or {}
    may_complete = services.may_complete(request.user, agency_return)
    is_open = agency_return.state in services.OPEN_STATES
    assessments = agency_return.assessments.select_related("standard")
    ratings = agency_return.cycle.standard_set.ratings
    return render(
        request,
        "audits/return.html",
        {
            "agency_return": agency_return,
            "rows": [(a, ratings.get(a.rating), ratings.get(a.agreed_rating)) for a in assessments],
            "evidence": agency_return.evidence.select_related("document", "standard"),
            "events": agency_return.events.all(),
            "may_complete": may_complete,
            "is_open": is_open,
            "evidence_form": forms.get("evidence") or ReturnEvidenceForm(prefix="evidence"),
            "submit_form": forms.get("submit") or SubmitForm(prefix="submit"),
            "failed_form": next(iter(forms.values()), None),
            "errors": list(errors),
        },
        status=400 if forms or errors else 200,
    )


@login_required
@require_POST
def add_evidence(request, pk: int):
    agency_return = visible_or_404(RETURNS, request.user, pk=pk)
    form = ReturnEvidenceForm(request.POST, request.FILES, prefix="evidence")
    if not form.is_valid():
        return return_detail(request, pk, forms={"evidence": form})
    try:
        services.add_evidence(
            agency_return,
            request.user,
            uploaded=form.cleaned_data["document"],
            description=form.cleaned_data["description"],
        )
    except services.AuditError as error:
        return return_detail(request, pk, errors=[error.message])
    messages.success(request, "Evidence added.")
    return redirect("audit-return", pk)


@login_required
@require_POST
def submit(request, pk: int):
    agency_return = visible_or_404(RETURNS, request.user, pk=pk)
    form = SubmitForm(request.POST, prefix="submit")
    if not form.is_valid():
        return return_detail(request, pk, forms={"submit": form})
    try:
        services.submit(agency_return, request.user, **form.cleaned_data)
    except services.AuditError as error:
        return return_detail(request, pk, errors=[error.message])
    messages.success(request, "Return submitted. Quality assurance will review the ratings.")
    return redirect("audit-return", pk)


# One standard's assessment


def _assessment(request, pk: int) -> Assessment:
    visible = AgencyReturn.objects.visible_to(request.user).values("pk")
    found = (
        Assessment.objects.filter(pk=pk, agency_return__in=visible)
        .select_related(
            "standard",
            "agency_return__cycle__standard_set",
            "agency_return__cycle__partnership",
            "agency_return__agency",
            "action",
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
def assessment_detail(request, pk: int, failed=None, errors=()):
    assessment = _assessment(request, pk)
    agency_return = assessment.agency_return
    standard_set = agency_return.cycle.standard_set
    submitted = agency_return.state == ReturnState.SUBMITTED
    open_ = agency_return.state in services.OPEN_STATES
    may_complete = services.may_complete(request.user, agency_return)
    may_challenge = services.may_challenge(request.user, agency_return)
    unagreed = assessment.agreed_rating is None
    failed = failed or {}
    forms = {}
    if may_complete and open_:
        forms["rate"] = failed.get("rate") or AssessmentForm(
            standard_set,
            prefix="rate",
            initial={
                "rating": assessment.rating,
                "narrative": assessment.narrative,
                "improvement": assessment.improvement,
            },
        )
    if may_complete and submitted and unagreed and assessment.challenge:
        forms["respond"] = failed.get("respond") or ResponseForm(standard_set, prefix="respond")
    if may_challenge and submitted and unagreed:
        forms["challenge"] = failed.get("challenge") or ChallengeForm(
            agency_return, prefix="challenge"
        )
        forms["agree"] = failed.get("agree") or AgreeForm(
            standard_set,
            prefix="agree",
            initial={"rating": assessment.response_rating or assessment.rating},
        )
    ratings = standard_set.ratings
    return render(
        request,
        "audits/assessment.html",
        {
            "assessment": assessment,
            "agency_return": agency_return,
            "standard": assessment.standard,
            "rating": ratings.get(assessment.rating),
            "agreed": ratings.get(assessment.agreed_rating),
            "proposed": ratings.get(assessment.response_rating),
            "events": assessment.events.select_related("user"),
            "ratings": ratings,
            "forms": forms,
            "failed_form": next(iter(failed.values()), None),
            "errors": list(errors),
            "date_parts": DATE_PARTS,
        },
        status=400 if failed or errors else 200,
    )


def _form_context(form_class, assessment):
    """What each of the assessment page's forms is built on: the return, for its events, or
    the standards set, for its rating scale."""
    if form_class is ChallengeForm:
        return assessment.agency_return
    return assessment.agency_return.cycle.standard_set


def _post(request, pk, name, form_class, call, success):
    """One of the assessment page's forms: check it, call the service, go back to the page."""
    assessment = _assessment(request, pk)
    form = form_class(_form_context(form_class, assessment), request.POST, prefix=name)
    if not form.is_valid():
        return assessment_detail(request, pk, failed={name: form})
    try:
        call(assessment, request.user, **form.cleaned_data)
    except services.AuditError as error:
        return assessment_detail(request, pk, failed={name: form}, errors=[error.message])
    messages.success(request, success)
    return redirect("audit-assessment", pk)


@login_required
@require_POST
def rate(request, pk: int):
    return _post(request, pk, "rate", AssessmentForm, services.save_assessment, "Rating saved.")


@login_required
@require_POST
def challenge(request, pk: int):
    return _post(
        request, pk, "challenge", ChallengeForm, services.challenge, "Challenge sent to the agency."
    )


@login_required
@require_POST
def respond(request, pk: int):
    return _post(request, pk, "respond", ResponseForm, services.respond, "Answer sent.")


@login_required
@require_POST
def agree(request, pk: int):
    return _post(request, pk, "agree", AgreeForm, services.agree, "Rating agreed.")
