"""Template filters for amounts: cents and micro-euros shown in the active language."""

from django import template

from ..money import format_euros, micros_to_price

register = template.Library()


@register.filter
def euros(cents):
    return format_euros(cents)


@register.filter
def unit_price(micros):
    from django.utils import formats

    price = micros_to_price(micros)
    if price is None:
        return ""
    places = max(2, -price.as_tuple().exponent) if price.as_tuple().exponent < 0 else 2
    return "€ " + formats.number_format(price, places, use_l10n=True)


@register.filter
def plus_one(value):
    return (value or 0) + 1
