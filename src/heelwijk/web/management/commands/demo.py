"""Build the demo neighbourhoods (once) and print how to log in."""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from heelwijk.neighbourhood.demo import (
    DEFAULT_HOUSEHOLDS,
    DEFAULT_SEED,
    MAX_HOUSEHOLDS,
    MIN_HOUSEHOLDS,
    demo_build,
    demo_extensions_run,
    demo_logins,
    demo_password,
)


class Command(BaseCommand):
    help = (
        "Build the demo wijk Lindenhof and the village Eikendal with demo logins. "
        "Safe to run again: what exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=DEFAULT_HOUSEHOLDS,
            metavar="N",
            help=f"households in Lindenhof ({MIN_HOUSEHOLDS} to {MAX_HOUSEHOLDS}; "
            f"default {DEFAULT_HOUSEHOLDS}); Eikendal always has 60",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            metavar="S",
            help=f"seed of the generator: same seed, same data (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="port shown in the address to open (default: $PORT or 8000)",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="build the demo even with HEELWIJK_ENV=production (its logins share a public "
            "password)",
        )

    def handle(self, *args, households, seed, port, allow_production, **options):
        if settings.HEELWIJK_ENV == "production" and not allow_production:
            raise CommandError(
                "Refusing to build the demo in production: its logins share a published "
                "password. Use HEELWIJK_ENV=development (as 'make demo' does), or add "
                "--allow-production if this really is a demo server."
            )
        password = demo_password()
        started = time.perf_counter()
        try:
            built = demo_build(households=households, seed=seed, password=password)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started

        for item in built:
            nbh = item.neighbourhood
            what = (
                f"{item.households:,} households, {item.people:,} people, "
                f"{item.organisations} organisations in {item.areas} areas"
            )
            if item.created:
                self.stdout.write(self.style.SUCCESS(f"Built {nbh.name}: {what}."))
            else:
                self.stdout.write(f"{nbh.name} exists already ({what}); nothing changed.")
        if any(item.created for item in built):
            self.stdout.write(f"Demo base built in {seconds:.2f} s (seed {seed}).")
        else:
            self.stdout.write("The demo base was complete already; nothing changed.")

        for item in built:
            demo_extensions_run(neighbourhood=item.neighbourhood, stdout=self.stdout)

        self._print_logins(password, port)

    def _print_logins(self, password: str, port: int) -> None:
        logins = demo_logins()
        rows = [("role", "e-mail address", "neighbourhood", "name", "")]
        rows += [
            (
                login.role,
                login.email,
                login.neighbourhood,
                login.name if login.exists else "(missing)",
                login.detail,
            )
            for login in logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(
            f"Serve it with 'heelwijk serve' and open http://127.0.0.1:{port}/ to log in:"
        )
        self.stdout.write("")
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[4]]).rstrip())
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {password}")
