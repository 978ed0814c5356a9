"""PostgreSQL statements of the ledger's hot path, planned once per database session.

Django's cursors bind parameters on the client and never prepare, so a statement is planned on
every call. ``statement`` turns one into ``EXECUTE name(...)`` of a statement the session
PREPAREd — in the same message the first time — so PostgreSQL plans it once. Parameters are
still bound by Django's cursor; the statement must cast (or otherwise type) every ``%s``.

The names a session holds are remembered per psycopg connection, and only after the message
that PREPAREd them succeeded; a new attempt gets a new name, so a message that failed before or
after its PREPARE never leaves a clash. (A rollback does not drop prepared statements, and
psycopg itself prepares nothing here: Django leaves its ``prepare_threshold`` off, so it never
sends ``DEALLOCATE ALL`` either.) Behind a pooler that swaps sessions between transactions set
``HEELWIJK_DB_PREPARED=0``: the plain statements are sent instead.
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection

_known: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()
_numbers = itertools.count(1)
_MARK = re.compile("%s")


def _nothing() -> None:
    return None


def statement(key: str, sql: str, params: int) -> tuple[str, Callable[[], None]]:
    """The SQL to send for ``sql`` (with ``params`` ``%s`` marks) and what to call once the
    message succeeded. ``key`` names the statement's shape: letters, digits and underscores."""
    if not settings.LEDGER_PREPARED_STATEMENTS or connection.vendor != "postgresql":
        return sql, _nothing
    connection.ensure_connection()
    known = _known.setdefault(connection.connection, {})
    marks = ", ".join(["%s"] * params)
    if key in known:
        return f"EXECUTE {known[key]}({marks})", _nothing
    name = f"heelwijk_{key}_{next(_numbers)}"
    numbered = iter(range(1, params + 1))
    body = _MARK.sub(lambda _m: f"${next(numbered)}", sql)

    def remember() -> None:
        known[key] = name

    return f"PREPARE {name} AS {body}; EXECUTE {name}({marks})", remember


def first_result_rows(raw_cursor: Any) -> list[tuple[Any, ...]]:
    """The rows of the first result that has columns (a message may hold several results)."""
    while True:
        if raw_cursor.description is not None:
            return list(raw_cursor.fetchall())
        if not raw_cursor.nextset():
            return []
