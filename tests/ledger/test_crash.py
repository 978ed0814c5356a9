"""Crash: a writer killed with SIGKILL mid-stream loses no acknowledged transfer, and the books
verify afterwards. On PostgreSQL the child writes into the test database itself; on SQLite into
a file copy of the (in-memory) test database."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from heelwijk.ledger.models import Transaction
from heelwijk.ledger.verify import verify_ledger

from .crash_writer import create_accounts

WRITER = Path(__file__).with_name("crash_writer.py")
ACKNOWLEDGED = 40


def database_url(tmp_path: Path) -> str:
    """A URL the child can reach: the PostgreSQL test database, or a file copy of SQLite's."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "crash.sqlite3"
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{credentials}{settings.get('HOST') or ''}{port}/{settings['NAME']}"


def run_writer_and_kill(env: dict[str, str], ids: list[int]) -> list[int]:
    """Start the writer, read ACKNOWLEDGED complete lines, then kill -9 it mid-stream."""
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), *map(str, ids)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reported: list[int] = []
    try:
        while len(reported) < ACKNOWLEDGED:
            line = writer.stdout.readline()
            if not line:
                raise AssertionError(f"writer stopped early: {writer.stderr.read()}")
            if line.endswith("\n"):
                reported.append(int(line))
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    return reported


@pytest.mark.django_db(transaction=True)
def test_a_killed_writer_loses_no_acknowledged_transfer(tmp_path):
    ids = create_accounts()  # committed (transactional test), so the child sees them
    url = database_url(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "HEELWIJK_ENV": "test"}
    reported = run_writer_and_kill(env, ids)

    if connection.vendor == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            present = {row[0] for row in db.execute("SELECT id FROM ledger_transaction")}
    else:
        present = set(Transaction.objects.values_list("pk", flat=True))
        report = verify_ledger()
        assert report.ok, report.messages
    assert set(reported) <= present
    # `heelwijk ledger verify` on the same database, chosen by DATABASE_URL alone
    checked = subprocess.run(
        [sys.executable, "-m", "django", "ledger", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no problems" in checked.stdout
