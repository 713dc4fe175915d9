from reviews.imports import import_findings

from ._transfer import ImportCommand


class Command(ImportCommand):
    help = (
        "Import findings from a CSV or XLSX file, one row per finding: review_reference, "
        "finding, recommendation, themes, agencies, sharing_level. All rows or none; the same "
        "review and finding text is updated."
    )
    importer = staticmethod(import_findings)
    noun = "finding"
