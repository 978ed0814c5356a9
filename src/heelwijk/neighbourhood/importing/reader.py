"""Read an uploaded CSV (UTF-8) or XLSX file into a header and numbered rows of text."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 Excel (.xls) container
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass
class Table:
    """The header row and the data rows of a file, each with its row number as the user sees it
    (the header is row 1). Empty rows are left out but keep their place in the numbering."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def read_table(content: bytes, filename: str = "") -> Table:
    """Read a file's bytes; raise FileProblem with a clear message when it cannot be used."""
    if len(content) > MAX_BYTES:
        raise FileProblem(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if content.startswith(_ZIP_MAGIC):
        table = _read_xlsx(content, filename)
    elif content.startswith(_OLE_MAGIC):
        raise FileProblem(
            _(
                "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
                "CSV UTF-8 and upload it again."
            )
        )
    else:
        table = _read_csv(content)
    return _checked(table)


def _checked(table: Table) -> Table:
    if not any(table.header) and not table.rows:
        raise FileProblem(_("The file is empty."))
    if not any(table.header):
        raise FileProblem(_("The first row is empty. It must hold the column names."))
    if not table.rows:
        raise FileProblem(_("The file has a header row but no rows with data."))
    for index, text in enumerate(table.header):
        if not text and any(index < len(cells) and cells[index] for _n, cells in table.rows):
            raise FileProblem(
                _("Column %(number)s has data but no name in the first row.")
                % {"number": index + 1}
            )
    return table


def _too_many_rows() -> FileProblem:
    return FileProblem(
        _(
            "The file has more than %(max)s rows with data. Split it into files of at most "
            "%(max)s rows and import them one by one."
        )
        % {"max": number_format(MAX_ROWS, force_grouping=True)}
    )


def _add_row(table: Table, number: int, cells: list[str]) -> None:
    if number == 1:
        table.header = cells
        return
    if any(cells):
        if len(table.rows) >= MAX_ROWS:
            raise _too_many_rows()
        table.rows.append((number, cells))


def _read_csv(content: bytes) -> Table:
    if content.startswith(_UTF16_BOMS):
        raise FileProblem(
            _(
                "The file is saved in the UTF-16 encoding. Save it as CSV UTF-8 (in Excel: "
                "Save as, then CSV UTF-8) and upload it again."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = content[: exc.start].count(b"\n") + 1
        raise FileProblem(
            _(
                "The file is not in the UTF-8 encoding: row %(row)s holds characters that are "
                "not UTF-8 (perhaps it was saved as Windows-1252 or Latin-1). Heelwijk does not "
                "guess the encoding, because a wrong guess garbles names such as Zoë or "
                "Çelik. Save the file as CSV UTF-8 (in Excel: Save as, then CSV UTF-8) and "
                "upload it again."
            )
            % {"row": row}
        ) from exc
    if "\x00" in text:
        raise FileProblem(_("This does not look like a CSV or Excel (.xlsx) file."))
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    table = Table(header=[])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            _add_row(table, number, [cell.strip() for cell in cells])
    except csv.Error as exc:
        raise FileProblem(
            _("Row %(row)s cannot be read as CSV: %(problem)s")
            % {"row": number + 1, "problem": exc}
        ) from exc
    return table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Spreadsheets store whole numbers as floats; 12.0 is the house number 12.
        exact = Decimal(repr(value))
        return str(int(exact)) if exact == exact.to_integral_value() else str(exact)
    return str(value).strip()


def _read_xlsx(content: bytes, filename: str) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        if filename.lower().endswith(".ods"):
            message = _(
                "OpenDocument spreadsheets (.ods) cannot be read. Save the file as an Excel "
                "workbook (.xlsx) or as CSV UTF-8 and upload it again."
            )
        else:
            message = _(
                "The file cannot be read as an Excel workbook (.xlsx). Save it again as .xlsx "
                "or as CSV UTF-8 and upload it again."
            )
        raise FileProblem(message) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size; read what is there
        table = Table(header=[])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            _add_row(table, number, cells)
    finally:
        workbook.close()
    return table
