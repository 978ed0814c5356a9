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
                                                     when tiers count households; also forces
                                                     z = 0 when y = 0
  L[t]·y[o,t] ≤ Σ_h usage[h]·z[h,o,t] ≤ U[t]·y[o,t]  tier bounds when tiers count volume
Objective: maximise Σ saving[h,o,t]·z[h,o,t], savings in whole cents.

Because every tier has its own z columns, the price a household pays is exactly its all-units
price at the tier the offer reaches; no big-M on prices is needed.

Floats: HiGHS computes in double precision. Coefficients are integers (cents, usage units) well
below 2**53, so they are represented exactly; the answer is read back as 0/1 decisions and
every amount is then recomputed in integers (`make_solution`) and checked with Decimal by the
checker.
"""

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .pricing import MICROS_PER_CENT
from .problem import Problem, TierBasis
from .solution import Solution, SolveStatus, make_solution


class SolverFailed(Exception):
    """HiGHS did not return a usable allocation (no solution, or a solver error)."""


@dataclass
class _Block:
    """The z columns of one (offer, tier) pair."""

    offer_index: int
    tier_index: int
    households: np.ndarray  # positions in problem.households
    savings: np.ndarray  # cents
    y_column: int
    first_column: int = 0


def _candidates(problem: Problem) -> list[np.ndarray]:
    """Per offer: positions of the households that accept it and are eligible for it."""
    result = []
    for offer in problem.offers:
        positions = [i for i, h in enumerate(problem.households) if h.may_join(offer)]
        result.append(np.asarray(positions, dtype=np.int64))
    return result


def _blocks(problem: Problem) -> tuple[list[_Block], list[tuple[int, int, int, int, int]]]:
    """The (offer, tier) pairs that can happen, with their households and row bounds."""
    usage = np.asarray([h.usage for h in problem.households], dtype=np.int64)
    current = np.asarray([h.current_cost_cents for h in problem.households], dtype=np.int64)
    blocks: list[_Block] = []
    bounds: list[tuple[int, int, int, int, int]] = []
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
            vlo, vhi = 0, int(usage[members].sum())
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
            blocks.append(_Block(o, t, members, savings, y_column=len(blocks)))
            bounds.append((lo, hi, vlo, vhi, int(usage[members].sum())))
    return blocks, bounds


def solve_milp(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    mip_rel_gap: float = 0.0,
    start: Solution | None = None,
    threads: int | None = None,
    log: bool = False,
) -> Solution:
    """Solve the allocation exactly (within `mip_rel_gap`) or return the best found in time."""
    began = time.perf_counter()
    blocks, bounds = _blocks(problem)
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

    usage = np.asarray([h.usage for h in problem.households], dtype=np.int64)
    n_households = len(problem.households)
    n_offers = len(problem.offers)
    n_y = len(blocks)

    # Rows: households, then one per offer, then per block count-low, count-high and, when
    # tiers count volume and the bound matters, volume-low and volume-high.
    row_lower: list[float] = [-highspy.kHighsInf] * (n_households + n_offers)
    row_upper: list[float] = [1.0] * (n_households + n_offers)
    block_rows: list[tuple[int, int, int | None, int | None]] = []
    for (_lo, _hi, vlo, vhi, volume), _block in zip(bounds, blocks, strict=True):
        count_lo = len(row_lower)
        row_lower.append(0.0)
        row_upper.append(highspy.kHighsInf)
        count_hi = len(row_lower)
        row_lower.append(-highspy.kHighsInf)
        row_upper.append(0.0)
        vol_lo = vol_hi = None
        if vlo > 0:
            vol_lo = len(row_lower)
            row_lower.append(0.0)
            row_upper.append(highspy.kHighsInf)
        if vhi < volume:
            vol_hi = len(row_lower)
            row_lower.append(-highspy.kHighsInf)
            row_upper.append(0.0)
        block_rows.append((count_lo, count_hi, vol_lo, vol_hi))

    starts: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    costs: list[np.ndarray] = []
    nnz = 0

    # y columns
    y_index, y_value, y_start = [], [], []
    for block, (lo, hi, vlo, vhi, _volume), rows in zip(blocks, bounds, block_rows, strict=True):
        count_lo, count_hi, vol_lo, vol_hi = rows
        y_start.append(nnz + len(y_index))
        y_index += [n_households + block.offer_index, count_lo, count_hi]
        y_value += [1.0, -float(lo), -float(hi)]
        if vol_lo is not None:
            y_index.append(vol_lo)
            y_value.append(-float(vlo))
        if vol_hi is not None:
            y_index.append(vol_hi)
            y_value.append(-float(vhi))
    starts.append(np.asarray(y_start, dtype=np.int64))
    indices.append(np.asarray(y_index, dtype=np.int64))
    values.append(np.asarray(y_value, dtype=np.float64))
    costs.append(np.zeros(n_y))
    nnz += len(y_index)

    # z columns, block by block
    column = n_y
    for block, rows in zip(blocks, block_rows, strict=True):
        block.first_column = column
        extra_rows = [r for r in rows if r is not None]
        per_column = 1 + len(extra_rows)
        n = block.households.size
        index = np.empty((n, per_column), dtype=np.int64)
        value = np.ones((n, per_column), dtype=np.float64)
        index[:, 0] = block.households
        for k, row in enumerate(extra_rows, start=1):
            index[:, k] = row
            if row in (rows[2], rows[3]):
                value[:, k] = usage[block.households]
        starts.append(nnz + np.arange(n, dtype=np.int64) * per_column)
        indices.append(index.ravel())
        values.append(value.ravel())
        costs.append(block.savings.astype(np.float64))
        nnz += n * per_column
        column += n

    n_columns = column
    lp = highspy.HighsLp()
    lp.num_col_ = n_columns
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = np.concatenate(costs)
    lp.col_lower_ = np.zeros(n_columns)
    lp.col_upper_ = np.ones(n_columns)
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.append(np.concatenate(starts), nnz).astype(np.int32)
    lp.a_matrix_.index_ = np.concatenate(indices).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate(values)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_columns

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", log)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    # Savings are whole cents, so a proven gap below one cent means proven optimal.
    highs.setOptionValue("mip_abs_gap", 0.999 if mip_rel_gap == 0 else 1e-6)
    highs.setOptionValue("random_seed", 1)
    if threads:
        highs.setOptionValue("threads", int(threads))
    status = highs.passModel(lp)
    if status == highspy.HighsStatus.kError:
        raise SolverFailed("HiGHS refused the model")
    if start is not None and start.assignments:
        _set_start(highs, problem, blocks, start)
    built = time.perf_counter()
    highs.run()
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        raise SolverFailed(f"HiGHS found no allocation ({highs.modelStatusToString(model_status)})")
    values_out = np.asarray(highs.getSolution().col_value)

    offer_tiers: dict[int, int] = {}
    chosen: dict[int, int] = {}
    for block in blocks:
        offer = problem.offers[block.offer_index]
        if values_out[block.y_column] > 0.5:
            offer_tiers[offer.id] = block.tier_index
        segment = values_out[block.first_column : block.first_column + block.households.size]
        for position in block.households[segment > 0.5]:
            chosen[problem.households[int(position)].id] = offer.id
    if model_status == highspy.HighsModelStatus.kOptimal:
        solve_status = SolveStatus.OPTIMAL
    else:
        solve_status = SolveStatus.TIME_LIMIT
    return make_solution(
        problem,
        method="milp",
        status=solve_status,
        offer_tiers=offer_tiers,
        chosen=chosen,
        seconds=time.perf_counter() - began,
        best_bound_cents=float(info.mip_dual_bound),
        gap=float(info.mip_gap),
        details={
            "columns": n_columns,
            "rows": len(row_lower),
            "nonzeros": nnz,
            "build_seconds": built - began,
            "solve_seconds": time.perf_counter() - built,
            "nodes": int(info.mip_node_count),
            "solver_status": highs.modelStatusToString(model_status),
        },
    )


def _set_start(highs, problem: Problem, blocks: list[_Block], start: Solution) -> None:
    """Give HiGHS a known feasible allocation (e.g. greedy's) to start from."""
    position_of = {h.id: i for i, h in enumerate(problem.households)}
    offer_position = {o.id: i for i, o in enumerate(problem.offers)}
    block_of = {(b.offer_index, b.tier_index): b for b in blocks}
    columns: list[int] = []
    for offer_id, tier_index in start.offer_tiers.items():
        block = block_of.get((offer_position[offer_id], tier_index))
        if block is None:
            return
        columns.append(block.y_column)
    for assignment in start.assignments:
        block = block_of.get((offer_position[assignment.offer_id], assignment.tier_index))
        if block is None:
            return
        position = position_of[assignment.household_id]
        k = int(np.searchsorted(block.households, position))
        if k >= block.households.size or block.households[k] != position:
            return
        columns.append(block.first_column + k)
    dense = np.zeros(highs.getNumCol())
    dense[columns] = 1.0
    solution = highspy.HighsSolution()
    solution.col_value = dense
    highs.setSolution(solution)
