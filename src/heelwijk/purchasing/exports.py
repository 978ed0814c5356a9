"""Per-supplier customer lists for contracting, as CSV or XLSX (amounts as exact decimals)."""

import csv
import io

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .money import cents_to_euros

EXPORT_FORMATS = ("csv", "xlsx")


def _header() -> list[str]:
    return [
        _("Household"),
        _("Address"),
        _("Postcode"),
        _("Contact person"),
        _("E-mail"),
        _("Phone"),
        _("Offer"),
        _("Price level"),
        _("Yearly usage"),
        _("Yearly cost (€)"),
        _("Yearly saving (€)"),
        _("Pledge status"),
    ]


def _values(row) -> list:
    return [
        row.household_id,
        row.address,
        row.postcode,
        row.contact_name,
        row.contact_email,
        row.contact_phone,
        row.offer,
        row.tier,
        row.usage,
        cents_to_euros(row.yearly_cost_cents),
        cents_to_euros(row.saving_cents),
        row.pledge_status,
    ]


def _safe(value):
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_customers(*, campaign, supplier, rows, fmt: str) -> tuple[bytes, str, str]:
    base = f"{slugify(campaign.title) or 'campagne'}-{slugify(supplier.name) or 'leverancier'}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(_header())
        for row in rows:
            writer.writerow([_safe(v) for v in _values(row)])
        return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", f"{base}.csv"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Customers")[:31]
    sheet.append(_header())
    for row in rows:
        sheet.append([_safe(v) for v in _values(row)])
    for cells in sheet.iter_rows(min_row=2, min_col=10, max_col=11):
        for cell in cells:
            cell.number_format = "#,##0.00"
    out = io.BytesIO()
    workbook.save(out)
    return (
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{base}.xlsx",
    )
