"""A proposed settlement for the wrong-pocket problem: who should pay whom so nobody loses.

When the case as a whole is positive, every actor that ends below zero is brought back to exactly
break-even. The actors that gain pay for it in proportion to their gain, in whole cents (largest
remainder), so no payer gives more than it gains and the transfers add up to the cent.

Some actors should not be asked to pay (residents who just got a job): they are `exempt`, and
only pay when the other gainers together cannot cover the deficits. So whenever the whole case is
positive, nobody ends below zero. When the whole case is negative no settlement can help: the
shortfall says how much outside money is needed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO, from_cents, to_cents


@dataclass(frozen=True)
class Transfer:
    payer: str
    receiver: str
    amount: Decimal


@dataclass(frozen=True)
class Settlement:
    feasible: bool
    transfers: tuple[Transfer, ...]
    before: tuple[tuple[str, Decimal], ...]
    after: tuple[tuple[str, Decimal], ...]
    shortfall: Decimal  # zero when feasible

    def paid_by(self, key: str) -> Decimal:
        return sum((t.amount for t in self.transfers if t.payer == key), ZERO)

    def received_by(self, key: str) -> Decimal:
        return sum((t.amount for t in self.transfers if t.receiver == key), ZERO)


def _shares(total: int, weights: list[int]) -> list[int]:
    """Split `total` cents over `weights` proportionally; the shares sum to `total` exactly."""
    whole = sum(weights)
    floors = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _payments(need: int, surpluses: list[tuple[str, int]], exempt: frozenset[str]) -> list:
    """What each gainer pays: first the non-exempt in proportion, then the exempt for the rest."""
    first = [(k, s) for k, s in surpluses if k not in exempt]
    second = [(k, s) for k, s in surpluses if k in exempt]
    have_first = sum(s for _, s in first)
    if have_first >= need:
        return list(zip([k for k, _ in first], _shares(need, [s for _, s in first]), strict=True))
    rest = need - have_first
    return first + list(
        zip([k for k, _ in second], _shares(rest, [s for _, s in second]), strict=True)
    )


def propose_settlement(
    balances: Sequence[tuple[str, Decimal]], exempt: Iterable[str] = ()
) -> Settlement:
    """Transfers between actors, given each actor's net result (benefits minus costs)."""
    nets = [(key, to_cents(net)) for key, net in balances]
    before = tuple((key, from_cents(c)) for key, c in nets)
    deficits = [(key, -c) for key, c in nets if c < 0]
    surpluses = [(key, c) for key, c in nets if c > 0]
    need = sum(d for _, d in deficits)
    have = sum(s for _, s in surpluses)
    if need == 0:
        return Settlement(True, (), before, before, ZERO)
    if have < need:
        return Settlement(False, (), before, before, from_cents(need - have))

    pays = _payments(need, surpluses, frozenset(exempt))
    # Largest first keeps the number of transfers small; the input order breaks ties.
    payers = sorted(((key, pay) for key, pay in pays if pay > 0), key=lambda kv: -kv[1])
    receivers = sorted(deficits, key=lambda kv: -kv[1])
    transfers: list[Transfer] = []
    p = r = 0
    payer_left = payers[0][1]
    receiver_left = receivers[0][1]
    while p < len(payers) and r < len(receivers):
        amount = min(payer_left, receiver_left)
        transfers.append(Transfer(payers[p][0], receivers[r][0], from_cents(amount)))
        payer_left -= amount
        receiver_left -= amount
        if payer_left == 0:
            p += 1
            payer_left = payers[p][1] if p < len(payers) else 0
        if receiver_left == 0:
            r += 1
            receiver_left = receivers[r][1] if r < len(receivers) else 0

    moved: dict[str, int] = {}
    for t in transfers:
        cents = to_cents(t.amount)
        moved[t.payer] = moved.get(t.payer, 0) - cents
        moved[t.receiver] = moved.get(t.receiver, 0) + cents
    after = tuple((key, from_cents(c + moved.get(key, 0))) for key, c in nets)
    return Settlement(True, tuple(transfers), before, after, ZERO)
