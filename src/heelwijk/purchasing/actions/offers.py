"""Offers with tiered all-units prices: submit, change and withdraw, always all-or-nothing."""

from dataclasses import dataclass
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Campaign, Feature, Offer, OfferTier, SupplierAgreement
from ..money import format_euros
from ._common import record, same_neighbourhood


@dataclass(frozen=True)
class TierInput:
    min_quantity: int
    max_quantity: int | None
    unit_price_micros: int
    fixed_fee_cents: int


def validate_tiers(tiers: list[TierInput]) -> list[str]:
    """Every problem with a list of tiers, in the order they were entered (empty: all fine)."""
    problems: list[str] = []
    if not tiers:
        return [_("Add at least one price tier.")]
    for number, tier in enumerate(tiers, start=1):
        if tier.min_quantity is None:
            problems.append(_("Tier %(n)s: fill in where the tier starts.") % {"n": number})
            continue
        if tier.min_quantity < 0:
            problems.append(_("Tier %(n)s: a tier cannot start below zero.") % {"n": number})
        if tier.unit_price_micros is None or tier.unit_price_micros < 0:
            problems.append(
                _("Tier %(n)s: the price per unit cannot be negative or empty.") % {"n": number}
            )
        if tier.fixed_fee_cents is None or tier.fixed_fee_cents < 0:
            problems.append(
                _("Tier %(n)s: the fixed fee cannot be negative or empty.") % {"n": number}
            )
        if tier.max_quantity is not None and tier.max_quantity < tier.min_quantity:
            problems.append(
                _("Tier %(n)s: “up to” (%(max)s) is below “from” (%(min)s).")
                % {"n": number, "max": tier.max_quantity, "min": tier.min_quantity}
            )
    if problems:
        return problems
    for number, (before, after) in enumerate(pairwise(tiers), start=2):
        if after.min_quantity <= before.min_quantity:
            problems.append(
                _(
                    "The tiers are not in ascending order: tier %(n)s starts at %(start)s, "
                    "not above tier %(prev)s (%(prev_start)s)."
                )
                % {
                    "n": number,
                    "start": after.min_quantity,
                    "prev": number - 1,
                    "prev_start": before.min_quantity,
                }
            )
        elif before.max_quantity is None:
            problems.append(
                _(
                    "Tier %(prev)s has no upper end, so it overlaps tier %(n)s. Only the last tier "
                    "may be open-ended."
                )
                % {"prev": number - 1, "n": number}
            )
        elif after.min_quantity <= before.max_quantity:
            problems.append(
                _(
                    "Tier %(n)s overlaps tier %(prev)s: tier %(prev)s runs up to %(end)s, so "
                    "tier %(n)s must start at %(next)s."
                )
                % {
                    "n": number,
                    "prev": number - 1,
                    "end": before.max_quantity,
                    "next": before.max_quantity + 1,
                }
            )
        elif after.min_quantity > before.max_quantity + 1:
            problems.append(
                _(
                    "There is a gap between tier %(prev)s and tier %(n)s: tier %(n)s must start "
                    "at %(next)s."
                )
                % {"n": number, "prev": number - 1, "next": before.max_quantity + 1}
            )
    return problems


def _check_offer(offer: Offer, tiers: list[TierInput], area_ids: list[int]) -> None:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    campaign = offer.campaign
    agreement = offer.agreement
    if campaign.status != Campaign.Status.OPEN:
        add("__all__", _("Offers can only be submitted or changed while the campaign is open."))
    if not (offer.name or "").strip():
        add("name", _("Give the offer a name."))
    if not agreement.is_active_on(campaign.contracts_start_on):
        add(
            "agreement",
            _(
                "The preferred-supplier agreement of %(supplier)s does not cover %(day)s, the day "
                "contracts start."
            )
            % {"supplier": agreement.supplier.name, "day": campaign.contracts_start_on},
        )
    allowed = list(agreement.categories.all())
    if allowed and campaign.category not in allowed:
        add(
            "agreement",
            _("The agreement with %(supplier)s does not include the category %(category)s.")
            % {"supplier": agreement.supplier.name, "category": campaign.category.display_name},
        )
    if offer.min_households is None or offer.min_households < 1:
        add("min_households", _("The minimum number of households is at least 1."))
    if (
        offer.capacity is not None
        and offer.min_households
        and offer.capacity < offer.min_households
    ):
        add("capacity", _("The capacity must be at least the minimum number of households."))
    if (
        offer.min_usage is not None
        and offer.max_usage is not None
        and offer.max_usage < offer.min_usage
    ):
        add("max_usage", _("The maximum usage must not be below the minimum usage."))
    unknown = [f for f in offer.features if f not in Feature.values]
    if unknown:
        add("features", _("Unknown feature: %(codes)s.") % {"codes": ", ".join(map(str, unknown))})
    if offer.kickback_per_contract_cents < agreement.kickback_per_contract_cents:
        add(
            "kickback_per_contract_cents",
            _(
                "The kickback cannot be lower than the %(amount)s per contract agreed with the "
                "neighbourhood."
            )
            % {"amount": format_euros(agreement.kickback_per_contract_cents)},
        )
    valid_areas = set(offer.neighbourhood.areas.values_list("pk", flat=True))
    if any(a not in valid_areas for a in area_ids):
        add("areas", _("Choose areas of this neighbourhood."))
    for problem in validate_tiers(tiers):
        add("tiers", problem)
    if errors:
        raise ValidationError(errors)


def _write_tiers(offer: Offer, tiers: list[TierInput]) -> None:
    offer.tiers.all().delete()
    OfferTier.objects.bulk_create(
        OfferTier(
            offer=offer,
            position=position,
            min_quantity=tier.min_quantity,
            max_quantity=tier.max_quantity,
            unit_price_micros=tier.unit_price_micros,
            fixed_fee_cents=tier.fixed_fee_cents,
        )
        for position, tier in enumerate(tiers)
    )


def offer_submit(
    *,
    actor,
    campaign: Campaign,
    agreement: SupplierAgreement,
    tiers: list[TierInput],
    areas=(),
    kickback_per_contract_cents: int | None = None,
    **fields,
) -> Offer:
    """Submit an offer of a preferred supplier to an open campaign, with all its tiers."""
    same_neighbourhood(campaign.neighbourhood, agreement, *areas)
    if kickback_per_contract_cents is None:
        kickback_per_contract_cents = agreement.kickback_per_contract_cents
    offer = Offer(
        neighbourhood=campaign.neighbourhood,
        campaign=campaign,
        agreement=agreement,
        supplier=agreement.supplier,
        submitted_by=actor,
        kickback_per_contract_cents=kickback_per_contract_cents,
        **fields,
    )
    offer.features = sorted(set(offer.features or []))
    area_ids = [a.pk for a in areas]
    _check_offer(offer, list(tiers), area_ids)
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        offer.full_clean()
        offer.save()
        offer.areas.set(area_ids)
        _write_tiers(offer, list(tiers))
        record(
            neighbourhood=campaign.neighbourhood,
            actor=actor,
            action="purchasing_offer_submit",
            obj=offer,
            changes={"tiers": len(tiers)},
        )
    return offer


def offer_update(
    *, actor, offer: Offer, tiers: list[TierInput] | None = None, areas=None, **fields
) -> Offer:
    """Change an offer while its campaign is open; tiers are replaced as a whole."""
    if offer.status != Offer.Status.SUBMITTED:
        raise ValidationError(_("A withdrawn offer cannot be changed."))
    changes = {}
    for name, value in fields.items():
        if name == "features":
            value = sorted(set(value or []))
        if getattr(offer, name) != value:
            changes[name] = [str(getattr(offer, name)), str(value)]
            setattr(offer, name, value)
    if tiers is None:
        tiers = [
            TierInput(t.min_quantity, t.max_quantity, t.unit_price_micros, t.fixed_fee_cents)
            for t in offer.tiers.all()
        ]
    else:
        changes["tiers"] = len(tiers)
    if areas is not None:
        same_neighbourhood(offer.neighbourhood, *areas)
    area_ids = (
        [a.pk for a in areas]
        if areas is not None
        else list(offer.areas.values_list("pk", flat=True))
    )
    _check_offer(offer, list(tiers), area_ids)
    with transaction.atomic():
        offer.full_clean()
        offer.save()
        offer.areas.set(area_ids)
        _write_tiers(offer, list(tiers))
        record(
            neighbourhood=offer.neighbourhood,
            actor=actor,
            action="purchasing_offer_update",
            obj=offer,
            changes=changes,
        )
    return offer


def offer_withdraw(*, actor, offer: Offer) -> Offer:
    if offer.campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("An offer can only be withdrawn while the campaign is open."))
    if offer.status == Offer.Status.WITHDRAWN:
        return offer
    with transaction.atomic():
        offer.status = Offer.Status.WITHDRAWN
        offer.save(update_fields=["status", "updated_at"])
        record(
            neighbourhood=offer.neighbourhood,
            actor=actor,
            action="purchasing_offer_withdraw",
            obj=offer,
        )
    return offer
