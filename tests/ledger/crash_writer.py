"""Child process of the crash test, on the database named by DATABASE_URL.

crash_writer.py ID...   post transfers among these accounts until killed, printing the id
                        of each transaction once transfer() has returned (committed)
"""

import os
import random
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heelwijk.settings")

import django

django.setup()

from heelwijk.ledger.actions import account_open, ensure_standard_units, transfer  # noqa: E402
from heelwijk.ledger.errors import LimitExceeded  # noqa: E402
from heelwijk.ledger.models import Account  # noqa: E402
from heelwijk.neighbourhood.models import Neighbourhood  # noqa: E402


def create_accounts() -> list[int]:
    """Used by the test (in its own process) before starting the child."""
    n = Neighbourhood.objects.create(name="Crashwijk", slug="crashwijk", municipality="Test")
    eur = ensure_standard_units(neighbourhood=n)["EUR"]
    return [
        account_open(
            neighbourhood=n,
            unit=eur,
            code=f"C{i}",
            name=f"Crash {i}",
            type="liability",
            owner_kind="system",
            lower_limit=-10000,
        ).pk
        for i in range(4)
    ]


def write(ids: list[int]) -> None:
    accounts = [Account.objects.select_related("neighbourhood").get(pk=pk) for pk in ids]
    rng = random.Random(os.getpid())
    while True:
        source, destination = rng.sample(accounts, 2)
        try:
            txn = transfer(
                source=source,
                destination=destination,
                amount=rng.randint(1, 500),
                kind="transfer",
                memo="crash test",
                actor=None,
            )
        except LimitExceeded:
            continue
        sys.stdout.write(f"{txn.pk}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    write([int(arg) for arg in sys.argv[1:]])
