"""Server-side SVG charts: plain markup from Decimal figures, no float and no JavaScript.

Each chart has a title and a description for screen readers; the page always shows the same
figures in a table beside it. Text is escaped here, so the result can be put in a page as is.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from html import escape

WIDTH = Decimal(420)
LEFT = Decimal(8)
RIGHT = Decimal(8)
TOP = Decimal(8)
AXIS = Decimal(34)  # room for the tick labels at the bottom
LABEL = Decimal(20)  # a row's label line above its bar
BAR = Decimal(16)
GAP = Decimal(12)
TENTH = Decimal("0.1")

COLOURS = {
    "cost": "#a4161a",
    "benefit": "#1d5c3f",
    "net": "#0b4f8a",
    "low": "#7a4d00",
    "high": "#0b4f8a",
    "negative": "#a4161a",
    "positive": "#1d5c3f",
}


@dataclass(frozen=True)
class Segment:
    start: Decimal
    end: Decimal
    style: str  # a key of COLOURS


@dataclass(frozen=True)
class Row:
    label: str
    bars: tuple[tuple[Segment, ...], ...]  # one or more bars under one label


MAX_LABEL = 52  # characters that fit above a bar; the table beside the chart has the full text


def _fit(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _n(value: Decimal) -> str:
    return str(value.quantize(TENTH, rounding=ROUND_HALF_UP))


def nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals."""
    if span <= 0:
        return Decimal(1)
    raw = span / ticks
    power = Decimal(1).scaleb(raw.adjusted())
    for factor in (1, 2, 5, 10):
        if raw <= power * factor:
            return power * factor
    return power * 10


def axis_range(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    step = nice_step(high - low)
    low = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    high = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    if low == high:
        high = low + step
    return low, high, step


def _svg(title: str, desc: str, ident: str, height: Decimal, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def bar_chart(
    *,
    ident: str,
    title: str,
    desc: str,
    rows: Sequence[Row],
    fmt: Callable[[Decimal], str],
    marker: Decimal | None = None,
) -> str:
    """Horizontal bars on one shared axis that always includes zero (or `marker`)."""
    values = [v for row in rows for bar in row.bars for s in bar for v in (s.start, s.end)]
    if marker is not None:
        values.append(marker)
    low, high, step = axis_range(values or [Decimal(0)])
    plot = WIDTH - LEFT - RIGHT

    def x(value: Decimal) -> Decimal:
        return LEFT + (value - low) * plot / (high - low)

    body: list[str] = []
    y = TOP
    for row in rows:
        body.append(
            f'<text x="{_n(LEFT)}" y="{_n(y + LABEL - 6)}" font-size="15" fill="#1b1f23">'
            f"<title>{escape(row.label)}</title>{escape(_fit(row.label))}</text>"
        )
        y += LABEL
        for bar in row.bars:
            for segment in bar:
                start, end = sorted((x(segment.start), x(segment.end)))
                width = max(end - start, Decimal("0.5"))
                body.append(
                    f'<rect x="{_n(start)}" y="{_n(y)}" width="{_n(width)}" height="{_n(BAR)}" '
                    f'fill="{COLOURS[segment.style]}"/>'
                )
            y += BAR + 2
        y += GAP
    bottom = y
    tick = low
    while tick <= high:
        tx = x(tick)
        body.append(
            f'<line x1="{_n(tx)}" y1="{_n(TOP)}" x2="{_n(tx)}" y2="{_n(bottom)}" '
            f'stroke="#c9d2cc" stroke-width="1"/>'
        )
        anchor = "start" if tick == low else ("end" if tick == high else "middle")
        body.append(
            f'<text x="{_n(tx)}" y="{_n(bottom + 18)}" font-size="13" fill="#4a5560" '
            f'text-anchor="{anchor}">{escape(fmt(tick))}</text>'
        )
        tick += step
    zero = x(marker if marker is not None else Decimal(0))
    body.append(
        f'<line x1="{_n(zero)}" y1="{_n(TOP)}" x2="{_n(zero)}" y2="{_n(bottom)}" '
        f'stroke="#1b1f23" stroke-width="2"/>'
    )
    return _svg(title, desc, ident, bottom + AXIS, body)


def column_chart(
    *,
    ident: str,
    title: str,
    desc: str,
    columns: Sequence[tuple[str, Decimal]],
    fmt: Callable[[Decimal], str],
) -> str:
    """Vertical columns around a zero line, green above and red below (e.g. cumulative net)."""
    height = Decimal(200)
    low, high, step = axis_range([v for _, v in columns] or [Decimal(0)])
    label_room = Decimal(64)
    plot_w = WIDTH - label_room - RIGHT
    slot = plot_w / max(len(columns), 1)

    def y(value: Decimal) -> Decimal:
        return TOP + (high - value) * height / (high - low)

    body: list[str] = []
    tick = low
    while tick <= high:
        ty = y(tick)
        body.append(
            f'<line x1="{_n(label_room)}" y1="{_n(ty)}" x2="{_n(WIDTH - RIGHT)}" y2="{_n(ty)}" '
            f'stroke="#c9d2cc" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{_n(label_room - 4)}" y="{_n(ty + 4)}" font-size="12" fill="#4a5560" '
            f'text-anchor="end">{escape(fmt(tick))}</text>'
        )
        tick += step
    for i, (label, value) in enumerate(columns):
        left = label_room + slot * i + slot / 5
        top, bottom = sorted((y(value), y(Decimal(0))))
        style = "positive" if value >= 0 else "negative"
        body.append(
            f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(slot * 3 / 5)}" '
            f'height="{_n(max(bottom - top, Decimal("0.5")))}" fill="{COLOURS[style]}"/>'
        )
        body.append(
            f'<text x="{_n(left + slot * 3 / 10)}" y="{_n(TOP + height + 18)}" font-size="13" '
            f'fill="#1b1f23" text-anchor="middle">{escape(label)}</text>'
        )
    zero = y(Decimal(0))
    body.append(
        f'<line x1="{_n(label_room)}" y1="{_n(zero)}" x2="{_n(WIDTH - RIGHT)}" y2="{_n(zero)}" '
        f'stroke="#1b1f23" stroke-width="2"/>'
    )
    return _svg(title, desc, ident, TOP + height + 30, body)
