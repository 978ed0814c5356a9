"""`heelwijk import FILE --neighbourhood SLUG`: dry run (default) or apply an import file."""

import argparse
import textwrap
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.utils import translation

from heelwijk.accounts.models import User
from heelwijk.neighbourhood.importing import (
    CHANGE,
    COLUMNS,
    CREATE,
    MAX_ROWS,
    ImportKind,
    ImportReport,
    import_apply,
    import_preview,
)
from heelwijk.neighbourhood.models import Neighbourhood


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


def columns_help() -> str:
    """The column list for --help, in English with the Dutch header beside each."""
    with translation.override("en"):
        lines = [
            "The first row holds the column names, in English or Dutch (as below; case, spaces",
            "and dashes do not matter). CSV must be UTF-8 (Excel: 'CSV UTF-8'), separated by",
            f"commas or semicolons; XLSX uses its first sheet. At most {MAX_ROWS:,} rows.",
            "An empty cell leaves the current value unchanged; the import never clears a field.",
            "Households are matched by postcode + house number + addition, people by e-mail or",
            "by name + date of birth (or name + household), organisations by name, so importing",
            "the same file again changes nothing.",
        ]
        for kind in ImportKind.values:
            lines += ["", f"Columns for {kind} (* = required; English / Dutch name):"]
            for column in COLUMNS[kind]:
                names = (
                    column.key if column.dutch == column.key else f"{column.key} / {column.dutch}"
                )
                marker = "*" if column.required else " "
                text = str(column.help)
                if column.choices:
                    text = f"{text} {column.choice_words()}"
                lines += textwrap.wrap(
                    text,
                    width=100,
                    initial_indent=f"  {marker} {names:<38} ",
                    subsequent_indent=" " * 43,
                )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Import households, people or organisations from a CSV (UTF-8) or XLSX file into one "
        "neighbourhood. Without --apply this is a dry run: it prints what would be created or "
        "changed and every error, and writes nothing. With --apply all rows are written in one "
        "transaction, or none when any row has an error. Exits with status 1 when there are "
        "errors."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        parser.epilog = columns_help()
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file to import")
        parser.add_argument(
            "--neighbourhood",
            required=True,
            metavar="SLUG",
            help="short name (slug) of the neighbourhood to import into",
        )
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            help="what the file holds; detected from the column names when left out",
        )
        parser.add_argument(
            "--apply", action="store_true", help="write the rows (default: dry run only)"
        )
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="login e-mail of the person doing the import, recorded in the audit log",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the report (default: %(default)s)",
        )

    def handle(self, *args, file, neighbourhood, kind, apply, actor, language, **options):
        path = Path(file)
        neighbourhood_obj = Neighbourhood.objects.filter(slug=neighbourhood).first()
        if neighbourhood_obj is None:
            known = ", ".join(Neighbourhood.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"No neighbourhood with short name '{neighbourhood}' (known: {known})."
            )
        user = None
        if actor:
            user = User.objects.filter(email__iexact=actor).first()
            if user is None:
                raise CommandError(f"No login with e-mail address '{actor}'.")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        with translation.override(language):
            if apply:
                result = import_apply(
                    actor=user,
                    neighbourhood=neighbourhood_obj,
                    content=content,
                    filename=path.name,
                    kind=kind,
                )
                report = result.report
            else:
                report = import_preview(
                    neighbourhood=neighbourhood_obj,
                    content=content,
                    filename=path.name,
                    kind=kind,
                )
            self.write_report(
                report, applied=apply and result.applied, verbosity=options["verbosity"]
            )
            if not report.ok:
                count = len(report.file_errors) + len(report.errors)
                raise CommandError(
                    translation.gettext("%(count)s error(s): nothing was imported.")
                    % {"count": count}
                )
            if not apply:
                self.stdout.write(
                    translation.gettext("Dry run: nothing was written. Add --apply to import.")
                )

    def write_report(self, report: ImportReport, *, applied: bool, verbosity: int) -> None:
        _ = translation.gettext
        for message in report.file_errors:
            self.stderr.write(message)
        if report.file_errors:
            return
        for error in report.errors:
            where = _("row %(row)s") % {"row": error.row}
            if error.column:
                where = _("row %(row)s, column %(column)s") % {
                    "row": error.row,
                    "column": error.column,
                }
            self.stderr.write(f"{where}: {error.message}")
        shown = {CREATE, CHANGE} if verbosity < 2 else None
        if verbosity >= 1:
            for outcome in report.outcomes:
                if shown is not None and outcome.action not in shown:
                    continue
                verb = {CREATE: _("new"), CHANGE: _("change")}.get(outcome.action, _("unchanged"))
                line = f"{_('row %(row)s') % {'row': outcome.row}}: {verb}: {outcome.description}"
                for change in outcome.changes:
                    line += f"\n    {change.label}: {change.old} → {change.new}"
                self.stdout.write(line)
        summary = _(
            "%(kind)s: %(created)s new, %(changed)s changed, %(unchanged)s unchanged, "
            "%(errors)s error(s)."
        ) % {
            "kind": ImportKind(report.kind).label if report.kind else "",
            "created": report.created,
            "changed": report.changed,
            "unchanged": report.unchanged,
            "errors": len(report.errors),
        }
        self.stdout.write(summary)
        if applied:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
