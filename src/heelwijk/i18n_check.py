"""Check that every translatable string in every app has a Dutch translation.

Runs Django's makemessages (needs GNU gettext's xgettext) for each app into its own catalogue,
then lists entries without a Dutch translation or marked fuzzy. The catalogues on disk are left
as they were, so the check never changes the tree.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent
LANGUAGE = "nl"
# While several people work at once, each may keep Dutch translations in a fragment file here;
# `--update` fills untranslated entries from them.
FRAGMENTS = PACKAGE.parent.parent / "i18n-fragments"


def fragment_translations() -> dict[str, str | dict[int, str]]:
    """msgid → its Dutch: a string, or for a plural entry the forms by index."""
    found: dict[str, str | dict[int, str]] = {}
    if FRAGMENTS.is_dir():
        for path in sorted(FRAGMENTS.glob("*.po")):
            for entry in polib.pofile(str(path)):
                if entry.msgid_plural and all(entry.msgstr_plural.values()):
                    found.setdefault(entry.msgid, dict(entry.msgstr_plural))
                elif entry.msgstr:
                    found.setdefault(entry.msgid, entry.msgstr)
    return found


def app_dirs() -> list[Path]:
    return [p for p in sorted(PACKAGE.iterdir()) if (p / "apps.py").exists()]


def check_app(app: Path, *, update: bool) -> list[str]:
    """Refresh one catalogue; the package root's catalogue covers what lies outside the apps."""
    po_path = app / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
    ignores = ["-i", "tests/*", "-i", "migrations/*"]
    if app == PACKAGE:
        for sub in app_dirs():
            ignores += ["-i", f"{sub.name}/*"]
    before = po_path.read_bytes() if po_path.exists() else None
    po_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heelwijk.settings", "HEELWIJK_ENV": "test"}
    subprocess.run(  # noqa: S603 - fixed argv, no user input
        [
            str(Path(sys.executable).parent / "django-admin"),
            "makemessages",
            "-l",
            LANGUAGE,
            "--no-location",
            "--no-obsolete",
            *ignores,
        ],
        cwd=app,
        env=env,
        check=True,
        capture_output=True,
    )
    if not po_path.exists():
        return []
    catalogue = polib.pofile(str(po_path))
    if update:
        fragments = fragment_translations()
        for entry in catalogue:
            dutch = fragments.get(entry.msgid)
            if entry.translated() or dutch is None:
                continue
            if entry.msgid_plural and isinstance(dutch, dict):
                entry.msgstr_plural = dutch
            elif not entry.msgid_plural and isinstance(dutch, str):
                entry.msgstr = dutch
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalogue.save()
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    problems = [
        f"{app.name}: no Dutch for {entry.msgid!r}"
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    if not update:
        if before is None:
            po_path.unlink()
        else:
            po_path.write_bytes(before)
    return problems


def main() -> int:
    update = "--update" in sys.argv
    problems = [p for app in [PACKAGE, *app_dirs()] for p in check_app(app, update=update)]
    for line in problems:
        print(line)
    if problems:
        print(
            f"{len(problems)} string(s) lack a Dutch translation. Run "
            "'python -m heelwijk.i18n_check --update', translate, and compile."
        )
        return 1
    print("every string has a Dutch translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
