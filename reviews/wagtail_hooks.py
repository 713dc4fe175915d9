"""Reviews in the Wagtail admin: authoring, sign-off, documents and the audit trail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.documents.models import Document
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from hub.admin_menu import MenuItemFor
from partnership.access import sees_everything, visible_to
from partnership.admin_visibility import SCOPE_HOOK
from partnership.documents import HIDDEN_DOCUMENTS_HOOK

from . import home, pseudonyms
from .audit import ACTION_LABELS, may_audit
from .documents import REVIEW_DOCUMENTS
from .forms import ReviewAdminForm
from .models import REVIEW_DOCUMENTS_COLLECTION, Review, ReviewDocument, ReviewLogEntry
from .panels import ConfidentialFieldPanel, SignOffProgressPanel, TimelinePanel
from .views.audit import ReviewAuditReportView
from .views.reviews import (
    INSPECT_FIELDS,
    LIST_DISPLAY,
    LIST_EXPORT,
    ReviewFilterSet,
    ReviewViewSetBase,
)

# Said beside every text that may be shared: the editor also warns after saving (see
# `warn_of_shared_pseudonyms`).
PSEUDONYM_HELP = (
    "Shared beyond the partnership (regionally or publicly), this is shown with the subject's "
    "pseudonym replaced by “the child” (or “the adult”, “the family”)."
)

FINDING_PANELS = [
    FieldPanel("title"),
    FieldPanel(
        "text", help_text=f"Anonymised: no names, dates of birth or addresses. {PSEUDONYM_HELP}"
    ),
    FieldPanel("themes"),
    FieldPanel("agencies"),
    FieldRowPanel([FieldPanel("practice_area"), FieldPanel("level_of_need")]),
    FieldPanel("sharing_level"),
]

RECOMMENDATION_PANELS = [
    FieldPanel("text", help_text=PSEUDONYM_HELP),
    FieldPanel(
        "findings",
        help_text="Findings of this review that this recommendation answers. Findings appear "
        "here once the review has been published with them.",
    ),
    FieldPanel("sharing_level"),
]

DOCUMENT_PANELS = [
    FieldRowPanel([FieldPanel("kind"), FieldPanel("title")]),
    FieldPanel("document"),
]


class ReviewViewSet(ReviewViewSetBase):
    model = Review
    icon = "clipboard-list"
    menu_label = "Reviews"
    add_to_admin_menu = False
    list_display = LIST_DISPLAY
    # What someone who may read a review but not change it is shown: never the confidential
    # details, nor the subject's pseudonym, which stay with the people who change it.
    inspect_view_fields = INSPECT_FIELDS
    list_export = LIST_EXPORT
    export_headings = {"listed_title": "Title"}
    filterset_class = ReviewFilterSet
    search_fields = ["reference", "title", "summary"]
    ordering = ["-created_at"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("reference"), FieldPanel("review_type")]),
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("subject_pseudonym"), FieldPanel("age_band")]),
                    MultiFieldPanel(
                        [
                            FieldPanel("lead_partnership"),
                            FieldPanel("participating_partnerships"),
                        ],
                        heading="Partnerships",
                    ),
                    FieldPanel("agencies"),
                    FieldPanel("themes"),
                    FieldPanel("level_of_need"),
                    FieldPanel(
                        "summary",
                        help_text="What happened and why it matters, with no identifying "
                        f"detail. {PSEUDONYM_HELP}",
                    ),
                    FieldPanel("sharing_level"),
                ],
                heading="Review",
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("incident_date"), FieldPanel("aware_date")]),
                    FieldRowPanel([FieldPanel("notification_date"), FieldPanel("start_date")]),
                    FieldRowPanel([FieldPanel("decision_date"), FieldPanel("decision")]),
                    FieldRowPanel([FieldPanel("status"), FieldPanel("publication_date")]),
                    FieldPanel("status_reason"),
                ],
                heading="Dates and decision",
            ),
            ObjectList([TimelinePanel(heading="Milestones")], heading="Timeline"),
            ObjectList(
                [InlinePanel("findings", panels=FINDING_PANELS, label="Finding")],
                heading="Findings",
            ),
            ObjectList(
                [
                    InlinePanel(
                        "recommendations", panels=RECOMMENDATION_PANELS, label="Recommendation"
                    )
                ],
                heading="Recommendations",
            ),
            ObjectList(
                [
                    HelpPanel(
                        content="Agency chronologies, reports and minutes. Upload them to the "
                        f"“{REVIEW_DOCUMENTS_COLLECTION}” collection: only people who may see "
                        "this review can download them."
                    ),
                    InlinePanel("documents", panels=DOCUMENT_PANELS, label="Document"),
                ],
                heading="Documents",
            ),
            ObjectList(
                [
                    FieldPanel(
                        "panel",
                        help_text="The panel members: they approve the review and alone read "
                        "its confidential details, with the partnership's managers.",
                    ),
                    SignOffProgressPanel(heading="Sign-off"),
                ],
                heading="Panel",
            ),
            ObjectList([ConfidentialFieldPanel("confidential_details")], heading="Confidential"),
        ],
        base_form_class=ReviewAdminForm,
    )


class ReviewsGroup(SnippetViewSetGroup):
    menu_label = "Reviews"
    menu_icon = "clipboard-list"
    menu_order = 200
    items = (ReviewViewSet,)


register_snippet(ReviewsGroup)


# Sign-off is the only way to publish a review: its editor offers no button that publishes,
# unpublishes or cancels the sign-off around the workflow, except to system administrators.
AROUND_SIGN_OFF = {
    "action-publish",
    "action-unpublish",
    "action-cancel-workflow",
    "action-restart-workflow",
}


hooks.register("hub_admin_home_sections", home.sign_off_sections)
hooks.register("construct_homepage_panels", home.drop_wagtail_workflow_panels)


@hooks.register("construct_snippet_action_menu")
def keep_sign_off_the_only_way_to_publish(menu_items, request, context):
    if context.get("model") is not Review or sees_everything(request.user):
        return
    menu_items[:] = [item for item in menu_items if item.name not in AROUND_SIGN_OFF]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_of_shared_pseudonyms(request, instance):
    """A warning, not a refusal: every channel replaces the pseudonym whatever is written, so
    nothing leaks, and a reviewer must be able to save a draft or a sign-off revision as the
    panel wrote it; the warning tells them that others will read "the child" there instead."""
    if isinstance(instance, Review):
        warning = pseudonyms.warning_for(instance)
        if warning:
            messages.warning(request, warning)


@hooks.register("register_log_actions")
def register_review_log(actions):
    actions.register_model(Review, ReviewLogEntry)
    for action, label in ACTION_LABELS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_audit_trail_urls():
    return [
        path("reviews/audit/", ReviewAuditReportView.as_view(), name="reviews_audit_trail"),
        path(
            "reviews/audit/results/",
            ReviewAuditReportView.as_view(results_only=True),
            name="reviews_audit_trail_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_audit_trail_menu_item():
    return MenuItemFor(
        "Review audit trail",
        reverse("reviews_audit_trail"),
        icon_name="history",
        order=900,
        shown_to=may_audit,
    )


def documents_seen_by(user, documents):
    """In Wagtail's own lists (site history): as `refuse_documents_of_hidden_reviews` serves
    them, a review's documents only to people who may see a review that holds them."""
    if sees_everything(user):
        return documents
    held = ReviewDocument.objects.values("document")
    seen = ReviewDocument.objects.filter(
        review__in=visible_to(user, Review._base_manager.all()).values("pk")
    ).values("document")
    of_reviews = Q(collection__name=REVIEW_DOCUMENTS_COLLECTION) | Q(pk__in=held)
    return documents.filter(~of_reviews | Q(pk__in=seen))


@hooks.register(SCOPE_HOOK)
def narrow_review_documents_in_admin_lists():
    return Document, documents_seen_by


@hooks.register("before_serve_document")
def refuse_documents_of_hidden_reviews(document: Document, request):
    """A document of a review goes only to people who may see a review that holds it; a
    document in the review documents collection goes to no one else, even unattached."""
    if REVIEW_DOCUMENTS.may_download(request.user, document) is False:
        raise PermissionDenied("This document belongs to a review you cannot see.")
    return None


@hooks.register(HIDDEN_DOCUMENTS_HOOK)
def hide_documents_of_hidden_reviews(user):
    """The same documents leave the document library, choosers and admin API."""
    return REVIEW_DOCUMENTS.hidden_from(user)
