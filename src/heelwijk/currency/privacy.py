"""The local currency's part of a privacy request: wallets and their payments."""

from __future__ import annotations

from django.db.models import Q

from .amounts import plain_decimal
from .models import Payment, Wallet

MAX_PAYMENTS = 1000  # per wallet, newest first


def _wallets(person):
    holder = Q(person=person)
    if person.household_id:
        holder |= Q(household_id=person.household_id)
    return Wallet.objects.filter(holder, neighbourhood_id=person.neighbourhood_id).select_related(
        "currency", "account"
    )


def export_person(person) -> dict:
    wallets = []
    for wallet in _wallets(person).order_by("pk"):
        currency = wallet.currency
        payments = (
            Payment.objects.filter(Q(payer=wallet) | Q(payee=wallet))
            .select_related("payer", "payee")
            .order_by("-created_at", "-pk")[:MAX_PAYMENTS]
        )
        wallets.append(
            {
                "currency": currency.name,
                "name": wallet.name,
                "kind": wallet.kind,
                "balance": plain_decimal(wallet.account.balance, currency),
                "payments": [
                    {
                        "date": payment.effective_date.isoformat(),
                        "amount": plain_decimal(
                            payment.amount if payment.payee_id == wallet.pk else -payment.amount,
                            currency,
                        ),
                        "other_party": (
                            payment.payer.name
                            if payment.payee_id == wallet.pk
                            else payment.payee.name
                        ),
                        "description": payment.description,
                    }
                    for payment in payments
                ],
            }
        )
    return {"wallets": wallets}


def erase_person(person, *, pseudonym: str) -> dict[str, int]:
    """A personal wallet loses the person's name; its units and payments stay in the books."""
    renamed = Wallet.objects.filter(person=person).update(name=pseudonym)
    return {"wallets_renamed": renamed}
