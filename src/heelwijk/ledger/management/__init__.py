"""Subcommands of `heelwijk ledger`.

`heelwijk ledger <name> ...` runs the module ``heelwijk.ledger.management.ledger_<name>``. To
add a subcommand, add such a module (e.g. ``ledger_export.py``) defining:

- ``HELP: str`` — one line for ``heelwijk ledger --help``;
- ``add_arguments(parser: argparse.ArgumentParser) -> None``;
- ``run(command: BaseCommand, **options) -> int`` — write with ``command.stdout`` /
  ``command.stderr`` (and ``command.style``); return the exit status (0 = fine).

The dispatcher (``commands/ledger.py``) finds the modules itself; nothing else needs changing.
"""
