"""The reviews app's imports, run by the Hub's one pipeline (`hub.importing`): reviews from a
partnership's tracker (`reviews.py`) and findings with their recommendations (`findings.py`).
Management commands, the admin's upload pages and their jobs call `import_reviews` and
`import_findings`; the rules live in these modules and nowhere else."""

from .findings import FINDING_COLUMNS, FindingsImport, finding_title, import_findings
from .reviews import REVIEW_COLUMNS, REVIEW_OPTIONAL_COLUMNS, ReviewsImport, import_reviews
from .vocabulary import may_import_reviews

__all__ = [
    "FINDING_COLUMNS",
    "REVIEW_COLUMNS",
    "REVIEW_OPTIONAL_COLUMNS",
    "FindingsImport",
    "ReviewsImport",
    "finding_title",
    "import_findings",
    "import_reviews",
    "may_import_reviews",
]
