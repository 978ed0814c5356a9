"""Let later parts of Heelwijk add their own demo data on top of the base (see the package doc)."""

import importlib
import importlib.util

EXTENSION_APPS = ("ledger", "currency", "purchasing", "businesscase")


def demo_extensions_run(
    *, neighbourhood, stdout, apps: tuple[str, ...] | None = None, package: str = "heelwijk"
) -> list[str]:
    """Call `<package>.<app>.demo.build_demo(neighbourhood=..., stdout=...)` for each app (by
    default EXTENSION_APPS) that has such a module, in order; return the apps that ran.

    A missing module is skipped. Any other failure (an import error inside the module, a missing
    `build_demo`, an error while building) is raised, so a broken extension is never silent.
    """
    ran = []
    for app in EXTENSION_APPS if apps is None else apps:
        name = f"{package}.{app}.demo"
        if not _module_exists(name):
            continue
        module = importlib.import_module(name)
        module.build_demo(neighbourhood=neighbourhood, stdout=stdout)
        ran.append(app)
    return ran


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError as exc:
        # A missing parent package means the module is missing too; anything else is a real error.
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return False
        raise
