"""Builders for tracker files, as a partnership would keep them in Excel or save them as CSV."""

import csv
import io

import pytest

REVIEW_HEADER = [
    "reference",
    "type",
    "title",
    "subject_pseudonym",
    "lead_partnership",
    "sharing_level",
    "themes",
    "agencies",
    "incident_date",
    "aware_date",
    "notification_date",
    "decision",
    "summary",
]


def csv_bytes(header, rows, bom=False) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def review_row(**overrides):
    values = {
        "reference": "WIR-RR-2026-01",
        "type": "Rapid review",
        "title": "Baby R: bruising in a non-mobile baby",
        "subject_pseudonym": "Baby R",
        "lead_partnership": "Wirral",
        "sharing_level": "Restricted",
        "themes": "Bruising in non-mobile babies; toxic trio",
        "agencies": "Police; Health",
        "incident_date": "2026-01-05",
        "aware_date": "2026-01-06",
        "notification_date": "2026-01-09",
        "decision": "LCSPR",
        "summary": "[fictional] A bruise seen at a health visit was not referred.",
    }
    values.update(overrides)
    return [values[c] for c in REVIEW_HEADER]


@pytest.fixture
def review_file():
    def make(*rows, header=REVIEW_HEADER, bom=False):
        return csv_bytes(header, rows or [review_row()], bom=bom)

    return make
