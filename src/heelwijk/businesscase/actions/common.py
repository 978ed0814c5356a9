"""Checks the write actions share: collecting errors, amounts, decimals and text."""

from decimal import Decimal, localcontext

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..engine.money import PRECISION, to_cents


def collect(errors: dict, key: str, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            errors.setdefault(f"{key}.{name}" if key else name, []).extend(messages)
    else:
        errors.setdefault(key or "__all__", []).extend(exc.messages)


def amount_cents(
    errors, key: str, amount: Decimal | None, *, allow_none: bool = False
) -> int | None:
    if amount is None:
        if not allow_none:
            errors.setdefault(key, []).append(_("Enter an amount."))
        return None
    if not amount.is_finite():
        errors.setdefault(key, []).append(_("Enter an amount."))
        return None
    if abs(amount) >= 10**13:
        errors.setdefault(key, []).append(_("This amount is too large."))
        return None
    if amount < 0:
        errors.setdefault(key, []).append(_("An amount cannot be negative."))
        return None
    try:
        cents = to_cents(amount)
    except ValueError:
        errors.setdefault(key, []).append(_("Use at most two decimals (whole cents)."))
        return None
    return cents


def check_decimals(errors, key: str, value: Decimal, places: int) -> None:
    if not value.is_finite() or abs(value) >= 10**15:
        return  # out of range: the range check says so
    with localcontext(PRECISION):
        if value != value.quantize(Decimal(1).scaleb(-places)):
            errors.setdefault(key, []).append(
                _("Use at most %(places)s decimals.") % {"places": places}
            )


def check_text(errors, key: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(key, []).append(_("Use at most %(max)s characters.") % {"max": limit})
    if "\x00" in value:
        errors.setdefault(key, []).append(_("Text may not contain the NUL character."))
