from reviews.imports import import_reviews

from ._transfer import ImportCommand


class Command(ImportCommand):
    help = (
        "Import reviews from a CSV or XLSX tracker, one row per review: reference, type, title, "
        "subject_pseudonym, lead_partnership, sharing_level, themes, agencies, incident_date, "
        "aware_date, notification_date, decision, summary. All rows or none; a known reference "
        "is updated."
    )
    importer = staticmethod(import_reviews)
    noun = "review"
