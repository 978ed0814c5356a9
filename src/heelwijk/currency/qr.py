"""QR codes for payment codes and payment requests, drawn by the server as inline SVG.

No script and no outside service: the page carries the picture itself, so it works offline and
prints sharply. The QR code holds the full address of the payment page; the payment code is
printed beside it for people who type it in.
"""

from __future__ import annotations

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, label: str) -> SafeString:
    """An accessible inline SVG QR code for ``url``, named ``label`` for screen readers."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, title=label, svgclass="qr", omitsize=True, border=4)
    # segno escapes the title; the accessible name and role are added here.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno builds the markup; the label is escaped
