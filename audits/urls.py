from django.urls import path

from .views import case_audit_report, case_audits, cycles, returns, standards

urlpatterns = [
    path("self-assessment/", cycles.index, name="audits"),
    path("self-assessment/cycles/new/", cycles.open_cycle, name="audit-open-cycle"),
    path("self-assessment/cycles/<str:reference>/", cycles.cycle_detail, name="audit-cycle"),
    path(
        "self-assessment/cycles/<str:reference>/heat-map.<str:fmt>",
        cycles.cycle_export,
        name="audit-cycle-export",
    ),
    path("self-assessment/cycles/<str:reference>/share/", cycles.share, name="audit-cycle-share"),
    path(
        "self-assessment/cycles/<str:reference>/events/",
        cycles.cycle_events,
        name="audit-cycle-events",
    ),
    path(
        "self-assessment/regional/<int:pk>/",
        cycles.regional_comparison,
        name="audit-regional",
    ),
    path("self-assessment/returns/<int:pk>/", returns.return_detail, name="audit-return"),
    path(
        "self-assessment/returns/<int:pk>/evidence/",
        returns.add_evidence,
        name="audit-return-evidence",
    ),
    path("self-assessment/returns/<int:pk>/submit/", returns.submit, name="audit-return-submit"),
    path(
        "self-assessment/assessments/<int:pk>/",
        returns.assessment_detail,
        name="audit-assessment",
    ),
    path("self-assessment/assessments/<int:pk>/rate/", returns.rate, name="audit-assessment-rate"),
    path(
        "self-assessment/assessments/<int:pk>/challenge/",
        returns.challenge,
        name="audit-assessment-challenge",
    ),
    path(
        "self-assessment/assessments/<int:pk>/answer/",
        returns.respond,
        name="audit-assessment-respond",
    ),
    path(
        "self-assessment/assessments/<int:pk>/agree/",
        returns.agree,
        name="audit-assessment-agree",
    ),
    path("case-audits/", case_audits.programme, name="case-audits"),
    path("case-audits/new/", case_audits.plan, name="case-audit-plan"),
    path("case-audits/report/", case_audit_report.report, name="case-audit-report"),
    path(
        "case-audits/report.<str:fmt>",
        case_audit_report.export,
        name="case-audit-report-export",
    ),
    path("case-audits/cases/<int:pk>/", case_audits.case_detail, name="case-audit-case"),
    path("case-audits/cases/<int:pk>/grade/", case_audits.grade, name="case-audit-grade"),
    path("case-audits/cases/<int:pk>/agree/", case_audits.agree, name="case-audit-agree"),
    path("case-audits/<str:reference>/", case_audits.detail, name="case-audit"),
    path("case-audits/<str:reference>/cases/", case_audits.add_case, name="case-audit-add-case"),
    path(
        "case-audits/<str:reference>/start/",
        case_audits.start_grading,
        name="case-audit-start",
    ),
    path(
        "case-audits/<str:reference>/moderated/",
        case_audits.close_moderation,
        name="case-audit-close",
    ),
    path("standards/", standards.set_list, name="audit-standard-sets"),
    path("standards/<int:pk>/", standards.set_detail, name="audit-standard-set"),
    path(
        "standards/<int:pk>/standards.<str:fmt>",
        standards.set_export,
        name="audit-standard-set-export",
    ),
    path("standards/<int:pk>/adopt/", standards.adopt, name="audit-standard-set-adopt"),
]
