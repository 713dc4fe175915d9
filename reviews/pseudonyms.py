"""Pseudonyms stay home: the one place that takes a review's subject pseudonym out of text.

The rule. A review's subject pseudonym ("Child Q") is written and read in the admin editor, by
the people who may change the review (its lead partnership's reviewers, quality assurance and
managers, and its panel), and in their own exports. Everywhere else a review, finding or
recommendation is shown (every page of the site, briefings and their PDFs, the JSON API, the
feeds, the search index and so its results and snippets, an export, evidence pack or admin view
for someone who may only read it, the name Wagtail gives a review) its title, summary and text
carry a neutral phrase instead ("the child", "the adult", "the family"). The site shows every
reader the same shared text, its own partnership's people included: one text per record keeps
the shared caches and the shared search index honest, and what a member copies, prints or
forwards from the site carries no pseudonym.

Matching is case-insensitive and on word boundaries, so "Child Q", "CHILD Q" and "child q's"
are replaced but a "Q" in another word is not; a heading that starts "Child Q: ..." loses the
prefix rather than reading "The child: ...".

Records are made shareable in memory (`share`), so templates show `finding.text` as ever and a
template written later cannot reach the pseudonym; a shared copy refuses to be saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from partnership.access import SharingLevel

# Text at these levels leaves the partnership: the editor warns when it names the subject.
BEYOND_PARTNERSHIP = {SharingLevel.REGIONAL, SharingLevel.PUBLIC}

CHILD = "the child"
ADULT = "the adult"
FAMILY = "the family"
SUBJECT = "the subject"

ADULT_AGE_BANDS = {"18_24", "25_64", "65_plus"}
SEVERAL = "several"
ADULT_REVIEW_TYPES = {"sar", "dardr"}
# Separators after a pseudonym at the start of a heading: "Child Q: neglect", "Child Q – ...".
HEADING_PREFIX = re.compile(r"^\s*[:\-–—,.]\s*")
SHARED_MARK = "_hub_shared_copy"
# Where a shared review keeps its pseudonym for its findings: a name with a leading underscore,
# which no template can reach.
SUBJECT_MARK = "_hub_subject"


class SharedCopyError(RuntimeError):
    """A record with its pseudonym taken out was about to be saved over the real one."""


def _subject(review) -> tuple[str, str]:
    """The review's pseudonym and the phrase that stands for it, even once it is shared."""
    kept = getattr(review, SUBJECT_MARK, None)
    if kept is not None:
        return kept
    return (review.subject_pseudonym or "").strip(), neutral_phrase(review)


def neutral_phrase(review) -> str:
    """What stands for the subject: by age band when one is recorded, else by type of review."""
    from .models.review import CHILD_REVIEW_TYPES

    band = getattr(review, "age_band", "") or ""
    if band == SEVERAL:
        return FAMILY
    if band in ADULT_AGE_BANDS:
        return ADULT
    if band:
        return CHILD
    if review.review_type in CHILD_REVIEW_TYPES:
        return CHILD
    if review.review_type in ADULT_REVIEW_TYPES:
        return ADULT
    return SUBJECT


@lru_cache(maxsize=512)
def _pattern(pseudonym: str) -> re.Pattern | None:
    words = pseudonym.split()
    if not words:
        return None
    # Any run of spaces or a hyphen between the words: "Child  Q", "Child-Q", a line break.
    body = r"[\s\-]+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n"


def replace(text: str, pseudonym: str, phrase: str) -> str:
    """`text` with every occurrence of `pseudonym` replaced by `phrase`, capitalised where a
    sentence starts."""
    pattern = _pattern((pseudonym or "").strip())
    if not text or pattern is None:
        return text

    def neutral(match):
        if _starts_sentence(text, match.start()):
            return phrase[:1].upper() + phrase[1:]
        return phrase

    return pattern.sub(neutral, text)


def contains(text: str, review) -> bool:
    """Whether `text` names the review's subject by its pseudonym."""
    pattern = _pattern(_subject(review)[0])
    return bool(text and pattern is not None and pattern.search(text))


def shareable_text(text: str, review) -> str:
    """A review's, finding's or recommendation's text as it may be shared."""
    return replace(text, *_subject(review))


def shareable_heading(text: str, review) -> str:
    """A title as it may be shared: a heading that starts with the pseudonym and a separator
    ("Child Q: neglect in a busy household") keeps what follows ("Neglect in a busy household");
    one that is nothing but the pseudonym says what kind of review it is."""
    pattern = _pattern(_subject(review)[0])
    if not text or pattern is None:
        return text
    start = pattern.match(text.lstrip())
    if start is not None:
        rest = text.lstrip()[start.end() :]
        separator = HEADING_PREFIX.match(rest)
        if separator is not None or not rest.strip():
            rest = rest[separator.end() :] if separator else ""
            if not rest.strip():
                return review.get_review_type_display()
            rest = shareable_text(rest, review)
            return rest[:1].upper() + rest[1:]
    return shareable_text(text, review)


def shareable_title(review) -> str:
    return shareable_heading(review.title, review)


def share(record):
    """Take the pseudonym out of a review, finding or recommendation in memory, and out of the
    review it hangs off when that is loaded; returns the record. Idempotent."""
    from .models import Finding, Recommendation, Review

    if getattr(record, SHARED_MARK, False):
        return record
    if isinstance(record, Review):
        setattr(record, SUBJECT_MARK, _subject(record))
        _replace_fields(record, record, headings=("title",), texts=("summary",))
        _blank_fields(record, "status_reason", "confidential_details", "subject_pseudonym")
    elif isinstance(record, Finding):
        review = record.review
        _replace_fields(record, review, headings=("title",), texts=("text", "practice_area"))
        share(review)
    elif isinstance(record, Recommendation):
        review = record.review
        _replace_fields(record, review, texts=("text",))
        share(review)
    else:
        raise TypeError(f"no shareable form of {type(record).__name__}")
    setattr(record, SHARED_MARK, True)
    return record


def _replace_fields(record, review, *, headings=(), texts=()) -> None:
    """Replace in the loaded fields; a field the query left out is blanked, not loaded, so that
    no later read of it can fetch the review's own words."""
    deferred = record.get_deferred_fields()
    for name in (*headings, *texts):
        if name in deferred:
            setattr(record, name, "")
        elif name in headings:
            setattr(record, name, shareable_heading(getattr(record, name), review))
        else:
            setattr(record, name, shareable_text(getattr(record, name), review))


def _blank_fields(record, *names) -> None:
    for name in names:
        setattr(record, name, "")


def share_all(records: Iterable) -> list:
    return [share(record) for record in records]


def refuse_shared_copy(record) -> None:
    """Called by each model's save: a shared copy would write the neutral phrase over the
    review's own words."""
    if getattr(record, SHARED_MARK, False):
        raise SharedCopyError(f"{type(record).__name__} {record.pk} is a shared copy")


def shared_mentions(review) -> list[str]:
    """The texts of `review` (as edited, its findings and recommendations held in memory) that
    will be shared beyond its partnership and still name the subject by the pseudonym, each
    named as the editor labels it. The editor warns of them: every channel replaces the
    pseudonym anyway, but "the child" dropped into a sentence can read badly, and the author
    should know that the words they wrote are not the words others read."""
    pseudonym = _subject(review)[0]
    if not pseudonym:
        return []
    found = []
    if review.sharing_level in BEYOND_PARTNERSHIP:
        found += [
            label
            for label, text in (("Title", review.title), ("Summary", review.summary))
            if contains(text, review)
        ]
    for number, finding in enumerate(review.findings.all(), start=1):
        if finding.sharing_level in BEYOND_PARTNERSHIP:
            for label, text in (("title", finding.title), ("text", finding.text)):
                if contains(text, review):
                    found.append(f"Finding {number} {label}")
    for number, recommendation in enumerate(review.recommendations.all(), start=1):
        if recommendation.sharing_level in BEYOND_PARTNERSHIP and contains(
            recommendation.text, review
        ):
            found.append(f"Recommendation {number} text")
    return found


def warning_for(review) -> str | None:
    """The editor's warning for `review`, or None when its shared text is clear."""
    mentions = shared_mentions(review)
    if not mentions:
        return None
    return (
        f"{', '.join(mentions)} name{'s' if len(mentions) == 1 else ''} "
        f"“{_subject(review)[0]}” and {'is' if len(mentions) == 1 else 'are'} shared beyond "
        f"your partnership. Others will read “{neutral_phrase(review)}” instead: check that "
        "it reads well, or write it that way yourself."
    )
