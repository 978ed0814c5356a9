"""`heelwijk import`: dry run by default, --apply to write, non-zero exit on errors, --help."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heelwijk import cli
from heelwijk.neighbourhood.management.commands.import_data import Command
from heelwijk.neighbourhood.models import AuditEntry, Household, Organisation
from tests.factories import AreaFactory

from .import_files import ORGANISATION_ROWS, path, xlsx

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_data", *args, stdout=out, stderr=err)
    return str(caught.value), out.getvalue(), err.getvalue()


def test_dry_run_prints_the_report_and_writes_nothing(world):
    AreaFactory(neighbourhood=world.nbh_a, name="Zuid")
    households = Household.objects.count()

    out, err = run(str(path("households.csv")), "--neighbourhood", "lindenhof", "--language", "en")

    assert err == ""
    assert out.splitlines() == [
        "row 2: change: Lindelaan 12, 1234 AB Rijnstede",
        "    number of people: 4 → 5",
        "row 3: new: Eikenweg 7a, 1234 AD Rijnstede",
        "row 5: new: Eikenweg 9, 1234 AD Rijnstede",
        "households: 2 new, 1 changed, 1 unchanged, 0 error(s).",
        "Dry run: nothing was written. Add --apply to import.",
    ]
    assert Household.objects.count() == households


def test_apply_writes_and_a_second_run_changes_nothing(world, tmp_path):
    file = tmp_path / "organisaties.xlsx"
    file.write_bytes(xlsx(ORGANISATION_ROWS))

    out, _err = run(
        str(file), "--neighbourhood", "lindenhof", "--apply", "--actor", "STAF-A@example.org"
    )

    assert "organisaties: 2 nieuw, 1 gewijzigd, 0 ongewijzigd, 0 fout(en)." in out
    assert Organisation.objects.filter(neighbourhood=world.nbh_a).count() == 3
    entry = AuditEntry.objects.get(action="data_import")
    assert entry.actor == world.staff_a
    assert entry.changes["file"] == "organisaties.xlsx"

    out, _err = run(str(file), "--neighbourhood", "lindenhof", "--apply", "--language", "en")

    assert out.splitlines()[-2:] == [
        "organisations: 0 new, 0 changed, 3 unchanged, 0 error(s).",
        "Imported.",
    ]


def test_errors_are_printed_and_exit_non_zero_and_nothing_is_written(world):
    households = Household.objects.count()

    message, _out, err = run_failing(
        str(path("households_unknown_area.csv")),
        "--neighbourhood",
        "lindenhof",
        "--apply",
        "--language",
        "en",
    )

    assert message == "1 error(s): nothing was imported."
    assert err.splitlines() == [
        "row 3, column area: Lindenhof has no area “Zuidpunt”. Known areas: Noord."
    ]
    assert Household.objects.count() == households


def test_a_file_problem_is_printed_in_dutch_by_default(world):
    message, _out, err = run_failing(str(path("empty.csv")), "--neighbourhood", "lindenhof")

    assert err.splitlines() == ["Het bestand is leeg."]
    assert message == "1 fout(en): er is niets geïmporteerd."


def test_the_kind_can_be_chosen(world):
    _message, _out, err = run_failing(
        str(path("people.csv")), "--neighbourhood", "lindenhof", "--kind", "households"
    )

    assert err.splitlines()[-1] == ("Deze verplichte kolommen ontbreken: straat, plaats, buurt.")


def test_unknown_neighbourhood_missing_file_and_unknown_actor(world, tmp_path):
    with pytest.raises(CommandError, match="No neighbourhood with short name 'nergens'"):
        run(str(path("people.csv")), "--neighbourhood", "nergens")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"), "--neighbourhood", "lindenhof")
    with pytest.raises(CommandError, match=r"No login with e-mail address 'nobody@example\.org'"):
        run(
            str(path("people.csv")), "--neighbourhood", "lindenhof", "--actor", "nobody@example.org"
        )


def test_help_explains_the_options_and_every_column():
    text = Command().create_parser("heelwijk", "import").format_help()

    for expected in (
        "--neighbourhood SLUG",
        "--kind {households,people,organisations}",
        "--apply",
        "dry run",
        "  * street / straat",
        "  * house_number / huisnummer",
        "    composition / samenstelling",
        "One of: single, couple, family,",
        "  * first_name / voornaam",
        "    date_of_birth / geboortedatum",
        "  * kind / soort",
        "CSV UTF-8",
    ):
        assert expected in text


def test_heelwijk_import_is_the_import_data_command(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["import", "--help"])

    assert exited.value.code == 0
    assert "usage: heelwijk import_data" in capsys.readouterr().out
