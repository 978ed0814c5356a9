"""heelwijk backup FILE: a consistent copy of the whole database, with a manifest beside it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heelwijk.web.backups import BackupError, create_backup, manifest_path


class Command(BaseCommand):
    help = (
        "Copy the whole database to FILE (SQLite: a database file; PostgreSQL: a pg_dump "
        "archive) and write FILE.manifest.json with the ledger's counts and chain ends."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (must not exist yet)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            manifest = create_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"backup written to {path} ({manifest.engine}); manifest {manifest_path(path)}: "
            f"{manifest.transactions} transactions, {manifest.postings} postings, "
            f"{len(manifest.chain_heads)} hash chain(s)"
        )
