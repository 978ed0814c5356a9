"""Collective purchasing's part of a privacy request: the household's pledges and contracts.

Pledges and contracts belong to the household, not to one person: an erasure leaves them (they
hold no name), an export shows them to every member.
"""

from __future__ import annotations

from .models import Contract, Pledge
from .money import euros_text as _money


def export_person(person) -> dict:
    if not person.household_id:
        return {"pledges": [], "contracts": []}
    pledges = Pledge.objects.filter(household_id=person.household_id).select_related("campaign")
    contracts = Contract.objects.filter(household_id=person.household_id).select_related(
        "campaign", "offer", "supplier"
    )
    return {
        "pledges": [
            {
                "campaign": pledge.campaign.title,
                "status": pledge.status,
                "usage": pledge.usage,
                "current_yearly_cost": _money(pledge.current_yearly_cost_cents),
                "current_supplier": pledge.current_supplier,
            }
            for pledge in pledges.order_by("pk")
        ],
        "contracts": [
            {
                "campaign": contract.campaign.title,
                "offer": contract.offer.name,
                "supplier": contract.supplier.name,
                "yearly_cost": _money(contract.yearly_cost_cents),
                "saving": _money(contract.saving_cents),
                "starts_on": contract.starts_on.isoformat(),
            }
            for contract in contracts.order_by("pk")
        ],
    }


def erase_person(person, *, pseudonym: str) -> dict[str, int]:
    return {}
