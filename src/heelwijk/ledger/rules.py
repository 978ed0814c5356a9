"""Permissions of the ledger as django-rules predicates.

- ``ledger.view_account`` (asked with an Account): staff of its neighbourhood, or its owner — a
  resident for their own person's and their household's accounts, a representative for the
  accounts of the organisation they represent.
- ``ledger.view_transaction`` (a Transaction): staff, or whoever may view one of its accounts.
- ``ledger.transfer_from_account`` (asked with the source Account): staff of its neighbourhood,
  or its owner — a resident may pay from their own or their household's account, a
  representative from their organisation's. Limits still bound every transfer.
- ``ledger.view_own_accounts`` (asked with the Neighbourhood): residents and representatives of
  the neighbourhood, who may own accounts there; the menu item "My accounts" asks it.
- ``ledger.post_transaction``, ``ledger.reverse_transaction``, ``ledger.manage_accounts``
  (open, set limits, close) and ``ledger.view_books`` (all accounts, trial balance, chain
  status): staff of the neighbourhood (asked with the Neighbourhood or any row of it).

django-rules' autodiscovery imports this module at startup, so every rule exists before a
page, the API or the menu asks for it.
"""

from __future__ import annotations

from typing import Any

import rules

from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.rules import (
    is_representative_in,
    is_resident_of,
    is_staff_of,
    is_superuser,
)

from .models import Account, Posting, Transaction


def _owns(user: Any, account: Account) -> bool:
    access = access_for(user)
    person = access.person
    if person is not None and person.neighbourhood_id == account.neighbourhood_id:
        if account.owner_person_id is not None and account.owner_person_id == person.pk:
            return True
        if account.owner_household_id is not None and (
            account.owner_household_id == person.household_id
        ):
            return True
    return account.owner_organisation_id is not None and (
        account.owner_organisation_id in access.organisation_ids(account.neighbourhood_id)
    )


@rules.predicate
def owns_account(user: Any, account: Account | None) -> bool:
    return isinstance(account, Account) and _owns(user, account)


@rules.predicate
def takes_part_in(user: Any, transaction: Transaction | None) -> bool:
    if not isinstance(transaction, Transaction) or not getattr(user, "is_authenticated", False):
        return False
    accounts = Account.objects.filter(
        pk__in=Posting.objects.filter(transaction_id=transaction.pk).values("account_id")
    )
    return any(_owns(user, account) for account in accounts)


rules.add_perm("ledger.view_account", is_superuser | is_staff_of | owns_account)
rules.add_perm("ledger.view_transaction", is_superuser | is_staff_of | takes_part_in)
rules.add_perm("ledger.transfer_from_account", is_superuser | is_staff_of | owns_account)
rules.add_perm("ledger.view_own_accounts", is_resident_of | is_representative_in)
rules.add_perm("ledger.post_transaction", is_superuser | is_staff_of)
rules.add_perm("ledger.reverse_transaction", is_superuser | is_staff_of)
rules.add_perm("ledger.manage_accounts", is_superuser | is_staff_of)
rules.add_perm("ledger.view_books", is_superuser | is_staff_of)
