"""Import files for the import tests, and a helper to write the same rows as an XLSX workbook."""

import datetime as dt
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent


def path(name: str) -> Path:
    return HERE / name


def read(name: str) -> bytes:
    return (HERE / name).read_bytes()


def xlsx(rows: list[list[object]]) -> bytes:
    """An Excel workbook with the rows on its first sheet (None leaves a cell empty)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The good files as spreadsheet rows, with real numbers and dates in the cells the way Excel
# stores them, so the XLSX tests cover what a typed-in workbook holds.
HOUSEHOLD_ROWS = [
    [
        "straat",
        "huisnummer",
        "toevoeging",
        "postcode",
        "plaats",
        "buurt",
        "samenstelling",
        "aantal personen",
    ],
    ["Lindelaan", 12, None, "1234 AB", "Rijnstede", "Noord", "gezin", 5],
    ["Eikenweg", 7, "a", "1234ad", "Rijnstede", "noord", "alleenstaand", 1],
    [None, None, None, None, None, None, None, None],
    ["Eikenweg", 9, None, "1234 AD", "Rijnstede", "Zuid", "stel", 2.0],
    ["Beukenstraat", 3, None, "1234 AC", "Rijnstede", "Noord", None, None],
]

PEOPLE_ROWS = [
    [
        "first_name",
        "prefix",
        "last_name",
        "email",
        "phone",
        "date_of_birth",
        "contact_preference",
        "postcode",
        "house_number",
        "addition",
        "member_since",
    ],
    [
        "Anna",
        "de",
        "Vries",
        "bewoner-a@example.org",
        "06-12345678",
        None,
        "telefoon",
        "1234AB",
        12,
        None,
        dt.datetime(2024, 1, 15),
    ],
    [
        "Zoë",
        None,
        "Çelik",
        "zoe@example.org",
        None,
        dt.date(1990, 2, 14),
        "e-mail",
        "1234 AC",
        3,
        None,
        None,
    ],
    ["Piet", "van der", "Berg", None, None, "01-05-1955", "brief", None, None, None, None],
]

ORGANISATION_ROWS = [
    ["naam", "soort", "kvk-nummer", "e-mailadres", "telefoon", "website", "adres"],
    [
        "Gemeente Rijnstede",
        "gemeente",
        None,
        "info@rijnstede.nl",
        None,
        "https://rijnstede.nl",
        None,
    ],
    ["Bakkerij De Linde", "winkel", 12345678, None, None, "bakkerijdelinde.nl", "Lindelaan 1"],
    ["Wijkbedrijf Lindenhof", "wijkbedrijf", "8765 4321", None, "030-1234567", None, None],
]
