"""Serve Heelwijk: Django's development server, or gunicorn with --production."""

import os
import shutil
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Heelwijk on 127.0.0.1 (development server) or with gunicorn (--production)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument(
            "--production", action="store_true", help="serve with gunicorn (2 workers per core)"
        )
        parser.add_argument("--workers", type=int, default=0, help="gunicorn workers")

    def handle(self, *args, port, host, production, workers, **options):
        if not production:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        gunicorn = shutil.which("gunicorn") or os.path.join(
            os.path.dirname(sys.executable), "gunicorn"
        )
        count = workers or (os.cpu_count() or 1) * 2 + 1
        os.execv(  # noqa: S606 - replace this process with gunicorn
            gunicorn,
            [gunicorn, "heelwijk.wsgi", "--bind", f"{host}:{port}", "--workers", str(count)],
        )
