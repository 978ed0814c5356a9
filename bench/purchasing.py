"""Benchmark P9: purchasing allocation, 10,000 households x 12 offers x 4 tiers.

Measures the time HiGHS needs to a proven optimum (relative gap ≤ 0.1 %), the total yearly
saving of the optimal allocation against the greedy baseline, and the independent checker's
time. Prints a table and writes bench/results/purchasing.json with the machine it ran on.

    .venv/bin/python bench/purchasing.py [--households 10000] [--offers 12] [--tiers 4]
                                         [--repeats 3] [--time-limit 600] [--also 1000 5000]

The instance is synthetic and seeded (heelwijk.purchasing.allocation.synthetic), so every run
solves the same problems; seeds 1..repeats per size. The machine may be shared: quote medians
and read the load average, which is recorded before every run.

"MILP s" is solve_milp alone (the Lagrangian bound with fixed-tier allocations, and if that
does not settle it, column generation on the strong formulation, the fixed-tier MILP and the
whole MILP), started from the greedy answer; "total s" adds the greedy start, i.e. what
`allocate` spends before its checks. The JSON has each stage's figures per run.

About the generator: every household gets its own usage (800-5,000 kWh) and its own current
tariff, so no two households have the same cost vector. Real neighbourhoods have metered,
equally individual usage, so the solver gets no help from identical profiles here (grouping
identical households into classes would not pay off on this data and is not done).
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import highspy  # noqa: E402

from heelwijk.purchasing.allocation import check_solution, solve_greedy, solve_milp  # noqa: E402
from heelwijk.purchasing.allocation.synthetic import random_problem  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_GAP = 0.001


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "highs": f"{highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}."
        f"{highspy.HIGHS_VERSION_PATCH}",
        "platform": platform.platform(),
    }


def run_once(*, households: int, offers: int, tiers: int, seed: int, time_limit: float) -> dict:
    problem = random_problem(seed=seed, households=households, offers=offers, tiers=tiers)
    load = os.getloadavg()
    began = time.perf_counter()
    greedy = solve_greedy(problem)
    greedy_seconds = time.perf_counter() - began
    began = time.perf_counter()
    optimal = solve_milp(problem, mip_rel_gap=TARGET_GAP, time_limit=time_limit, start=greedy)
    milp_seconds = time.perf_counter() - began
    began = time.perf_counter()
    violations = check_solution(problem, optimal) + check_solution(problem, greedy)
    check_seconds = time.perf_counter() - began
    proven = optimal.status.value == "optimal" and (optimal.gap or 0.0) <= TARGET_GAP
    return {
        "households": households,
        "offers": offers,
        "tiers": tiers,
        "seed": seed,
        "load_average_before": [round(x, 2) for x in load],
        "columns": optimal.details.get("columns"),
        "all_columns": optimal.details.get("all_columns"),
        "rows": optimal.details.get("rows"),
        "cg_rounds": optimal.details.get("cg_rounds"),
        "greedy_seconds": round(greedy_seconds, 3),
        "milp_seconds": round(milp_seconds, 3),
        "total_seconds": round(greedy_seconds + milp_seconds, 3),
        "lp_seconds": round(optimal.details.get("lp_seconds", 0.0), 3),
        "fixed_tier_seconds": round(optimal.details.get("fixed_tier_seconds", 0.0), 3),
        "lagrange_steps": optimal.details.get("lagrange_steps"),
        "lagrange_tries": optimal.details.get("lagrange_tries"),
        "lagrange_seconds": round(optimal.details.get("lagrange_seconds", 0.0), 3),
        "lagrange_fixed_tier_seconds": round(
            optimal.details.get("lagrange_fixed_tier_seconds", 0.0), 3
        ),
        "full_mip": optimal.details.get("full_mip"),
        "best_bound_cents": optimal.best_bound_cents,
        "check_seconds": round(check_seconds, 3),
        "proven_within_gap": proven,
        "seconds_to_proven_optimum": round(milp_seconds, 3) if proven else None,
        "gap": optimal.gap if optimal.gap is not None and math.isfinite(optimal.gap) else None,
        "nodes": optimal.details.get("nodes"),
        "solver_status": optimal.details.get("solver_status"),
        "optimal_saving_eur": str(Decimal(optimal.total_saving_cents) / 100),
        "greedy_saving_eur": str(Decimal(greedy.total_saving_cents) / 100),
        "optimal_saving_cents": optimal.total_saving_cents,
        "greedy_saving_cents": greedy.total_saving_cents,
        "optimal_households": len(optimal.assignments),
        "greedy_households": len(greedy.assignments),
        "gain_over_greedy_percent": round(
            100
            * (optimal.total_saving_cents - greedy.total_saving_cents)
            / max(greedy.total_saving_cents, 1),
            3,
        ),
        "checker_violations": len(violations),
    }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None  # JSON has no infinity


def _gap(gap) -> str:
    return "-" if gap is None or not math.isfinite(gap) else f"{100 * gap:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=12)
    parser.add_argument("--tiers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--also", type=int, nargs="*", default=[1_000, 5_000], help="smaller sizes")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "purchasing.json"))
    args = parser.parse_args()

    info = machine()
    rows = []
    for size in [*args.also, args.households]:
        runs = [
            run_once(
                households=size,
                offers=args.offers,
                tiers=args.tiers,
                seed=seed,
                time_limit=args.time_limit,
            )
            for seed in range(1, args.repeats + 1)
        ]
        rows.append(
            {
                "households": size,
                "median_milp_seconds": statistics.median(r["milp_seconds"] for r in runs),
                "median_total_seconds": statistics.median(r["total_seconds"] for r in runs),
                "median_gap": _finite(
                    statistics.median(r["gap"] if r["gap"] is not None else math.inf for r in runs)
                ),
                "all_proven": all(r["proven_within_gap"] for r in runs),
                "runs": runs,
            }
        )
    info["load_average_at_end"] = os.getloadavg()

    header = (
        f"{'households':>10} {'seed':>4} {'load':>5} {'greedy s':>9} {'MILP s':>8} {'total s':>8} "
        f"{'proven':>6} {'gap %':>7} {'optimal €/yr':>14} {'greedy €/yr':>14} {'gain %':>7} "
        f"{'viol.':>5}"
    )
    print(
        f"P9 purchasing allocation — target: proven optimal (gap ≤ 0.1 %) in ≤ {TARGET_SECONDS} s"
    )
    print(f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_average_at_start']}")
    print(header)
    for row in rows:
        for r in row["runs"]:
            print(
                f"{r['households']:>10} {r['seed']:>4} {r['load_average_before'][0]:>5.2f} "
                f"{r['greedy_seconds']:>9.2f} {r['milp_seconds']:>8.2f} {r['total_seconds']:>8.2f} "
                f"{('yes' if r['proven_within_gap'] else 'no'):>6} "
                f"{_gap(r['gap']):>7} {Decimal(r['optimal_saving_cents']) / 100:>14,.2f} "
                f"{Decimal(r['greedy_saving_cents']) / 100:>14,.2f} "
                f"{r['gain_over_greedy_percent']:>7.2f} "
                f"{r['checker_violations']:>5}"
            )
    for row in rows:
        print(
            f"{row['households']:>10} median: MILP {row['median_milp_seconds']:.2f} s, "
            f"total {row['median_total_seconds']:.2f} s, gap {_gap(row['median_gap'])} %, "
            f"all proven: {row['all_proven']}"
        )
    result = {
        "benchmark": "P9 purchasing allocation",
        "target": {"seconds": TARGET_SECONDS, "gap": TARGET_GAP},
        "machine": info,
        "results": rows,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
