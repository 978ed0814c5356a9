"""Create a login from the command line, optionally with a role in a neighbourhood."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from heelwijk.accounts.actions import user_create
from heelwijk.neighbourhood.actions import role_grant
from heelwijk.neighbourhood.models import Neighbourhood, Role


class Command(BaseCommand):
    help = (
        "Create a login by e-mail address; --superuser for a platform admin, --staff-of for staff."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="e-mail address to log in with")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--password", help="password (asked for when left out)")
        parser.add_argument("--superuser", action="store_true", help="may do everything everywhere")
        parser.add_argument(
            "--staff-of",
            metavar="SLUG",
            help="make staff of the neighbourhood with this short name",
        )
        parser.add_argument(
            "--wijkondernemer", action="store_true", help="with --staff-of: as wijkondernemer"
        )

    def handle(self, *args, email, name, password, superuser, staff_of, wijkondernemer, **opts):
        neighbourhood = None
        if staff_of:
            neighbourhood = Neighbourhood.objects.filter(slug=staff_of).first()
            if neighbourhood is None:
                raise CommandError(f"No neighbourhood with short name '{staff_of}'.")
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user = user_create(
                email=email,
                password=password,
                full_name=name,
                is_superuser=superuser,
                is_staff=superuser or bool(staff_of),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if neighbourhood:
            kind = Role.Kind.WIJKONDERNEMER if wijkondernemer else Role.Kind.STAFF
            role_grant(actor=None, user=user, neighbourhood=neighbourhood, kind=kind)
        self.stdout.write(self.style.SUCCESS(f"Created {user.email}"))
