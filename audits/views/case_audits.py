"""The case audit pages: the partnership's programme by quarter, planning an audit (or a
re-audit), an audit with its sample and moderation, and one case with the agencies' gradings.

Records are found only through the access policy (404 otherwise); each change is a POST to its
own URL handled by a service in `audits.case_audits`, then back to the page (post, redirect,
get); a failed form shows the page again with what was typed and the problem named."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.access import can_change, membership_of, visible_to

from .. import case_audits as services
from ..case_audit_forms import AgreeGradeForm, CaseForm, GradeForm, PlanAuditForm
from ..cycles import AuditError
from ..models import AuditCase, CaseAudit, CaseAuditState, CaseGrading, Grade
from .common import visible_or_404

AUDITS = CaseAudit.objects.select_related("review", "theme", "partnership")


def _audit(request, reference):
    return visible_or_404(AUDITS, request.user, review__reference=reference)


def _case(request, pk):
    """A case of an audit the person may see; 404 for any other, as for the audit itself."""
    case = AuditCase.objects.filter(pk=pk).first()
    if case is None:
        raise Http404
    case.audit = visible_or_404(AUDITS, request.user, pk=case.audit_id)
    return case


@login_required
def programme(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:  # a typed address, not a programme: show this year's
        year = today.year
    audits = AUDITS.visible_to(request.user).filter(quarter__year=year).order_by("quarter", "pk")
    by_quarter = defaultdict(list)
    for audit in audits:
        by_quarter[audit.quarter_label].append(audit)
    membership = membership_of(request.user)
    return render(
        request,
        "audits/case_audits/programme.html",
        {
            "year": year,
            "quarters": dict(by_quarter),
            "may_plan": membership is not None
            and services.may_plan(request.user, membership.partnership_id),
        },
    )


@login_required
def plan(request):
    membership = membership_of(request.user)
    if membership is None or not services.may_plan(request.user, membership.partnership_id):
        raise PermissionDenied("Only managers and quality assurance plan case audits.")
    partnership = membership.partnership
    earlier = None
    if request.GET.get("re_audit_of"):
        earlier = _audit(request, request.GET["re_audit_of"])
    form = PlanAuditForm(partnership, request.POST or None, re_audit_of=earlier)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = services.plan_audit(
                request.user,
                partnership,
                title=data["title"],
                theme=data["theme"],
                quarter=data["quarter"],
                questions=data["questions"],
                agencies=data["agencies"],
                re_audit_of=earlier,
                tested_action=data.get("tested_action"),
            )
        except AuditError as error:
            errors = [error.message]
        else:
            messages.success(request, f"{audit.reference} is on the programme.")
            return redirect("case-audit", audit.reference)
    return render(
        request,
        "audits/case_audits/plan.html",
        {"form": form, "errors": errors, "re_audit_of": earlier},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detail(request, reference: str, case_form=None, errors=()):
    audit = _audit(request, reference)
    user = request.user
    cases = list(audit.cases.all())
    gradings = visible_to(user, CaseGrading.objects.filter(case__audit=audit))
    graded = defaultdict(list)
    for grading in gradings.select_related("agency"):
        graded[grading.case_id].append(grading)
    may_moderate = services.may_moderate(user, audit)
    findings = visible_to(user, audit.review.findings.all())
    comparison = (
        services.comparison(audit)
        if audit.re_audit_of_id and audit.state == CaseAuditState.MODERATED
        else ""
    )
    return render(
        request,
        "audits/case_audits/audit.html",
        {
            "audit": audit,
            "rows": [(case, graded[case.pk]) for case in cases],
            "agencies": audit.agencies.order_by("name"),
            "grading_agency": services.grading_agency(user, audit),
            "may_moderate": may_moderate,
            "case_form": case_form or CaseForm(prefix="case"),
            "failed_form": case_form,
            "errors": list(errors),
            "findings": findings,
            "edit_review_url": (
                reverse("wagtailsnippets_reviews_review:edit", args=[audit.review.pk])
                if can_change(user, audit.review) and user.has_perm("reviews.change_review")
                else None
            ),
            "comparison": comparison,
            "good": services.good_of(audit),
        },
        status=400 if case_form is not None or errors else 200,
    )


def _after(request, reference, call, success):
    audit = _audit(request, reference)
    try:
        call(audit, request.user)
    except AuditError as error:
        return detail(request, reference, errors=[error.message])
    messages.success(request, success)
    return redirect("case-audit", reference)


@login_required
@require_POST
def add_case(request, reference: str):
    audit = _audit(request, reference)
    form = CaseForm(request.POST, prefix="case")
    if not form.is_valid():
        return detail(request, reference, case_form=form)
    try:
        case = services.add_case(audit, request.user, **form.cleaned_data)
    except AuditError as error:
        return detail(request, reference, case_form=form, errors=[error.message])
    messages.success(request, f"{case.identifier} is in the sample.")
    return redirect("case-audit", reference)


@login_required
@require_POST
def start_grading(request, reference: str):
    return _after(
        request, reference, services.start_grading, "The agencies can now grade the cases."
    )


@login_required
@require_POST
def close_moderation(request, reference: str):
    return _after(request, reference, services.close_moderation, "The audit is moderated.")


@login_required
def case_detail(request, pk: int, failed=None, errors=()):
    case = _case(request, pk)
    audit = case.audit
    user = request.user
    failed = failed or {}
    agency = services.grading_agency(user, audit)
    grading = CaseGrading.objects.filter(case=case, agency=agency).first() if agency else None
    forms = {}
    if audit.state == CaseAuditState.GRADING:
        if agency is not None:
            initial = (
                {
                    "grade": grading.grade,
                    "worked_well": grading.worked_well,
                    "worried_about": grading.worried_about,
                    "needs_to_happen": grading.needs_to_happen,
                }
                if grading
                else {}
            )
            forms["grade"] = failed.get("grade") or GradeForm(prefix="grade", initial=initial)
        if services.may_moderate(user, audit):
            forms["agree"] = failed.get("agree") or AgreeGradeForm(
                prefix="agree", initial={"grade": case.agreed_grade}
            )
    gradings = visible_to(user, case.gradings.all()).select_related("agency", "graded_by")
    return render(
        request,
        "audits/case_audits/case.html",
        {
            "audit": audit,
            "case": case,
            "gradings": gradings,
            "agreed": Grade(case.agreed_grade).label if case.agreed_grade else "",
            "forms": forms,
            "failed_form": next(iter(failed.values()), None),
            "errors": list(errors),
        },
        status=400 if failed or errors else 200,
    )


def _case_post(request, pk, name, form_class, call, success):
    case = _case(request, pk)
    form = form_class(request.POST, prefix=name)
    if not form.is_valid():
        return case_detail(request, pk, failed={name: form})
    try:
        call(case, request.user, **form.cleaned_data)
    except AuditError as error:
        return case_detail(request, pk, failed={name: form}, errors=[error.message])
    messages.success(request, success)
    return redirect("case-audit-case", pk)


@login_required
@require_POST
def grade(request, pk: int):
    return _case_post(request, pk, "grade", GradeForm, services.grade_case, "Grading saved.")


@login_required
@require_POST
def agree(request, pk: int):
    return _case_post(request, pk, "agree", AgreeGradeForm, services.agree_grade, "Grade agreed.")
