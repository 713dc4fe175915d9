"""A fresh database, migrated from the one squashed migration per app, starts with exactly the
roles, grants, pages and collections the Hub's access rules assume. A change to what a role may do
in the admin has to change this table too, on purpose."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

pytestmark = pytest.mark.django_db

GRANTS = {
    "Agency lead": set(),
    "Delegated safeguarding partner": {
        "partnership.view_agency",
        "partnership.view_theme",
        "reviews.view_review",
        "wagtailadmin.access_admin",
    },
    "Executive group member": set(),
    "Independent scrutineer": {
        "audits.view_standardset",
        "learning.view_action",
        "partnership.view_agency",
        "partnership.view_theme",
        "reviews.view_review",
        "wagtailadmin.access_admin",
    },
    "Partnership manager": {
        "audits.add_standardset",
        "audits.change_standardset",
        "audits.view_standardset",
        "learning.add_action",
        "learning.change_action",
        "learning.view_action",
        "partnership.add_agency",
        "partnership.add_membership",
        "partnership.add_partnership",
        "partnership.add_theme",
        "partnership.change_agency",
        "partnership.change_membership",
        "partnership.change_partnership",
        "partnership.change_theme",
        "partnership.delete_agency",
        "partnership.delete_membership",
        "partnership.delete_partnership",
        "partnership.delete_theme",
        "partnership.view_agency",
        "partnership.view_membership",
        "partnership.view_partnership",
        "partnership.view_theme",
        "reviews.add_review",
        "reviews.change_review",
        "reviews.change_reviewtimescale",
        "reviews.lock_review",
        "reviews.unlock_review",
        "reviews.view_review",
        "reviews.view_reviewtimescale",
        "training.add_session",
        "training.change_session",
        "training.change_trainingterms",
        "training.view_booking",
        "training.view_session",
        "training.view_trainingterms",
        "wagtailadmin.access_admin",
    },
    "Practitioner": set(),
    "Quality assurance": {
        "audits.add_standardset",
        "audits.change_standardset",
        "audits.view_standardset",
        "learning.add_action",
        "learning.change_action",
        "learning.view_action",
        "partnership.view_agency",
        "partnership.view_theme",
        "reviews.add_review",
        "reviews.change_review",
        "reviews.lock_review",
        "reviews.view_review",
        "wagtailadmin.access_admin",
    },
    "Reviewer": {
        "learning.view_action",
        "partnership.view_agency",
        "partnership.view_theme",
        "reviews.add_review",
        "reviews.change_review",
        "reviews.lock_review",
        "reviews.view_review",
        "wagtailadmin.access_admin",
    },
    "Trainer": {
        "partnership.view_agency",
        "partnership.view_theme",
        "training.add_session",
        "training.change_session",
        "training.view_booking",
        "training.view_session",
        "wagtailadmin.access_admin",
    },
}


def test_every_role_has_exactly_its_grants():
    for name, expected in GRANTS.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == expected, name


def test_no_role_may_choose_every_document_or_image():
    """Wagtail's own migrations give every admin group blanket choose rights when the groups
    exist before them; the Hub's are made after, and documents are granted per collection."""
    assert (
        not Group.objects.filter(permissions__codename__in=["choose_document", "choose_image"])
        .exclude(name__in=["Editors", "Moderators"])
        .exists()
    )


def test_no_role_publishes_a_review_by_hand():
    """Sign-off is the only way to publish a review (reviews.signoff)."""
    assert not Group.objects.filter(permissions__codename="publish_review").exists()


def test_the_site_serves_the_home_page_with_its_accessibility_statement_and_course_list():
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert type(home).__name__ == "HomePage" and home.live
    children = {p.slug: p.specific_class.__name__ for p in home.get_children()}
    assert children == {"accessibility": "StandardPage", "courses": "CourseIndexPage"}
    assert Page.objects.get(slug="accessibility").url_path == "/home/accessibility/"


def test_trainers_write_only_under_the_course_list():
    grants = GroupPagePermission.objects.filter(group__name="Trainer")
    assert {g.page.slug for g in grants} == {"courses"}
    assert {g.permission.codename for g in grants} == {"add_page", "change_page", "publish_page"}


def test_evidence_is_in_a_private_collection_no_group_may_browse():
    evidence = Collection.objects.get(name="Action evidence")
    assert not GroupCollectionPermission.objects.filter(collection=evidence).exists()
    assert evidence.get_view_restrictions().filter(restriction_type="login").exists()
    editors = GroupCollectionPermission.objects.filter(collection__name="Review documents")
    assert {g.group.name for g in editors} == {
        "Partnership manager",
        "Quality assurance",
        "Reviewer",
    }


def test_the_only_workflow_is_the_reviews_sign_off():
    """Wagtail's default page workflow waits on its "Moderators" group, which no Hub role is:
    retired, so no page can be left waiting on nobody (hub/migrations/0002)."""
    from wagtail.models import Task, Workflow, WorkflowPage

    assert list(Workflow.objects.filter(active=True).values_list("name", flat=True)) == [
        "Review sign-off"
    ]
    assert not WorkflowPage.objects.exists()
    assert not Task.objects.filter(active=True, name="Moderators approval").exists()
