"""Import households, people and organisations from CSV or XLSX: read, check, dry run, apply.

`import_preview` is the dry run (reads only); `import_apply` checks the file again and writes all
rows through the neighbourhood actions in one transaction, or none. Pages and the `heelwijk
import` command both use these two.
"""

from .applier import ImportResult, import_apply, import_file_problems, import_preview
from .columns import COLUMNS, Column, ImportKind
from .planner import CHANGE, CREATE, UNCHANGED, ImportReport, RowError, RowOutcome
from .reader import MAX_ROWS, FileProblem

__all__ = [
    "CHANGE",
    "COLUMNS",
    "CREATE",
    "MAX_ROWS",
    "UNCHANGED",
    "Column",
    "FileProblem",
    "ImportKind",
    "ImportReport",
    "ImportResult",
    "RowError",
    "RowOutcome",
    "import_apply",
    "import_file_problems",
    "import_preview",
]
