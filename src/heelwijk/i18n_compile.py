"""Compile every .po catalogue under the package into .mo files (no GNU gettext needed)."""

from pathlib import Path

import polib


def compile_catalogues(root: Path) -> int:
    count = 0
    for po_path in root.rglob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    return count


if __name__ == "__main__":
    compiled = compile_catalogues(Path(__file__).resolve().parent)
    print(f"compiled {compiled} message catalogue(s)")
