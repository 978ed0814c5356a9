"""The demo: a deterministic, synthetic wijk (Lindenhof) and village (Eikendal) with demo logins.

`heelwijk demo` builds the base once: for each demo neighbourhood that does not exist yet (found
by its short name, `lindenhof` or `eikendal`) it writes the areas, households, residents,
organisations and demo logins in one transaction. A neighbourhood that exists is never changed,
so running the command again adds nothing. The same seed and size always give the same rows
(`demo_fingerprint` compares them); see `plan.py` for how chance is kept reproducible.

Extending the demo (for the ledger, currency, purchasing and businesscase apps)
-------------------------------------------------------------------------------
After the base, the command calls, for app in ("ledger", "currency", "purchasing",
"businesscase") in that order::

    heelwijk.<app>.demo.build_demo(neighbourhood=neighbourhood, stdout=stdout)

once for every demo neighbourhood (Lindenhof, then Eikendal), also when the base existed
already. An app without a `demo` module is skipped; any other import error is raised. Such a
`build_demo` must be:

- idempotent: it runs on every `heelwijk demo`, so it finds what it made before (for example by
  a natural key such as an account code or a fixed name) and then changes nothing;
- deterministic: the same base gives the same rows; use `random.Random` seeded from something
  stable (e.g. the neighbourhood's slug), never the clock, `uuid4` or unseeded randomness, and
  take dates from `plan.REFERENCE_DATE` rather than today;
- scoped: it writes only rows of the `neighbourhood` it was given, through the app's actions;
- quiet and quick: one or two summary lines on `stdout` (a Django OutputWrapper), bulk writes
  where the actions allow, inside its own `transaction.atomic()`.

It may rely on the base: the areas, households (with `size` members each), people, the
organisations by name (e.g. "Wijkbedrijf Lindenhof", "Gemeente Rijnstede", "Rijnstede Energie",
"Bakkerij Van der Linden") and the demo logins listed in `places.py`.
"""

from .build import (
    DEFAULT_HOUSEHOLDS,
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    MAX_HOUSEHOLDS,
    MIN_HOUSEHOLDS,
    DemoLogin,
    DemoNeighbourhood,
    demo_build,
    demo_logins,
    demo_password,
)
from .extensions import EXTENSION_APPS, demo_extensions_run
from .fingerprint import demo_fingerprint

__all__ = [
    "DEFAULT_HOUSEHOLDS",
    "DEFAULT_PASSWORD",
    "DEFAULT_SEED",
    "EXTENSION_APPS",
    "MAX_HOUSEHOLDS",
    "MIN_HOUSEHOLDS",
    "DemoLogin",
    "DemoNeighbourhood",
    "demo_build",
    "demo_extensions_run",
    "demo_fingerprint",
    "demo_logins",
    "demo_password",
]
