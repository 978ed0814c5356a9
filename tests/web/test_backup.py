"""Backup and restore drill: the books come back whole, and a difference is caught."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from heelwijk.ledger.actions import transfer
from heelwijk.ledger.models import LedgerHead, Posting, Transaction
from heelwijk.web.backups import BackupError, create_backup, manifest_path, read_books
from tests.ledger.conftest import books, tampering  # noqa: F401  (books: a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _post_some(books, world, n=5):  # noqa: F811
    for i in range(n):
        transfer(
            source=books.household,
            destination=books.dues,
            amount=1_000 + i,
            kind="dues",
            memo=f"contributie {i}",
            actor=world.staff_a,
        )


@pytest.fixture
def target(tmp_path):
    """An empty database to restore into, as a DATABASE_URL; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    user = quote(settings.get("USER") or "")
    host = settings.get("HOST") or ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    server = f"postgresql://{user}@{host}{port}"
    password = settings.get("PASSWORD") or None
    with psycopg.connect(f"{server}/postgres", autocommit=True, password=password) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, password=password) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _heelwijk(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "HEELWIJK_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_an_empty_database_with_the_same_books(
    books,  # noqa: F811
    world,
    tmp_path,
    target,
):
    _post_some(books, world)
    path = tmp_path / "heelwijk.backup"
    manifest = create_backup(path)
    head = LedgerHead.objects.get(neighbourhood=world.nbh_a)
    assert (manifest.engine, manifest.transactions, manifest.postings) == (
        connection.vendor,
        5,
        10,
    )
    assert manifest.chain_heads == {"lindenhof": [5, head.hash]}
    assert json.loads(manifest_path(path).read_text())["chain_heads"] == {
        "lindenhof": [5, head.hash]
    }

    # Money moves after the backup: the restore brings back the moment of the backup.
    _post_some(books, world, n=2)
    assert Transaction.objects.count() == 7

    restored = _heelwijk(target, "restore", str(path))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "restored and verified: 5 transactions, 10 postings, 1 hash chain(s)" in restored.stdout
    verified = _heelwijk(target, "ledger", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    again = _heelwijk(target, "restore", str(path))
    assert again.returncode != 0
    assert "De database is niet leeg" in again.stderr

    forced = _heelwijk(target, "restore", "--force", str(path))
    assert forced.returncode == 0, forced.stdout + forced.stderr


def test_a_restore_that_differs_from_its_manifest_fails(books, world, tmp_path, target):  # noqa: F811
    _post_some(books, world, n=3)
    path = tmp_path / "heelwijk.backup"
    create_backup(path)
    manifest = json.loads(manifest_path(path).read_text())
    manifest["chain_heads"]["lindenhof"][1] = "0" * 64
    manifest["transactions"] = 4
    manifest_path(path).write_text(json.dumps(manifest))

    restored = _heelwijk(target, "restore", str(path))

    assert restored.returncode != 0
    problems = [line for line in restored.stderr.splitlines() if line.startswith("problem:")]
    assert len(problems) == 2, restored.stderr
    assert problems[0] == (
        "problem: Na het terugzetten wijkt het aantal transacties af van het manifest van de "
        "back-up: 3 in plaats van 4."
    )
    assert problems[1].startswith("problem: Na het terugzetten wijkt het einde van de hashketens")


def test_a_backup_of_tampered_books_fails_its_restore(books, world, tmp_path, target):  # noqa: F811
    _post_some(books, world, n=2)
    first = Posting.objects.order_by("pk").values_list("pk", flat=True).first()
    with tampering(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_posting SET amount = amount + 1 WHERE id = %s", [first])
    path = tmp_path / "heelwijk.backup"
    create_backup(path)

    restored = _heelwijk(target, "restore", str(path))

    assert restored.returncode != 0
    problems = [line for line in restored.stderr.splitlines() if line.startswith("problem:")]
    assert problems, restored.stderr


def test_refusals_change_nothing(books, world, tmp_path):  # noqa: F811
    path = tmp_path / "heelwijk.backup"
    path.write_text("already here")
    with pytest.raises(BackupError, match="bestaat al; kies een nieuwe bestandsnaam"):
        create_backup(path)
    assert path.read_text() == "already here"
    assert not manifest_path(path).exists()

    missing = _heelwijk("sqlite:///" + str(tmp_path / "x.sqlite3"), "restore", str(path))
    assert missing.returncode != 0
    assert "Het manifest" in missing.stderr and "ontbreekt" in missing.stderr


def test_the_manifest_reads_the_same_books_as_the_orm(books, world):  # noqa: F811
    _post_some(books, world, n=2)
    with connection.cursor() as cursor:
        figures = read_books(cursor)
    assert figures["transactions"] == Transaction.objects.count() == 2
    assert figures["chain_heads"]["lindenhof"][0] == 2


def test_backup_and_restore_have_help():
    for command in ("backup", "restore"):
        result = subprocess.run(
            [str(Path(sys.executable).parent / "heelwijk"), command, "--help"],
            capture_output=True,
            text=True,
            env={**os.environ, "HEELWIJK_ENV": "test"},
            timeout=120,
        )
        assert result.returncode == 0
        assert "manifest" in result.stdout
