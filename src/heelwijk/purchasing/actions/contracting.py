"""Start contracts from the final allocation and post what suppliers owe the local fund.

This is the only module of the purchasing app that touches the ledger, and it does so only
through `heelwijk.ledger.actions` (writes) and `heelwijk.ledger.selectors` (reads).

Ledger convention: the neighbourhood keeps one euro account per supplier and one for the
local fund, both of type "liability" (money the books hold for someone). Starting contracts
moves the kickbacks (per contract) and the participation fee (once per campaign) from the
supplier's account to the local fund's: the supplier's balance goes below zero, which is what
it owes until it pays in.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.ledger.actions import account_open, transfer, unit_ensure
from heelwijk.ledger.selectors import account_list

from ..models import (
    AllocationResult,
    AllocationRun,
    Campaign,
    Contract,
    SupplierSettlement,
)
from ._common import record

LOCAL_FUND_CODE = "LOCAL-FUND"
SUPPLIER_CODE = "SUPPLIER-{pk}"


def _euro(neighbourhood, actor):
    return unit_ensure(
        neighbourhood=neighbourhood,
        code="EUR",
        name="euro",
        symbol="€",
        decimals=2,
        kind="eur",
        actor=actor,
    )


def _account(*, neighbourhood, unit, code: str, name: str, owner_kind: str, owner, actor):
    existing = account_list(neighbourhood=neighbourhood, unit=unit).filter(code=code).first()
    if existing is not None:
        return existing
    return account_open(
        neighbourhood=neighbourhood,
        unit=unit,
        code=code,
        name=name,
        type="liability",
        owner_kind=owner_kind,
        owner=owner,
        actor=actor,
    )


def local_fund_account(*, neighbourhood, actor=None):
    """The neighbourhood's local fund: an existing euro fund account (liability) if the books
    have one, else one opened here with code LOCAL-FUND."""
    unit = _euro(neighbourhood, actor)
    existing = (
        account_list(neighbourhood=neighbourhood, unit=unit)
        .filter(owner_kind="fund", type="liability", is_open=True)
        .order_by("code", "pk")
        .first()
    )
    if existing is not None:
        return existing
    return _account(
        neighbourhood=neighbourhood,
        unit=unit,
        code=LOCAL_FUND_CODE,
        name="Lokaal fonds",
        owner_kind="fund",
        owner=None,
        actor=actor,
    )


def supplier_account(*, supplier, actor=None):
    unit = _euro(supplier.neighbourhood, actor)
    return _account(
        neighbourhood=supplier.neighbourhood,
        unit=unit,
        code=SUPPLIER_CODE.format(pk=supplier.pk),
        name=f"{supplier.name} (collectieve inkoop)"[:160],
        owner_kind="organisation",
        owner=supplier,
        actor=actor,
    )


def _post_settlement(*, actor, settlement: SupplierSettlement, campaign: Campaign) -> None:
    fund = local_fund_account(neighbourhood=campaign.neighbourhood, actor=actor)
    source = supplier_account(supplier=settlement.supplier, actor=actor)
    day = campaign.contracts_start_on
    if settlement.kickback_cents > 0:
        tx = transfer(
            source=source,
            destination=fund,
            amount=settlement.kickback_cents,
            kind="purchasing.kickback",
            memo=f"Kickback {settlement.contracts} contract(en): {campaign.title}"[:255],
            actor=actor,
            idempotency_key=f"purchasing:{campaign.pk}:kickback:{settlement.supplier_id}",
            effective_date=day,
        )
        settlement.kickback_reference = str(tx.pk)
    if settlement.participation_fee_cents > 0:
        tx = transfer(
            source=source,
            destination=fund,
            amount=settlement.participation_fee_cents,
            kind="purchasing.participation_fee",
            memo=f"Deelnamebijdrage: {campaign.title}"[:255],
            actor=actor,
            idempotency_key=f"purchasing:{campaign.pk}:fee:{settlement.supplier_id}",
            effective_date=day,
        )
        settlement.fee_reference = str(tx.pk)
    settlement.posted_at = timezone.now()
    settlement.save(update_fields=["kickback_reference", "fee_reference", "posted_at"])


def contracts_start(*, actor, campaign: Campaign) -> list[Contract]:
    """Turn the final allocation into contracts and post kickbacks and fees, all or nothing."""
    if campaign.status != Campaign.Status.FINAL:
        raise ValidationError(_("Contracts can only start after the final allocation."))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != Campaign.Status.FINAL:
            raise ValidationError(_("Contracts can only start after the final allocation."))
        run = AllocationRun.objects.get(
            campaign=locked, kind=AllocationRun.Kind.FINAL, is_current=True
        )
        placed = (
            AllocationResult.objects.filter(run=run, offer__isnull=False)
            .select_related("offer", "offer__agreement", "pledge")
            .order_by("pk")
        )
        contracts = [
            Contract(
                neighbourhood=locked.neighbourhood,
                campaign=locked,
                offer=r.offer,
                supplier_id=r.offer.supplier_id,
                household_id=r.household_id,
                pledge=r.pledge,
                tier_position=r.tier_position,
                usage=r.pledge.usage,
                yearly_cost_cents=r.yearly_cost_cents,
                saving_cents=r.saving_cents,
                kickback_cents=r.offer.kickback_per_contract_cents,
                starts_on=locked.contracts_start_on,
            )
            for r in placed
        ]
        if not contracts:
            raise ValidationError(
                _("The final allocation places no household; no contract starts.")
            )
        Contract.objects.bulk_create(contracts)
        per_supplier: dict[int, list[Contract]] = defaultdict(list)
        for contract in contracts:
            per_supplier[contract.supplier_id].append(contract)
        for supplier_id, group in sorted(per_supplier.items()):
            fee = max(c.offer.agreement.participation_fee_cents for c in group)
            settlement = SupplierSettlement.objects.create(
                neighbourhood=locked.neighbourhood,
                campaign=locked,
                supplier_id=supplier_id,
                contracts=len(group),
                kickback_cents=sum(c.kickback_cents for c in group),
                participation_fee_cents=fee,
            )
            _post_settlement(actor=actor, settlement=settlement, campaign=locked)
        locked.status = Campaign.Status.CONTRACTED
        locked.save(update_fields=["status", "updated_at"])
        record(
            neighbourhood=locked.neighbourhood,
            actor=actor,
            action="purchasing_contracts_start",
            obj=locked,
            changes={"contracts": len(contracts), "suppliers": len(per_supplier)},
        )
    campaign.status = Campaign.Status.CONTRACTED
    return contracts
