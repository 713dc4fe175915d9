"""The Hub's one import pipeline (see docs/architecture.md, "The import pipeline").

`spreadsheets` reads CSV and XLSX within the Hub's bounds, `cells` reads their cells, `columns`
and `pipeline` check every row into one `ImportResult` and write it whole or not at all, `bulk`
writes in few statements, `registry` names each app's imports and `jobs` runs an admin upload's
import as a Celery task."""

from .bulk import WRITE_CHUNK, chunks, insert_links, set_many
from .cells import cell_text, parse_date, split_list
from .columns import Columns
from .errors import ImportFileError, RowError, RowProblems, errors_from_validation
from .pipeline import PROGRESS_EVERY, Importer, Row, Writing, report, run_import
from .registry import ImportKind, import_kind, import_kinds, register
from .result import ImportResult, Progress
from .spreadsheets import Limits, Table, normalise_header, read_table

# The upload limit counts compressed bytes; the spreadsheet bounds (`Limits`) count the rest.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

__all__ = [
    "MAX_UPLOAD_BYTES",
    "PROGRESS_EVERY",
    "WRITE_CHUNK",
    "Columns",
    "ImportFileError",
    "ImportKind",
    "ImportResult",
    "Importer",
    "Limits",
    "Progress",
    "Row",
    "RowError",
    "RowProblems",
    "Table",
    "Writing",
    "cell_text",
    "chunks",
    "errors_from_validation",
    "import_kind",
    "import_kinds",
    "insert_links",
    "normalise_header",
    "parse_date",
    "read_table",
    "register",
    "report",
    "run_import",
    "set_many",
    "split_list",
]
