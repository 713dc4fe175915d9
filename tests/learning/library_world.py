"""Builders for the learning library tests: library pages, briefings, published reviews and their
findings at every sharing level, all fictional."""

import itertools
from datetime import date

from hub.models import HomePage
from learning.models import LearningBriefing, LibraryPage
from partnership.models import Theme
from reviews.models import Finding, Review, ReviewStatus, ReviewType

_numbers = itertools.count(1)


def library(partnership=None, slug=None) -> LibraryPage:
    home = HomePage.objects.get()
    slug = slug or ("library" if partnership is None else f"library-{partnership.slug}")
    page = LibraryPage(title=f"Library {slug}", slug=slug, partnership=partnership)
    home.add_child(instance=page)
    return page


def briefing(parent, partnership, level, title=None, *, themes=(), when=None, audiences=()):
    n = next(_numbers)
    text = "<p>Fictional text.</p>"
    page = LearningBriefing(
        title=title or f"Briefing {n}",
        slug=f"briefing-{n}",
        partnership=partnership,
        sharing_level=level,
        summary=f"Summary of fictional briefing {n}.",
        background=text,
        why_it_matters=text,
        what_we_found=text,
        what_it_means=text,
        questions=text,
        what_to_do=text,
        briefing_date=when or date(2026, 1, 1),
    )
    parent.add_child(instance=page)
    if themes:
        page.themes.set([Theme.objects.get(slug=s) for s in themes])
    if audiences:
        page.audiences.set(audiences)
    page.save()
    return page


def review(
    partnership,
    level,
    title=None,
    *,
    status=ReviewStatus.PUBLISHED,
    review_type=ReviewType.LCSPR,
    published=date(2026, 2, 1),
    themes=(),
    agencies=(),
):
    n = next(_numbers)
    record = Review.objects.create(
        reference=f"TEST-{n}",
        review_type=review_type,
        title=title or f"Review {n}",
        lead_partnership=partnership,
        status=status,
        sharing_level=level,
        publication_date=published,
        summary=f"Summary of fictional review {n}.",
    )
    if themes:
        record.themes.set([Theme.objects.get(slug=s) for s in themes])
    if agencies:
        record.agencies.set(agencies)
    record.save()  # a cluster keeps its tags and parental relations until saved
    return record


def finding(of_review, level, title=None, *, themes=(), agencies=()):
    n = next(_numbers)
    record = Finding.objects.create(
        review=of_review,
        title=title or f"Finding {n}",
        text=f"Fictional finding {n}.",
        sharing_level=level,
    )
    if themes:
        record.themes.set(Theme.objects.filter(slug__in=themes))
    if agencies:
        record.agencies.set(agencies)
    record.save()
    return record
