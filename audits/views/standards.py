"""Standards sets on the site: the ones a person may read (their own partnership's, and those
other partnerships share with the region), each with its export and, for another partnership's
managers and quality assurance, adoption as their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from partnership.exports import spreadsheet_response

from .. import standards as services
from ..models import StandardSet
from .common import visible_or_404


@login_required
def set_list(request):
    sets = StandardSet.objects.visible_to(request.user).select_related("partnership")
    return render(request, "audits/standard_sets.html", {"sets": sets})


@login_required
def set_detail(request, pk: int):
    standard_set = visible_or_404(
        StandardSet.objects.select_related("partnership", "adopted_from__partnership"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "audits/standard_set.html",
        {
            "standard_set": standard_set,
            "standards": standard_set.standards.all(),
            "ratings": standard_set.ratings.values(),
            "may_adopt": services.may_adopt(request.user, standard_set),
        },
    )


@login_required
def set_export(request, pk: int, fmt: str):
    standard_set = visible_or_404(StandardSet.objects.all(), request.user, pk=pk)
    columns, rows = services.export_rows(standard_set)
    name = f"{slugify(standard_set.name)}-v{standard_set.version}"
    return spreadsheet_response(fmt, "Standards", columns, rows, name)


@login_required
@require_POST
def adopt(request, pk: int):
    standard_set = visible_or_404(StandardSet.objects.all(), request.user, pk=pk)
    try:
        copy = services.adopt(standard_set, request.user)
    except services.StandardsError as error:
        raise PermissionDenied(str(error)) from error
    messages.success(
        request, f"Adopted as {copy}. Open a cycle on it from the self-assessments page."
    )
    return redirect("audit-standard-set", copy.pk)
