"""Backups of the whole database, and a restore that proves the books came back whole.

A backup is two files: the database copy (SQLite: a database file made with SQLite's online
backup; PostgreSQL: a ``pg_dump --format=custom`` archive) and ``<file>.manifest.json``, which
records what the copy holds: the number of ledger transactions and postings and the end of every
neighbourhood's hash chain (its number and hash). On PostgreSQL the manifest and the dump are
read from one exported snapshot, so they describe exactly the same moment even while people keep
paying.

A restore loads the copy into an empty database (or over one, with ``force``), then runs the
ledger's full ``verify`` and compares the restored books with the manifest. Any difference — a
missing transaction, another chain end, a changed row — is reported and the command fails.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.ledger.models import LedgerHead, Posting, Transaction
from heelwijk.neighbourhood.models import Neighbourhood

FORMAT = 1


class BackupError(Exception):
    """The backup or restore cannot be made (the message says why, in the user's language)."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    transactions: int
    postings: int
    chain_heads: dict[str, list]  # neighbourhood slug → [seq, hash]
    format: int = FORMAT

    def as_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n"


@dataclass
class RestoreReport:
    manifest: Manifest
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def read_books(cursor) -> dict:
    """The figures a manifest records, read with a raw cursor (any engine, any connection)."""
    txn, posting = Transaction._meta.db_table, Posting._meta.db_table
    head, nbh = LedgerHead._meta.db_table, Neighbourhood._meta.db_table
    cursor.execute(f"SELECT COUNT(*) FROM {txn}")  # noqa: S608 - table names from models
    transactions = cursor.fetchone()[0]
    cursor.execute(f"SELECT COUNT(*) FROM {posting}")  # noqa: S608
    postings = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT n.slug, h.seq, h.hash FROM {head} h JOIN {nbh} n "  # noqa: S608
        "ON n.id = h.neighbourhood_id ORDER BY n.slug"
    )
    heads = {slug: [int(seq), str(digest)] for slug, seq, digest in cursor.fetchall()}
    return {"transactions": transactions, "postings": postings, "chain_heads": heads}


def _manifest(engine: str, books: dict) -> Manifest:
    return Manifest(engine=engine, created_at=timezone.now().isoformat(), **books)


def _libpq_url(settings: dict) -> str:
    """The database as a libpq URL without its password (tools get it as PGPASSWORD)."""
    user = quote(settings.get("USER") or "", safe="")
    auth = f"{user}@" if user else ""
    host = settings.get("HOST") or ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{quote(settings['NAME'], safe='')}"


def _run(argv: list[str]) -> None:
    tool = shutil.which(argv[0])
    if tool is None:
        raise BackupError(
            _("%(tool)s is not installed (Debian: apt-get install postgresql-client).")
            % {"tool": argv[0]}
        )
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    result = subprocess.run(  # noqa: S603 - fixed tools, arguments from settings
        [tool, *argv[1:]], capture_output=True, text=True, check=False, env=env
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": argv[0], "error": result.stderr.strip()}
        )


def create_backup(path: Path) -> Manifest:
    """Write a consistent copy of the database to ``path`` and its manifest beside it."""
    path = Path(path)
    if path.exists():
        raise BackupError(_("%(path)s already exists; choose a new file name.") % {"path": path})
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        manifest = _backup_sqlite(path)
    elif connection.vendor == "postgresql":
        manifest = _backup_postgresql(path)
    else:
        raise BackupError(_("Backups support SQLite and PostgreSQL only."))
    manifest_path(path).write_text(manifest.as_json(), encoding="utf-8")
    return manifest


def _backup_sqlite(path: Path) -> Manifest:
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        books = read_books(target.cursor())
    finally:
        target.close()
    return _manifest("sqlite", books)


def _backup_postgresql(path: Path) -> Manifest:
    """pg_dump and the manifest from one snapshot (a REPEATABLE READ transaction exports it)."""
    url = _libpq_url(connection.settings_dict)
    with _snapshot_connection() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        books = read_books(cursor)
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}", url])
    return _manifest("postgresql", books)


@contextmanager
def _snapshot_connection() -> Iterator:
    import psycopg

    settings = connection.settings_dict
    conn = psycopg.connect(_libpq_url(settings), password=settings.get("PASSWORD") or None)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.rollback()
        conn.close()


def read_manifest(path: Path) -> Manifest:
    try:
        data = json.loads(manifest_path(Path(path)).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError:
        raise BackupError(
            _("The manifest %(path)s is missing: it belongs beside the backup.")
            % {"path": manifest_path(Path(path))}
        ) from None
    except (ValueError, TypeError):
        raise BackupError(_("The manifest beside the backup cannot be read.")) from None
    if manifest.format != FORMAT:
        raise BackupError(_("This backup was made by another version of Heelwijk."))
    return manifest


def _has_tables() -> bool:
    return bool(connection.introspection.table_names())


def restore_backup(path: Path, *, force: bool = False) -> RestoreReport:
    """Load the backup into this database, then verify the books against the manifest."""
    from heelwijk.ledger.verify import verify_ledger

    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no backup file %(path)s.") % {"path": path})
    manifest = read_manifest(path)
    connection.ensure_connection()
    if manifest.engine != connection.vendor:
        raise BackupError(
            _("This is a %(made)s backup; the database here is %(here)s.")
            % {"made": manifest.engine, "here": connection.vendor}
        )
    if _has_tables() and not force:
        raise BackupError(
            _(
                "The database is not empty. Restore into an empty database, or add --force to "
                "replace everything in it."
            )
        )
    if connection.vendor == "sqlite":
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        url = _libpq_url(connection.settings_dict)
        connections.close_all()
        options = ["--clean", "--if-exists"] if force else []
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", *options, f"--dbname={url}", str(path)]
        )
    connections.close_all()
    report = RestoreReport(manifest=manifest)
    with connection.cursor() as cursor:
        books = read_books(cursor)
    labels = {
        "transactions": _("number of transactions"),
        "postings": _("number of postings"),
        "chain_heads": _("ends of the hash chains"),
    }
    for key, label in labels.items():
        if books[key] != getattr(manifest, key):
            report.problems.append(
                _(
                    "The restored %(what)s differs from the backup's manifest: %(got)s "
                    "instead of %(want)s."
                )
                % {"what": label, "got": books[key], "want": getattr(manifest, key)}
            )
    verification = verify_ledger()
    report.problems.extend(str(problem.message) for problem in verification.problems)
    return report
