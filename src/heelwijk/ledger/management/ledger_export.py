"""`heelwijk ledger export --format beancount`: write the books for an accountant's tool."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heelwijk.neighbourhood.models import Neighbourhood

from ..export_beancount import export_beancount

HELP = "write the books in beancount syntax (to a file or standard output)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=["beancount"], default="beancount", help="output format (beancount)"
    )
    parser.add_argument(
        "--neighbourhood", metavar="SLUG", help="export only this neighbourhood (default: all)"
    )
    parser.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")


def run(command: BaseCommand, **options: Any) -> int:
    neighbourhoods = None
    title = "Heelwijk"
    if options.get("neighbourhood"):
        found = Neighbourhood.objects.filter(slug=options["neighbourhood"]).first()
        if found is None:
            raise CommandError(f"no neighbourhood with slug {options['neighbourhood']!r}")
        neighbourhoods, title = [found], f"Heelwijk {found.name}"
    target = options.get("output")
    if not target:
        export_beancount(out=command.stdout, neighbourhoods=neighbourhoods, title=title)
        return 0
    path = Path(target)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            stats = export_beancount(out=out, neighbourhoods=neighbourhoods, title=title)
        partial.replace(path)  # a reader never sees half a file
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"cannot write {target}: {exc.strerror or exc}") from exc
    command.stderr.write(
        f"Wrote {stats.transactions} transactions with {stats.postings} postings on "
        f"{stats.accounts} accounts of {stats.neighbourhoods} neighbourhood(s) to {path}."
    )
    return 0
