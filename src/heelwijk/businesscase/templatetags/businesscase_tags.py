"""Template filters for business case figures."""

from django import template

from .. import formatting
from ..presentation import Cell

register = template.Library()

register.filter("euro", formatting.euro)
register.filter("euro_whole", formatting.euro_whole)
register.filter("percent", formatting.percent)
register.filter("ratio", formatting.ratio)
register.filter("number", formatting.number)


@register.filter
def cell(value: Cell) -> str:
    return value.display()


@register.filter
def field_of(form, name: str):
    return form[name]


@register.filter
def cents_euro(cents) -> str:
    from ..engine.money import from_cents

    return formatting.euro(None if cents is None else from_cents(cents))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if mapping else key
