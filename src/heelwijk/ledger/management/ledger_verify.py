"""`heelwijk ledger verify`: re-derive the books and report every problem; non-zero if any.

It reads whatever database the settings point at, so ``DATABASE_URL=... heelwijk ledger
verify`` checks any copy of the books (a backup restored elsewhere, a replica).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heelwijk.neighbourhood.models import Neighbourhood

from ..verify import verify_ledger

HELP = "check zero sums, stored balances, limits and the hash chain; exit 1 on any problem"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--neighbourhood", metavar="SLUG", help="check only this neighbourhood (default: all)"
    )
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default text)"
    )


def run(command: BaseCommand, **options: Any) -> int:
    neighbourhood = None
    if options.get("neighbourhood"):
        neighbourhood = Neighbourhood.objects.filter(slug=options["neighbourhood"]).first()
        if neighbourhood is None:
            raise CommandError(f"no neighbourhood with slug {options['neighbourhood']!r}")
    report = verify_ledger(neighbourhood)
    if options.get("format") == "json":
        document = {
            "ok": report.ok,
            "neighbourhoods": report.neighbourhoods,
            "accounts": report.accounts,
            "transactions": report.transactions,
            "postings": report.postings,
            "problems": [p.as_dict() for p in report.problems],
        }
        command.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    for problem in report.problems:
        command.stdout.write(command.style.ERROR(f"[{problem.rule}] {problem.message}"))
    summary = (
        f"{report.neighbourhoods} neighbourhood(s), {report.accounts} accounts, "
        f"{report.transactions} transactions, {report.postings} postings: "
    )
    if report.ok:
        command.stdout.write(command.style.SUCCESS(summary + "no problems."))
        return 0
    command.stdout.write(command.style.ERROR(summary + f"{len(report.problems)} problem(s)."))
    return 1
