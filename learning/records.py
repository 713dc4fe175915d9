"""What the pages of single library records show: a key finding, a recommendation and a published
review report, each at its own address so that the library, search and the API can link to it.

A record is shown only if the library would list it (a finding or recommendation of a settled
review, a published report) and the access policy lets the reader see it; anything else is
"not found", so that a page never confirms that a hidden record exists. Records linked from a
page (a finding's recommendations, a report's findings) pass the same two tests one by one: a
finding may be shared with the region while the recommendation answering it stays restricted.

What is shown is named here, field by field, as `learning.sharing` does for the API: never a
review's confidential details, a finding or recommendation names its review's title only when the
reader may open the report itself, and every record is shared through `reviews.pseudonyms`, so
no page shows the subject's pseudonym, to any reader.

Each page costs the same handful of queries however many findings and recommendations a review
has: the record, its themes, and one query for each list on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from partnership.access import SharingLevel
from partnership.models import Theme
from reviews.audit import log_review_read
from reviews.models import Finding, Recommendation, Review, ReviewStatus, ReviewTheme
from reviews.pseudonyms import share, share_all

from .library import shared_findings, shared_recommendations, shared_reports
from .models import LibraryPage


@dataclass
class Crumb:
    title: str
    url: str


@dataclass
class FindingDetail:
    finding: Finding
    themes: list[Theme]
    recommendations: list[Recommendation]
    report: Review | None
    date: date | None

    @property
    def review(self) -> Review:
        return self.finding.review


@dataclass
class RecommendationDetail:
    recommendation: Recommendation
    findings: list[Finding]
    themes: list[Theme]
    report: Review | None
    date: date | None

    @property
    def review(self) -> Review:
        return self.recommendation.review


@dataclass
class ReportDetail:
    review: Review
    themes: list[Theme]
    findings: list[Finding]
    recommendations: list[Recommendation]
    date: date | None

    @property
    def improvements_only(self) -> bool:
        return self.review.status == ReviewStatus.PUBLISHED_IMPROVEMENTS_ONLY


def _report_of(user, review_id: int) -> Review | None:
    """The review's published report, if the reader may open it; only what a link needs."""
    report = (
        shared_reports(user)
        .filter(pk=review_id)
        .only("pk", "title", "reference", "subject_pseudonym", "age_band", "review_type")
        .first()
    )
    return share(report) if report is not None else None


def finding_detail(user, pk: int) -> FindingDetail | None:
    finding = shared_findings(user).select_related("review__lead_partnership").filter(pk=pk).first()
    if finding is None:
        return None
    recommendations = _shared(
        shared_recommendations(user).filter(findings=finding).order_by("sort_order", "pk"),
        finding.review,
    )
    return FindingDetail(
        finding=share(finding),
        themes=list(finding.themes.order_by("name")),
        recommendations=recommendations,
        report=_report_of(user, finding.review_id),
        date=finding.review.finding_date,
    )


def recommendation_detail(user, pk: int) -> RecommendationDetail | None:
    recommendation = (
        shared_recommendations(user)
        .select_related("review__lead_partnership")
        .filter(pk=pk)
        .first()
    )
    if recommendation is None:
        return None
    findings = _shared(
        shared_findings(user)
        .filter(recommendations=recommendation)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("sort_order", "pk"),
        recommendation.review,
    )
    # Its themes are those of the findings it answers, as search files it: only those the reader
    # may see, so that a hidden finding's themes say nothing about it.
    themes = {theme.pk: theme for f in findings for theme in f.themes.all()}
    return RecommendationDetail(
        recommendation=share(recommendation),
        findings=findings,
        themes=sorted(themes.values(), key=lambda theme: theme.name),
        report=_report_of(user, recommendation.review_id),
        date=recommendation.review.finding_date,
    )


def report_detail(user, pk: int) -> ReportDetail | None:
    review = shared_reports(user).select_related("lead_partnership").filter(pk=pk).first()
    if review is None:
        return None
    if review.sharing_level == SharingLevel.RESTRICTED:
        # Reading a restricted review is audited, wherever it is read.
        log_review_read(review, user, "report page")
    themes = [
        item.tag
        for item in ReviewTheme.objects.filter(content_object=review)
        .select_related("tag")
        .order_by("tag__name")
    ]
    findings = _shared(
        shared_findings(user).filter(review=review).order_by("sort_order", "pk"), review
    )
    recommendations = _shared(
        shared_recommendations(user).filter(review=review).order_by("sort_order", "pk"), review
    )
    return ReportDetail(
        review=share(review),
        themes=themes,
        findings=findings,
        recommendations=recommendations,
        date=review.report_date,
    )


def _shared(records, review: Review) -> list:
    """A page's list of one review's findings or recommendations, shared: each is given the
    review already loaded (no query apiece) before its pseudonym is taken out."""
    records = list(records)
    for record in records:
        record.review = review
    return share_all(records)


def library_trail(request, partnership) -> list[Crumb]:
    """The way back: the home page, the region's library and the owning partnership's library,
    where they exist and are live (one query)."""
    libraries = (
        LibraryPage.objects.live()
        .filter(Q(partnership__isnull=True) | Q(partnership=partnership))
        .order_by("path")
    )
    region, own = None, None
    for library in libraries:
        if library.partnership_id is None:
            region = region or library
        else:
            own = own or library
    crumbs = [Crumb("Home", "/")]
    for library in (region, own):
        if library is not None:
            url = library.get_url(request)
            if url:
                crumbs.append(Crumb(library.title, url))
    return crumbs
