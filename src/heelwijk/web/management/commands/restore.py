"""heelwijk restore FILE: load a backup into an empty database and prove the books are whole."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heelwijk.web.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load a backup made by 'heelwijk backup' into the database of DATABASE_URL (which must "
        "be empty unless --force), then verify the ledger and compare it with the manifest. "
        "Exits non-zero when anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file (its .manifest.json must lie beside it)")
        parser.add_argument(
            "--force", action="store_true", help="replace everything in a non-empty database"
        )

    def handle(self, *args, **options):
        try:
            report = restore_backup(Path(options["file"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = report.manifest
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"problem: {problem}")
            raise CommandError(f"restored, but {len(report.problems)} problem(s) found")
        self.stdout.write(
            f"restored and verified: {manifest.transactions} transactions, "
            f"{manifest.postings} postings, {len(manifest.chain_heads)} hash chain(s) as in the "
            f"backup of {manifest.created_at}"
        )
