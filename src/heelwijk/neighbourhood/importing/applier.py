"""Apply an import: check the file again and write every row through the actions, all or none."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import actions
from ..models import Neighbourhood
from .columns import ImportKind
from .planner import (
    CHANGE,
    CREATE,
    ImportReport,
    RowError,
    RowOutcome,
    header_match,
    plan_import,
)
from .reader import FileProblem, read_table

_CREATE = {
    ImportKind.HOUSEHOLDS: actions.household_create,
    ImportKind.PEOPLE: actions.person_create,
    ImportKind.ORGANISATIONS: actions.organisation_create,
}
_UPDATE = {
    ImportKind.HOUSEHOLDS: (actions.household_update, "household"),
    ImportKind.PEOPLE: (actions.person_update, "person"),
    ImportKind.ORGANISATIONS: (actions.organisation_update, "organisation"),
}


@dataclass
class ImportResult:
    report: ImportReport
    applied: bool = False
    # The rows would now be written differently than the dry run the user confirmed showed.
    outdated: bool = False


class _Abort(Exception):
    """Leave the transaction, rolling back every row written so far."""


def import_preview(
    *, neighbourhood: Neighbourhood, content: bytes, filename: str = "", kind: str | None = None
) -> ImportReport:
    """The dry run: what importing this file would do, and every problem in it. Writes nothing."""
    try:
        table = read_table(content, filename)
    except FileProblem as exc:
        return ImportReport(kind=kind or None, file_errors=[str(exc)])
    return plan_import(neighbourhood=neighbourhood, table=table, kind=kind or None)


def import_file_problems(
    *, content: bytes, filename: str = "", kind: str | None = None
) -> list[str]:
    """What makes the file as a whole unusable (encoding, size, column names); rows unchecked."""
    try:
        table = read_table(content, filename)
    except FileProblem as exc:
        return [str(exc)]
    report = ImportReport(kind=kind or None)
    header_match(table.header, kind or None, report)
    return report.file_errors


def import_apply(
    *,
    actor,
    neighbourhood: Neighbourhood,
    content: bytes,
    filename: str = "",
    kind: str | None = None,
    fingerprint: str | None = None,
) -> ImportResult:
    """Check the file again and write all its rows in one transaction, or none of them.

    With `fingerprint` (from the dry run the user saw) nothing is written when the outcome would
    now differ, e.g. because someone changed a household in between.
    """
    result = ImportResult(report=ImportReport(kind=kind))
    try:
        with transaction.atomic():
            report = import_preview(
                neighbourhood=neighbourhood, content=content, filename=filename, kind=kind
            )
            result.report = report
            if not report.ok:
                raise _Abort
            if fingerprint is not None and fingerprint != report.fingerprint:
                result.outdated = True
                raise _Abort
            for outcome in report.outcomes:
                _write(outcome, kind=report.kind, actor=actor, neighbourhood=neighbourhood)
            if report.created or report.changed:  # a file that changes nothing leaves no trace
                actions.audit(
                    neighbourhood=neighbourhood,
                    actor=actor,
                    action="data_import",
                    obj=neighbourhood,
                    changes={
                        "kind": report.kind,
                        "file": filename,
                        "created": report.created,
                        "changed": report.changed,
                        "unchanged": report.unchanged,
                    },
                )
    except _Abort as abort:
        if isinstance(abort, _AbortWithError):
            result.report.errors.append(abort.error)
        return result
    result.applied = True
    return result


def _write(outcome: RowOutcome, *, kind: str, actor, neighbourhood: Neighbourhood) -> None:
    try:
        if outcome.action == CREATE:
            _CREATE[kind](actor=actor, neighbourhood=neighbourhood, **outcome.fields)
        elif outcome.action == CHANGE:
            update, name = _UPDATE[kind]
            update(actor=actor, **{name: outcome.target}, **outcome.fields)
    except (ValidationError, IntegrityError) as exc:
        if isinstance(exc, ValidationError):
            detail = " ".join(exc.messages)
        else:
            detail = _("another change to the same data got in the way; try again.")
        raise _AbortWithError(
            RowError(outcome.row, "", _("Could not be saved: %(detail)s") % {"detail": detail})
        ) from exc


class _AbortWithError(_Abort):
    def __init__(self, error: RowError):
        super().__init__(error.message)
        self.error = error
