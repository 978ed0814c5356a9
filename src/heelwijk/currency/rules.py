"""Permissions of the local currency as django-rules predicates.

Asked with a Neighbourhood (or any row of one):
- ``currency.use_wallets``: residents, representatives and staff of the neighbourhood (the menu
  item, the wallet page, opening one's own wallet).
- ``currency.manage_currency``: staff — configure currencies, trust rules and authorisations,
  list every wallet, open wallets for others, change credit limits, euro deposits, reports.

Asked with a Currency:
- ``currency.view_circulation``: everybody, also without logging in (the public page).
- ``currency.credit_hours``: staff, or a representative of an organisation that staff have
  authorised for this currency.

Asked with a Wallet:
- ``currency.view_wallet``: staff, or its holder (a resident for their own or their household's
  wallet, a representative for their organisation's; staff hold the community account).
- ``currency.change_wallet``: staff or its holder (its name, category, being listed).
- ``currency.pay_from_wallet`` and ``currency.request_payment``: its holder only — staff may not
  spend a resident's units.
- ``currency.redeem_wallet``: the holder of a shop's wallet, or staff, when the currency lets
  shops exchange units for euros.
- ``currency.view_shop``: anyone of the neighbourhood, for wallets of shops and organisations.

Asked with a Payment, a PaymentRequest:
- ``currency.view_payment``: staff, or a holder of the payer's or the payee's wallet.
- ``currency.view_payment_request``: anyone of the neighbourhood (who has the link).
- ``currency.cancel_payment_request``: the holder of the requesting wallet, or staff.
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

from .models import Currency, Payment, PaymentRequest, Wallet


def holds_wallet(user: Any, wallet: Wallet | None) -> bool:
    """The user may act for the wallet as its holder."""
    if not isinstance(wallet, Wallet):
        return False
    access = access_for(user)
    if wallet.kind == Wallet.Kind.COMMUNITY:
        return access.is_staff(wallet.neighbourhood_id)
    person = access.person
    if person is not None and person.neighbourhood_id == wallet.neighbourhood_id:
        if wallet.person_id is not None and wallet.person_id == person.pk:
            return True
        if wallet.household_id is not None and wallet.household_id == person.household_id:
            return True
    return wallet.organisation_id is not None and (
        wallet.organisation_id in access.organisation_ids(wallet.neighbourhood_id)
    )


@rules.predicate
def is_holder(user: Any, wallet: Wallet | None) -> bool:
    return holds_wallet(user, wallet)


@rules.predicate
def is_shop_wallet(user: Any, wallet: Wallet | None) -> bool:
    return isinstance(wallet, Wallet) and wallet.kind in (
        Wallet.Kind.SHOP,
        Wallet.Kind.ORGANISATION,
    )


@rules.predicate
def redemption_allowed(user: Any, wallet: Wallet | None) -> bool:
    return (
        isinstance(wallet, Wallet)
        and wallet.kind == Wallet.Kind.SHOP
        and wallet.currency.is_euro_backed
        and wallet.currency.redemption_enabled
    )


@rules.predicate
def takes_part_in_payment(user: Any, payment: Payment | None) -> bool:
    return isinstance(payment, Payment) and (
        holds_wallet(user, payment.payer) or holds_wallet(user, payment.payee)
    )


@rules.predicate
def holds_requesting_wallet(user: Any, request: PaymentRequest | None) -> bool:
    return isinstance(request, PaymentRequest) and holds_wallet(user, request.payee)


@rules.predicate
def is_authorised_organisation(user: Any, currency: Currency | None) -> bool:
    if not isinstance(currency, Currency):
        return False
    organisations = access_for(user).organisation_ids(currency.neighbourhood_id)
    if not organisations:
        return False
    return currency.authorisations.filter(
        organisation_id__in=organisations, is_active=True
    ).exists()


@rules.predicate
def is_anyone(user: Any, obj: Any = None) -> bool:
    return True


is_in_neighbourhood = is_staff_of | is_resident_of | is_representative_in

rules.add_perm("currency.use_wallets", is_superuser | is_in_neighbourhood)
rules.add_perm("currency.manage_currency", is_superuser | is_staff_of)
rules.add_perm("currency.view_circulation", is_anyone)
rules.add_perm("currency.credit_hours", is_superuser | is_staff_of | is_authorised_organisation)
rules.add_perm("currency.view_wallet", is_superuser | is_staff_of | is_holder)
rules.add_perm("currency.change_wallet", is_superuser | is_staff_of | is_holder)
rules.add_perm("currency.pay_from_wallet", is_holder)
rules.add_perm("currency.request_payment", is_holder)
rules.add_perm(
    "currency.redeem_wallet", redemption_allowed & (is_holder | is_staff_of | is_superuser)
)
rules.add_perm("currency.view_shop", is_shop_wallet & (is_superuser | is_in_neighbourhood))
rules.add_perm("currency.view_payment", is_superuser | is_staff_of | takes_part_in_payment)
rules.add_perm("currency.view_payment_request", is_superuser | is_in_neighbourhood)
rules.add_perm(
    "currency.cancel_payment_request", is_superuser | is_staff_of | holds_requesting_wallet
)
