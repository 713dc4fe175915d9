"""Who writes in which learning library: each partnership's editors add, change, publish and
delete briefings in their own library only, and in the region's library only their own
partnership's; the editors groups follow people's memberships and roles."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from learning.library_editors import editors_group, sync_all
from learning.models import LearningBriefing
from partnership.access import SharingLevel
from partnership.models import Membership, Role

from .library_world import briefing, library

REGIONAL = SharingLevel.REGIONAL


@pytest.fixture
def shelves(world, wirral, liverpool):
    """Wirral's, Liverpool's and the region's libraries, each with a briefing."""
    libraries = {"region": library(), "Wirral": library(wirral), "Liverpool": library(liverpool)}
    briefings = {
        "Wirral": briefing(libraries["Wirral"], wirral, REGIONAL, "Wirral's briefing"),
        "Liverpool": briefing(libraries["Liverpool"], liverpool, REGIONAL, "Liverpool's briefing"),
        "region-Liverpool": briefing(
            libraries["region"], liverpool, REGIONAL, "Liverpool's in the region"
        ),
    }
    return libraries, briefings


def _refused(response) -> bool:
    """Wagtail answers a refusal with 403, or for a page in the browser by taking the person back
    to the dashboard with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def _add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["learning", "learningbriefing", parent.pk])


def _form(client, url, **changes):
    """The admin form as the browser would send it, with `changes` made."""
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    return data


def _new_briefing(client, parent, title, **changes):
    data = _form(client, _add_url(parent), title=title, slug=title.lower().replace(" ", "-"))
    for name in ["background", "why_it_matters", "what_we_found", "what_it_means", "questions"]:
        data[name] = rich_text("<p>Fictional.</p>")
    data["what_to_do"] = rich_text("<p>Fictional.</p>")
    data["summary"] = "A fictional summary."
    data["action-publish"] = "publish"
    for name, value in changes.items():
        data[name] = value
    return client.post(_add_url(parent), data)


def test_an_editor_writes_in_their_own_partnerships_library(client, people, shelves, wirral):
    libraries, briefings = shelves
    client.force_login(people["reviewer"])
    response = _new_briefing(client, libraries["Wirral"], "Our new briefing")
    assert response.status_code == 302, response.context["form"].errors
    made = LearningBriefing.objects.get(slug="our-new-briefing")
    # The partnership came from the library, without the author choosing it.
    assert made.live and made.partnership == wirral

    own = briefings["Wirral"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    data = _form(client, reverse("wagtailadmin_pages:edit", args=[own.pk]), title="Renamed")
    data["action-publish"] = "publish"
    assert client.post(reverse("wagtailadmin_pages:edit", args=[own.pk]), data).status_code == 302
    own.refresh_from_db()
    assert own.title == "Renamed"
    assert client.post(reverse("wagtailadmin_pages:delete", args=[own.pk])).status_code == 302
    assert not LearningBriefing.objects.filter(pk=own.pk).exists()


def test_an_editor_cannot_write_in_another_partnerships_library(client, people, shelves):
    libraries, briefings = shelves
    theirs = briefings["Liverpool"]
    client.force_login(people["reviewer"])

    assert _refused(client.get(_add_url(libraries["Liverpool"])))
    assert _refused(client.post(_add_url(libraries["Liverpool"]), {"title": "x"}))
    for name in ["edit", "delete", "unpublish", "copy", "move", "history"]:
        url = reverse(f"wagtailadmin_pages:{name}", args=[theirs.pk])
        assert _refused(client.get(url)), name
        assert _refused(client.post(url, {"title": "Taken over"})), name
    theirs.refresh_from_db()
    assert theirs.live and theirs.title == "Liverpool's briefing"
    # Wagtail lets them look through Liverpool's library (it sits beside their own), read only.
    listing = client.get(reverse("wagtailadmin_explore", args=[libraries["Liverpool"].pk]))
    content = listing.content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[theirs.pk]) not in content
    assert _add_url(libraries["Liverpool"]) not in content
    permissions = theirs.permissions_for_user(people["reviewer"])
    assert not (permissions.can_edit() or permissions.can_publish() or permissions.can_delete())


def test_in_the_region_library_an_editor_files_and_changes_only_their_own(
    client, people, shelves, wirral, liverpool
):
    libraries, briefings = shelves
    client.force_login(people["reviewer"])
    refused = _new_briefing(
        client, libraries["region"], "Filed as Liverpool", partnership=str(liverpool.pk)
    )
    assert refused.status_code == 200
    assert "partnership" in refused.context["form"].errors
    assert not LearningBriefing.objects.filter(slug="filed-as-liverpool").exists()

    made = _new_briefing(client, libraries["region"], "Shared by Wirral")
    assert made.status_code == 302
    assert LearningBriefing.objects.get(slug="shared-by-wirral").partnership == wirral

    theirs = briefings["region-Liverpool"]
    assert _refused(client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])))
    assert _refused(client.post(reverse("wagtailadmin_pages:delete", args=[theirs.pk])))
    # The region's library page itself belongs to the Hub's administrators.
    assert not libraries["region"].permissions_for_user(people["reviewer"]).can_edit()
    assert libraries["region"].permissions_for_user(people["liverpool.manager"]).can_add_subpage()
    assert theirs.permissions_for_user(people["liverpool.manager"]).can_edit()


def test_the_explorer_lists_only_briefings_the_editor_may_see(client, people, shelves, liverpool):
    libraries, _ = shelves
    briefing(libraries["region"], liverpool, SharingLevel.PARTNERSHIP, "Liverpool only")
    client.force_login(people["reviewer"])
    response = client.get(reverse("wagtailadmin_explore", args=[libraries["region"].pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Liverpool&#x27;s in the region" in content or "Liverpool's in the region" in content
    assert "Liverpool only" not in content


def test_a_briefing_belongs_to_its_librarys_partnership(shelves, liverpool):
    libraries, briefings = shelves
    assert not briefings["Wirral"].can_move_to(libraries["Liverpool"])
    assert briefings["region-Liverpool"].can_move_to(libraries["Liverpool"])
    relabelled = briefings["Wirral"]
    relabelled.partnership = liverpool
    with pytest.raises(ValidationError, match="library's partnership"):
        relabelled.full_clean()


def test_editors_groups_follow_memberships_and_roles(people, shelves, wirral, liverpool):
    libraries, _ = shelves
    reviewer = people["reviewer"]
    wirral_editors, liverpool_editors = editors_group(wirral), editors_group(liverpool)
    assert set(wirral_editors.user_set.all()) == {people["manager"], reviewer, people["qa"]}
    assert people["practitioner"] not in wirral_editors.user_set.all()

    membership = Membership.objects.get(user=reviewer)
    membership.partnership, membership.agency = liverpool, None
    membership.save()
    assert reviewer in liverpool_editors.user_set.all()
    assert reviewer not in wirral_editors.user_set.all()

    reviewer.groups.remove(Group.objects.get(name=Role.REVIEWER.label))
    assert reviewer not in liverpool_editors.user_set.all()
    Group.objects.get(name=Role.REVIEWER.label).user_set.add(reviewer)
    assert reviewer in liverpool_editors.user_set.all()

    # A full sync (after every migrate) changes nothing that the signals kept.
    before = set(liverpool_editors.user_set.values_list("pk", flat=True))
    sync_all()
    assert set(liverpool_editors.user_set.values_list("pk", flat=True)) == before
    assert not libraries["Wirral"].permissions_for_user(people["practitioner"]).can_add_subpage()


def test_an_editor_is_offered_publish_and_no_dead_end_moderation(client, people, shelves):
    """Wagtail's default "Moderators approval" workflow waited on a group no Hub role holds;
    it is retired (hub/migrations/0002), so the editor publishes and nothing is left waiting."""
    _, briefings = shelves
    client.force_login(people["reviewer"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[briefings["Wirral"].pk])).content
    html = html.decode()
    assert 'name="action-publish"' in html
    assert "Moderators approval" not in html
    assert 'name="action-submit"' not in html
