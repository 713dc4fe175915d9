from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command

from hub.importing import parse_date, pipeline
from partnership.models import Agency, Sector, Theme
from reviews.imports import finding_title, import_findings, import_reviews
from reviews.models import Finding, Recommendation, Review, ReviewLogEntry
from tests.reviews.conftest import (
    REVIEW_HEADER,
    csv_bytes,
    make_admin_review,
    review_row,
    xlsx_bytes,
)


def test_a_csv_tracker_with_a_bom_lands_live_with_a_revision_and_a_log(people, review_file):
    result = import_reviews(review_file(review_row(), bom=True), user=people["manager"])

    assert result.ok, result.errors
    assert result.summary() == "1 review imported (1 new, 0 updated)"
    review = Review.objects.get(reference="WIR-RR-2026-01")
    assert review.review_type == "rapid_review"
    assert review.lead_partnership.short_name == "Wirral"
    assert review.sharing_level == "restricted"
    assert review.aware_date == date(2026, 1, 6)
    assert review.decision == "lcspr"
    assert {t.slug for t in review.themes.all()} == {
        "bruising-non-mobile-babies",
        "trilogy-of-risk",  # "toxic trio" is a synonym
    }
    # "Health" is a sector: both of Wirral's health agencies, and only Wirral's.
    assert set(review.agencies.all()) == set(
        Agency.objects.filter(
            partnership__short_name="Wirral", sector__in=[Sector.POLICE, Sector.HEALTH]
        )
    )
    assert review.live and review.latest_revision is not None
    actions = set(
        ReviewLogEntry.objects.filter(review=review).values_list("action", "user__username")
    )
    assert ("wagtail.create", "manager") in actions
    assert ("wagtail.publish", "manager") in actions


def test_an_xlsx_tracker_reads_date_cells_uk_dates_and_any_spelling_of_type(people):
    header = [h.replace("_", " ").title() for h in REVIEW_HEADER]  # "Lead Partnership"
    rows = [
        review_row(
            reference="A-1",
            type="rapid_review",
            aware_date=datetime(2026, 2, 3),
            notification_date=date(2026, 2, 6),
        ),
        review_row(
            reference="A-2",
            type="LCSPR",
            aware_date="03/02/2026",
            notification_date="06/02/2026",
            agencies="",
        ),
        review_row(
            reference="A-3",
            type="Multi-agency audit",
            aware_date=None,
            incident_date=None,
            notification_date=None,
            decision="",
            themes="CSE; neglect; DA",
            agencies="Children's social care; Merseyside Police",
            sharing_level="regional",
        ),
    ]
    result = import_reviews(xlsx_bytes(header, rows), name="tracker.xlsx", user=people["manager"])

    assert result.ok, result.errors
    a1, a2, a3 = Review.objects.order_by("reference")
    assert (a1.review_type, a1.aware_date) == ("rapid_review", date(2026, 2, 3))
    assert a1.notification_date == date(2026, 2, 6)
    assert (a2.review_type, a2.aware_date) == ("lcspr", date(2026, 2, 3))
    assert a3.review_type == "multi_agency_audit" and a3.aware_date is None
    assert a3.sharing_level == "regional"
    assert {t.slug for t in a3.themes.all()} == {"cse", "neglect", "domestic-abuse"}
    assert sorted(a.short_name for a in a3.agencies.all()) == ["CSC", "Police"]
    assert {a.partnership.short_name for a in a3.agencies.all()} == {"Wirral"}


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("reference", "", "row 2, reference: is empty"),
        ("reference", "X" * 41, "row 2, reference: is 41 characters long; at most 40"),
        ("type", "Inquiry", "row 2, type: Inquiry is not a type of review"),
        ("type", "", "row 2, type: is empty"),
        ("title", "", "row 2, title: is empty"),
        ("subject_pseudonym", "C" * 61, "row 2, subject_pseudonym: is 61 characters long"),
        ("lead_partnership", "Atlantis", "row 2, lead_partnership: there is no partnership"),
        ("lead_partnership", "Liverpool", "you can import only your own partnership's reviews"),
        ("sharing_level", "secret", "row 2, sharing_level: secret is not a sharing level"),
        ("themes", "neglect; gardening", "row 2, themes: there is no theme called gardening"),
        ("agencies", "Police; Fire", "row 2, agencies: there is no agency called Fire in Wirral"),
        ("incident_date", "yesterday", "row 2, incident_date: yesterday is not a date"),
        ("aware_date", "2026-13-45", "row 2, aware_date: 2026-13-45 is not a date"),
        ("aware_date", "", "row 2, aware_date: is empty; a rapid review needs it"),
        ("notification_date", "31/02/2026", "row 2, notification_date: 31/02/2026 is not a date"),
        ("notification_date", "2026-01-01", "row 2, notification_date: 2026-01-01 is before"),
        ("decision", "maybe", "row 2, decision: maybe is not a decision"),
    ],
)
def test_every_column_reports_its_own_problem_in_words(people, review_file, column, value, message):
    result = import_reviews(review_file(review_row(**{column: value})), user=people["manager"])

    assert not result.ok
    assert any(message in str(e) for e in result.errors), [str(e) for e in result.errors]
    assert not Review.objects.exists()


def test_one_bad_row_among_good_ones_changes_nothing_and_is_named(people, review_file):
    rows = [
        review_row(reference="G-1"),
        review_row(reference="B-2", aware_date="2026-13-45"),
        review_row(reference="G-3"),
    ]
    result = import_reviews(review_file(*rows), user=people["manager"])

    assert [str(e) for e in result.errors] == [
        "row 3, aware_date: 2026-13-45 is not a date (write 2026-03-31 or 31/03/2026)"
    ]
    assert Review.objects.count() == 0
    assert result.created == 0


def test_all_problems_are_collected_not_just_the_first(people, review_file):
    rows = [review_row(reference="E-1", type="?"), review_row(reference="E-1", aware_date="x")]
    errors = [str(e) for e in import_reviews(review_file(*rows), user=people["manager"]).errors]
    assert any(e.startswith("row 2, type:") for e in errors)
    assert any(e.startswith("row 3, reference: E-1 is also on row 2") for e in errors)
    assert any(e.startswith("row 3, aware_date:") for e in errors)


def test_a_missing_column_is_a_clear_error(people):
    header = [c for c in REVIEW_HEADER if c != "lead_partnership"]
    data = csv_bytes(header, [["R-1", "Rapid review", "T", "", "", "", "", "", "", "", "", ""]])
    result = import_reviews(data, user=people["manager"])
    assert "the file has no lead_partnership column" in str(result.errors[0])


def test_reimporting_a_reference_updates_it_and_never_duplicates(people, review_file):
    import_reviews(review_file(review_row()), user=people["manager"])
    result = import_reviews(
        review_file(
            review_row(title="Baby R: renamed", themes="SUDI"), review_row(reference="N-2")
        ),
        user=people["manager"],
    )

    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    assert Review.objects.count() == 2
    review = Review.objects.get(reference="WIR-RR-2026-01")
    assert review.title == "Baby R: renamed"
    assert [t.slug for t in review.themes.all()] == ["sudi"]
    assert review.revisions.count() == 2
    assert ReviewLogEntry.objects.filter(
        review=review, action="wagtail.edit", user=people["manager"]
    ).exists()


def test_a_reviewer_changes_only_restricted_reviews_they_sit_on(people, review_file):
    import_reviews(review_file(review_row()), user=people["manager"])
    again = review_file(review_row(title="Changed"))

    result = import_reviews(again, user=people["reviewer"])
    assert [str(e) for e in result.errors] == [
        "row 2, reference: WIR-RR-2026-01 is a review you may not change"
    ]
    review = Review.objects.get()
    review.panel.add(people["reviewer"])
    review.save()  # a ParentalManyToManyField writes on save
    assert import_reviews(again, user=people["reviewer"]).ok
    assert Review.objects.get().title == "Changed"


def test_another_partnership_cannot_overwrite_a_review(people, review_file, wirral):
    import_reviews(review_file(review_row()), user=people["manager"])
    result = import_reviews(
        review_file(review_row(lead_partnership="Liverpool")), user=people["liverpool.manager"]
    )
    assert any("is a review you may not change" in str(e) for e in result.errors)
    assert Review.objects.get().lead_partnership == wirral


def test_partnership_and_type_matching_variants(people, review_file):
    rows = [
        review_row(reference="V-1", lead_partnership="wirral", type="RAPID REVIEW"),
        review_row(
            reference="V-2",
            lead_partnership="Wirral Safeguarding Children Partnership",
            type="lcspr",
            sharing_level="PARTNERSHIP",
        ),
    ]
    assert import_reviews(review_file(*rows), user=people["manager"]).ok
    # A DARDR is led by the adults board (or the community safety partnership), not Wirral's
    # children's partnership: its business manager imports it.
    adults = review_row(
        reference="V-3",
        lead_partnership="wirral sab",
        type="DHR",
        sharing_level="public",
        agencies="Police; Health",
    )
    assert import_reviews(review_file(adults), user=people["sab.manager"]).ok
    types = dict(Review.objects.values_list("reference", "review_type"))
    assert types == {"V-1": "rapid_review", "V-2": "lcspr", "V-3": "dardr"}
    assert Review.objects.get(reference="V-2").sharing_level == "partnership"
    assert Review.objects.get(reference="V-3").lead_partnership.short_name == "Wirral SAB"


def test_a_childrens_partnership_importing_an_adult_review_it_cannot_lead_is_told_where(
    people, review_file
):
    rows = [
        review_row(reference="V-1", lead_partnership="wirral", type="rapid review"),
        review_row(reference="V-2", lead_partnership="wirral", type="SAR"),
    ]
    result = import_reviews(review_file(*rows), user=people["manager"])
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (3, "lead_partnership")
    assert "led by a safeguarding adults board" in error.message
    assert "Wirral is a safeguarding children partnership" in error.message
    # The import lands whole or not at all: the good row did not land either.
    assert not Review.objects.exists()


def test_dates_parse_the_uk_and_iso_ways_only():
    assert parse_date("05/01/2026") == date(2026, 1, 5)
    assert parse_date("5/1/2026") == date(2026, 1, 5)
    assert parse_date("2026-01-05") == date(2026, 1, 5)
    assert parse_date(datetime(2026, 1, 5, 0, 0)) == date(2026, 1, 5)
    assert parse_date("") is None
    for bad in ("01/05/26", "2026-1-5x", "Jan 5 2026"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_the_command_exits_non_zero_and_names_each_bad_row(people, review_file, tmp_path, capsys):
    path = tmp_path / "tracker.csv"
    path.write_bytes(review_file(review_row(reference="C-1", aware_date="2026-13-45")))
    with pytest.raises(CommandError):
        call_command("import_reviews", str(path), user="manager")
    assert "row 2, aware_date: 2026-13-45 is not a date" in capsys.readouterr().err
    assert not Review.objects.exists()

    path.write_bytes(review_file(review_row(reference="C-1")))
    call_command("import_reviews", str(path), user="manager")
    assert "1 review imported (1 new, 0 updated)" in capsys.readouterr().out


def test_the_command_refuses_a_practitioner(people, review_file, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(review_file())
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_reviews", str(path), user="practitioner")


def test_large_files_report_progress(people, review_file, tmp_path, capsys, monkeypatch):
    """Progress every PROGRESS_EVERY rows (500 in use; 5 here, so that the test imports a few
    rows rather than hundreds) and at the end."""
    monkeypatch.setattr(pipeline, "PROGRESS_EVERY", 5)
    rows = [
        review_row(reference=f"BULK-{i:04d}", type="Multi-agency audit", aware_date="")
        for i in range(6)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(review_file(*rows))
    call_command("import_reviews", str(path))
    err = capsys.readouterr().err
    assert "checked 5 of 6 rows" in err and "checked 6 of 6 rows" in err
    assert Review.objects.count() == 6


FINDING_HEADER = ["review_reference", "finding", "recommendation", "themes", "agencies",
                  "sharing_level"]  # fmt: skip


@pytest.fixture
def baby_r(people, review_file):
    assert import_reviews(review_file(review_row()), user=people["manager"]).ok
    review = Review.objects.get(reference="WIR-RR-2026-01")
    review.panel.add(people["reviewer"])
    review.save()
    return review


def test_findings_import_with_recommendations_and_reimport_updates(people, baby_r):
    shared = "Re-launch the bruising protocol."
    rows = [
        [
            "WIR-RR-2026-01",
            "A bruise was recorded but not referred. The protocol was not followed.",
            shared,
            "BiNMB",
            "Health",
            "Regional",
        ],
        ["WIR-RR-2026-01", "Nobody asked who else lived in the home.\nMore.", shared, "", "", ""],
    ]
    result = import_findings(csv_bytes(FINDING_HEADER, rows), user=people["reviewer"])

    assert result.ok, result.errors
    assert result.summary() == "2 findings imported (2 new, 0 updated)"
    first, second = Finding.objects.filter(review=baby_r).order_by("sort_order")
    assert first.title == "A bruise was recorded but not referred."
    assert first.sharing_level == "regional"
    assert second.sharing_level == "restricted"  # the review's own level when none is given
    assert [t.slug for t in first.themes.all()] == ["bruising-non-mobile-babies"]
    assert {a.sector for a in first.agencies.all()} == {"health"}
    recommendation = Recommendation.objects.get(review=baby_r)
    assert set(recommendation.findings.all()) == {first, second}
    # The admin starts from the latest revision: it must hold the imported findings.
    baby_r.refresh_from_db()
    assert len(baby_r.latest_revision.content["findings"]) == 2

    rows[0][2] = "Audit the bruising protocol after three months."
    again = import_findings(csv_bytes(FINDING_HEADER, rows), user=people["reviewer"])
    assert (again.created, again.updated) == (0, 2)
    assert Finding.objects.filter(review=baby_r).count() == 2
    first.refresh_from_db()
    assert [r.text for r in first.recommendations.all()] == [
        "Audit the bruising protocol after three months."
    ]
    assert list(recommendation.findings.all()) == [second]


def test_findings_errors_are_named_and_nothing_changes(people, baby_r):
    rows = [
        ["WIR-RR-2026-01", "A good finding.", "", "neglect", "", ""],
        ["WIR-RR-9999", "Unknown review.", "", "", "", ""],
        ["WIR-RR-2026-01", "", "", "", "", ""],
        ["WIR-RR-2026-01", "Bad level.", "", "", "", "top secret"],
        ["WIR-RR-2026-01", "Bad theme.", "", "knitting", "Fire", ""],
    ]
    result = import_findings(csv_bytes(FINDING_HEADER, rows), user=people["reviewer"])
    errors = [str(e) for e in result.errors]
    assert (
        "row 3, review_reference: there is no review WIR-RR-9999 that you may import into" in errors
    )
    assert "row 4, finding: is empty" in errors
    assert any(e.startswith("row 5, sharing_level: top secret") for e in errors)
    assert "row 6, themes: there is no theme called knitting" in errors
    assert "row 6, agencies: there is no agency called Fire in Wirral" in errors
    assert not Finding.objects.exists()


def test_a_liverpool_manager_cannot_add_findings_to_a_wirral_review(people, baby_r):
    rows = [["WIR-RR-2026-01", "Something.", "", "", "", ""]]
    result = import_findings(csv_bytes(FINDING_HEADER, rows), user=people["liverpool.manager"])
    assert not result.ok and not Finding.objects.exists()


def test_the_findings_command(people, baby_r, tmp_path, capsys):
    path = tmp_path / "findings.xlsx"
    path.write_bytes(
        xlsx_bytes(FINDING_HEADER, [["WIR-RR-2026-01", "One finding.", "One rec.", "", "", ""]])
    )
    call_command("import_findings", str(path), user="reviewer")
    assert "1 finding imported (1 new, 0 updated)" in capsys.readouterr().out


def test_a_finding_title_is_its_first_sentence_or_line():
    assert finding_title("First. Second.") == "First."
    assert finding_title("Line one\nline two") == "Line one"
    assert len(finding_title("x" * 400)) == 255


def test_theme_synonyms_match_as_the_import_reads_them(db):
    assert list(Theme.objects.matching("toxic trio").values_list("slug", flat=True)) == [
        "trilogy-of-risk"
    ]


def test_imported_reviews_and_findings_are_indexed_for_search(people, baby_r):
    from wagtail.search.backends import get_search_backend

    rows = [["WIR-RR-2026-01", "Safer sleep advice was never repeated.", "", "", "", ""]]
    assert import_findings(csv_bytes(FINDING_HEADER, rows), user=people["reviewer"]).ok
    backend = get_search_backend()
    assert list(backend.search("bruising", Review)) == [baby_r]
    assert [f.title for f in backend.search("safer sleep", Finding)] == [
        "Safer sleep advice was never repeated."
    ]


# Rights: an import writes only what its user may change, and refuses the rest in words that
# never say whether another partnership's hidden review exists.

LIVERPOOL_REVIEW = "LIV-RR-2026-02"


def liverpool_review_at(liverpool, level):
    """Liverpool's review at `level`, or none at all (None)."""
    if level is None:
        return None
    return make_admin_review(liverpool, LIVERPOOL_REVIEW, level)


def refused_lines(capsys, command, path, user):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(command, str(path), user=user)
    return capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize("level", [None, "restricted", "partnership", "regional"])
def test_findings_for_another_partnerships_review_are_refused_in_the_same_words(
    people, baby_r, liverpool, tmp_path, capsys, level
):
    liverpool_review_at(liverpool, level)
    findings_before = Finding.objects.count()
    path = tmp_path / "findings.csv"
    rows = [
        ["WIR-RR-2026-01", "A good Wirral finding.", "", "", "", ""],
        [LIVERPOOL_REVIEW, "Something about Liverpool.", "", "", "Police", ""],
    ]
    path.write_bytes(csv_bytes(FINDING_HEADER, rows))
    assert refused_lines(capsys, "import_findings", path, "manager") == [
        f"row 3, review_reference: there is no review {LIVERPOOL_REVIEW} that you may import into"
    ]
    # Whole or nothing: the good Wirral row did not land either.
    assert Finding.objects.count() == findings_before
    assert baby_r.revisions.count() == 1


@pytest.mark.parametrize("level", [None, "restricted", "partnership", "regional"])
def test_reviews_led_by_another_partnership_are_refused_in_the_same_words(
    people, review_file, liverpool, tmp_path, capsys, level
):
    liverpool_review_at(liverpool, level)
    path = tmp_path / "tracker.csv"
    path.write_bytes(
        review_file(
            review_row(reference="WIR-RR-2026-09"),
            review_row(reference=LIVERPOOL_REVIEW, lead_partnership="Liverpool", title="Taken"),
        )
    )
    assert refused_lines(capsys, "import_reviews", path, "manager") == [
        "row 3, lead_partnership: you can import only your own partnership's reviews (Wirral), "
        "not Liverpool's"
    ]
    assert not Review.objects.filter(reference="WIR-RR-2026-09").exists()
    assert not Review.objects.filter(title="Taken").exists()


def test_the_owning_partnership_still_imports_into_its_restricted_review(
    people, liverpool, review_file
):
    review = liverpool_review_at(liverpool, "restricted")
    rows = [[LIVERPOOL_REVIEW, "Liverpool's finding.", "Liverpool's recommendation.", "", "", ""]]
    result = import_findings(csv_bytes(FINDING_HEADER, rows), user=people["liverpool.manager"])
    assert result.ok, result.errors
    assert review.findings.filter(text="Liverpool's finding.").exists()

    again = review_file(review_row(reference=LIVERPOOL_REVIEW, lead_partnership="Liverpool"))
    result = import_reviews(again, user=people["liverpool.manager"])
    assert result.ok, result.errors
    assert Review.objects.get(reference=LIVERPOOL_REVIEW).title == review_row()[2]


def test_a_panel_member_from_another_partnership_imports_into_the_review_they_sit_on(
    people, baby_r, review_file
):
    """The access policy lets a review's panel change it wherever they work: so does the import."""
    baby_r.panel.add(people["halton.reviewer"])
    baby_r.save()
    rows = [["WIR-RR-2026-01", "Found by the Halton panel member.", "", "", "", ""]]
    result = import_findings(csv_bytes(FINDING_HEADER, rows), user=people["halton.reviewer"])
    assert result.ok, result.errors
    result = import_reviews(
        review_file(review_row(title="Renamed")), user=people["halton.reviewer"]
    )
    assert result.ok, result.errors
    assert Review.objects.get(reference="WIR-RR-2026-01").title == "Renamed"
    # But they create reviews only in their own partnership.
    new = review_file(review_row(reference="WIR-NEW"))
    assert [str(e) for e in import_reviews(new, user=people["halton.reviewer"]).errors] == [
        "row 2, lead_partnership: you can import only your own partnership's reviews (Halton), "
        "not Wirral's"
    ]


@pytest.mark.parametrize("level", [None, "restricted"])
def test_a_hidden_review_lends_the_checks_none_of_its_dates(
    people, liverpool, tmp_path, capsys, level
):
    """A file without aware_date is checked against the review's own dates on update: never
    against a hidden review's, which would show them (and that it exists) to a Wirral manager."""
    if level:
        review = liverpool_review_at(liverpool, level)
        Review.objects.filter(pk=review.pk).update(aware_date=date(2026, 1, 20))
    header = [c for c in REVIEW_HEADER if c not in ("incident_date", "aware_date")]
    row = review_row(reference=LIVERPOOL_REVIEW, lead_partnership="Liverpool")
    row = [v for c, v in zip(REVIEW_HEADER, row, strict=True) if c in header]
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(header, [row]))
    assert refused_lines(capsys, "import_reviews", path, "manager") == [
        "row 2, lead_partnership: you can import only your own partnership's reviews (Wirral), "
        "not Liverpool's",
        "row 2, aware_date: is missing; a rapid review needs it",
    ]
