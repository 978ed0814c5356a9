"""A small server-side SVG chart of a currency's months: payments as bars, circulation as a line.

The chart is a picture of the table printed beside it (never the only place of a number), so it
carries a short text alternative and hides its details from screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from heelwijk.ledger.money import from_minor

from .models import Currency
from .selectors import MonthFigures

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 76, 16, 16, 40
FONT_SIZE = 18  # in viewBox units: still readable when a phone shrinks the chart to 360 px
# The legend is HTML beside the chart (currency.css .legend uses the same colours).
BAR_COLOUR = "#1d5c3f"  # the site's brand green; 7.9:1 on white
LINE_COLOUR = "#0b4f8a"  # the link blue


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for _round in range(2):
        for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
            candidate = step.scaleb(exponent)
            if candidate >= value:
                return candidate
        exponent += 1
    return value


def _number(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def circulation_chart(months: Sequence[MonthFigures], currency: Currency) -> SafeString:
    """Bars: units paid per month. Line: units in circulation at the end of each month."""
    unit = currency.unit
    if not months:
        return mark_safe("")
    volumes = [from_minor(m.volume, unit) for m in months]
    circulations = [from_minor(m.circulation, unit) for m in months]
    top = nice_ceiling(max([*volumes, *circulations, Decimal(1)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(months)
    bar_w = max(4.0, slot * 0.6)

    def y(value: Decimal) -> float:
        return TOP + plot_h - float(value / top) * plot_h

    title = _("%(currency)s per month: paid (bars) and in circulation (line)") % {
        "currency": currency.name
    }
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        f'<g aria-hidden="true" font-size="{FONT_SIZE}" fill="#1b1f23">',
    ]
    for i in range(5):
        value = top * i / 4
        ypos = y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ypos:.1f}" y2="{ypos:.1f}" '
            f'stroke="#c9d2cc" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{ypos + 6:.1f}" text-anchor="end">{_number(value)}</text>'
        )
    points = []
    for index, (month, volume, circ) in enumerate(zip(months, volumes, circulations, strict=True)):
        centre = LEFT + slot * index + slot / 2
        height = TOP + plot_h - y(volume)
        parts.append(
            f'<rect x="{centre - bar_w / 2:.1f}" y="{y(volume):.1f}" width="{bar_w:.1f}" '
            f'height="{height:.1f}" fill="{BAR_COLOUR}"/>'
        )
        points.append(f"{centre:.1f},{y(circ):.1f}")
        # Every month's label when they fit, else every other (or every third) one.
        step = 1 if len(months) <= 6 else 2 if len(months) <= 12 else 3
        if index % step == 0:
            label = escape(format_date(month.month, "M y"))
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 24}" text-anchor="middle">'
                f"{label}</text>"
            )
    parts.append(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE_COLOUR}" '
        f'stroke-width="3"/>'
    )
    for point in points:
        cx, cy = point.split(",")
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="5" fill="{LINE_COLOUR}"/>')
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped
