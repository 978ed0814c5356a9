"""Benchmark P8: the resident's home page (their dashboard), requests per second and queries.

What it does, on PostgreSQL at 127.0.0.1:5432 (override with --postgres):

1. creates a fresh database ``heelwijk_bench_pages``, migrates it and builds the demo
   neighbourhoods (``heelwijk demo``): Lindenhof with ≈1,500 households, a local currency in
   use, collective purchasing campaigns and the ledger's books;
2. counts the database queries of the home page for residents with little and with much to
   show (wallets, campaigns, contracts): the count must be the same for all (constant);
3. logs in --residents demo residents (a session each, as a browser would have), serves
   Heelwijk with gunicorn (DEBUG off, persistent connections) and lets --clients concurrent
   clients on keep-alive connections ask for ``/`` as fast as they can, each as one of those
   residents, for --seconds seconds after a short warm-up;
4. prints a table and writes ``bench/results/pages.json``, then drops the database (unless
   --keep).

The target (targets.md P8) is ≥ 500 requests/s with a constant query count. The clients run on
the same 2-core machine as gunicorn and PostgreSQL, so all three share the cores.

    .venv/bin/python bench/pages.py [--clients 16] [--seconds 20] [--workers 3] [--threads 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
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

RESULTS = ROOT / "bench" / "results" / "pages.json"
DATABASE = "heelwijk_bench_pages"
TARGET_PER_SECOND = 500


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--residents", type=int, default=200, help="distinct logged-in residents")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    add_server_arguments(parser)
    return parser.parse_args()


def build_demo(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "heelwijk"), "demo"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def sessions_and_query_counts(env: dict[str, str], residents: int) -> tuple[list[str], dict]:
    """Log in demo residents (session cookies) and count the home page's queries for each."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from heelwijk.accounts.actions import user_create
    from heelwijk.neighbourhood.models import Person

    # The demo has one resident login; give more demo residents a login (bench data only).
    candidates = Person.objects.filter(neighbourhood__slug="lindenhof", household__isnull=False)
    for person in candidates.filter(user__isnull=True).order_by("pk")[: max(0, residents - 1)]:
        user = user_create(email=f"bench-{person.pk}@example.org", password=None)
        Person.objects.filter(pk=person.pk).update(user=user)
    people = list(
        candidates.filter(user__isnull=False).select_related("user").order_by("pk")[:residents]
    )
    cookies, counts, cards = [], {}, {}
    for person in people:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200, response.status_code
        html = response.content.decode()
        start = html.find('<ul class="cards dashboard">')
        shown = html.count('<li class="card', start, html.find("</ul>", start)) if start >= 0 else 0
        counts[len(queries)] = counts.get(len(queries), 0) + 1
        cards[shown] = cards.get(shown, 0) + 1
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    connections.close_all()
    return cookies, {
        "residents": len(people),
        "queries_per_page": {str(k): v for k, v in sorted(counts.items())},
        "cards_per_page": {str(k): v for k, v in sorted(cards.items())},
        "constant": len(counts) == 1,
    }


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    measuring: bool = False
    stop: bool = False


async def client(number: int, cookies: list[str], port: int, tally: Tally) -> None:
    rng = random.Random(number)
    reader = writer = None
    while not tally.stop:
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        cookie = rng.choice(cookies)
        started = time.perf_counter()
        try:
            status, close = await http_request(
                reader,
                writer,
                method="GET",
                path="/",
                port=port,
                headers={"Cookie": f"sessionid={cookie}", "Accept-Language": "nl"},
            )
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            status, close = 599, True
        elapsed = (time.perf_counter() - started) * 1000
        if tally.measuring:
            tally.latencies_ms.append(elapsed)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
        if close and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def load(cookies: list[str], port: int, args: argparse.Namespace) -> tuple[Tally, float]:
    tally = Tally()
    tasks = [asyncio.create_task(client(n, cookies, port, tally)) for n in range(args.clients)]
    await asyncio.sleep(args.warmup)
    tally.measuring = True
    started = time.perf_counter()
    await asyncio.sleep(args.seconds)
    seconds = time.perf_counter() - started
    tally.measuring = False
    tally.stop = True
    await asyncio.gather(*tasks)
    return tally, seconds


def main() -> int:
    args = parse_args()
    url = recreate_database(args.postgres, DATABASE)
    env = server_env(url)
    server = None
    try:
        print(f"database {DATABASE}: migrating and building the demo…", flush=True)
        migrate(env)
        demo_seconds = build_demo(env)
        cookies, queries = sessions_and_query_counts(env, args.residents)
        port = free_port()
        server = start_server(env, port, args.workers, args.threads, args.worker_class)
        print(
            f"gunicorn on 127.0.0.1:{port} ({args.workers} workers x {args.threads} threads); "
            f"{args.clients} clients for {args.seconds:.0f} s…",
            flush=True,
        )
        tally, seconds = asyncio.run(load(cookies, port, args))
        postgresql = pg_version(args.postgres)
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            drop_database(args.postgres, DATABASE)

    latencies = tally.latencies_ms
    ok = tally.statuses.get(200, 0)
    per_second = round(ok / seconds, 1) if seconds else 0.0

    def pct(share: float) -> float | None:
        return round(percentile(latencies, share), 1) if latencies else None

    result = {
        "benchmark": "pages",
        "target": f"P8: resident dashboard >= {TARGET_PER_SECOND} req/s, constant query count",
        "machine": {**machine(), "postgresql": postgresql},
        "parameters": {
            "clients": args.clients,
            "seconds": args.seconds,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            "gunicorn_worker_class": args.worker_class,
        },
        "demo_build_seconds": round(demo_seconds, 1),
        "queries": queries,
        "requests": len(latencies),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "requests_per_second": per_second,
        "latency_ms": {
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
        },
    }
    result["meets_target"] = bool(
        per_second >= TARGET_PER_SECOND and queries["constant"] and ok == len(latencies)
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result)
    return 0


def print_table(result: dict) -> None:
    q = result["queries"]
    rows = [
        ("demo build (s)", result["demo_build_seconds"]),
        ("residents logged in", q["residents"]),
        ("queries per page: count → pages", q["queries_per_page"]),
        ("cards per page: count → pages", q["cards_per_page"]),
        ("query count constant", "yes" if q["constant"] else "no"),
        ("requests measured", result["requests"]),
        ("answers", ", ".join(f"{k}: {v}" for k, v in result["statuses"].items())),
        (f"requests per second (≥ {TARGET_PER_SECOND})", result["requests_per_second"]),
        ("latency p50 / p95 / p99 (ms)", "{p50} / {p95} / {p99}".format(**result["latency_ms"])),
        ("meets P8", "yes" if result["meets_target"] else "no"),
    ]
    width = max(len(name) for name, _value in rows)
    print()
    print(f"P8 resident home page, {result['parameters']['clients']} concurrent clients")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    info = result["machine"]
    print(
        f"machine: {info['cpus']} CPUs, PostgreSQL {info['postgresql']}, "
        f"load average at the end {info['load_average_at_end']}"
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
