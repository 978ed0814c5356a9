"""Benchmark P7: payments per second through the currency API with 50 concurrent clients.

What it does, on PostgreSQL at 127.0.0.1:5432 (override with --postgres):

1. creates a fresh database ``heelwijk_bench_currency`` and migrates it;
2. sets up one neighbourhood with a mutual-credit currency, 10 shops and 50 residents, each
   with a wallet and an API token (through the currency's actions);
3. serves Heelwijk with gunicorn on 127.0.0.1 in a subprocess (production-like: DEBUG off,
   persistent database connections);
4. runs 50 concurrent clients (asyncio, one keep-alive connection each) that POST
   ``/api/v1/currency/payments`` with a fresh Idempotency-Key: 80 % to a shop, 20 % to another
   resident, amounts 1.00 to 20.00. It stops after --requests requests or --seconds seconds,
   whichever comes first, after a short warm-up that is not measured;
5. checks afterwards that every acknowledged payment is in the books (one Payment per 201) and
   that ``heelwijk ledger verify`` finds no problem; then stops gunicorn and drops the database
   (unless --keep).

It prints a table and writes ``bench/results/currency_api.json``. The target (targets.md P7) is
p95 < 100 ms and p99 < 250 ms. The client runs on the same machine as the server and the
database, so on a 2-core box the three share the cores: quote medians of several runs.

    .venv/bin/python bench/currency_api.py [--requests 6000] [--seconds 60] [--clients 50]
        [--workers 3] [--threads 4] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field

from httpserve import (
    ROOT,
    add_server_arguments,
    drop_database,
    free_port,
    http_request,
    machine,
    migrate,
    percentile,
    pg_version,
    recreate_database,
    server_env,
    start_server,
    stop_server,
)

RESULTS = ROOT / "bench" / "results" / "currency_api.json"
DATABASE = "heelwijk_bench_currency"
P95_TARGET_MS, P99_TARGET_MS = 100.0, 250.0
SHOPS, RESIDENTS = 10, 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--requests", type=int, default=6000, help="measured requests (max)")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured time (max)")
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="seconds not measured (and at least 3 answers per client)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each client waits between payments (0: as fast as it can)",
    )
    parser.add_argument("--clients", type=int, default=50)
    add_server_arguments(parser)
    return parser.parse_args()


# --- the database and the data ---------------------------------------------------------------


def set_up(env: dict[str, str]) -> dict:
    """The neighbourhood, currency, wallets and tokens (in this process, through actions)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from heelwijk.accounts.actions import api_token_create, user_create
    from heelwijk.currency.actions import currency_create, wallet_open
    from heelwijk.neighbourhood.models import Area, Household, Neighbourhood, Organisation, Person

    neighbourhood = Neighbourhood.objects.create(
        name="Benchwijk", slug="benchwijk", municipality="Rijnstede"
    )
    area = Area.objects.create(neighbourhood=neighbourhood, name="Midden")
    currency = currency_create(
        neighbourhood=neighbourhood,
        actor=None,
        code="BENCH",
        name="Bench",
        symbol="B",
        model="mutual_credit",
        limit_household=100_000_000,
        limit_shop=100_000_000,
    )
    shops = []
    for n in range(SHOPS):
        shop = Organisation.objects.create(
            neighbourhood=neighbourhood, name=f"Winkel {n + 1}", kind=Organisation.Kind.SHOP
        )
        shops.append(wallet_open(currency=currency, holder=shop, actor=None).pk)
    residents = []
    for n in range(RESIDENTS):
        household = Household.objects.create(
            neighbourhood=neighbourhood,
            area=area,
            street="Benchlaan",
            house_number=n + 1,
            postcode="1234 AB",
            city="Rijnstede",
        )
        user = user_create(email=f"bench{n}@example.org", password=None, full_name=f"Bench {n}")
        Person.objects.create(
            neighbourhood=neighbourhood,
            household=household,
            user=user,
            first_name="Bench",
            last_name=str(n),
        )
        wallet = wallet_open(currency=currency, holder=household, actor=user)
        _token, secret = api_token_create(actor=user, neighbourhood=neighbourhood, name="bench")
        residents.append({"wallet": wallet.pk, "token": secret})
    connections.close_all()
    return {"shops": shops, "residents": residents}


def calibrate() -> dict:
    """How fast this machine is right now: a database round trip and a small ORM query, CPU
    and wall time (shared machines vary a lot; compare runs by these)."""
    from django.db import connection

    from heelwijk.currency.models import Wallet

    def timed(work, n: int = 200) -> dict:
        work()
        wall, cpu = time.perf_counter(), time.process_time()
        for _i in range(n):
            work()
        return {
            "wall_ms": round((time.perf_counter() - wall) / n * 1000, 3),
            "cpu_ms": round((time.process_time() - cpu) / n * 1000, 3),
        }

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    result = {
        "select_1": timed(select_one),
        "orm_get_wallet": timed(lambda: Wallet.objects.select_related("account").first()),
    }
    connection.close()
    return result


def check_books(expected_payments: int) -> dict:
    from django.db import connections

    from heelwijk.currency.models import Payment
    from heelwijk.ledger.verify import verify_ledger

    connections.close_all()
    report = verify_ledger()
    payments = Payment.objects.count()
    return {
        "ledger_ok": report.ok,
        "ledger_problems": [p.message for p in report.problems][:10],
        "payments_in_books": payments,
        "payments_acknowledged": expected_payments,
        "every_acknowledged_payment_booked": payments == expected_payments,
    }


# --- the server ------------------------------------------------------------------------------


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Tally:
    name: str = "run"  # part of every Idempotency-Key, so runs never share keys
    warm: set[int] = field(default_factory=set)  # clients with 3 answers before measuring
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    created: int = 0
    measuring: bool = False
    stop: bool = False
    started: float = 0.0
    ended: float = 0.0


async def client(
    number: int, setup: dict, port: int, tally: Tally, limit: int, think: float
) -> None:
    rng = random.Random(number)
    me = setup["residents"][number % len(setup["residents"])]
    others = [r["wallet"] for r in setup["residents"] if r["wallet"] != me["wallet"]]
    reader = writer = None
    sent = 0
    while not tally.stop:
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        to = rng.choice(setup["shops"]) if rng.random() < 0.8 else rng.choice(others)
        amount = f"{rng.randint(1, 20)}.{rng.randint(0, 99):02d}"
        body = json.dumps({"currency": "BENCH", "to_wallet_id": to, "amount": amount}).encode()
        sent += 1
        key = f"{tally.name}-{number}-{sent}"
        started = time.perf_counter()
        try:
            status, close = await http_request(
                reader,
                writer,
                method="POST",
                path="/api/v1/currency/payments",
                port=port,
                headers={
                    "Authorization": f"Bearer {me['token']}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                    "Accept-Language": "en",
                },
                body=body,
            )
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            writer.close()
            reader = writer = None
            status, close = 599, True
        elapsed = (time.perf_counter() - started) * 1000
        if status == 201:
            tally.created += 1
        if tally.measuring:
            tally.latencies_ms.append(elapsed)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            if len(tally.latencies_ms) >= limit:
                tally.stop = True
        if close and writer is not None:
            writer.close()
            reader = writer = None
        if sent >= 3:
            tally.warm.add(number)
        if think:
            await asyncio.sleep(think * (0.5 + rng.random()))
    if writer is not None:
        writer.close()


async def load(setup: dict, port: int, args: argparse.Namespace, name: str) -> Tally:
    tally = Tally(name=name)
    tasks = [
        asyncio.create_task(client(n, setup, port, tally, args.requests, args.think))
        for n in range(args.clients)
    ]
    await asyncio.sleep(args.warmup)
    while len(tally.warm) < args.clients:
        await asyncio.sleep(0.05)
    tally.measuring, tally.started = True, time.perf_counter()
    deadline = tally.started + args.seconds
    while not tally.stop and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    tally.ended = time.perf_counter()
    tally.stop = True
    await asyncio.gather(*tasks)
    return tally


# --- the report ------------------------------------------------------------------------------


def summarise(name: str, think: float, tally: Tally) -> dict:
    seconds = tally.ended - tally.started
    latencies = tally.latencies_ms
    ok = tally.statuses.get(201, 0)

    def pct(share: float) -> float | None:
        return round(percentile(latencies, share), 1) if latencies else None

    run = {
        "run": name,
        "think_seconds": think,
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "payments_per_second": round(ok / seconds, 1) if seconds else 0.0,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "latency_ms": {
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "max": round(max(latencies), 1) if latencies else None,
        },
    }
    p95, p99 = run["latency_ms"]["p95"], run["latency_ms"]["p99"]
    run["meets_p7_latency"] = bool(
        p95 is not None and p95 < P95_TARGET_MS and p99 < P99_TARGET_MS and ok == len(latencies)
    )
    return run


def main() -> int:
    args = parse_args()
    # The P7 run: every client pays again as soon as it has its answer (saturation). Then, unless
    # --think was given, a paced run: each client pays about every 5 s (a busy hour in a
    # neighbourhood: 50 payers, about 10 payments a second).
    plan = [("saturated", 0.0)] if not args.think else [("paced", args.think)]
    if not args.think:
        plan.append(("paced", 5.0))
    url = recreate_database(args.postgres, DATABASE)
    env = server_env(url)
    server = None
    runs, created = [], 0
    try:
        print(f"database {DATABASE}: migrating…", flush=True)
        migrate(env)
        setup = set_up(env)
        calibration = calibrate()
        port = free_port()
        server = start_server(env, port, args.workers, args.threads, args.worker_class)
        for name, think in plan:
            print(
                f"{name}: gunicorn on 127.0.0.1:{port} ({args.workers} workers x {args.threads} "
                f"threads); {args.clients} clients, think {think} s, up to {args.requests} "
                f"requests or {args.seconds:.0f} s…",
                flush=True,
            )
            args.think = think
            tally = asyncio.run(load(setup, port, args, name))
            created += tally.created
            runs.append(summarise(name, think, tally))
        stop_server(server)
        server = None
        books = check_books(created)
        postgresql = pg_version(args.postgres)
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            drop_database(args.postgres, DATABASE)

    result = {
        "benchmark": "currency_api",
        "target": "P7: API POST payment, 50 concurrent clients: p95 < 100 ms, p99 < 250 ms",
        "machine": {**machine(), "postgresql": postgresql, "calibration": calibration},
        "parameters": {
            "clients": args.clients,
            "max_requests_per_run": args.requests,
            "max_seconds_per_run": args.seconds,
            "warmup_seconds": args.warmup,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            "gunicorn_worker_class": args.worker_class,
            "shops": SHOPS,
            "residents": RESIDENTS,
        },
        "runs": runs,
        "books": books,
    }
    result["meets_target"] = bool(
        runs[0]["meets_p7_latency"]
        and books["ledger_ok"]
        and books["every_acknowledged_payment_booked"]
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result)
    return 0


def print_table(result: dict) -> None:
    books = result["books"]
    runs = result["runs"]
    header = ["", *[f"{r['run']} (think {r['think_seconds']} s)" for r in runs]]
    rows = [
        ("requests measured", [str(r["requests"]) for r in runs]),
        ("seconds", [str(r["seconds"]) for r in runs]),
        ("payments per second", [str(r["payments_per_second"]) for r in runs]),
        ("answers", [", ".join(f"{k}: {v}" for k, v in r["statuses"].items()) for r in runs]),
        ("latency p50 (ms)", [str(r["latency_ms"]["p50"]) for r in runs]),
        (f"latency p95 (ms) < {P95_TARGET_MS:.0f}", [str(r["latency_ms"]["p95"]) for r in runs]),
        (f"latency p99 (ms) < {P99_TARGET_MS:.0f}", [str(r["latency_ms"]["p99"]) for r in runs]),
        ("latency max (ms)", [str(r["latency_ms"]["max"]) for r in runs]),
        ("p95/p99 within P7", ["yes" if r["meets_p7_latency"] else "no" for r in runs]),
    ]
    width = max(len(name) for name, _values in [*rows, ("", [])])
    col = max(24, *(len(h) for h in header))
    print()
    print(f"P7 currency API payments, {result['parameters']['clients']} concurrent clients")
    print(f"{'':<{width}}  " + "  ".join(f"{h:>{col}}" for h in header[1:]))
    print("-" * (width + 2 + (col + 2) * len(runs)))
    for name, values in rows:
        print(f"{name:<{width}}  " + "  ".join(f"{v:>{col}}" for v in values))
    print()
    verify = "ok" if books["ledger_ok"] else f"PROBLEMS {books['ledger_problems']}"
    print(
        f"ledger verify: {verify}; payments booked / acknowledged: "
        f"{books['payments_in_books']} / {books['payments_acknowledged']}"
    )
    machine_info = result["machine"]
    print(
        f"machine: {machine_info['cpus']} CPUs, PostgreSQL {machine_info['postgresql']}, "
        f"load average at the end {machine_info['load_average_at_end']}"
    )
    calibration = machine_info["calibration"]
    print(
        f"calibration: SELECT 1 {calibration['select_1']['wall_ms']} ms; small ORM query "
        f"{calibration['orm_get_wallet']['cpu_ms']} ms CPU"
    )
    print(f"meets P7 (saturated run, books sound): {'yes' if result['meets_target'] else 'no'}")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
