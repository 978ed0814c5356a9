"""Keep an uploaded file between the dry run and the confirmation, for one user, for an hour.

Each upload gets a random batch id and a private directory under var/imports/ (setting
HEELWIJK_IMPORT_DIR) holding the file and who uploaded it for which neighbourhood. A batch is only
ever handed back to the same user in the same neighbourhood; after confirming, cancelling or
expiring, the file is deleted, so personal data does not linger on disk.
"""

import datetime as dt
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .applier import ImportResult, import_apply

LIFETIME = dt.timedelta(hours=1)
# After confirming, the result page stays available for a while without the file.
RESULT_LIFETIME = dt.timedelta(days=1)
_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_DATA, _META, _CLAIM = "upload.bin", "batch.json", "applying.lock"


def import_dir() -> Path:
    configured = getattr(settings, "HEELWIJK_IMPORT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "imports"


@dataclass
class Batch:
    id: str
    user_id: int
    neighbourhood_id: int
    filename: str
    kind: str
    created: dt.datetime
    result: dict | None = None

    @property
    def path(self) -> Path:
        return import_dir() / self.id

    @property
    def expired(self) -> bool:
        lifetime = RESULT_LIFETIME if self.result is not None else LIFETIME
        return timezone.now() - self.created > lifetime

    def content(self) -> bytes:
        return (self.path / _DATA).read_bytes()

    def save(self) -> None:
        meta = {
            "user": self.user_id,
            "neighbourhood": self.neighbourhood_id,
            "filename": self.filename,
            "kind": self.kind,
            "created": self.created.isoformat(),
            "result": self.result,
        }
        _write_private(self.path / _META, json.dumps(meta).encode())


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.touch(mode=0o600)
    temporary.write_bytes(data)
    temporary.replace(path)


def batch_store(*, user, neighbourhood, filename: str, content: bytes, kind: str = "") -> Batch:
    batches_purge()
    batch = Batch(
        id=secrets.token_urlsafe(24),
        user_id=user.pk,
        neighbourhood_id=neighbourhood.pk,
        filename=Path(filename or "").name[:120],
        kind=kind,
        created=timezone.now(),
    )
    batch.path.mkdir(mode=0o700, parents=True)
    _write_private(batch.path / _DATA, content)
    batch.save()
    return batch


def _read(batch_id: str) -> Batch | None:
    if not _ID.match(batch_id or ""):
        return None
    try:
        meta = json.loads((import_dir() / batch_id / _META).read_text())
        return Batch(
            id=batch_id,
            user_id=meta["user"],
            neighbourhood_id=meta["neighbourhood"],
            filename=meta["filename"],
            kind=meta["kind"],
            created=dt.datetime.fromisoformat(meta["created"]),
            result=meta.get("result"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def batch_load(batch_id: str, *, user, neighbourhood) -> Batch | None:
    """The batch if it exists and belongs to this user and neighbourhood; else None.

    An expired batch is returned (with `expired` true) so the page can say so, and is deleted.
    """
    batch = _read(batch_id)
    if batch is None or neighbourhood is None:
        return None
    if batch.user_id != user.pk or batch.neighbourhood_id != neighbourhood.pk:
        return None
    if batch.expired:
        batch_discard(batch)
    return batch


def batch_apply(batch: Batch, *, actor, neighbourhood, fingerprint: str) -> ImportResult | None:
    """Apply a stored upload (checking it again) once; on success record the counts and delete
    the file. None when another request, e.g. a double click, is applying or has applied it."""
    claim = batch.path / _CLAIM
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return None
    try:
        current = _read(batch.id)
        if current is None or current.result is not None:
            return None
        try:
            content = batch.content()
        except OSError:  # deleted by a clean-up in the meantime
            return None
        result = import_apply(
            actor=actor,
            neighbourhood=neighbourhood,
            content=content,
            filename=batch.filename,
            kind=batch.kind or None,
            fingerprint=fingerprint,
        )
        if result.applied:
            report = result.report
            batch.result = {
                "kind": report.kind,
                "created": report.created,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "applied_at": timezone.now().isoformat(),
            }
            batch.save()
            (batch.path / _DATA).unlink(missing_ok=True)
        return result
    finally:
        claim.unlink(missing_ok=True)


def batch_discard(batch: Batch) -> None:
    shutil.rmtree(batch.path, ignore_errors=True)


def batches_purge() -> int:
    """Delete every expired batch (also those of other users); returns how many."""
    root = import_dir()
    if not root.is_dir():
        return 0
    purged = 0
    for directory in root.iterdir():
        batch = _read(directory.name)
        if batch is None:
            # Unreadable: half-written just now by another request, or left behind by a crash.
            age = timezone.now().timestamp() - directory.stat().st_mtime
            expired = age > LIFETIME.total_seconds()
        else:
            expired = batch.expired
        if expired:
            shutil.rmtree(directory, ignore_errors=True)
            purged += 1
    return purged
