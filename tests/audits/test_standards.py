"""Standards in and out: `import_standards` (whole or nothing, every bad cell named, a known set
name making its next version), the export in the import's own columns, and adoption of a set
another partnership shares with the region."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from audits import standards
from audits.models import RatingScale, SetKind, StandardSet

from .conftest import make_set

pytestmark = pytest.mark.django_db
HEADER = "set,code,standard,good_looks_like,evidence_expected"


def _csv(tmp_path, *rows, header=HEADER, name="standards.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def _run(path, user="qa"):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_standards", path, "--user", user, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_new_set_name_makes_version_one_of_the_importers_partnership(tmp_path, people, wirral):
    path = _csv(
        tmp_path,
        "Our standards,1,Leaders lead,A named lead,Minutes",
        "Our standards,2,Staff are trained,,Training figures",
    )
    out, _ = _run(path)
    standard_set = StandardSet.objects.get(name="Our standards")
    assert (standard_set.partnership, standard_set.version) == (wirral, 1)
    codes = list(standard_set.standards.values_list("code", "text", "evidence_expected"))
    assert codes == [
        ("1", "Leaders lead", "Minutes"),
        ("2", "Staff are trained", "Training figures"),
    ]
    assert "2 standards imported" in out


def test_a_known_name_makes_the_next_version_and_keeps_the_last(tmp_path, people, standard_set):
    path = _csv(
        tmp_path,
        "section 11 standards,1,Leaders lead,,",
        header=HEADER + ",kind,scale",
    )
    _run(path)
    versions = StandardSet.objects.filter(partnership=standard_set.partnership)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    second = versions.get(version=2)
    assert second.name == "Section 11 standards" and second.kind == SetKind.SECTION_11
    assert standard_set.standards.count() == 3  # the first version is as it was


def test_every_bad_cell_is_named_and_nothing_is_written(tmp_path, people):
    path = _csv(
        tmp_path,
        "Set A,1,Fine,,",
        "Set A,1,Same code again,,",
        ",2,,,",
        "Set A,3,Fine too,,",
        f"Set A,{'9' * 25},Long code,,",
    )
    with pytest.raises(CommandError, match="4 problem"):
        _run(path)
    assert not StandardSet.objects.exists()


def test_the_problems_name_rows_and_columns(tmp_path, people):
    result = standards.import_standards(
        _csv(
            tmp_path,
            "Set A,1,Fine,,,rainbow,",
            "Set A,2,Fine,,,own,stars",
            header=HEADER + ",kind,scale",
        ),
        user=people["qa"],
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "kind"), (3, "scale")]
    assert "rainbow is not one of" in result.errors[0].message


def test_a_missing_column_is_named_in_row_one(tmp_path, people):
    result = standards.import_standards(
        _csv(tmp_path, "Set A,1,Fine", header="set,code,standard"), user=people["qa"]
    )
    assert {(e.row, e.column) for e in result.errors} == {
        (1, "good_looks_like"),
        (1, "evidence_expected"),
    }


def test_xlsx_imports_as_csv_does(tmp_path, people):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["Schools", "1", "A designated lead", "", ""])
    path = tmp_path / "standards.xlsx"
    book.save(path)
    _run(str(path))
    assert StandardSet.objects.get(name="Schools").standards.get().text == "A designated lead"


@pytest.mark.parametrize("who", ["practitioner", "agencylead", "reviewer"])
def test_only_managers_and_quality_assurance_import(tmp_path, people, who):
    with pytest.raises(CommandError, match="may not import"):
        _run(_csv(tmp_path, "Set A,1,Fine,,"), user=who)
    assert not StandardSet.objects.exists()


def test_an_unknown_user_is_refused(tmp_path, world):
    with pytest.raises(CommandError, match="no user"):
        _run(_csv(tmp_path, "Set A,1,Fine,,"), user="nobody")


def test_the_export_imports_again_as_the_next_version(client, tmp_path, people, standard_set):
    client.force_login(people["qa"])
    response = client.get(f"/standards/{standard_set.pk}/standards.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    path = tmp_path / "exported.csv"
    path.write_bytes(response.content)
    _run(str(path))
    second = StandardSet.objects.get(version=2)
    assert list(second.standards.values_list("code", "text")) == list(
        standard_set.standards.values_list("code", "text")
    )
    assert second.scale == RatingScale.FOUR_POINT


def test_a_regional_set_is_adopted_by_another_partnership(client, people, wirral):
    shared = make_set(wirral, sharing_level="regional")
    client.force_login(people["liverpool.manager"])
    page = client.get(f"/standards/{shared.pk}/")
    assert page.status_code == 200 and b"Adopt for your partnership" in page.content
    response = client.post(f"/standards/{shared.pk}/adopt/")
    copy = StandardSet.objects.exclude(pk=shared.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/standards/{copy.pk}/"
    assert copy.partnership.short_name == "Liverpool" and copy.adopted_from == shared
    assert copy.standards.count() == 3


def test_a_partnership_set_is_not_found_by_another_partnership(client, people, standard_set):
    client.force_login(people["liverpool.manager"])
    for url in (
        f"/standards/{standard_set.pk}/",
        f"/standards/{standard_set.pk}/standards.csv",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/standards/{standard_set.pk}/adopt/").status_code == 404
    assert StandardSet.objects.count() == 1


def test_a_partnership_does_not_adopt_its_own_set(client, people, wirral):
    shared = make_set(wirral, sharing_level="regional")
    client.force_login(people["qa"])
    assert client.post(f"/standards/{shared.pk}/adopt/").status_code == 403
    assert StandardSet.objects.count() == 1


def test_a_version_in_use_takes_no_change_in_the_admin(client, people, standard_set, cycle):
    from tests.admin_forms import edit_form_data

    url = f"/admin/snippets/audits/standardset/edit/{standard_set.pk}/"
    data = edit_form_data(client, people["qa"], url, name="Renamed")
    client.force_login(people["qa"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert b"import the changed standards as a new version" in response.content
    standard_set.refresh_from_db()
    assert standard_set.name == "Section 11 standards"
