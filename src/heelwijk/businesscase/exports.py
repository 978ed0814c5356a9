"""A report as CSV, XLSX and PDF, written from the same tables the report page shows.

CSV and XLSX keep numbers as numbers (a point as decimal separator in CSV, real cells in
XLSX) so they can be recalculated; the PDF prints them the way the page does.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from .presentation import Cell, ReportView, Table


def _raw(cell: Cell):
    if cell.kind in ("money", "percent", "ratio", "number"):
        return cell.value if cell.value is not None else ""
    return "" if cell.value is None else str(cell.value)


def _heading(view: ReportView) -> list[list[str]]:
    case = view.case
    return [
        [case.title],
        [_("Opgave"), case.opgave.title],
        [_("Status"), str(case.get_status_display())],
    ]


def as_csv(view: ReportView) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _heading(view):
        writer.writerow(row)
    for table in view.tables():
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_raw(c) for c in row])
    # A byte order mark lets spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


NUMBER_FORMATS = {
    "money": "#,##0.00",
    "percent": "0.00",
    "ratio": "0.00",
    "number": "#,##0.####",
}


def _sheet_title(table: Table, used: set[str]) -> str:
    title = "".join(ch for ch in table.title if ch not in "[]:*?/\\")[:31] or table.key
    while title in used:
        title = title[:28] + f"_{len(used)}"
    used.add(title)
    return title


def as_xlsx(view: ReportView) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in view.tables():
        sheet = workbook.create_sheet(_sheet_title(table, used))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(list(table.headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_raw(c) for c in row])
            for target, source in zip(sheet[sheet.max_row], row, strict=True):
                if source.kind in NUMBER_FORMATS and isinstance(source.value, (Decimal, int)):
                    target.number_format = NUMBER_FORMATS[source.kind]
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column[1:]) if len(column) > 1 else 10
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_pdf(view: ReportView) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=view.case.title,
    )
    story = [Paragraph(view.case.title, styles["Title"])]
    for label, value in _heading(view)[1:]:
        story.append(Paragraph(f"<b>{_esc(label)}</b>: {_esc(value)}", styles["BodyText"]))
    if view.case.summary:
        story.append(Paragraph(_esc(view.case.summary), styles["BodyText"]))
    for table in view.tables():
        story.append(Spacer(1, 5 * mm))
        story.append(Paragraph(_esc(table.title), styles["Heading2"]))
        data = [[Paragraph(f"<b>{_esc(h)}</b>", small) for h in table.headers]]
        for row in table.rows:
            data.append([Paragraph(_esc(c.display()), small) for c in row])
        pdf_table = PdfTable(data, repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6f4")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        for i, numeric in enumerate(table.numeric):
            if numeric:
                style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
        pdf_table.setStyle(TableStyle(style))
        story.append(pdf_table)
    doc.build(story)
    return out.getvalue()


def _esc(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
