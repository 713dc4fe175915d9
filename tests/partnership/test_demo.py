from django.contrib.auth import get_user_model
from django.core.management import call_command

from partnership.models import Agency, Membership, Partnership, Role, Theme, roles_of


def test_load_demo_is_rerunnable_without_duplicates(db):
    call_command("load_demo")
    counts = (Partnership.objects.count(), Agency.objects.count(), Membership.objects.count())
    call_command("load_demo")
    assert (
        Partnership.objects.count(),
        Agency.objects.count(),
        Membership.objects.count(),
    ) == counts
    shorts = set(Partnership.objects.values_list("short_name", flat=True))
    assert {"Wirral", "Liverpool", "Sefton", "Knowsley", "St Helens", "Halton"} <= shorts


def test_every_role_has_a_demo_person(world):
    held = set()
    for user in world.people.values():
        held |= roles_of(user)
    assert held == set(Role)


def test_themes_come_from_the_projects_own_taxonomy(db):
    assert Theme.objects.count() == 33
    cse = Theme.objects.get(slug="cse")
    assert "grooming" in cse.synonym_set
    assert list(Theme.objects.matching("toxic trio")) == [Theme.objects.get(slug="trilogy-of-risk")]
    assert list(Theme.objects.matching("Neglect")) == [Theme.objects.get(slug="neglect")]


def test_scaled_demo_adds_practitioners(db):
    call_command("load_demo", scale=2)
    assert get_user_model().objects.filter(username__startswith="practitioner-").count() == 400
