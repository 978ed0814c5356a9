"""`heelwijk ledger <subcommand>`: dispatches to the modules ``ledger/management/ledger_*.py``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heelwijk.ledger import management

PREFIX = "ledger_"


def subcommands() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(management.__path__), key=lambda i: i.name):
        if info.name.startswith(PREFIX) and not info.ispkg:
            module = importlib.import_module(f"{management.__name__}.{info.name}")
            found[info.name[len(PREFIX) :]] = module
    return found


class Command(BaseCommand):
    help = "Work with the ledger: " + ", ".join(sorted(subcommands())) + "."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        for name, module in subcommands().items():
            child = sub.add_parser(
                name,
                help=getattr(module, "HELP", ""),
                description=getattr(module, "HELP", ""),
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
            module.add_arguments(child)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options.pop("subcommand")
        module = subcommands().get(name)
        if module is None:
            raise CommandError(f"unknown ledger subcommand: {name}")
        status = int(module.run(self, **options) or 0)
        if status:
            raise CommandError(
                f"ledger {name} found problems (exit status {status})", returncode=status
            )
