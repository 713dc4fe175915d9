"""My actions: the site's pages where agency leads and action leads keep their actions up to date.

Signed-in only. Who sees an action is the access policy's answer (404 for anyone else); who may
change it is `learning.actions.may_update` (403 for a POST from anyone else, and no forms shown).
Each change is a POST to its own URL, handled by a service; on success the person is sent back to
the action (post, redirect, get), and on failure the page is shown again with what they typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hub.pagination import links_for
from partnership.access import can_view, has_role
from partnership.models import Role

from .. import actions as services
from .. import impact
from ..briefings import reach_for_action as briefing_reach_for_action
from ..forms import ActionFilterForm, EvidenceForm, ExtensionForm, ProgressForm
from ..models import Action, ActionState, EvidenceKind, ExtensionDecision

PER_PAGE = 20
DATE_PARTS = [
    ("day", "Day", "govuk-input--width-2"),
    ("month", "Month", "govuk-input--width-2"),
    ("year", "Year", "govuk-input--width-4"),
]

# The forms on an action's page, each with its own prefix so that their fields' ids differ.
FORMS = {
    "progress": ProgressForm,
    "evidence": EvidenceForm,
    "extension": ExtensionForm,
}


@login_required
def action_list(request):
    today = timezone.localdate()
    filters = ActionFilterForm(request.GET or None)
    actions = (
        Action.objects.mine(request.user)
        .with_rag(today)
        .select_related("owner_agency", "lead")
        .order_by("due_date", "reference")
    )
    if filters.is_valid():
        if filters.cleaned_data["state"]:
            actions = actions.filter(state=filters.cleaned_data["state"])
        if filters.cleaned_data["rag"]:
            actions = actions.filter(rag=filters.cleaned_data["rag"])
    page = Paginator(actions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/my_actions/list.html",
        {
            "filters": filters,
            "page_obj": page,
            "actions": page.object_list,
            "pagination": links_for(page, request.GET),
            "is_agency_lead": has_role(request.user, Role.AGENCY_LEAD),
            "filtered": any(request.GET.get(name) for name in ("state", "rag")),
        },
    )


def _visible_action(request, reference) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "owner_agency", "lead", "partnership", "recommendation", "review", "embedded_by"
        ),
        reference=reference,
    )


def _render_detail(request, action, *, failed=None, errors=(), status=200):
    """The action's page. `failed` is (name, bound form) of a form that did not go through."""
    today = timezone.localdate()
    may_update = services.may_update(request.user, action)
    evidence = list(action.evidence.select_related("document", "added_by"))
    kinds = {item.kind for item in evidence}
    requests = list(action.extension_requests.select_related("requested_by", "decided_by"))
    pending = next((r for r in requests if r.decision == ExtensionDecision.PENDING), None)
    forms = {}
    if may_update:
        forms = {name: form_class(prefix=name) for name, form_class in FORMS.items()}
        if failed:
            forms[failed[0]] = failed[1]
    state = ActionState(action.state)
    # The recommendation keeps its own sharing level: its text is shown only to people who may
    # read it, and never anything of the review but its reference.
    recommendation = action.recommendation
    show_recommendation = bool(recommendation and can_view(request.user, recommendation))
    context = {
        "action": action,
        # Practitioners who read and understood a briefing from this action's learning: evidence
        # towards embedding.
        "briefing_reach": briefing_reach_for_action(action).count(),
        # Counted by other apps (delegates' training follow-ups): shown, never moving the action.
        "impact_signals": impact.for_action(action),
        "rag": action.rag(today),
        "may_update": may_update,
        "is_open": state in (ActionState.OPEN, ActionState.IN_PROGRESS),
        "is_closed": state in (ActionState.EMBEDDED, ActionState.NOT_ACHIEVED),
        "can_start": may_update and services.can_move(action, ActionState.IN_PROGRESS),
        "can_complete": may_update
        and services.can_move(action, ActionState.COMPLETED)
        and EvidenceKind.COMPLETION in kinds,
        "needs_completion_evidence": may_update
        and services.can_move(action, ActionState.COMPLETED)
        and EvidenceKind.COMPLETION not in kinds,
        "can_evidence_impact": may_update
        and services.can_move(action, ActionState.IMPACT_EVIDENCED)
        and EvidenceKind.IMPACT in kinds,
        "needs_impact_evidence": may_update
        and services.can_move(action, ActionState.IMPACT_EVIDENCED)
        and EvidenceKind.IMPACT not in kinds,
        "events": action.events.select_related("user"),
        "evidence": evidence,
        "extension_requests": requests,
        "pending_extension": pending,
        "show_recommendation": show_recommendation,
        "forms": forms,
        "failed_form": failed[1] if failed else None,
        "first_field_id": _first_field_id(failed[1]) if failed else "state-buttons",
        "errors": list(errors),
        "date_parts": DATE_PARTS,
    }
    return render(request, "learning/my_actions/detail.html", context, status=status)


def _first_field_id(form) -> str:
    field = next(iter(form))
    suffix = {"radioselect": "_0", "date": "_day"}.get(field.widget_type, "")
    return f"{field.auto_id}{suffix}"


@login_required
def action_detail(request, reference):
    return _render_detail(request, _visible_action(request, reference))


def _updatable_action(request, reference) -> Action:
    action = _visible_action(request, reference)
    if not services.may_update(request.user, action):
        raise PermissionDenied("You can see this action but not change it.")
    return action


# The buttons: a change of state with nothing to type.
MOVES = {
    "start": (services.start, "The action is in progress"),
    "complete": (services.complete, "The action is completed"),
    "impact": (services.evidence_impact, "The action’s impact is evidenced"),
}


@login_required
@require_POST
def move(request, reference, verb):
    if verb not in MOVES:
        raise Http404
    action = _updatable_action(request, reference)
    service, done = MOVES[verb]
    try:
        service(action, request.user)
    except services.ActionPermissionError as error:
        raise PermissionDenied(error.message) from error
    except services.ActionStateError as error:
        return _render_detail(request, action, errors=[error.message])
    messages.success(request, done)
    return redirect("my-action", reference=action.reference)


def _form_post(request, reference, name, handle, done):
    """Bind the named form; when valid, `handle(action, cleaned_data)` calls the service."""
    action = _updatable_action(request, reference)
    form = FORMS[name](request.POST, request.FILES, prefix=name)
    if form.is_valid():
        try:
            handle(action, form.cleaned_data)
        except services.ActionPermissionError as error:
            raise PermissionDenied(error.message) from error
        except services.ActionStateError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("my-action", reference=action.reference)
    return _render_detail(request, action, failed=(name, form))


@login_required
@require_POST
def progress(request, reference):
    return _form_post(
        request,
        reference,
        "progress",
        lambda action, data: services.record_progress(action, request.user, data["text"]),
        "Your progress update is saved",
    )


@login_required
@require_POST
def evidence(request, reference):
    return _form_post(
        request,
        reference,
        "evidence",
        lambda action, data: services.add_evidence(
            action,
            request.user,
            data["kind"],
            data["text"],
            impact_type=data["impact_type"] or None,
            document_file=data["document"],
        ),
        "Your evidence is added",
    )


@login_required
@require_POST
def extension(request, reference):
    return _form_post(
        request,
        reference,
        "extension",
        lambda action, data: services.request_extension(
            action, request.user, data["new_date"], data["reason"]
        ),
        "Your extension request is sent to quality assurance",
    )
