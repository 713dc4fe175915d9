"""The one rule that takes a subject's pseudonym out of shared text (`reviews.pseudonyms`)."""

import pytest

from reviews import pseudonyms
from reviews.models import AgeBand, Finding, Recommendation, Review, ReviewType


def review(pseudonym="Child Q", review_type=ReviewType.LCSPR, age_band="", **fields):
    return Review(subject_pseudonym=pseudonym, review_type=review_type, age_band=age_band, **fields)


@pytest.mark.parametrize(
    "text, shared",
    [
        ("Child Q's mother was not seen.", "The child's mother was not seen."),
        ("Nobody asked child q's father.", "Nobody asked the child's father."),
        ("Agencies knew CHILD Q. Child Q moved.", "Agencies knew the child. The child moved."),
        ("Child  Q and Child-Q", "The child and the child"),
        (
            "The Quality of work for Child Q1 and QChild Q",
            "The Quality of work for Child Q1 and QChild Q",
        ),
        ("Q was in Year 4.", "Q was in Year 4."),
        ("", ""),
    ],
)
def test_the_pseudonym_is_replaced_on_word_boundaries_in_any_case(text, shared):
    assert pseudonyms.shareable_text(text, review()) == shared


@pytest.mark.parametrize(
    "title, shared",
    [
        ("Child Q: neglect in a busy household", "Neglect in a busy household"),
        ("Child Q – a child unseen by Child Q's school", "A child unseen by the child's school"),
        ("Child Q", "Local Child Safeguarding Practice Review"),
        ("Learning from Child Q", "Learning from the child"),
        ("Child Q and the health visitor", "The child and the health visitor"),
    ],
)
def test_a_heading_that_starts_with_the_pseudonym_reads_sensibly(title, shared):
    assert pseudonyms.shareable_heading(title, review()) == shared


@pytest.mark.parametrize(
    "review_type, age_band, phrase",
    [
        (ReviewType.RAPID_REVIEW, "", "the child"),
        (ReviewType.SAR, "", "the adult"),
        (ReviewType.DARDR, "", "the adult"),
        (ReviewType.LEARNING_REVIEW, "", "the subject"),
        (ReviewType.LEARNING_REVIEW, AgeBand.AGE_5_10, "the child"),
        (ReviewType.LCSPR, AgeBand.ADULT_18_24, "the adult"),
        (ReviewType.LCSPR, AgeBand.SEVERAL, "the family"),
    ],
)
def test_the_phrase_follows_the_subject(review_type, age_band, phrase):
    assert pseudonyms.neutral_phrase(review(review_type=review_type, age_band=age_band)) == phrase


def test_no_pseudonym_changes_nothing():
    assert (
        pseudonyms.shareable_text("Child Q's mother", review(pseudonym=" ")) == "Child Q's mother"
    )


def test_a_shared_copy_keeps_nothing_of_the_pseudonym_and_refuses_to_be_saved():
    subject = review(
        title="Child Q: neglect",
        summary="Child Q lived with her mother.",
        confidential_details="Real name",
        status_reason="Child Q's trial",
    )
    found = Finding(review=subject, title="Child Q was not seen", text="Child Q's mother.")
    answer = Recommendation(review=subject, text="See Child Q's siblings.")
    pseudonyms.share_all([found, answer])
    assert (subject.title, subject.summary) == ("Neglect", "The child lived with her mother.")
    assert subject.subject_pseudonym == subject.confidential_details == subject.status_reason == ""
    assert (found.title, found.text) == ("The child was not seen", "The child's mother.")
    assert answer.text == "See the child's siblings."
    assert pseudonyms.share(found) is found  # idempotent: the text is not replaced twice
    for record in (subject, found, answer):
        with pytest.raises(pseudonyms.SharedCopyError):
            record.save()


def test_contains_finds_the_pseudonym_as_the_replacement_does():
    assert pseudonyms.contains("Ask about child q's father", review())
    assert not pseudonyms.contains("Ask about Child Q1", review())
