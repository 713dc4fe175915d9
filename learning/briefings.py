"""Learning briefings as practitioners use them: what of a briefing's sources a reader may see,
marking a briefing read and understood, and how far each briefing has reached.

Every answer starts from `partnership.access`: a reader is shown only the sources they may see,
may acknowledge only a briefing they may see, and quality assurance counts reach only over the
briefings they may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from wagtail.log_actions import log

from hub.pdf import PdfError, pdf_from_template
from partnership.access import can_view, membership_of, visible_to
from partnership.models import Agency
from reviews import pseudonyms
from reviews.models import Finding, Review
from reviews.pseudonyms import share_all

from .models import Acknowledgement, LearningBriefing

ACKNOWLEDGED = "hub.briefing.acknowledged"
PDF_TEMPLATE = "learning/learning_briefing_pdf.html"


class BriefingError(Exception):
    """A reader tried something the briefing's rules do not allow."""


@dataclass
class Sources:
    """The shareable parts of a briefing's sources that one reader may see."""

    reviews: list[Review]
    findings: list[Finding]

    def __bool__(self) -> bool:
        return bool(self.reviews or self.findings)


def sources_for(user, briefing: LearningBriefing) -> Sources:
    """Two queries however many sources: each narrowed by the access policy in the database.

    Only what the template may show is loaded (never a review's confidential details), and each
    is shared as `reviews.pseudonyms` shares it: a briefing travels further than its reviews, so
    "Child Q" does not follow it, for any reader."""
    subject = ("subject_pseudonym", "age_band", "review_type")
    reviews = (
        visible_to(user, Review.objects.filter(pk__in=_chosen(briefing.source_reviews)))
        .only("pk", "reference", "title", *subject)
        .order_by("reference")
    )
    findings = (
        visible_to(user, Finding.objects.filter(pk__in=_chosen(briefing.source_findings)))
        .select_related("review")
        .only(
            "pk",
            "title",
            "text",
            "practice_area",
            "review__reference",
            *(f"review__{f}" for f in subject),
        )
        .order_by("review__reference", "sort_order", "pk")
    )
    return Sources(reviews=share_all(reviews), findings=share_all(findings))


def _chosen(relation):
    """The chosen sources as a subquery, or, in a preview of unsaved changes, as the pks held in
    memory by the page's parental relation."""
    chosen = relation.all()
    if isinstance(chosen, QuerySet):
        return chosen.values("pk")
    return [item.pk for item in chosen]


BRIEFING_TEXTS = (
    ("title", "Title"),
    ("summary", "Summary"),
    ("background", "Background"),
    ("why_it_matters", "Why it matters"),
    ("what_we_found", "What we found"),
    ("what_it_means", "What it means"),
    ("questions", "Questions"),
    ("what_to_do", "What to do"),
    ("learn_more", "Where to learn more"),
)


def pseudonym_warning(briefing: LearningBriefing) -> str | None:
    """The editor's warning when a briefing shared beyond its partnership names the subject of
    one of its source reviews or findings by the pseudonym (the sources as edited, held in
    memory). A briefing's own words are its author's: the warning asks them to write "the
    child", as search already indexes them."""
    if briefing.sharing_level not in pseudonyms.BEYOND_PARTNERSHIP:
        return None
    subjects = [
        *briefing.source_reviews.all(),
        *(finding.review for finding in briefing.source_findings.all()),
    ]
    named = {}
    for name, label in BRIEFING_TEXTS:
        text = str(getattr(briefing, name, "") or "")
        for review in subjects:
            labels = named.setdefault(review.subject_pseudonym.strip(), [])
            if label not in labels and pseudonyms.contains(text, review):
                labels.append(label)
    named = {pseudonym: labels for pseudonym, labels in named.items() if labels}
    if not named:
        return None
    return " ".join(
        f"{', '.join(labels)} name{'s' if len(labels) == 1 else ''} “{pseudonym}”, a source's "
        "subject, and this briefing is shared beyond your partnership: write "
        "“the child” (or “the adult”, “the family”) instead."
        for pseudonym, labels in named.items()
    )


def acknowledgement_of(user, briefing: LearningBriefing) -> Acknowledgement | None:
    if not getattr(user, "is_authenticated", False) or briefing.pk is None:
        return None
    return Acknowledgement.objects.filter(user=user, briefing=briefing).first()


def acknowledge(user, briefing: LearningBriefing) -> tuple[Acknowledgement, bool]:
    """Record that `user` has read and understood `briefing`, once; returns it and whether it is
    new. Their agency is kept with it, so that reach by agency survives a change of job."""
    if not getattr(user, "is_authenticated", False):
        raise BriefingError("sign in to mark a briefing read and understood")
    if not briefing.live or not can_view(user, briefing):
        raise BriefingError("you cannot see this briefing")
    membership = membership_of(user)
    with transaction.atomic():
        acknowledgement, created = Acknowledgement.objects.get_or_create(
            user=user,
            briefing=briefing,
            defaults={"agency_id": membership.agency_id if membership else None},
        )
        if created:
            log(briefing, ACKNOWLEDGED, user=user)
    return acknowledgement, created


def read_by(user):
    """What `user` has marked read and understood, newest first, still visible to them."""
    briefings = visible_to(user, LearningBriefing.objects.live())
    return (
        Acknowledgement.objects.filter(user=user, briefing__in=briefings.values("pk"))
        .select_related("briefing", "briefing__partnership")
        .order_by("-at")
    )


def reach_by_briefing(user):
    """The live briefings `user` may see, each with how many have read it and in how many
    agencies: one query."""
    return (
        visible_to(user, LearningBriefing.objects.live())
        .select_related("partnership")
        .annotate(
            readers=Count("acknowledgements", distinct=True),
            reader_agencies=Count("acknowledgements__agency", distinct=True),
        )
        .order_by("-readers", "title")
    )


def reach_by_agency(user):
    """Agencies whose people have read briefings `user` may see, with how many readings and of
    how many briefings: one query. Readings of briefings the reader may not see are not counted."""
    briefings = visible_to(user, LearningBriefing.objects.live()).values("pk")
    counted = Q(acknowledgements__briefing__in=briefings)
    return (
        Agency.objects.select_related("partnership")
        .annotate(
            readings=Count("acknowledgements", filter=counted, distinct=True),
            briefings_read=Count("acknowledgements__briefing", filter=counted, distinct=True),
        )
        .filter(readings__gt=0)
        .order_by("-readings", "name")
    )


def reach_for_action(action):
    """Acknowledgements of the briefings that come from the action's recommendation (its
    findings) or from the action's review: the practitioners the learning has reached, which
    counts as evidence towards embedding. Counting is the caller's: `.count()`, or by agency."""
    sources = Q()
    recommendation = getattr(action, "recommendation", None)
    if recommendation is not None:
        sources |= Q(briefing__source_findings__recommendations=recommendation)
    if action.review_id:
        sources |= Q(briefing__source_reviews=action.review_id)
    if not sources:
        return Acknowledgement.objects.none()
    matching = Acknowledgement.objects.filter(sources, briefing__live=True).values("pk")
    return Acknowledgement.objects.filter(pk__in=matching)


def render_pdf(request, briefing: LearningBriefing) -> bytes:
    """The briefing as an A4 PDF, with only the sources the reader may see (xhtml2pdf, as the
    evidence pack)."""
    context = {
        "page": briefing,
        "sources": sources_for(request.user, briefing),
        "base_url": request.build_absolute_uri("/").rstrip("/"),
    }
    try:
        return pdf_from_template(PDF_TEMPLATE, context, request=request)
    except PdfError as error:
        raise BriefingError(f"the briefing {briefing.pk} could not be made into a PDF") from error
