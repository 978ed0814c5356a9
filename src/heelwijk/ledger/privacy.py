"""The ledger's part of a privacy request: the accounts of the person and their household.

Nothing is erased here: the journal is bookkeeping the law requires to be kept (7 years), and
its accounts carry an address or a code, not a person's name.
"""

from __future__ import annotations

from django.db.models import Q

from .models import Account
from .money import from_minor


def export_person(person) -> dict:
    owner = Q(owner_person=person)
    if person.household_id:
        owner |= Q(owner_household_id=person.household_id)
    accounts = Account.objects.filter(owner, neighbourhood_id=person.neighbourhood_id)
    return {
        "accounts": [
            {
                "code": account.code,
                "name": account.name,
                "unit": account.unit.code,
                "balance": str(from_minor(account.balance, account.unit)),
            }
            for account in accounts.select_related("unit").order_by("code")
        ]
    }


def erase_person(person, *, pseudonym: str) -> dict[str, int]:
    return {}
