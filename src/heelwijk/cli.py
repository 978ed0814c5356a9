"""The `heelwijk` command: Heelwijk's own commands first, any Django command passes through."""

import os
import sys

COMMANDS = {
    "demo": "build the demo neighbourhood (safe to run again)",
    "serve": "serve Heelwijk (runserver for development, gunicorn with --production)",
    "migrate": "create or update the database tables",
    "import": "import households, people or organisations from CSV or XLSX",
    "check": "check the configuration (add --deploy for production settings)",
    "createuser": "create a login, optionally staff of a neighbourhood",
    "ledger": "verify or export the ledger",
    "currency": "local currency: apply-demurrage, apply-expiry, report",
    "backup": "copy the whole database to a file, with a manifest of the books",
    "restore": "load a backup into an empty database and verify the books",
}

# Command names that are Python keywords or clash with Django's get another module name.
ALIASES = {"import": "import_data"}


def _usage() -> str:
    lines = ["usage: heelwijk <command> [options]", "", "Heelwijk commands:"]
    lines += [f"  {name:<12} {text}" for name, text in COMMANDS.items()]
    lines += ["", "Run 'heelwijk <command> --help' for the options of a command."]
    lines += ["Every other Django management command also works, e.g. 'heelwijk shell'."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_usage())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heelwijk.settings")
    from django.core.management import execute_from_command_line

    command = ALIASES.get(argv[0], argv[0])
    execute_from_command_line(["heelwijk", command, *argv[1:]])


if __name__ == "__main__":
    main()
