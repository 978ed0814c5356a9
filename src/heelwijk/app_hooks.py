"""Find the optional module an app offers to shared features (menu, home-page cards, privacy)."""

from importlib import import_module
from types import ModuleType

HEELWIJK_APPS = ("neighbourhood", "accounts", "ledger", "currency", "purchasing", "businesscase")


def app_modules(name: str) -> list[ModuleType]:
    """``heelwijk.<app>.<name>`` of every Heelwijk app that has one, in HEELWIJK_APPS order.

    A module that exists but fails to import raises: only a missing module is skipped.
    """
    found = []
    for app in HEELWIJK_APPS:
        dotted = f"heelwijk.{app}.{name}"
        try:
            found.append(import_module(dotted))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return found
