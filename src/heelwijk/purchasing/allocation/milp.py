"""The exact allocation: a mixed-integer linear programme solved by HiGHS (highspy).

Variables
  y[o,t]    1 when offer o goes ahead at tier t                       (binary)
  z[h,o,t]  1 when household h joins offer o, which runs at tier t    (binary)
A z column exists only when h accepts o, is eligible for it, and o's price at tier t does not
exceed what h pays today: that is how "never assign a household to an offer that costs it more"
is built in, instead of being a constraint that could be violated.

Constraints
  Σ_{o,t} z[h,o,t] ≤ 1                               at most one offer per household
  Σ_t y[o,t] ≤ 1                                     an offer runs at one tier at most
  lo[o,t]·y[o,t] ≤ Σ_h z[h,o,t] ≤ hi[o,t]·y[o,t]     minimum households, capacity, tier bounds
                                                     when tiers count households
  L[t]·y[o,t] ≤ Σ_h usage[h]·z[h,o,t] ≤ U[t]·y[o,t]  tier bounds when tiers count volume
  z[h,o,t] ≤ y[o,t]                                  a household joins only a tier that runs
Objective: maximise Σ saving[h,o,t]·z[h,o,t], savings in whole cents.

Because every tier has its own z columns, the price a household pays is exactly its all-units
price at the tier the offer reaches; no big-M on prices is needed.

Why the last row family. Without `z ≤ y` the rows above are already a correct model, but its
LP relaxation is weak: an offer may run at y = 0.07 of its cheapest tier, which lifts the tier's
minimum to 7 % of its real size while every household still gets the full cheapest price. On
10,000 households that relaxation is ~5 % above the optimum, and HiGHS spent an hour without a
bound (most of it probing 275,000 binaries in presolve). With `z ≤ y` (the "strong"
facility-location form) the relaxation is within 0.03 % of the optimum on the benchmark seeds
we measured, and its tiers were integral there.

Order of work. Up to `full_model_columns` z columns the whole strong model is solved at once.
Larger problems with a gap to meet (`mip_rel_gap` > 0) first go through the Lagrangian stage;
what it does not settle within LAGRANGE_SHARE of the time limit (or when its steps have
shrunk to nothing) goes on to column generation, from its best allocation and bound.

Lagrangian stage (lagrange.py, fixed_tiers.py). The household rows Σ z[h,·] ≤ 1 are priced with
u[h] ≥ 0; what is left splits by offer and is solved by sorting in numpy, so every u gives a
valid upper bound L(u) in 10-20 ms on 10,000 households. Subgradient steps lower it, starting
from each household's saving in the start allocation. Every few steps the tiers the
evaluations picked most often are fixed and that assignment problem is solved in a model of
its own (its LP, then its split households as a MILP), which gives allocations; they end as
soon as the best is within `mip_rel_gap` of the bound. min_u L(u) equals the strong LP bound,
so this proves the same gaps as the LP would, without solving the LP; it cannot prove a gap
smaller than the LP's own (then column generation and the whole MILP take over), and with
`mip_rel_gap` = 0 it is skipped.

Column generation. The strong form has one link row per z column (~275,000 on 10,000
households), too big to solve in one go. We solve its LP with only some z columns (each
household's two best, plus the starting solution's) and only the link rows the LP violates,
add violated link rows, then price the missing columns with the LP's duals and add those that
could improve it, and repeat. At every round
    LP value + Σ_h max(0, best reduced cost of a missing column of h)
is a valid upper bound on the whole problem (the LP is a relaxation, and raising each
household's dual by that amount makes the duals feasible for every column), so the bound we
report never depends on the columns or rows we left out.

Then every offer's tier is fixed as the LP chose it and the assignment MILP that is left is
solved (first with every household the LP placed wholly kept where it is, then if needed with
all free). Its answer is feasible for the whole problem, and its gap is measured against the
column-generation bound, not against HiGHS' bound of the restricted model. If that does not
prove optimality (within `mip_rel_gap`), the LP is converged fully and the tiers fixed again;
on small problems (or with a generous time limit) the whole strong MILP is finally solved from
the best allocation found, so the method stays exact.

Floats: HiGHS computes in double precision. Coefficients are integers (cents, usage units) well
below 2**53, so they are represented exactly; the answer is read back as 0/1 decisions and
every amount is then recomputed in integers (`make_solution`) and checked with Decimal by the
checker. Bounds and gaps are diagnostics, never money.
"""

import math
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from .fixed_tiers import solve_fixed_tiers
from .highs_lp import column_lp
from .lagrange import LagrangianBound, minimise
from .pricing import MICROS_PER_CENT
from .problem import Problem, TierBasis
from .solution import Solution, SolveStatus, make_solution

INF = highspy.kHighsInf
# Up to this many z columns the whole model is passed at once (no column generation needed).
FULL_MODEL_COLUMNS = 20_000
# Column generation starts from each household's best few (offer, tier) columns.
START_COLUMNS_PER_HOUSEHOLD = 2
# At most this many columns are added per pricing round (the most promising first).
COLUMNS_PER_ROUND = 20_000
# At most this many violated link rows z <= y are added per round.
LINKS_PER_ROUND = 50_000
# After adding at most this many columns the LP is re-solved with the primal simplex.
PRIMAL_UP_TO_COLUMNS = 2_000
# Up to this many columns HiGHS may presolve a MILP (see _presolve_for).
PRESOLVE_UP_TO_COLUMNS = 30_000
# The LP stops once its bound is within SETTLE x mip_rel_gap of its value.
SETTLE = 0.5
# The whole MILP is tried when the LP route did not prove optimality and there are at most
# this many z columns, or at least this many seconds left.
WHOLE_MILP_COLUMNS = 30_000
WHOLE_MILP_MIN_SECONDS = 60.0
# LP values this close to 0 or 1 count as integral.
INTEGRAL = 1e-6
# The Lagrangian stage (large problems, mip_rel_gap > 0) may use this share of the time limit.
LAGRANGE_SHARE = 0.5
# A missing column is worth adding when its reduced cost exceeds this (cents).
PRICING_TOLERANCE = 1e-6


class SolverFailed(Exception):
    """HiGHS did not return a usable allocation (a solver error)."""


@dataclass
class _Block:
    """The z columns of one (offer, tier) pair, with the rows that belong to it."""

    offer_index: int
    tier_index: int
    households: np.ndarray  # positions in problem.households, ascending
    savings: np.ndarray  # cents
    usage: np.ndarray
    lo: int
    hi: int
    vlo: int
    vhi: int
    y_column: int
    count_lo: int = -1
    count_hi: int = -1
    vol_lo: int | None = None
    vol_hi: int | None = None
    column_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _candidates(problem: Problem) -> list[np.ndarray]:
    """Per offer: positions of the households that accept it and are eligible for it."""
    result = []
    for offer in problem.offers:
        positions = [i for i, h in enumerate(problem.households) if h.may_join(offer)]
        result.append(np.asarray(positions, dtype=np.int64))
    return result


def _blocks(problem: Problem) -> list[_Block]:
    """The (offer, tier) pairs that can happen, with their households and bounds."""
    usage = np.asarray([h.usage for h in problem.households], dtype=np.int64)
    current = np.asarray([h.current_cost_cents for h in problem.households], dtype=np.int64)
    blocks: list[_Block] = []
    for o, (offer, positions) in enumerate(zip(problem.offers, _candidates(problem), strict=True)):
        if positions.size == 0:
            continue
        for t, tier in enumerate(offer.tiers):
            charge = (usage[positions] * tier.unit_price_micros + MICROS_PER_CENT // 2) // (
                MICROS_PER_CENT
            )
            cost = tier.fixed_fee_cents + charge
            keep = cost <= current[positions]
            members = positions[keep]
            if members.size == 0:
                continue
            savings = (current[members] - cost[keep]).astype(np.int64)
            lo = max(offer.min_households, 1)
            hi = int(members.size)
            if offer.capacity is not None:
                hi = min(hi, offer.capacity)
            volume = int(usage[members].sum())
            vlo, vhi = 0, volume
            if offer.basis is TierBasis.HOUSEHOLDS:
                lo = max(lo, tier.min_quantity)
                if tier.max_quantity is not None:
                    hi = min(hi, tier.max_quantity)
            else:
                vlo = tier.min_quantity
                if tier.max_quantity is not None:
                    vhi = min(vhi, tier.max_quantity)
            if lo > hi or vlo > vhi:
                continue  # this tier cannot be reached with the households available
            blocks.append(
                _Block(
                    o,
                    t,
                    members,
                    savings,
                    usage[members].astype(np.float64),
                    lo,
                    hi,
                    vlo,
                    vhi if vhi < volume else -1,  # -1: the upper volume bound cannot bind
                    y_column=len(blocks),
                    column_of=np.full(members.size, -1, dtype=np.int64),
                )
            )
    return blocks


class _Model:
    """The strong formulation in HiGHS, with z columns added on demand."""

    def __init__(self, problem: Problem, blocks: list[_Block], *, threads, log: bool):
        self.blocks = blocks
        self.n_households = len(problem.households)
        n_offers = len(problem.offers)
        row_lower = [-INF] * (self.n_households + n_offers)
        row_upper = [1.0] * (self.n_households + n_offers)

        def add_row(lower: float, upper: float) -> int:
            row_lower.append(lower)
            row_upper.append(upper)
            return len(row_lower) - 1

        y_start, y_index, y_value = [], [], []
        for block in blocks:
            block.count_lo = add_row(0.0, INF)
            block.count_hi = add_row(-INF, 0.0)
            block.vol_lo = add_row(0.0, INF) if block.vlo > 0 else None
            block.vol_hi = add_row(-INF, 0.0) if block.vhi >= 0 else None
            y_start.append(len(y_index))
            y_index += [self.n_households + block.offer_index, block.count_lo, block.count_hi]
            y_value += [1.0, -float(block.lo), -float(block.hi)]
            if block.vol_lo is not None:
                y_index.append(block.vol_lo)
                y_value.append(-float(block.vlo))
            if block.vol_hi is not None:
                y_index.append(block.vol_hi)
                y_value.append(-float(block.vhi))
        self.n_rows = len(row_lower)
        n_y = len(blocks)
        lp = column_lp(
            cost=np.zeros(n_y),
            row_lower=row_lower,
            row_upper=row_upper,
            start=[*y_start, len(y_index)],
            index=y_index,
            value=y_value,
        )

        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", log)
        self.highs.setOptionValue("random_seed", 1)
        if threads:
            self.highs.setOptionValue("threads", int(threads))
        if self.highs.passModel(lp) == highspy.HighsStatus.kError:
            raise SolverFailed("HiGHS refused the model")
        self.n_columns = n_y
        self.integer = False
        # model column -> (block, position in block), for z columns
        self.z_block: list[np.ndarray] = []
        self.z_position: list[np.ndarray] = []
        self.link_y = np.zeros(0, dtype=np.int64)  # per z column: its y column
        self.linked = np.zeros(0, dtype=bool)  # per z column: whether its link row exists

    @property
    def complete(self) -> bool:
        return all(bool((b.column_of >= 0).all()) for b in self.blocks)

    def add(self, picks: dict[int, np.ndarray]) -> int:
        """Add the z columns picks[block] (positions in the block) with their link rows."""
        costs, starts, indices, values, link_y = [], [], [], [], []
        nnz = 0
        added = 0
        for b, positions in sorted(picks.items()):
            block = self.blocks[b]
            positions = positions[block.column_of[positions] < 0]
            n = positions.size
            if n == 0:
                continue
            rows = [block.count_lo, block.count_hi]
            rows += [r for r in (block.vol_lo, block.vol_hi) if r is not None]
            per = 1 + len(rows)
            index = np.empty((n, per), dtype=np.int64)
            value = np.ones((n, per), dtype=np.float64)
            index[:, 0] = block.households[positions]
            for k, row in enumerate(rows, start=1):
                index[:, k] = row
                if k >= 3:
                    value[:, k] = block.usage[positions]
            starts.append(nnz + np.arange(n, dtype=np.int64) * per)
            indices.append(index.ravel())
            values.append(value.ravel())
            costs.append(block.savings[positions].astype(np.float64))
            link_y.append(np.full(n, block.y_column, dtype=np.int64))
            block.column_of[positions] = self.n_columns + added + np.arange(n)
            self.z_block.append(np.full(n, b, dtype=np.int64))
            self.z_position.append(positions)
            nnz += n * per
            added += n
        if not added:
            return 0
        highs = self.highs
        highs.addCols(
            added,
            np.concatenate(costs),
            np.zeros(added),
            np.ones(added),
            nnz,
            np.concatenate(starts).astype(np.int32),
            np.concatenate(indices).astype(np.int32),
            np.concatenate(values),
        )
        new_columns = self.n_columns + np.arange(added, dtype=np.int64)
        self.link_y = np.concatenate([self.link_y, *link_y])
        self.linked = np.concatenate([self.linked, np.zeros(added, dtype=bool)])
        if self.integer:
            highs.changeColsIntegrality(
                added,
                new_columns.astype(np.int32),
                np.full(added, highspy.HighsVarType.kInteger),
            )
        self.n_columns += added
        return added

    def separate(self, limit: int) -> int:
        """Add the link rows z <= y that the current LP solution violates (most violated first)."""
        values = np.asarray(self.highs.getSolution().col_value)
        n_y = len(self.blocks)
        z = values[n_y:]
        excess = z - values[self.link_y]
        candidates = np.flatnonzero((excess > 1e-7) & ~self.linked)
        if candidates.size == 0:
            return 0
        if candidates.size > limit:
            candidates = candidates[np.argpartition(-excess[candidates], limit)[:limit]]
        self._link(candidates)
        return int(candidates.size)

    def link_all(self) -> None:
        self._link(np.flatnonzero(~self.linked))

    def _link(self, z_indices: np.ndarray) -> None:
        n = int(z_indices.size)
        if n == 0:
            return
        n_y = len(self.blocks)
        link_index = np.empty(2 * n, dtype=np.int32)
        link_index[0::2] = z_indices + n_y
        link_index[1::2] = self.link_y[z_indices]
        link_value = np.empty(2 * n)
        link_value[0::2] = 1.0
        link_value[1::2] = -1.0
        self.highs.addRows(
            n,
            np.full(n, -INF),
            np.zeros(n),
            2 * n,
            (np.arange(n, dtype=np.int64) * 2).astype(np.int32),
            link_index,
            link_value,
        )
        self.linked[z_indices] = True
        self.n_rows += n

    def make_integer(self, integer: bool = True) -> None:
        self.integer = integer
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        self.highs.changeColsIntegrality(
            self.n_columns,
            np.arange(self.n_columns, dtype=np.int32),
            np.full(self.n_columns, kind),
        )

    def price(self) -> tuple[float, dict[int, np.ndarray]]:
        """Reduced costs of the missing columns: (bound increment, promising columns)."""
        row_dual = np.asarray(self.highs.getSolution().row_dual)
        household_dual = row_dual[: self.n_households]
        best = np.zeros(self.n_households)
        found: list[tuple[np.ndarray, int, np.ndarray]] = []
        for b, block in enumerate(self.blocks):
            missing = np.flatnonzero(block.column_of < 0)
            if missing.size == 0:
                continue
            dual = row_dual[block.count_lo] + row_dual[block.count_hi]
            vol_dual = sum(row_dual[r] for r in (block.vol_lo, block.vol_hi) if r is not None)
            reduced = (
                block.savings[missing]
                - household_dual[block.households[missing]]
                - dual
                - vol_dual * block.usage[missing]
            )
            np.maximum.at(best, block.households[missing], reduced)
            good = reduced > PRICING_TOLERANCE
            if good.any():
                found.append((reduced[good], b, missing[good]))
        picks: dict[int, np.ndarray] = {}
        if found:
            reduced = np.concatenate([f[0] for f in found])
            which = np.concatenate([np.full(f[0].size, f[1]) for f in found])
            positions = np.concatenate([f[2] for f in found])
            if reduced.size > COLUMNS_PER_ROUND:
                top = np.argpartition(-reduced, COLUMNS_PER_ROUND)[:COLUMNS_PER_ROUND]
                which, positions = which[top], positions[top]
            for b in np.unique(which):
                picks[int(b)] = np.sort(positions[which == b])
        return float(best.sum()), picks

    def decisions(self, problem: Problem) -> tuple[dict[int, int], dict[int, int]]:
        values = np.asarray(self.highs.getSolution().col_value)
        offer_tiers: dict[int, int] = {}
        chosen: dict[int, int] = {}
        for block in self.blocks:
            offer = problem.offers[block.offer_index]
            if values[block.y_column] > 0.5:
                offer_tiers[offer.id] = block.tier_index
            present = np.flatnonzero(block.column_of >= 0)
            taken = present[values[block.column_of[present]] > 0.5]
            for position in block.households[taken]:
                chosen[problem.households[int(position)].id] = offer.id
        return offer_tiers, chosen

    def set_start(self, problem: Problem, start: Solution) -> bool:
        """Give HiGHS a known feasible allocation; False when it cannot be expressed."""
        dense = self._start_columns(problem, start)
        if dense is None:
            return False
        solution = highspy.HighsSolution()
        solution.col_value = dense
        self.highs.setSolution(solution)
        return True

    def start_picks(self, problem: Problem, start: Solution) -> dict[int, np.ndarray] | None:
        located = self._locate(problem, start)
        if located is None:
            return None
        picks: dict[int, list[int]] = {}
        for b, k in located[1]:
            picks.setdefault(b, []).append(k)
        return {b: np.asarray(sorted(ks), dtype=np.int64) for b, ks in picks.items()}

    def _locate(self, problem: Problem, start: Solution):
        position_of = {h.id: i for i, h in enumerate(problem.households)}
        offer_position = {o.id: i for i, o in enumerate(problem.offers)}
        block_of = {(b.offer_index, b.tier_index): i for i, b in enumerate(self.blocks)}
        ys: list[int] = []
        zs: list[tuple[int, int]] = []
        for offer_id, tier_index in start.offer_tiers.items():
            b = block_of.get((offer_position[offer_id], tier_index))
            if b is None:
                return None
            ys.append(self.blocks[b].y_column)
        for assignment in start.assignments:
            b = block_of.get((offer_position[assignment.offer_id], assignment.tier_index))
            if b is None:
                return None
            block = self.blocks[b]
            position = position_of[assignment.household_id]
            k = int(np.searchsorted(block.households, position))
            if k >= block.households.size or block.households[k] != position:
                return None
            zs.append((b, k))
        return ys, zs

    def _start_columns(self, problem: Problem, start: Solution) -> np.ndarray | None:
        located = self._locate(problem, start)
        if located is None:
            return None
        ys, zs = located
        dense = np.zeros(self.n_columns)
        dense[ys] = 1.0
        for b, k in zs:
            column = self.blocks[b].column_of[k]
            if column < 0:
                return None
            dense[column] = 1.0
        return dense


def _initial_picks(blocks: list[_Block], n_households: int, per_household: int):
    """Each household's `per_household` best (offer, tier) columns by saving."""
    which = np.concatenate([np.full(b.households.size, i) for i, b in enumerate(blocks)])
    position = np.concatenate([np.arange(b.households.size) for b in blocks])
    household = np.concatenate([b.households for b in blocks])
    saving = np.concatenate([b.savings for b in blocks])
    order = np.lexsort((-saving, household))
    household_sorted = household[order]
    first = np.searchsorted(household_sorted, household_sorted, side="left")
    rank = np.arange(order.size) - first
    keep = order[rank < per_household]
    picks: dict[int, np.ndarray] = {}
    for b in np.unique(which[keep]):
        mask = which[keep] == b
        picks[int(b)] = np.sort(position[keep][mask])
    return picks


def solve_milp(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    mip_rel_gap: float = 0.0,
    start: Solution | None = None,
    threads: int | None = None,
    log: bool = False,
    full_model_columns: int = FULL_MODEL_COLUMNS,
) -> Solution:
    """Solve the allocation exactly (within `mip_rel_gap`) or return the best found in time.

    `time_limit` is wall-clock seconds for this call. When it runs out the best allocation
    found so far is returned (at worst `start`, or nobody placed) with status TIME_LIMIT and
    the relative gap to the best proven upper bound (`gap` and `best_bound_cents` None when
    no bound was proven yet). HiGHS is told the time left before every run.
    `full_model_columns`: up to this many z columns every column is passed at once; above it
    the LP is solved by column generation (a parameter so tests can force either path).
    """
    began = time.perf_counter()
    deadline = began + float(time_limit)
    blocks = _blocks(problem)
    if not blocks:
        return make_solution(
            problem,
            method="milp",
            status=SolveStatus.OPTIMAL,
            offer_tiers={},
            chosen={},
            seconds=time.perf_counter() - began,
            best_bound_cents=0.0,
            gap=0.0,
        )

    total_columns = sum(b.households.size for b in blocks)
    small = total_columns <= full_model_columns
    # The best allocation so far: (saving, offer tiers, household -> offer). Placing nobody is
    # always allowed, so that is where it starts.
    best: tuple[int, dict[int, int], dict[int, int]] = (0, {}, {})
    if start is not None and start.assignments and start.total_saving_cents > 0:
        best = (start.total_saving_cents, dict(start.offer_tiers), _chosen_of(start))
    bound = math.inf  # a proven upper bound on the best total saving (cents)

    # 0. Large problems with a gap to meet: the Lagrangian bound and fixed-tier allocations.
    lagrange: dict = {"lagrange_steps": 0, "lagrange_tries": 0, "lagrange_seconds": 0.0}
    if not small and mip_rel_gap > 0:
        stage = _lagrangian_stage(
            problem,
            blocks,
            best,
            mip_rel_gap=mip_rel_gap,
            deadline=began + LAGRANGE_SHARE * float(time_limit),
            threads=threads,
        )
        best, bound, stats = stage
        lagrange.update(stats, lagrange_seconds=time.perf_counter() - began)
        if _closed(best[0], bound, mip_rel_gap):
            saving, offer_tiers, chosen = best
            return make_solution(
                problem,
                method="milp",
                status=SolveStatus.OPTIMAL,
                offer_tiers=offer_tiers,
                chosen=chosen,
                seconds=time.perf_counter() - began,
                best_bound_cents=bound,
                gap=_gap(saving, bound),
                details={
                    "columns": 0,
                    "all_columns": total_columns + len(blocks),
                    "rows": 0,
                    "cg_rounds": 0,
                    "lp_seconds": 0.0,
                    "fixed_tier_seconds": 0.0,
                    **lagrange,
                    "full_mip": False,
                    "nodes": 0,
                    "solver_status": "Lagrangian bound",
                },
            )

    model = _Model(problem, blocks, threads=threads, log=log)
    highs = model.highs
    n_y = len(blocks)
    if small:
        model.add({b: np.arange(block.households.size) for b, block in enumerate(blocks)})
    else:
        model.add(_initial_picks(blocks, model.n_households, START_COLUMNS_PER_HOUSEHOLD))
        if best[2]:
            picks = model.start_picks(problem, _as_solution(problem, best))
            if picks:
                model.add(picks)

    def remaining() -> float:
        return deadline - time.perf_counter()

    def run(keep: float = 0.0) -> None:
        # HiGHS counts its time limit over all runs of one instance.
        left = remaining() - keep
        highs.setOptionValue("time_limit", max(highs.getRunTime() + left, 0.0))
        if highs.run() == highspy.HighsStatus.kError:
            raise SolverFailed("HiGHS reported an error")

    def harvest() -> None:
        nonlocal best, nodes, solver_status
        info = highs.getInfo()
        nodes += max(int(info.mip_node_count), 0)
        solver_status = highs.modelStatusToString(highs.getModelStatus())
        if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
            return
        offer_tiers, chosen = model.decisions(problem)
        found = make_solution(
            problem,
            method="milp",
            status=SolveStatus.TIME_LIMIT,
            offer_tiers=offer_tiers,
            chosen=chosen,
        )
        if found.total_saving_cents > best[0]:
            best = (found.total_saving_cents, found.offer_tiers, chosen)

    def proven() -> bool:
        return _closed(best[0], bound, mip_rel_gap)

    lp_values: np.ndarray | None = None  # the last optimal LP solution
    rounds = 0
    lp_seconds = 0.0
    fixed_seconds = 0.0
    nodes = 0
    solver_status = "not run"
    # The LP may stop before it has fully converged once the bound is this close to its value;
    # the MILP stage then measures its gap against that (valid) bound.
    settle = SETTLE * mip_rel_gap
    # Keep part of the time for the MILP stage, so a slow LP still ends with a good answer.
    reserve = 0.25 * float(time_limit)
    converged = stopped = False
    while True:
        # 1. The LP relaxation of the strong formulation: violated link rows and missing columns
        #    with a positive reduced cost are added until neither is left (or the bound is close).
        highs.setOptionValue("presolve", "off")
        highs.setOptionValue("solver", "simplex")
        if model.integer:
            model.make_integer(False)
        while remaining() > reserve:
            rounds += 1
            lp_began = time.perf_counter()
            run(keep=reserve)
            lp_seconds += time.perf_counter() - lp_began
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                stopped = True  # out of time (or HiGHS gave up): no further LP rounds
                break
            value = highs.getInfo().objective_function_value
            lp_values = np.asarray(highs.getSolution().col_value)
            links = model.separate(LINKS_PER_ROUND)
            increment, picks = model.price()
            bound = min(bound, value + increment)
            if log:
                print(
                    f"round {rounds}: {time.perf_counter() - lp_began:.2f}s, LP {value:.1f}, "
                    f"bound {bound:.1f}, +{links} links, "
                    f"+{sum(p.size for p in picks.values())} columns"
                )
            if not links and not picks:
                converged = True
                break
            if not links and bound - value <= settle * max(abs(value), 1.0):
                break
            if links:
                # Tighten the LP over the present columns before pricing in new ones; new rows
                # keep the basis dual feasible, so the dual simplex goes on from it.
                highs.setOptionValue("simplex_strategy", 1)
                continue
            added = model.add(picks)
            # A few new columns: primal simplex from the (still primal feasible) basis.
            highs.setOptionValue("simplex_strategy", 4 if added <= PRIMAL_UP_TO_COLUMNS else 1)
        highs.setOptionValue("simplex_strategy", 1)
        highs.setOptionValue("solver", "choose")
        if lp_values is None or remaining() <= 0:
            break

        # 2. Fix every offer's tier as the LP suggests (integral, or nearly so, on realistic
        #    data) and solve the assignment MILP that is left: usually optimal, and quick.
        fixed_began = time.perf_counter()
        model.make_integer()
        highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        # Savings are whole cents, so a proven gap below one cent means proven optimal.
        highs.setOptionValue("mip_abs_gap", 0.999 if mip_rel_gap == 0 else 1e-6)
        y_lp = lp_values[:n_y]
        tiers = _round_tiers(blocks, y_lp)
        y_columns = np.arange(n_y, dtype=np.int32)
        fixed = np.asarray([1.0 if b in tiers else 0.0 for b in range(n_y)])
        highs.changeColsBounds(n_y, y_columns, fixed, fixed)
        if np.all(np.minimum(y_lp, 1.0 - y_lp) < INTEGRAL):
            # 2a. The LP's tiers are integral: keep every household it placed wholly (or not at
            #     all) where it is and decide only the few it split: a tiny MILP.
            z_lp = np.zeros(model.n_columns - n_y)  # columns added since count as 0
            z_lp[: lp_values.size - n_y] = lp_values[n_y:]
            z_columns = np.arange(n_y, model.n_columns, dtype=np.int32)
            highs.setOptionValue("presolve", "on")
            highs.changeColsBounds(
                z_columns.size,
                z_columns,
                (z_lp > 1.0 - INTEGRAL).astype(np.float64),
                (z_lp > INTEGRAL).astype(np.float64),
            )
            run()
            harvest()
            highs.changeColsBounds(
                z_columns.size, z_columns, np.zeros(z_columns.size), np.ones(z_columns.size)
            )
        if not proven() and remaining() > 0:
            # 2b. The tiers fixed, every household free.
            highs.setOptionValue("presolve", _presolve_for(model.n_columns))
            run()
            harvest()
        highs.changeColsBounds(n_y, y_columns, np.zeros(n_y), np.ones(n_y))
        fixed_seconds += time.perf_counter() - fixed_began
        if proven() or converged or stopped or remaining() <= 0:
            break
        settle = 0.0  # not proven yet: let the LP converge fully, then try again
        reserve = 0.1 * remaining()

    # 3. Not proven yet: the whole strong model, from the best allocation so far. On large
    #    problems only with plenty of time left: HiGHS needs long to set such a model up, and
    #    does not look at the clock while it does.
    full_mip = False
    whole_fits = total_columns <= WHOLE_MILP_COLUMNS or remaining() >= WHOLE_MILP_MIN_SECONDS
    if whole_fits and not proven() and remaining() > 0:
        model.add(
            {
                b: np.flatnonzero(block.column_of < 0)
                for b, block in enumerate(blocks)
                if (block.column_of < 0).any()
            }
        )
        full_mip = True
        model.link_all()
        if not model.integer:
            model.make_integer()
        highs.setOptionValue("presolve", _presolve_for(model.n_columns))
        highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        highs.setOptionValue("mip_abs_gap", 0.999 if mip_rel_gap == 0 else 1e-6)
        if best[2]:
            model.set_start(problem, _as_solution(problem, best))
        run()
        harvest()
        info = highs.getInfo()
        # The model is complete, so HiGHS' own bound holds for the whole problem.
        if math.isfinite(info.mip_dual_bound) and abs(info.mip_dual_bound) < INF:
            bound = min(bound, float(info.mip_dual_bound))
        if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            bound = max(bound, float(best[0]))

    saving, offer_tiers, chosen = best
    return make_solution(
        problem,
        method="milp",
        status=SolveStatus.OPTIMAL if proven() else SolveStatus.TIME_LIMIT,
        offer_tiers=offer_tiers,
        chosen=chosen,
        seconds=time.perf_counter() - began,
        best_bound_cents=bound if math.isfinite(bound) else None,
        gap=_gap(saving, bound),
        details={
            "columns": model.n_columns,
            "all_columns": total_columns + n_y,
            "rows": model.n_rows,
            "cg_rounds": rounds,
            "lp_seconds": lp_seconds,
            "fixed_tier_seconds": fixed_seconds,
            **lagrange,
            "full_mip": full_mip,
            "nodes": nodes,
            "solver_status": solver_status,
        },
    )


def _lagrangian_stage(problem, blocks, best, *, mip_rel_gap, deadline, threads):
    """Subgradient search on the Lagrangian bound, trying the tiers it suggests as allocations.

    Returns (best allocation, bound, figures for `details`). The search starts from u[h] = the
    saving of household h in the best allocation (0 when unplaced).
    """
    n_households = len(problem.households)
    position = {h.id: i for i, h in enumerate(problem.households)}
    u = np.zeros(n_households)
    # Per household the block it is in in the best allocation (-1: none): the fixed-tier LPs
    # start from that basis.
    placed = np.full(n_households, -1, dtype=np.int64)
    if best[2]:
        block_of = {(b.offer_index, b.tier_index): i for i, b in enumerate(blocks)}
        offer_position = {o.id: i for i, o in enumerate(problem.offers)}
        start = _as_solution(problem, best)
        for assignment in start.assignments:
            h = position[assignment.household_id]
            u[h] = assignment.saving_cents
            key = (offer_position[assignment.offer_id], assignment.tier_index)
            placed[h] = block_of.get(key, -1)
    state = {"best": best, "tries": 0, "seconds": 0.0, "placed": placed}

    def try_tiers(tiers: tuple[int, ...]) -> None:
        chosen = [b for b in tiers if b >= 0]
        state["tries"] += 1
        found = solve_fixed_tiers(
            blocks,
            chosen,
            n_households,
            deadline=deadline,
            beat=float(state["best"][0]),
            mip_rel_gap=mip_rel_gap,
            threads=threads,
            placed=state["placed"],
        )
        state["seconds"] += found.seconds
        if found.picks is None:
            return
        offer_tiers: dict[int, int] = {}
        members: dict[int, int] = {}
        for b, taken in found.picks:
            offer = problem.offers[blocks[b].offer_index]
            offer_tiers[offer.id] = blocks[b].tier_index
            for k in blocks[b].households[taken]:
                members[problem.households[int(k)].id] = offer.id
        used = set(members.values())
        offer_tiers = {o: t for o, t in offer_tiers.items() if o in used}
        saving = _as_solution(problem, (0, offer_tiers, members)).total_saving_cents
        if saving > state["best"][0]:
            state["best"] = (saving, offer_tiers, members)
            placed = np.full(n_households, -1, dtype=np.int64)
            for b, taken in found.picks:
                placed[blocks[b].households[taken]] = b
            state["placed"] = placed

    bound, steps = minimise(
        LagrangianBound(blocks, n_households, len(problem.offers)),
        u,
        target=lambda: float(state["best"][0]),
        try_tiers=try_tiers,
        closed=lambda value: _closed(state["best"][0], value, mip_rel_gap),
        deadline=deadline,
    )
    stats = {"lagrange_steps": steps, "lagrange_tries": state["tries"]}
    stats["lagrange_fixed_tier_seconds"] = state["seconds"]
    return state["best"], bound, stats


def _as_solution(problem: Problem, best) -> Solution:
    return make_solution(
        problem,
        method="milp",
        status=SolveStatus.TIME_LIMIT,
        offer_tiers=best[1],
        chosen=best[2],
    )


def _gap(saving: int, bound: float) -> float | None:
    """The relative gap to the bound; None when no bound was proven before the time limit."""
    if not math.isfinite(bound):
        return None
    return 0.0 if bound - saving < 1.0 else (bound - saving) / max(abs(saving), 1.0)


def _presolve_for(columns: int) -> str:
    # HiGHS' presolve probes every binary and does not look at the clock while it does: on
    # 275,000 columns it took 260 s against a 15 s limit. Large models go without.
    return "on" if columns <= PRESOLVE_UP_TO_COLUMNS else "off"


def _round_tiers(blocks: list[_Block], y: np.ndarray) -> set[int]:
    """Per offer, the block of its most-chosen tier when the LP runs the offer at least half."""
    by_offer: dict[int, list[int]] = {}
    for b, block in enumerate(blocks):
        by_offer.setdefault(block.offer_index, []).append(b)
    chosen = set()
    for members in by_offer.values():
        if sum(y[b] for b in members) >= 0.5:
            chosen.add(max(members, key=lambda b: (y[b], -b)))
    return chosen


def _chosen_of(solution: Solution) -> dict[int, int]:
    return {a.household_id: a.offer_id for a in solution.assignments}


def _closed(saving: int, bound: float, mip_rel_gap: float) -> bool:
    """Whether `saving` is proven optimal, or within `mip_rel_gap` of the bound."""
    if bound - saving < 1.0:  # savings are whole cents
        return True
    return mip_rel_gap > 0 and (bound - saving) <= mip_rel_gap * max(abs(saving), 1.0)
