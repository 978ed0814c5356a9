"""Reading import files and turning cells into values: encodings, sizes, formats."""

import datetime as dt

import pytest
from django.utils import translation

from heelwijk.neighbourhood.importing import columns, values
from heelwijk.neighbourhood.importing.reader import FileProblem, read_table

from .import_files import read, xlsx


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problem(content: bytes, filename: str = "file.csv") -> str:
    with pytest.raises(FileProblem) as caught:
        read_table(content, filename)
    return str(caught.value)


def test_csv_with_bom_semicolons_and_crlf_keeps_row_numbers_across_empty_rows():
    table = read_table(read("households.csv"))

    assert table.header[0] == "straat"  # the byte order mark is gone
    assert [number for number, _cells in table.rows] == [2, 3, 5, 6]
    assert table.rows[1][1] == [
        "Eikenweg",
        "7",
        "a",
        "1234ad",
        "Rijnstede",
        "noord",
        "alleenstaand",
        "1",
    ]


def test_csv_without_bom_and_with_commas_and_quoted_cells():
    content = b'naam,adres\n"Bakkerij, De Linde","Lindelaan 1\n1234 AB"\n'

    table = read_table(content)

    assert table.header == ["naam", "adres"]
    assert table.rows == [(2, ["Bakkerij, De Linde", "Lindelaan 1\n1234 AB"])]


def test_a_latin1_file_is_refused_naming_the_encoding_and_the_row():
    message = problem(read("people_latin1.csv"))

    assert message == (
        "The file is not in the UTF-8 encoding: row 2 holds characters that are not UTF-8 "
        "(perhaps it was saved as Windows-1252 or Latin-1). Heelwijk does not guess the "
        "encoding, because a wrong guess garbles names such as Zoë or Çelik. Save the file as "
        "CSV UTF-8 (in Excel: Save as, then CSV UTF-8) and upload it again."
    )


def test_a_utf16_file_is_refused():
    content = "straat;huisnummer\nLindelaan;1\n".encode("utf-16")

    assert problem(content).startswith("The file is saved in the UTF-16 encoding.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n  \r\n", "The file is empty."),
        (read("header_only.csv"), "The file has a header row but no rows with data."),
        (b"straat;huisnummer\n;\n;\n", "The file has a header row but no rows with data."),
        (
            b"\nstraat;huisnummer\nLindelaan;1\n",
            "The first row is empty. It must hold the column names.",
        ),
        (
            b"straat;;huisnummer\nLindelaan;x;1\n",
            "Column 2 has data but no name in the first row.",
        ),
        (
            b"\xd0\xcf\x11\xe0rest",
            "This is an old Excel file (.xls). Save it as an Excel "
            "workbook (.xlsx) or as CSV UTF-8 and upload it again.",
        ),
        (
            b"PK\x03\x04broken",
            "The file cannot be read as an Excel workbook (.xlsx). Save it "
            "again as .xlsx or as CSV UTF-8 and upload it again.",
        ),
        (b"a,b\n1,\x002\n", "This does not look like a CSV or Excel (.xlsx) file."),
    ],
)
def test_file_level_problems(content, message):
    assert problem(content) == message


def test_more_than_the_maximum_number_of_rows_is_refused(monkeypatch):
    monkeypatch.setattr("heelwijk.neighbourhood.importing.reader.MAX_ROWS", 3)
    content = b"naam;soort\n" + b"".join(b"Org %d;winkel\n" % n for n in range(4))

    assert problem(content) == (
        "The file has more than 3 rows with data. Split it into files of at most 3 rows and "
        "import them one by one."
    )


def test_exactly_the_maximum_number_of_rows_is_read(monkeypatch):
    monkeypatch.setattr("heelwijk.neighbourhood.importing.reader.MAX_ROWS", 3)
    content = b"naam;soort\n" + b"".join(b"Org %d;winkel\n" % n for n in range(3))

    assert len(read_table(content).rows) == 3


def test_xlsx_cells_become_text_and_empty_rows_keep_their_number():
    content = xlsx(
        [
            ["naam", "kvk", "datum", "getal"],
            ["A", 12345678, dt.datetime(2024, 1, 15), 2.0],
            [None, None, None, None],
            ["B", None, dt.date(1990, 2, 14), 2.5],
        ]
    )

    table = read_table(content, "orgs.xlsx")

    assert table.header == ["naam", "kvk", "datum", "getal"]
    assert table.rows == [
        (2, ["A", "12345678", "2024-01-15", "2"]),
        (4, ["B", "", "1990-02-14", "2.5"]),
    ]


def test_an_empty_workbook_is_empty():
    assert problem(xlsx([]), "leeg.xlsx") == "The file is empty."


def test_an_ods_file_gets_its_own_message():
    assert problem(b"PK\x03\x04not-really", "lijst.ods").startswith(
        "OpenDocument spreadsheets (.ods) cannot be read."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234ab", "1234 AB"), ("1234 AB", "1234 AB"), (" 9999zz ", "9999 ZZ"), ("1234Ab", "1234 AB")],
)
def test_postcodes_are_normalised(text, expected):
    assert values.postcode(text) == expected


@pytest.mark.parametrize("text", ["0123 AB", "12345", "1234 A", "1234 ABC", "AB 1234", "1234-AB"])
def test_wrong_postcodes_are_refused(text):
    with pytest.raises(values.CellError) as caught:
        values.postcode(text)
    assert str(caught.value) == (
        f"“{text}” is not a Dutch postcode. Write it as four digits and two letters, like 1234 AB."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", (12, "")), ("12a", (12, "a")), ("12 A", (12, "A")), ("12-2", (12, "2"))],
)
def test_house_numbers_may_carry_their_addition(text, expected):
    assert values.house_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-12-31", dt.date(1980, 12, 31)),
        ("31-12-1980", dt.date(1980, 12, 31)),
        ("31/12/1980", dt.date(1980, 12, 31)),
        ("1-2-1980", dt.date(1980, 2, 1)),
        ("31.12.1980", dt.date(1980, 12, 31)),
    ],
)
def test_dates_in_dutch_and_iso_order(text, expected):
    assert values.date(text) == expected


def test_bad_and_future_dates_are_refused():
    today = dt.date(2025, 6, 1)
    with pytest.raises(values.CellError, match="is not a date"):
        values.date("31-02-1980", today=today)
    with pytest.raises(values.CellError, match="is not a date"):
        values.date("12/31/80", today=today)
    with pytest.raises(values.CellError) as caught:
        values.date("2025-06-02", today=today)
    assert str(caught.value) == "The date 2025-06-02 lies in the future."
    with pytest.raises(values.CellError) as caught:
        values.date("1899-12-31", today=today)
    assert str(caught.value) == "The date 1899-12-31 lies before 1900."


def test_choices_accept_codes_english_and_dutch_words():
    assert values.choice("gezin", columns.COMPOSITIONS) == "family"
    assert values.choice("Single parent", columns.COMPOSITIONS) == "single_parent"
    assert values.choice(" WOONGROEP ", columns.COMPOSITIONS) == "shared"
    assert values.choice("Woningcorporatie", columns.ORGANISATION_KINDS) == "housing"


def test_a_wrong_choice_lists_the_allowed_words_in_the_users_language():
    with pytest.raises(values.CellError) as caught:
        values.choice("kat", columns.CONTACT_PREFERENCES)
    assert str(caught.value) == (
        "“kat” is not one of the choices. Use one of: email, phone, post, in_person."
    )


def test_kvk_numbers_websites_and_phones():
    assert values.kvk_number("8765 4321") == "87654321"
    assert values.website("bakkerijdelinde.nl") == "https://bakkerijdelinde.nl"
    assert values.phone("+31 (0)30-1234567") == "+31 (0)30-1234567"
    with pytest.raises(values.CellError, match="A KvK number has 8 digits"):
        values.kvk_number("1234567")
    with pytest.raises(values.CellError, match="is not a web address"):
        values.website("not a site")
    with pytest.raises(values.CellError, match="is not a phone number"):
        values.phone("call me")


def test_headers_match_in_dutch_and_english_ignoring_case_spaces_and_dashes():
    match = columns.match_headers(
        "people", ["Voornaam", "ACHTERNAAM", "E-mailadres", "date of birth", "Lid sinds"]
    )

    assert match.fits
    assert match.positions == {
        "first_name": 0,
        "last_name": 1,
        "email": 2,
        "date_of_birth": 3,
        "member_since": 4,
    }
