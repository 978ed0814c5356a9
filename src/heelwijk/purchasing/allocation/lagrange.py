"""The Lagrangian upper bound: any household prices u ≥ 0 give a valid bound, cheaply, in numpy.

Take the strong formulation (see milp.py) and move the rows "Σ z[h,·] ≤ 1" into the objective
with multipliers u[h] ≥ 0. What is left splits by offer:

    L(u) = Σ_h u[h] + Σ_o max(0, max_t V[o,t](u))
    V[o,t](u) = max Σ_h (saving[h,o,t] − u[h])·z[h]   over 0 ≤ z ≤ 1 with
                lo ≤ Σ z ≤ hi  and  vlo ≤ Σ usage[h]·z[h] ≤ vhi.

L(u) is at least the optimum of the LP relaxation, so at least the best allocation, for every
u ≥ 0 (weak duality), and min_u L(u) equals the strong LP bound. V is itself bounded from above
by its own dual: for every β,

    V ≤ g(β) = C(saving − u − β·usage) + β·(vhi if β ≥ 0 else vlo)

where C(r) = max r·z with only the count rows, which is exact by sorting: the largest r, as many
as are positive but at least lo and at most hi. So every number `evaluate` returns is a valid
bound whichever β it tried; the search over β only makes it tighter.

`minimise` lowers L by subgradient steps (Polyak's step towards the best allocation known,
halved when the bound stops improving; it gives up when they have shrunk to nothing). Every
TRY_EVERY evaluations the tiers they picked most often lately go to a callback, which may
find a better allocation with those tiers fixed (fixed_tiers.py); a better allocation gives a
better target. Tiers whose restricted bound (`cap`) is already no more than the best
allocation are not tried.

Floats: u, r and the bound are doubles (diagnostics only; never money). The bound is padded by
a relative 1e-9 against rounding in the sums.
"""

import time
from collections.abc import Callable

import numpy as np

# Halve the subgradient step when the best bound has not improved by PROGRESS (relative) for
# this many evaluations; give up when it has been halved this far, or after MAX_STEPS.
PATIENCE = 10
PROGRESS = 1e-7
MIN_SCALE = 1e-4
MAX_STEPS = 600
# Every this many evaluations the tiers picked most often lately are tried as an allocation;
# "lately" is an exponential average with this weight on the newest evaluation.
TRY_EVERY = 15
SMOOTH = 0.1
# Bisection steps on a volume block's multiplier β per evaluation (twice that without a warm
# start).
BETA_STEPS = 12
# Relative padding of the bound against rounding in double-precision sums.
PAD = 1e-9


class LagrangianBound:
    """Evaluates L(u) over the blocks (offer, tier) of milp._blocks."""

    def __init__(self, blocks, n_households: int, n_offers: int):
        self.blocks = blocks
        self.n_households = n_households
        self.n_offers = n_offers
        self.savings = [b.savings.astype(np.float64) for b in blocks]
        self.beta = np.zeros(len(blocks))  # last β per block (a warm start for the next search)
        # Volume bounds per block: None when that side cannot bind.
        self.vlo = [float(b.vlo) if b.vlo > 0 else None for b in blocks]
        self.vhi = [float(b.vhi) if b.vhi >= 0 else None for b in blocks]

    def evaluate(self, u: np.ndarray) -> tuple[float, np.ndarray, tuple[int, ...]]:
        """(bound, a subgradient, per offer the block it picks or -1) for u (clipped at 0)."""
        u = np.maximum(u, 0.0)
        best = np.zeros(self.n_offers)
        self.values = np.zeros(len(self.blocks))
        self.u_total = float(u.sum())
        picked: list[int] = [-1] * self.n_offers
        members: list[np.ndarray | None] = [None] * self.n_offers
        for b, block in enumerate(self.blocks):
            r = self.savings[b] - u[block.households]
            value, chosen = self._block(b, r)
            self.values[b] = value
            o = block.offer_index
            if value > best[o]:
                best[o] = value
                picked[o] = b
                members[o] = block.households[chosen]
        cover = np.zeros(self.n_households)
        for chosen in members:
            if chosen is not None:
                cover[chosen] += 1.0
        bound = float(u.sum() + best.sum())
        return bound + PAD * abs(bound), 1.0 - cover, tuple(picked)

    def cap(self, tiers: tuple[int, ...]) -> float:
        """After `evaluate(u)`: an upper bound on any allocation with exactly these tiers."""
        bound = self.u_total + sum(float(self.values[b]) for b in tiers if b >= 0)
        return bound + PAD * abs(bound)

    def _block(self, b: int, r: np.ndarray) -> tuple[float, np.ndarray]:
        block = self.blocks[b]
        vlo, vhi = self.vlo[b], self.vhi[b]
        if vlo is None and vhi is None:
            return _count(r, block.lo, block.hi)
        w = block.usage
        value, chosen = _count(r, block.lo, block.hi)
        volume = float(w[chosen].sum())
        if (vhi is None or volume <= vhi) and (vlo is None or volume >= vlo):
            self.beta[b] = 0.0
            return value, chosen
        # g(β) falls towards the side whose volume bound is broken; search |β| = m ≥ 0.
        sign, rhs = (1.0, vhi) if vhi is not None and volume > vhi else (-1.0, vlo)
        best = [value, chosen, 0.0]

        def slope_at(m: float) -> float:
            """dg/dm at m (positive: m is past the minimum), keeping the best g seen."""
            value, chosen = _count(r - (sign * m) * w, block.lo, block.hi)
            g = value + sign * m * rhs
            if g < best[0]:
                best[:] = [g, chosen, sign * m]
            return sign * (rhs - float(w[chosen].sum()))

        top = 2.0 * (float(np.abs(r).max()) + 1.0) / float(w.min())
        low, high = 0.0, top
        warm = sign * self.beta[b]
        steps = 2 * BETA_STEPS
        if 0.0 < warm < top:
            steps = BETA_STEPS
            # Bracket the minimum around the last β, then bisect.
            if slope_at(warm) > 0.0:
                high = low = warm
                while low > 1e-3 and slope_at(low / 4.0) > 0.0:
                    high, low = low / 4.0, low / 4.0
                low = low / 4.0 if low > 1e-3 else 0.0
            else:
                low = high = warm
                while high < top and slope_at(min(4.0 * high, top)) <= 0.0:
                    low = high = min(4.0 * high, top)
                high = min(4.0 * high, top)
        for _ in range(steps):
            middle = 0.5 * (low + high)
            if slope_at(middle) > 0.0:
                high = middle
            else:
                low = middle
        self.beta[b] = best[2]
        return best[0], best[1]


def _count(r: np.ndarray, lo: int, hi: int) -> tuple[float, np.ndarray]:
    """max r·z over 0 ≤ z ≤ 1, lo ≤ Σ z ≤ hi (integral): the value and the chosen indices."""
    positive = np.flatnonzero(r > 0.0)
    k = positive.size
    if lo <= k <= hi:
        return float(r[positive].sum()), positive
    k = lo if k < lo else hi
    if k <= 0:
        return 0.0, positive[:0]
    if k >= r.size:
        return float(r.sum()), np.arange(r.size)
    chosen = np.argpartition(-r, k - 1)[:k]
    return float(r[chosen].sum()), chosen


def minimise(
    lagrangian: LagrangianBound,
    u: np.ndarray,
    *,
    target: Callable[[], float],
    try_tiers: Callable[[tuple[int, ...]], None],
    closed: Callable[[float], bool],
    deadline: float,
) -> tuple[float, int]:
    """Lower L(u) by subgradient steps: (best bound, evaluations).

    Stops when `closed(bound)`, at the deadline, when the steps have shrunk to nothing, or
    after MAX_STEPS evaluations.
    `target()` is the best allocation's saving: Polyak's step aims there. Every TRY_EVERY
    evaluations the tiers the evaluations picked most often lately are passed to `try_tiers`
    (which may find a better allocation, raising the target), unless tried before or unless
    L, restricted to those tiers, already shows they cannot beat the target.
    """
    bound = np.inf
    scale = 1.0
    stale = 0
    tried: set[tuple[int, ...]] = set()
    steps = 0
    share = np.zeros(len(lagrangian.blocks))  # how often each block was picked lately
    while time.perf_counter() < deadline and scale >= MIN_SCALE and steps < MAX_STEPS:
        value, direction, tiers = lagrangian.evaluate(u)
        steps += 1
        picked = np.zeros(share.size)
        picked[[b for b in tiers if b >= 0]] = 1.0
        share = picked if steps == 1 else (1.0 - SMOOTH) * share + SMOOTH * picked
        if value < bound - PROGRESS * abs(bound):
            stale = 0
        else:
            stale += 1
            if stale >= PATIENCE:
                scale, stale = scale / 2.0, 0
        bound = min(bound, value)
        if closed(bound):
            break
        if steps % TRY_EVERY == 0:
            rounded = _round(lagrangian, share)
            if (
                rounded not in tried
                and any(b >= 0 for b in rounded)
                and lagrangian.cap(rounded) > target()
            ):
                tried.add(rounded)
                try_tiers(rounded)
                if closed(bound):
                    break
        norm = float(direction @ direction)
        if norm <= 0.0:
            break  # u prices every household exactly: L(u) is the LP optimum
        u = np.maximum(u - scale * (value - target()) / norm * direction, 0.0)
    return float(bound), steps


def _round(lagrangian: LagrangianBound, share: np.ndarray) -> tuple[int, ...]:
    """Per offer its most-picked block, when the offer was picked at least half the time."""
    tiers = [-1] * lagrangian.n_offers
    total = np.zeros(lagrangian.n_offers)
    most = np.full(lagrangian.n_offers, -1.0)
    for b, block in enumerate(lagrangian.blocks):
        o = block.offer_index
        total[o] += share[b]
        if share[b] > most[o]:
            most[o], tiers[o] = share[b], b
    return tuple(t if total[o] >= 0.5 else -1 for o, t in enumerate(tiers))
