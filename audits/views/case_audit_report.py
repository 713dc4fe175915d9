"""Case-audit grades by theme over time and by agency, with its chart and its export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from hub.charts import download_response, with_download
from partnership.exports import spreadsheet_response

from .. import case_audit_report


@login_required
def report(request):
    by_audit, by_agency = case_audit_report.build(request.user)
    chart = with_download(request, case_audit_report.chart(by_audit))
    download = download_response(request, chart)
    if download is not None:
        return download
    return render(
        request,
        "audits/case_audits/report.html",
        {"by_audit": by_audit, "by_agency": by_agency, "chart": chart},
    )


@login_required
def export(request, fmt: str):
    by_audit, _ = case_audit_report.build(request.user)
    columns, rows = case_audit_report.export_rows(by_audit)
    return spreadsheet_response(fmt, "Case audit grades", columns, rows, "case-audit-grades")
