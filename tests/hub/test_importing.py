"""The import pipeline itself (hub/importing), with a small import of its own: every problem
named by row and column, whole or nothing, the spreadsheet bounds, progress, and its jobs."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.importing import (
    Columns,
    Importer,
    RowError,
    RowProblems,
    import_kind,
    register,
    run_import,
)
from hub.importing.jobs import start_import
from hub.importing.registry import ImportKind, _kinds
from hub.models import ImportJob
from tests.reviews.conftest import csv_bytes

pytestmark = pytest.mark.django_db


class GroupsImport(Importer):
    """Groups by name, in bulk: a name may not start with "x", and a name "refused at write"
    passes every check but is refused while writing, after the rows before it are written."""

    noun = "group"
    columns = Columns(required=("name",), optional=("size",))

    def plan(self, table, user):
        return {"seen": {}}

    def check(self, row, plan):
        name = row.text("name")
        if not name:
            row.error("name", "is empty")
        elif name.startswith("x"):
            row.error("name", f"{name} starts with x")
        elif name in plan["seen"]:
            row.error("name", f"{name} is also on row {plan['seen'][name]}")
        else:
            plan["seen"][name] = row.number
        if "size" in row and row.text("size") and not row.text("size").isdigit():
            row.error("size", f"{row.text('size')} is not a number")
        return (row.number, name)

    def write(self, changes, plan, writing):
        for number, name in changes:
            Group.objects.create(name=f"{PREFIX}{name}")
            if name == "refused at write":
                raise RowProblems([RowError(number, "name", "is refused at write")])
            writing.saved()
        writing.result.created = len(changes)


PREFIX = "imported "


def imported() -> list[str]:
    """The groups the test's imports made (the demo's own groups are there too)."""
    return sorted(
        name[len(PREFIX) :]
        for name in Group.objects.filter(name__startswith=PREFIX).values_list("name", flat=True)
    )


def run(content, **kwargs):
    return run_import(GroupsImport(), content, name="groups.csv", **kwargs)


def test_a_clean_file_lands_whole():
    result = run(csv_bytes(["Name", "SIZE "], [["a", "1"], ["b", ""]]))
    assert result.ok and result.summary() == "2 groups imported (2 new, 0 updated)"
    assert imported() == ["a", "b"]


def test_every_problem_is_named_by_row_and_column_and_nothing_lands():
    rows = [["a", "1"], ["xa", "two"], ["", ""], ["a", "3"]]
    result = run(csv_bytes(["name", "size", "colour"], rows))
    assert [str(e) for e in result.errors] == [
        "row 3, name: xa starts with x",
        "row 3, size: two is not a number",
        "row 5, name: a is also on row 2",
    ]
    assert result.ignored_columns == ["colour"]
    assert result.summary() == "Nothing was imported: the file has 3 problems."
    assert not imported()


def test_a_missing_column_is_a_problem_of_row_1():
    result = run(csv_bytes(["title"], [["a"]]))
    assert [str(e) for e in result.errors] == [
        "row 1, name: the file has no name column (row 1 must name the columns; found: title)"
    ]


def test_a_refusal_while_writing_undoes_what_was_written():
    result = run(csv_bytes(["name"], [["a"], ["b"], ["refused at write"]]))
    assert [str(e) for e in result.errors] == ["row 4, name: is refused at write"]
    assert (result.created, result.updated) == (0, 0)
    assert not imported()


def test_an_unexpected_error_while_writing_undoes_it_too(monkeypatch):
    def broken(self, changes, plan, writing):
        Group.objects.create(name=f"{PREFIX}half")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(GroupsImport, "write", broken)
    with pytest.raises(RuntimeError):
        run(csv_bytes(["name"], [["a"]]))
    assert not imported()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"name\n\xff\xfe broken\n", "the file is not UTF-8 text"),
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "this is an old Excel (.xls) file"),
        (b"name\nBaby\x00 R\n", "row 2, name: holds a NUL character"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_clear_problem(content, message):
    result = run(content)
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith(message)
    assert not imported()


def test_the_bounds_refuse_a_file_before_any_row_is_checked(settings):
    settings.HUB_IMPORT_MAX_ROWS = 3
    result = run(csv_bytes(["name"], [[f"g{n}"] for n in range(4)]))
    assert [str(e) for e in result.errors] == [
        "the file has more than 3 rows; the Hub reads up to 3 at a time: split it into "
        "smaller files"
    ]
    settings.HUB_IMPORT_MAX_ROWS = 100
    settings.HUB_IMPORT_MAX_CELLS = 10
    result = run(csv_bytes(["name", "size"], [[f"g{n}", "1"] for n in range(5)]))
    assert "more than 10 cells" in str(result.errors[0])


def test_progress_is_reported_as_rows_are_checked_and_saved(django_capture_on_commit_callbacks):
    steps = []
    with django_capture_on_commit_callbacks(execute=True):
        result = run(
            csv_bytes(["name"], [[f"g{n}"] for n in range(1200)]),
            progress=lambda *step: steps.append(step),
        )
    assert result.ok
    assert [s for s in steps if s[0] == "checked"] == [
        ("checked", 500, 1200),
        ("checked", 1000, 1200),
        ("checked", 1200, 1200),
    ]
    assert [s for s in steps if s[0] == "saved"] == [
        ("saved", 500, 1200),
        ("saved", 1000, 1200),
        ("saved", 1200, 1200),
    ]
    # "committed" from the commit's callbacks, which the test runs as it leaves the block.
    assert ("indexed", 1200, 1200) in steps and ("committed", 1200, 1200) in steps


@pytest.fixture
def groups_kind():
    kind = register(
        ImportKind(
            "groups", "Groups", GroupsImport, lambda user: user.is_staff, "wagtailadmin_home"
        )
    )
    yield kind
    _kinds.pop("groups")


@pytest.fixture
def owner():
    return get_user_model().objects.create_user("owner", "owner@example.org", "x", is_staff=True)


def test_a_job_runs_a_registered_kind_and_keeps_its_result(
    groups_kind, owner, tasks_in_this_process, django_capture_on_commit_callbacks
):
    assert import_kind("groups") is groups_kind
    upload = SimpleUploadedFile("groups.csv", csv_bytes(["name"], [["a"], ["xb"]]))
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(owner, "groups", upload)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert [str(e) for e in job.row_errors()] == ["row 3, name: xb starts with x"]
    assert str(job) == "Groups from groups.csv" and job.noun == "group"
    assert not job.upload and not imported()


def test_only_its_owner_and_system_administrators_open_a_job(client, groups_kind, owner):
    job = ImportJob.objects.create(user=owner, kind="groups", file_name="groups.csv")
    url = reverse("hub_imports:job", args=[job.pk])
    other = get_user_model().objects.create_user("other", "other@example.org", "x", is_staff=True)
    other.user_permissions.add(*_admin_access())
    owner.user_permissions.add(*_admin_access())
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200 and "Waiting to start" in page.content.decode()
    admin = get_user_model().objects.create_superuser("sysadmin", "sysadmin@example.org", "x")
    client.force_login(admin)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
