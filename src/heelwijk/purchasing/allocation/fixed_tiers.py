"""The allocation with every offer's tier fixed: a small model of its own in HiGHS.

With the tiers fixed (y known) the strong formulation of milp.py loses its y columns and link
rows: each household joins at most one running offer, and each running offer's households
respect its tier's count and volume range. Its LP bounds what these tiers can give (when that
is no more than the best allocation known, nothing else is done); its MILP gives an allocation
that is feasible for the whole problem. The Lagrangian stage (milp._lagrangian_stage) calls
this with the tiers its bound suggests.

The MILP is not solved whole (HiGHS needs long on 70,000 binaries): only the households the LP
split are decided, every other household staying where the LP put it. When that has no answer
(typically an offer whose volume minimum the LP met exactly with the split households), each
offer's lower bounds are raised by what its split households bring and the LP solved again
(warm, from its basis) and rounded the same way: rounded down, that LP's answer meets the real
bounds unless it splits other households. After ROUNDINGS tries the whole fixed-tier MILP runs.
Every MILP run gets REPAIR_SECONDS at most; when none finds an allocation, these tiers give none
this time. Answers are checked again in integers (`_picks`).
"""

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .highs_lp import column_lp

INF = highspy.kHighsInf
# LP values this close to 0 or 1 count as integral.
INTEGRAL = 1e-6
# Each MILP run gets at most this many seconds.
REPAIR_SECONDS = 1.0
# How often the LP is rounded (with lower bounds raised after the first; see below).
ROUNDINGS = 3
# Up to this many columns HiGHS may presolve the whole fixed-tier MILP (see milp._presolve_for).
PRESOLVE_UP_TO_COLUMNS = 30_000


@dataclass
class FixedTiers:
    lp_value: float  # the LP bound for these tiers (-inf: infeasible, or not solved in time)
    picks: list[tuple[int, np.ndarray]] | None  # (block, positions in it) of the MILP answer
    seconds: float = 0.0


def solve_fixed_tiers(
    blocks,
    chosen: list[int],
    n_households: int,
    *,
    deadline: float,
    beat: float,
    mip_rel_gap: float,
    threads: int | None,
    placed: np.ndarray | None = None,
) -> FixedTiers:
    """The LP, and unless its value is no more than `beat`, the MILP with blocks `chosen`.

    `placed` (per household the block it is in, -1 for none; typically the best allocation so
    far) gives the LP its starting basis: those of its columns that exist here are basic, with
    their households' rows tight. Such a basis is always valid (one basic column per tight
    row), and starting from it takes a fraction of the simplex iterations a cold start takes.
    """
    began = time.perf_counter()
    if not chosen:
        return FixedTiers(0.0, None, 0.0)  # nobody placed: never better than `beat` ≥ 0
    row_lower = [-INF] * n_households
    row_upper = [1.0] * n_households
    starts, indices, values, costs = [], [], [], []
    count_rows, volume_rows, volume_blocks = [], [], []
    nnz = 0
    for b in chosen:
        block = blocks[b]
        count_row = len(row_lower)
        row_lower.append(float(block.lo))
        row_upper.append(float(block.hi))
        count_rows.append(count_row)
        volume_row = None
        if block.vlo > 0 or block.vhi >= 0:
            volume_row = len(row_lower)
            row_lower.append(float(block.vlo))
            row_upper.append(float(block.vhi) if block.vhi >= 0 else INF)
            if block.vlo > 0:
                volume_rows.append(volume_row)
                volume_blocks.append(len(count_rows) - 1)
        n = block.households.size
        per = 2 if volume_row is None else 3
        index = np.empty((n, per), dtype=np.int32)
        value = np.ones((n, per))
        index[:, 0] = block.households
        index[:, 1] = count_row
        if volume_row is not None:
            index[:, 2] = volume_row
            value[:, 2] = block.usage
        starts.append(nnz + np.arange(n, dtype=np.int64) * per)
        indices.append(index.ravel())
        values.append(value.ravel())
        costs.append(block.savings.astype(np.float64))
        nnz += n * per
    n_columns = int(sum(c.size for c in costs))
    lp = column_lp(
        cost=np.concatenate(costs),
        row_lower=row_lower,
        row_upper=row_upper,
        start=np.append(np.concatenate(starts), nnz),
        index=np.concatenate(indices),
        value=np.concatenate(values),
    )

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 1)
    if threads:
        highs.setOptionValue("threads", int(threads))
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("solver", "simplex")
    if highs.passModel(lp) == highspy.HighsStatus.kError:
        return FixedTiers(-INF, None, time.perf_counter() - began)
    if placed is not None:
        _start_basis(highs, blocks, chosen, placed, len(row_lower))

    def run(cap: float = INF) -> bool:
        left = min(deadline - time.perf_counter(), cap)
        if left <= 0:
            return False
        highs.setOptionValue("time_limit", highs.getRunTime() + left)
        return highs.run() != highspy.HighsStatus.kError

    if not run() or highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return FixedTiers(-INF, None, time.perf_counter() - began)
    lp_value = float(highs.getInfo().objective_function_value)
    if lp_value <= beat:
        return FixedTiers(lp_value, None, time.perf_counter() - began)

    columns = np.arange(n_columns, dtype=np.int32)
    sizes = [blocks[b].households.size for b in chosen]
    block_of = np.repeat(np.arange(len(chosen)), sizes)
    usage = np.concatenate([blocks[b].usage for b in chosen])
    count_rows = np.asarray(count_rows, dtype=np.int32)
    base_lower = np.asarray(row_lower, dtype=np.float64)
    base_upper = np.asarray(row_upper, dtype=np.float64)
    raised = np.zeros(base_lower.size)
    highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    highs.setOptionValue("mip_abs_gap", 0.999 if mip_rel_gap == 0 else 1e-6)

    def set_integer(integer: bool) -> None:
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        highs.changeColsIntegrality(n_columns, columns, np.full(n_columns, kind))
        highs.setOptionValue("solver", "choose" if integer else "simplex")
        highs.setOptionValue("presolve", "on" if integer else "off")

    def decide(free, lower, upper):
        highs.changeColsBounds(
            n_columns, columns, np.where(free, 0.0, lower), np.where(free, 1.0, upper)
        )
        return _picks(highs, blocks, chosen) if run(REPAIR_SECONDS) else None

    # Decide only the households the LP split; the rest stay where it put them. When that has
    # no answer (a lower bound it met only with the split ones), raise each offer's lower
    # bounds by what its split households bring, solve the LP again and round that instead:
    # rounded down it meets the real bounds unless it splits others.
    picks = None
    z = np.asarray(highs.getSolution().col_value)
    basis = highs.getBasis()  # the MILP runs lose it; the raised LP starts from it
    for attempt in range(ROUNDINGS):
        split = (z > INTEGRAL) & (z < 1.0 - INTEGRAL)
        lower = (z > 1.0 - INTEGRAL).astype(np.float64)
        upper = (z > INTEGRAL).astype(np.float64)
        set_integer(True)
        picks = decide(split, lower, upper)
        if picks is not None or attempt + 1 == ROUNDINGS:
            break
        raised[count_rows] += np.bincount(block_of[split], minlength=len(chosen))
        raised[volume_rows] += np.bincount(
            block_of[split], weights=usage[split], minlength=len(chosen)
        )[volume_blocks]
        set_integer(False)
        highs.changeColsBounds(n_columns, columns, np.zeros(n_columns), np.ones(n_columns))
        highs.setBasis(basis)
        highs.changeRowsBounds(
            base_lower.size - n_households,
            np.arange(n_households, base_lower.size, dtype=np.int32),
            np.minimum(base_lower + raised, base_upper)[n_households:],
            base_upper[n_households:],
        )
        solved = run() and highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
        if solved:
            z = np.asarray(highs.getSolution().col_value)
            basis = highs.getBasis()
        highs.changeRowsBounds(
            base_lower.size - n_households,
            np.arange(n_households, base_lower.size, dtype=np.int32),
            base_lower[n_households:],
            base_upper[n_households:],
        )
        if not solved:
            break
    if picks is None:
        # Last resort, briefly: every household free.
        set_integer(True)
        highs.setOptionValue("presolve", "on" if n_columns <= PRESOLVE_UP_TO_COLUMNS else "off")
        ones = np.ones(n_columns, dtype=bool)
        picks = decide(ones, np.zeros(n_columns), np.ones(n_columns))
    return FixedTiers(lp_value, picks, time.perf_counter() - began)


def _start_basis(highs, blocks, chosen, placed: np.ndarray, n_rows: int) -> None:
    col_status = []
    row_status = np.full(n_rows, highspy.HighsBasisStatus.kBasic, dtype=object)
    for b in chosen:
        members = blocks[b].households
        inside = placed[members] == b
        status = np.full(members.size, highspy.HighsBasisStatus.kLower, dtype=object)
        status[inside] = highspy.HighsBasisStatus.kBasic
        row_status[members[inside]] = highspy.HighsBasisStatus.kUpper
        col_status.append(status)
    basis = highspy.HighsBasis()
    basis.col_status = list(np.concatenate(col_status)) if col_status else []
    basis.row_status = list(row_status)
    basis.valid = True
    highs.setBasis(basis)  # refused (a cold start then) only if it were inconsistent


def _picks(highs, blocks, chosen):
    """The MILP's answer as (block, positions), or None when it has none.

    HiGHS meets rows within a tolerance, so the 0/1 answer is checked again in integers: every
    offer's count and volume within its tier's range, nobody placed twice.
    """
    if highs.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    values = np.asarray(highs.getSolution().col_value)
    picks = []
    offset = 0
    placed = []
    for b in chosen:
        block = blocks[b]
        n = block.households.size
        taken = np.flatnonzero(values[offset : offset + n] > 0.5)
        offset += n
        volume = int(block.usage[taken].astype(np.int64).sum())
        if not block.lo <= taken.size <= block.hi or volume < block.vlo:
            return None
        if block.vhi >= 0 and volume > block.vhi:
            return None
        picks.append((b, taken))
        placed.append(block.households[taken])
    everyone = np.concatenate(placed) if placed else np.zeros(0, dtype=np.int64)
    if np.unique(everyone).size != everyone.size:
        return None
    return picks
