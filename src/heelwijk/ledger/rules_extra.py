"""Two more ledger permissions the API and pages need (to be folded into ``ledger.rules``).

- ``ledger.transfer_from_account`` (asked with the source Account): staff of its neighbourhood,
  or its owner — a resident may pay from their own or their household's account, a
  representative from their organisation's. Limits still bound every transfer.
- ``ledger.view_own_accounts`` (asked with the Neighbourhood): residents and representatives of
  the neighbourhood, who may own accounts there; the menu item "My accounts" asks it.
"""

from __future__ import annotations

import rules

from heelwijk.neighbourhood.rules import (
    is_representative_in,
    is_resident_of,
    is_staff_of,
    is_superuser,
)

from .rules import owns_account


def _add(name: str, predicate: rules.Predicate) -> None:
    # Idempotent, so importing this module twice (or after the rule moved) is harmless.
    if not rules.perm_exists(name):
        rules.add_perm(name, predicate)


_add("ledger.transfer_from_account", is_superuser | is_staff_of | owns_account)
_add("ledger.view_own_accounts", is_resident_of | is_representative_in)
