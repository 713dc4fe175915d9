"""Regional sharing: what a feed or a partner system may read (who is reading, and the tokens
that say so, are `partnership.readers`).

A reader is either a person (a feed token's owner, or someone signed in calling the API) or a
partnership (an API token). Both are answered by the access policy, `visible_to` for a person
and `visible_to_partnership` for a partnership, so no channel here decides who sees what.

What leaves the Hub is built here too, by `briefing_data` and `finding_data`: each names the
fields it shares, so a field added to a model later (or a review's confidential details or its
title) never reaches a feed or the API by accident, and a finding's title and text are shared
through `reviews.pseudonyms`, without the subject's pseudonym."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from wagtail.rich_text import expand_db_html

from partnership.access import (
    SharingLevel,
)
from partnership.models import Partnership
from partnership.readers import Reader
from reviews.models import SETTLED_STATUSES, Finding
from reviews.pseudonyms import shareable_heading, shareable_text

from .models import LearningBriefing

FEED_LENGTH = 50


def briefings_for(reader: Reader):
    """Live briefings the reader may see, newest first, with what a list shows in constant
    queries."""
    qs = (
        LearningBriefing.objects.live()
        .select_related("partnership")
        .prefetch_related("themes")
        .order_by("-first_published_at", "-pk")
    )
    return reader.visible(qs)


def findings_for(reader: Reader):
    """Findings the reader may see, on their own sharing level, newest review first: only those
    of settled reviews, as the library and search share them (never a finding of a review still
    being written or under embargo, however widely the finding itself is marked)."""
    qs = (
        Finding.objects.filter(review__status__in=SETTLED_STATUSES)
        .select_related("review__lead_partnership")
        .prefetch_related("themes")
        .order_by("-review__updated_at", "-pk")
    )
    return reader.visible(qs)


def filter_by(qs, *, theme: str = "", partnership: str = "", owner_path: str = "partnership"):
    """Narrow a list by theme slug and owning partnership slug, as the API's query string asks."""
    if theme:
        qs = qs.filter(themes__slug=theme)
    if partnership:
        qs = qs.filter(**{f"{owner_path}__slug": partnership})
    return qs.distinct() if theme else qs


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    summary: str
    updated: object
    author: str
    guid: str


def feed_entries(
    reader: Reader, request, *, level: SharingLevel, partnership: Partnership | None = None
):
    """The newest learning shared at `level` that the reader may see, briefings and findings
    together, newest first. `partnership` narrows it to one owner (a partnership's feed)."""
    briefings = briefings_for(reader).filter(sharing_level=level)
    findings = findings_for(reader).filter(sharing_level=level)
    if partnership is not None:
        briefings = briefings.filter(partnership=partnership)
        findings = findings.filter(review__lead_partnership=partnership)
    entries = [
        FeedEntry(
            title=b.title,
            link=b.get_full_url(request),
            summary=b.summary,
            updated=b.last_published_at or b.first_published_at,
            author=b.partnership.name,
            guid=f"briefing-{b.pk}",
        )
        for b in briefings[:FEED_LENGTH]
    ]
    entries += [
        FeedEntry(
            title=shareable_heading(f.title, f.review),
            link=request.build_absolute_uri(reverse("library-finding", args=[f.pk])),
            summary=shareable_text(f.text, f.review),
            updated=f.review.updated_at,
            author=f.review.lead_partnership.name,
            guid=f"finding-{f.pk}",
        )
        for f in findings[:FEED_LENGTH]
    ]
    entries.sort(key=lambda e: e.updated, reverse=True)
    return entries[:FEED_LENGTH]


def briefing_data(briefing: LearningBriefing, request, *, full: bool = False) -> dict:
    data = {
        "id": briefing.pk,
        "type": "briefing",
        "title": briefing.title,
        "summary": briefing.summary,
        "url": briefing.get_full_url(request),
        "partnership": briefing.partnership.name,
        "sharing_level": briefing.sharing_level,
        "themes": [{"slug": t.slug, "name": t.name} for t in briefing.themes.all()],
        "briefing_date": briefing.briefing_date.isoformat(),
        "first_published_at": _iso(briefing.first_published_at),
        "last_published_at": _iso(briefing.last_published_at),
    }
    if full:
        for part in (
            "background",
            "why_it_matters",
            "what_we_found",
            "what_it_means",
            "questions",
            "what_to_do",
            "learn_more",
        ):
            data[part] = expand_db_html(getattr(briefing, part))
    return data


def finding_data(finding: Finding, request) -> dict:
    """A finding as it is shared: its own title and text without the subject's pseudonym, never
    its review's title, pseudonym or confidential details."""
    review = finding.review
    return {
        "id": finding.pk,
        "type": "finding",
        "title": shareable_heading(finding.title, review),
        "text": shareable_text(finding.text, review),
        "practice_area": shareable_text(finding.practice_area, review),
        "url": request.build_absolute_uri(reverse("api-finding", args=[finding.pk])),
        "partnership": finding.review.lead_partnership.name,
        "sharing_level": finding.sharing_level,
        "themes": [{"slug": t.slug, "name": t.name} for t in finding.themes.all()],
        "updated_at": _iso(finding.review.updated_at),
    }


def _iso(value):
    return value.isoformat() if value else None
