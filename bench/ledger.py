"""Benchmark of the ledger (not a test): throughput, lookups at scale, and beancount/hledger.

Runs on SQLite and on PostgreSQL, each in a fresh database of its own (a temporary SQLite file;
the PostgreSQL database ``heelwijk_bench`` or ``--pg-db``, created and dropped again), and measures:

- durable transfers/s with 1 client and with 8 clients (processes, each with its own database
  connection), among many accounts and with every transfer touching one hot account;
- batched postings/s through ``post_batch``;
- with ``--postings`` (default 1,000,000) postings in the books, loaded through ``post_batch`` so
  the hash chain is real: the time of one balance lookup, of a trial balance from the stored
  balances and of one re-derived from every posting, and ``verify`` over the whole journal;
- the same books exported to beancount: the time beancount (Python API: load + realize) and
  hledger (``hledger balance`` on the export converted to hledger's journal syntax) take for
  the same trial balance.

It prints a table with the targets P1-P6 of docs (shared/design/targets.md) beside the medians
and writes ``bench/results/ledger.json``. After each backend it runs the ledger's verify and
reports the invariants. Usage::

    .venv/bin/python bench/ledger.py                 # SQLite and PostgreSQL, 1M postings
    .venv/bin/python bench/ledger.py --small         # a quick run (20k postings, fewer transfers)
    .venv/bin/python bench/ledger.py --backends sqlite --postings 200000
    .venv/bin/python bench/ledger.py --pg postgres://postgres@127.0.0.1:5432/postgres

hledger comes from Debian (``apt-get install hledger``); without it that column says "missing".
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "ledger.json"
BENCH_DB = "heelwijk_bench"
TARGETS = {
    "P1": ("durable transfers/s, 1 client", ">= 300 /s", lambda r: r["transfers_1"] >= 300),
    "P2": ("durable transfers/s, 8 clients", ">= 1000 /s", lambda r: r["transfers_8"] >= 1000),
    "P3": (
        "8 clients, one hot account",
        ">= 50 % of P2, 0 deadlocks",
        lambda r: r["hot_8"] >= 0.5 * r["transfers_8"] and r["hot_deadlocks"] == 0,
    ),
    "P4": ("batched postings/s", ">= 10000 /s", lambda r: r["batch_postings"] >= 10_000),
    "P5": ("balance lookup, 1M postings", "< 2 ms", lambda r: r["balance_ms"] < 2),
    "P6": ("trial balance over 1M postings", "< 2 s", lambda r: r["trial_balance_derived_s"] < 2),
}


# --- the child: one backend ----------------------------------------------------------------------


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("HEELWIJK_ENV", "development")
    # As in production: no per-query debug bookkeeping (development turns DEBUG on).
    os.environ.setdefault("HEELWIJK_DEBUG", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "heelwijk.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _books(accounts: int) -> dict[str, Any]:
    """A neighbourhood with a wijkbedrijf, units, one hot account and many household accounts."""
    from heelwijk.ledger.actions import account_open, ensure_standard_units
    from heelwijk.neighbourhood.models import Neighbourhood, Organisation

    n = Neighbourhood.objects.create(name="Benchwijk", slug="benchwijk", municipality="Bench")
    wijkbedrijf = Organisation.objects.create(
        neighbourhood=n, name="Wijkbedrijf Bench", kind=Organisation.Kind.WIJKBEDRIJF
    )
    eur = ensure_standard_units(neighbourhood=n)["EUR"]
    hot = account_open(
        neighbourhood=n,
        unit=eur,
        code="2000",
        name="Ontvangsten wijkbedrijf",
        type="liability",
        owner_kind="wijkbedrijf",
        owner=wijkbedrijf,
    )
    bank = account_open(
        neighbourhood=n,
        unit=eur,
        code="1100",
        name="Bank",
        type="asset",
        owner_kind="wijkbedrijf",
        owner=wijkbedrijf,
    )
    members = [
        account_open(
            neighbourhood=n,
            unit=eur,
            code=f"HH-{i:06d}",
            name=f"Tegoed {i}",
            type="liability",
            owner_kind="system",
            lower_limit=-(10**9),
        ).pk
        for i in range(accounts)
    ]
    return {"neighbourhood_id": n.pk, "hot": hot.pk, "bank": bank.pk, "members": members}


def _transfers(ids: dict[str, Any], count: int, hot: bool, seed: int) -> dict[str, int]:
    """``count`` transfers, each its own durable database transaction."""
    from django.db import connections

    from heelwijk.ledger.actions import transfer
    from heelwijk.ledger.locking import retry_stats
    from heelwijk.ledger.models import Account

    rng = random.Random(seed)
    accounts = {
        a.pk: a
        for a in Account.objects.select_related("neighbourhood", "unit").filter(
            pk__in=[*ids["members"], ids["hot"]]
        )
    }
    members = ids["members"]
    before = dict(retry_stats)
    for _ in range(count):
        source = accounts[rng.choice(members)]
        if hot:
            destination = accounts[ids["hot"]]
        else:
            destination = accounts[rng.choice(members)]
            while destination.pk == source.pk:
                destination = accounts[rng.choice(members)]
        transfer(
            source=source,
            destination=destination,
            amount=rng.randrange(1, 5000),
            kind="transfer",
            memo="bench",
            actor=None,
        )
    connections.close_all()
    return {k: retry_stats[k] - before.get(k, 0) for k in ("retried", "gave_up")}


def _client(args: tuple[Any, ...]) -> dict[str, int]:
    ids, count, hot, seed, start_at = args
    while time.time() < start_at:  # start together
        time.sleep(0.001)
    return _transfers(ids, count, hot, seed)


def _run_clients(ids: dict[str, Any], clients: int, per_client: int, hot: bool, seed: int):
    from django.db import connections

    if clients == 1:
        started = time.perf_counter()
        stats = _transfers(ids, per_client, hot, seed)
        return per_client / (time.perf_counter() - started), stats
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        start_at = time.time() + 0.5
        jobs = [(ids, per_client, hot, seed * 100 + c, start_at) for c in range(clients)]
        result = pool.map_async(_client, jobs)
        results = result.get()
        elapsed = time.time() - start_at
    stats = {k: sum(r[k] for r in results) for k in ("retried", "gave_up")}
    return clients * per_client / elapsed, stats


def _batch(ids: dict[str, Any], transactions: int, rng: random.Random, first_day: date) -> int:
    """Post ``transactions`` two-posting transactions in one ``post_batch``; return postings."""
    from heelwijk.ledger.actions import BatchTransaction, PostingLine, post_batch
    from heelwijk.ledger.models import Account
    from heelwijk.neighbourhood.models import Neighbourhood

    n = Neighbourhood.objects.get(pk=ids["neighbourhood_id"])
    accounts = {a.pk: a for a in Account.objects.filter(pk__in=[*ids["members"], ids["bank"]])}
    bank, members = accounts[ids["bank"]], ids["members"]
    items = [
        BatchTransaction(
            memo="Storting",
            lines=[
                PostingLine(bank, "D", amount),
                PostingLine(accounts[rng.choice(members)], "C", amount),
            ],
            effective_date=first_day + timedelta(days=i % 365),
        )
        for i, amount in enumerate(rng.randrange(100, 100_000) for _ in range(transactions))
    ]
    post_batch(neighbourhood=n, kind="import", actor=None, transactions=items)
    return 2 * transactions


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def _beancount_trial_balance(path: Path) -> dict[str, str]:
    """Load the export with beancount's Python API and realize every account's balance."""
    from beancount import loader
    from beancount.core import realization

    entries, errors, _options = loader.load_string(path.read_text(encoding="utf-8"))
    if errors:
        raise SystemExit(f"beancount found {len(errors)} error(s), first: {errors[0]}")
    tree = realization.realize(entries)
    return {
        real.account: real.balance.to_string()
        for real in realization.iter_children(tree)
        if not real.balance.is_empty()
    }


def to_hledger(beancount_text: str) -> str:
    """The export in hledger's journal syntax: transactions and postings only."""
    out = []
    in_transaction = False
    for line in beancount_text.splitlines():
        if re.match(r"^\d{4}-\d{2}-\d{2} \* ", line):
            day, _star, memo = line.split(" ", 2)
            description = memo.strip().strip('"')
            out.append(f"{day} * {description}")
            in_transaction = True
        elif in_transaction and re.match(r"^  [A-Z][A-Za-z]+:", line):
            out.append("    " + line.strip())
        elif not line.strip():
            if in_transaction:
                out.append("")
            in_transaction = False
    return "\n".join(out) + "\n"


def _external_trial_balances(path: Path, repeat: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--beancount-only", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - started)
    result["beancount_s"] = statistics.median(times)
    hledger = shutil.which("hledger")
    if hledger is None:
        result["hledger_s"] = None
        result["hledger_version"] = "missing (apt-get install hledger)"
        return result
    journal = path.with_suffix(".journal")
    journal.write_text(to_hledger(path.read_text(encoding="utf-8")), encoding="utf-8")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [hledger, "-f", str(journal), "balance", "--flat"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - started)
    result["hledger_s"] = statistics.median(times)
    result["hledger_version"] = subprocess.run(
        [hledger, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    journal.unlink()
    return result


def run_backend(backend: str, database_url: str, options: argparse.Namespace) -> dict[str, Any]:
    _setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from heelwijk.ledger import selectors
    from heelwijk.ledger.export_beancount import export_beancount
    from heelwijk.ledger.models import Account, Posting
    from heelwijk.ledger.verify import verify_ledger
    from heelwijk.neighbourhood.models import Neighbourhood

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {"backend": backend, "db_version": _db_version(connection)}
    ids = _books(options.accounts)
    repeat, transfers = options.repeat, options.transfers

    def rates(clients: int, hot: bool) -> tuple[float, dict[str, int]]:
        runs, totals = [], {"retried": 0, "gave_up": 0}
        for r in range(repeat):
            rate, stats = _run_clients(ids, clients, transfers // clients, hot, seed=r + 1)
            runs.append(rate)
            totals = {k: totals[k] + stats[k] for k in totals}
        return statistics.median(runs), totals

    print(f"[{backend}] transfers …", flush=True)
    result["transfers_1"], _ = rates(1, False)
    result["transfers_8"], stats8 = rates(8, False)
    result["hot_1"], _ = rates(1, True)
    result["hot_8"], stats_hot = rates(8, True)
    result["retries_8"] = stats8
    result["hot_retries_8"] = stats_hot
    # Locks are taken in id order, so a deadlock cannot arise; a retry that gave up would count.
    result["hot_deadlocks"] = stats_hot["gave_up"]

    print(f"[{backend}] batches …", flush=True)
    rng = random.Random(42)
    batch_rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        posted = _batch(ids, options.batch, rng, date(2024, 1, 1))
        batch_rates.append(posted / (time.perf_counter() - started))
    result["batch_postings"] = statistics.median(batch_rates)

    print(f"[{backend}] loading to {options.postings:,} postings …", flush=True)
    started = time.perf_counter()
    while (have := Posting.objects.count()) < options.postings:
        _batch(
            ids, min(options.load_batch, (options.postings - have + 1) // 2), rng, date(2023, 1, 1)
        )
    result["load_s"] = time.perf_counter() - started
    result["postings"] = Posting.objects.count()
    print(
        f"[{backend}] {result['postings']:,} postings loaded in {result['load_s']:.1f} s",
        flush=True,
    )

    n = Neighbourhood.objects.get(pk=ids["neighbourhood_id"])
    account = Account.objects.get(pk=ids["members"][0])
    lookups = _timed(lambda: selectors.balance(account=account), 200)
    result["balance_ms"] = statistics.median(lookups) * 1000
    result["balance_at_date_ms"] = (
        statistics.median(
            _timed(lambda: selectors.balance(account=account, at=date(2023, 6, 30)), 20)
        )
        * 1000
    )
    result["trial_balance_stored_s"] = statistics.median(
        _timed(lambda: selectors.trial_balance(neighbourhood=n), repeat)
    )
    result["trial_balance_derived_s"] = statistics.median(
        _timed(lambda: selectors.trial_balance(neighbourhood=n, at=date(2100, 1, 1)), repeat)
    )

    print(f"[{backend}] verify …", flush=True)
    started = time.perf_counter()
    report = verify_ledger(n)
    result["verify_s"] = time.perf_counter() - started
    result["verify"] = {
        "ok": report.ok,
        "transactions": report.transactions,
        "postings": report.postings,
        "accounts": report.accounts,
        "problems": [p.message for p in report.problems[:20]],
    }

    print(f"[{backend}] export and beancount / hledger …", flush=True)
    with tempfile.TemporaryDirectory(prefix="heelwijk-bench-") as tmp:
        path = Path(tmp) / "books.beancount"
        started = time.perf_counter()
        with path.open("w", encoding="utf-8") as out:
            export_beancount(out=out, neighbourhoods=[n], title="Bench")
        result["export_s"] = time.perf_counter() - started
        result["export_mb"] = path.stat().st_size / 1e6
        if options.skip_external:
            result.update(beancount_s=None, hledger_s=None, hledger_version="skipped")
        else:
            result.update(_external_trial_balances(path, options.external_repeat))
    return result


def _db_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0]
        cursor.execute("select sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


# --- the parent: both backends, the table and the JSON -------------------------------------------


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _with_database(url: str, name: str) -> str:
    """The same server URL, naming another database."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _child(backend: str, url: str, options: argparse.Namespace, out: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        backend,
        "--child-url",
        url,
        "--child-out",
        str(out),
        "--postings",
        str(options.postings),
        "--transfers",
        str(options.transfers),
        "--accounts",
        str(options.accounts),
        "--batch",
        str(options.batch),
        "--load-batch",
        str(options.load_batch),
        "--repeat",
        str(options.repeat),
        "--external-repeat",
        str(options.external_repeat),
    ]
    if options.skip_external:
        command.append("--skip-external")
    subprocess.run(command, check=True)
    return json.loads(out.read_text())


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    match = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(int(match.group(1)) / 1e6, 1) if match else None,
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = (
            f"{value:,.0f}" if value >= 100 else f"{value:,.2f}" if value >= 1 else f"{value:.3f}"
        )
    else:
        text = f"{value:,}"
    return f"{text}{unit}"


def print_table(document: dict[str, Any]) -> None:
    results = document["results"]
    names = [r["backend"] for r in results]
    print()
    print(
        f"Machine: {document['machine']['nproc']} CPUs ({document['machine']['cpu']}), "
        f"{document['machine']['memory_gb']} GB; " + "; ".join(r["db_version"] for r in results)
    )
    if "load_average_before" in document["machine"]:
        print(
            "Load average (1, 5, 15 min) before / after: "
            f"{document['machine']['load_average_before']} / "
            f"{document['machine']['load_average_after']}"
        )
    print(
        f"Postings in the books: {', '.join(_fmt(r['postings']) for r in results)}; "
        f"medians of {document['options']['repeat']} runs"
    )
    print()
    header = f"{'#':<4}{'what':<34}{'target':<28}" + "".join(f"{n:>18}" for n in names)
    print(header)
    print("-" * len(header))
    rows = [
        ("P1", "transfers_1", " /s"),
        ("P2", "transfers_8", " /s"),
        ("P3", "hot_8", " /s"),
        ("P4", "batch_postings", " /s"),
        ("P5", "balance_ms", " ms"),
        ("P6", "trial_balance_derived_s", " s"),
    ]
    for key, field, unit in rows:
        what, target, passes = TARGETS[key]
        cells = "".join(
            f"{_fmt(r[field], unit) + (' ok' if passes(r) else ' MISS'):>18}" for r in results
        )
        print(f"{key:<4}{what:<34}{target:<28}{cells}")
    extra = [
        ("", "hot account, 1 client", "", "hot_1", " /s"),
        ("", "retries (8 clients / hot)", "", None, ""),
        ("", "balance at a date (sum)", "", "balance_at_date_ms", " ms"),
        ("", "trial balance, stored balances", "", "trial_balance_stored_s", " s"),
        ("", "load (post_batch)", "", "load_s", " s"),
        ("", "verify whole journal", "", "verify_s", " s"),
        ("", "export to beancount", "", "export_s", " s"),
        ("", "beancount: load + realize", "", "beancount_s", " s"),
        ("", "hledger balance", "", "hledger_s", " s"),
    ]
    for key, what, target, field, unit in extra:
        if field is None:
            cells = "".join(
                f"{str(r['retries_8']['retried']) + ' / ' + str(r['hot_retries_8']['retried']):>18}"
                for r in results
            )
        else:
            cells = "".join(f"{_fmt(r.get(field), unit):>18}" for r in results)
        print(f"{key:<4}{what:<34}{target:<28}{cells}")
    print()
    for r in results:
        v = r["verify"]
        state = "OK, 0 violations" if v["ok"] else f"{len(v['problems'])} PROBLEM(S)"
        print(
            f"Invariants after the benchmark ({r['backend']}): {state} — {v['transactions']:,} "
            f"transactions, {v['postings']:,} postings, {v['accounts']:,} accounts checked "
            "(zero sums, stored balance = postings, limits, hash chain)."
        )
        for problem in v["problems"]:
            print("   ", problem)
    hledger = next((r.get("hledger_version") for r in results if r.get("hledger_version")), "")
    if hledger:
        print(f"hledger: {hledger}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL URL to create the bench database with "
        "(default: $DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument(
        "--pg-db",
        default=BENCH_DB,
        help=f"name of the PostgreSQL database created and dropped for the run ({BENCH_DB})",
    )
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--transfers", type=int, default=2400, help="per measurement")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=2500, help="transactions per timed batch")
    parser.add_argument("--load-batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--external-repeat", type=int, default=1)
    parser.add_argument("--skip-external", action="store_true", help="no beancount / hledger")
    parser.add_argument("--small", action="store_true", help="a quick run")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-url", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument("--beancount-only", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.beancount_only:
        _beancount_trial_balance(Path(options.beancount_only))
        return 0
    if options.child:
        result = run_backend(options.child, options.child_url, options)
        Path(options.child_out).write_text(json.dumps(result, default=str))
        return 0
    if options.small:
        options.postings, options.transfers, options.accounts = 20_000, 400, 200
        options.batch, options.load_batch, options.repeat = 1000, 5000, 3

    results = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="heelwijk-bench-") as tmp:
        for backend in options.backends.split(","):
            out = Path(tmp) / f"{backend}.json"
            if backend == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
                results.append(_child(backend, url, options, out))
            elif backend == "postgresql":
                admin = options.pg or "postgres://postgres@127.0.0.1:5432/postgres"
                name = options.pg_db
                if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
                    parser.error("--pg-db: lower-case letters, digits and _ only")
                _pg_admin(admin, f"DROP DATABASE IF EXISTS {name}")
                _pg_admin(admin, f"CREATE DATABASE {name}")
                try:
                    results.append(_child(backend, _with_database(admin, name), options, out))
                finally:
                    _pg_admin(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            else:
                parser.error(f"unknown backend {backend!r}")
    document = {
        "benchmark": "ledger",
        "machine": {
            **machine(),
            # A shared machine: other work slows every number down; say how busy it was.
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "options": {k: v for k, v in vars(options).items() if not k.startswith("child")},
        "targets": {k: {"what": v[0], "target": v[1]} for k, v in TARGETS.items()},
        "results": results,
        "passes": {r["backend"]: {k: bool(v[2](r)) for k, v in TARGETS.items()} for r in results},
        "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    output = Path(options.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2, default=str) + "\n")
    print_table(document)
    print(f"\nWrote {output}")
    return 0 if all(r["verify"]["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
