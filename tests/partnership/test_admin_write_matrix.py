"""Every admin URL of every snippet with an access rule, for every kind of person, at every
sharing level: reads match `can_view`, writes match `can_change`, and nobody else changes the
record by GET, POST, copy or bulk action.

Nothing here is listed by hand: the models are the registered snippets that carry an access
rule, their URLs come from each viewset's (and its chooser's) URL patterns, so a new snippet or
a new view is in the matrix the day it is registered. A model without a maker below fails the
first test, so that nobody can register one and forget it."""

from datetime import date

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Revision, WorkflowState
from wagtail.snippets.models import get_snippet_models

from audits.models import Standard, StandardSet
from learning.models import Action
from partnership.access import SharingLevel, can_change, can_view
from partnership.admin_access import has_access_rule
from partnership.models import Role
from reviews.models import Review, ReviewType
from tests.admin_forms import edit_form_data

LEVELS = list(SharingLevel)
SUBJECTS = [
    "admin",
    "manager",
    "reviewer",
    "qa",
    "agencylead",
    "trainer",
    "practitioner",
    "scrutineer",
    "wirral.la.partner",
    "liverpool.manager",
    "halton.reviewer",
    "no.partnership",
]


def _review(world, people, level):
    review = Review(
        reference="WIR-MX-0001",
        review_type=ReviewType.RAPID_REVIEW,
        title="Matrix review WIR-MX-0001",
        subject_pseudonym="Child M",
        lead_partnership=world.partnerships["Wirral"],
        sharing_level=level,
        aware_date=date(2026, 11, 2),
        confidential_details="Fictional confidential detail",
    )
    review.save()
    review.panel.set([people["reviewer"]])
    review.save_revision().publish()
    return Review.objects.get(pk=review.pk)


def _action(world, people, level):
    return Action.objects.create(
        reference="WIR-MX-ACT-1",
        description="Matrix action WIR-MX-ACT-1",
        partnership=world.partnerships["Wirral"],
        owner_agency=world.agencies[("Wirral", "Police")],
        lead=people["agencylead"],
        due_date=date(2027, 3, 1),
        sharing_level=level,
    )


def _standard_set(world, people, level):
    standard_set = StandardSet.objects.create(
        partnership=world.partnerships["Wirral"], name="WIR-MX standards", sharing_level=level
    )
    Standard.objects.create(standard_set=standard_set, code="1", text="Leaders are committed.")
    return standard_set


# What each guarded model needs: a maker, the fields an attacker's edit changes, and the field
# whose unique value names the record on a page (and in a copy's or an add's form).
MAKERS = {
    Review: (_review, {"title": "Changed by someone else", "sharing_level": "public"}, "reference"),
    Action: (
        _action,
        {"description": "Changed by someone else", "sharing_level": "public"},
        "reference",
    ),
    StandardSet: (
        _standard_set,
        {"name": "Changed by someone else", "sharing_level": "public"},
        "name",
    ),
}


def guarded_models():
    return [model for model in get_snippet_models() if has_access_rule(model)]


def test_every_guarded_snippet_has_a_maker():
    missing = [m.__name__ for m in guarded_models() if m not in MAKERS]
    assert not missing, f"add a maker to MAKERS for {missing}"


def _subject(people, name):
    if name == "no.partnership":
        # Staff with an editing role but no membership: belongs to no partnership.
        user = get_user_model().objects.create_user("no.partnership", password="x")
        user.groups.add(Group.objects.get(name=Role.REVIEWER.label))
        return get_user_model().objects.get(pk=user.pk)
    return get_user_model().objects.get(pk=people[name].pk)


def _fill(pattern, obj):
    """Keyword arguments for one URL pattern of `obj`, or None when the pattern needs a thing
    the record does not have (a revision of a model without revisions)."""
    kwargs = {}
    for name in pattern.pattern.converters:
        if name == "pk":
            kwargs[name] = quote(obj.pk)
        elif name.startswith("revision_id"):
            revision = Revision.objects.for_instance(obj).order_by("-pk").first()
            if revision is None:
                return None
            kwargs[name] = revision.pk
        elif name == "action_name":
            kwargs[name] = "approve"
        elif name in ("task_state_id", "workflow_state_id", "task_id"):
            state = WorkflowState.objects.for_instance(obj).order_by("-pk").first()
            if state is None:
                return None
            kwargs[name] = {
                "workflow_state_id": state.pk,
                "task_state_id": state.current_task_state_id,
                "task_id": state.current_task_state and state.current_task_state.task_id,
            }[name]
        else:
            raise AssertionError(f"teach the matrix the URL argument {name!r} ({pattern.name})")
    return kwargs


def record_urls(model, obj):
    """(name, URL) of every admin URL of one record: the viewset's and its chooser's."""
    viewset = model.snippet_viewset
    urls = []
    for owner in (viewset, viewset.chooser_viewset):
        for pattern in owner.get_urlpatterns():
            if "pk" not in pattern.pattern.converters:
                continue
            kwargs = _fill(pattern, obj)
            if kwargs is not None:
                url = reverse(owner.get_url_name(pattern.name), kwargs=kwargs)
                urls.append((f"{owner.url_namespace}:{pattern.name}", url))
    app, name = model._meta.app_label, model._meta.model_name
    bulk = reverse("wagtail_bulk_action", args=[app, name, "delete"])
    urls.append(("bulk delete", f"{bulk}?id={obj.pk}"))
    return urls


def fingerprint(model, pk):
    """Everything a write could change: the row, its many-to-many links, its revisions, and how
    many rows the table holds (a copy adds one)."""
    row = model._base_manager.filter(pk=pk).values().first()
    obj = model._base_manager.filter(pk=pk).first()
    links = {}
    if obj is not None:
        for field in model._meta.many_to_many:
            links[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    revisions = Revision.objects.filter(object_id=str(pk)).count()
    return row, links, revisions, model._base_manager.count()


def edit_data(client, admin, model, obj, attack):
    """The record's own edit form as a system administrator sees it, with the attacker's
    changes: a real form, so that a refused write is refused for the right reason."""
    url = reverse(model.snippet_viewset.get_url_name("edit"), args=[obj.pk])
    return edit_form_data(client, admin, url, **attack)


def _expected_reads(user, obj):
    """(may the person read records of this kind in the admin at all, may they read this one).
    The first is their role's model permission, which Wagtail checks; the second the policy."""
    opts = obj._meta
    model_perm = any(
        user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}")
        for verb in ("view", "change", "add", "delete")
    )
    admin = user.is_active and user.has_perm("wagtailadmin.access_admin") and model_perm
    return admin, can_view(user, obj)


@pytest.mark.django_db
@pytest.mark.parametrize("level", LEVELS, ids=[level.value for level in LEVELS])
@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_admin_reads_and_writes_follow_the_access_policy(client, world, people, model, level):
    maker, attack, key = MAKERS[model]
    obj = maker(world, people, level)
    urls = record_urls(model, obj)
    data = edit_data(client, people["admin"], model, obj, attack)
    reference = getattr(obj, key)
    failures = []
    for name in SUBJECTS:
        user = _subject(people, name)
        admin_user, sees = _expected_reads(user, obj)
        changes = can_change(user, obj) and user.has_perm(
            f"{model._meta.app_label}.change_{model._meta.model_name}"
        )
        client.force_login(user)
        for url_name, url in urls:
            response = client.get(url)
            status = response.status_code
            body = response.content.decode(errors="replace")
            if not sees:
                if reference in body:
                    failures.append(f"{name} GET {url_name}: {status}, shows what is hidden")
                # A bulk action's confirmation is a page of its own, which lists nothing.
                if url_name != "bulk delete" and status not in (302, 403, 404):
                    failures.append(f"{name} GET {url_name}: {status}, may not see it")
                if admin_user and status == 302:
                    failures.append(f"{name} GET {url_name}: redirected, should be not found")
            elif not admin_user:
                pass  # their role may not open these views at all: Wagtail's own check
            elif url_name.endswith(":inspect") and status != 200:
                failures.append(f"{name} GET {url_name}: {status}, may read it")
            elif status == 404:
                failures.append(f"{name} GET {url_name}: not found, though they may see it")
            elif url_name.endswith(":edit"):
                inspect = reverse(model.snippet_viewset.get_url_name("inspect"), args=[obj.pk])
                if changes and status != 200:
                    failures.append(f"{name} GET edit: {status}, may change it")
                if not changes and (status != 302 or response["Location"] != inspect):
                    failures.append(f"{name} GET edit: {status}, should open read-only")
            if changes:
                continue  # their writes are theirs to make: the point is everyone else's
            before = fingerprint(model, obj.pk)
            client.post(url, data)
            if fingerprint(model, obj.pk) != before:
                failures.append(f"{name} POST {url_name} changed the record")
        client.logout()
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_nobody_creates_a_record_in_another_partnership(client, world, people, model):
    maker, attack, key = MAKERS[model]
    obj = maker(world, people, SharingLevel.RESTRICTED)
    data = edit_data(client, people["admin"], model, obj, attack)
    data[key] = "WIR-MX-NEW"
    add = reverse(model.snippet_viewset.get_url_name("add"))
    for name in ("liverpool.manager", "halton.reviewer", "no.partnership"):
        client.force_login(_subject(people, name))
        client.post(add, data)
        assert not model._base_manager.filter(**{key: "WIR-MX-NEW"}).exists(), name
    # The owning partnership's own people still can.
    owner = people["manager"] if model is Review else people["qa"]
    client.force_login(owner)
    response = client.post(add, data)
    assert model._base_manager.filter(**{key: "WIR-MX-NEW"}).exists(), response.status_code
