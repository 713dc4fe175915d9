"""Who may lead each kind of review: a SAR the safeguarding adults board, a DARDR the community
safety partnership or the adults board, a children's review the children's partnership; a joint
partnership either. The rule is the review's own (`Review.clean`), so the admin's add and edit
forms and the tracker import all refuse the same thing with the same words."""

import pytest
from django.urls import reverse

from partnership.access import SharingLevel
from partnership.models import PartnershipKind
from reviews.models import Review, ReviewType, may_lead
from reviews.models.review import CHILD_REVIEW_TYPES
from tests.admin_forms import edit_form_data

from .conftest import make_admin_review

ADD = "wagtailsnippets_reviews_review:add"


def edit_url(review):
    return reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])


@pytest.mark.parametrize("review_type", list(ReviewType))
@pytest.mark.parametrize("kind", list(PartnershipKind))
def test_the_law_decides_which_partnership_leads_each_kind_of_review(review_type, kind):
    if review_type in CHILD_REVIEW_TYPES:
        expected = kind in (PartnershipKind.CHILDREN, PartnershipKind.JOINT)
    elif review_type == ReviewType.SAR:
        expected = kind in (PartnershipKind.ADULTS, PartnershipKind.JOINT)
    elif review_type == ReviewType.DARDR:
        expected = kind != PartnershipKind.CHILDREN
    else:  # audits, peer reviews and learning reviews: any partnership
        expected = True
    assert may_lead(review_type, kind) is expected


@pytest.mark.django_db
def test_a_childrens_partnership_cannot_open_a_sar_in_the_admin(
    client, people, wirral, partnership_review
):
    data = edit_form_data(
        client,
        people["reviewer"],
        edit_url(partnership_review),
        reference="WIR-SAR-2026-01",
        review_type=ReviewType.SAR,
        title="Adult C: a safeguarding adults review",
        sharing_level=SharingLevel.RESTRICTED,
    )
    client.force_login(people["reviewer"])
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "is led by a safeguarding adults board or joint children and adults partnership" in html
    assert "Wirral is a safeguarding children partnership" in html
    assert not Review.objects.filter(reference="WIR-SAR-2026-01").exists()


@pytest.mark.django_db
def test_the_adults_board_opens_its_sar_and_cannot_turn_it_into_a_childrens_review(
    client, world, people
):
    board = world.partnerships["Wirral SAB"]
    manager = people["sab.manager"]
    existing = make_admin_review(
        board,
        "WIRSAB-SAR-2026-01",
        SharingLevel.PARTNERSHIP,
        panel=[manager],
        review_type=ReviewType.SAR,
        subject_pseudonym="Adult C",
    )
    data = edit_form_data(
        client,
        manager,
        edit_url(existing),
        reference="WIRSAB-SAR-2026-02",
        title="Adult D: a safeguarding adults review",
    )
    client.force_login(manager)
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    made = Review.objects.get(reference="WIRSAB-SAR-2026-02")
    assert (made.review_type, made.lead_partnership) == (ReviewType.SAR, board)

    changed = edit_form_data(client, manager, edit_url(made), review_type=ReviewType.LCSPR)
    client.force_login(manager)
    response = client.post(edit_url(made), changed)
    assert response.status_code == 200
    assert "Wirral SAB is a safeguarding adults board" in response.content.decode()
    made.refresh_from_db()
    assert made.review_type == ReviewType.SAR
