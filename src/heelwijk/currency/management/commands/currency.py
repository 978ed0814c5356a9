"""`heelwijk currency <subcommand>`: periodic jobs and the report of the local currencies.

- ``apply-demurrage [--neighbourhood SLUG] [--currency CODE] [--until DATE] [--dry-run]``:
  charge demurrage for every whole period that ended before DATE (default today) and was not
  charged yet. Safe to run again (cron it daily): a charged period is never charged twice.
- ``apply-expiry [--neighbourhood SLUG] [--currency CODE] [--as-of DATE]``: move balances
  without any movement for the currency's expiry period to the community account.
- ``report [--neighbourhood SLUG] [--currency CODE] [--as-of DATE] [--format text|json]``:
  circulation, activity, velocity, top categories and the checks behind them (zero sum for
  credit currencies, euro reserve = units in circulation for euro-backed ones).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heelwijk.currency.actions import demurrage_apply, expiry_apply
from heelwijk.currency.amounts import plain_decimal
from heelwijk.currency.models import Currency
from heelwijk.currency.reporting import report_document
from heelwijk.currency.selectors import report


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Local currencies: apply-demurrage, apply-expiry, report."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True

        def common(child: CommandParser) -> None:
            child.add_argument("--neighbourhood", metavar="SLUG", help="only this neighbourhood")
            child.add_argument("--currency", metavar="CODE", help="only this currency")

        demurrage = sub.add_parser(
            "apply-demurrage",
            help="charge demurrage for whole periods not charged yet (safe to run again)",
        )
        common(demurrage)
        demurrage.add_argument(
            "--until", metavar="DATE", help="charge periods that ended before DATE (default today)"
        )
        demurrage.add_argument(
            "--dry-run", action="store_true", help="show what would be charged, charge nothing"
        )
        expiry = sub.add_parser(
            "apply-expiry", help="return balances without movement for too long to the community"
        )
        common(expiry)
        expiry.add_argument("--as-of", metavar="DATE", help="the day to judge by (default today)")
        summary = sub.add_parser("report", help="circulation, activity and the checks behind them")
        common(summary)
        summary.add_argument("--as-of", metavar="DATE", help="figures up to DATE (default today)")
        summary.add_argument("--format", choices=["text", "json"], default="text")

    def _currencies(self, options: dict[str, Any]) -> list[Currency]:
        qs = Currency.objects.select_related("unit", "neighbourhood").order_by(
            "neighbourhood__slug", "code"
        )
        if options.get("neighbourhood"):
            qs = qs.filter(neighbourhood__slug=options["neighbourhood"])
        if options.get("currency"):
            qs = qs.filter(code=options["currency"].upper())
        found = list(qs)
        if not found and (options.get("neighbourhood") or options.get("currency")):
            raise CommandError("no currency matches the --neighbourhood / --currency given")
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        if name == "apply-demurrage":
            self._demurrage(options)
        elif name == "apply-expiry":
            self._expiry(options)
        else:
            self._report(options)

    def _demurrage(self, options: dict[str, Any]) -> None:
        until = _date(options["until"]) if options.get("until") else timezone.localdate()
        dry = options.get("dry_run", False)
        charged = 0
        for currency in self._currencies(options):
            label = f"{currency.neighbourhood.slug}/{currency.code}"
            if not currency.has_demurrage:
                self.stdout.write(f"{label}: no demurrage")
                continue
            results = demurrage_apply(currency=currency, until=until, dry_run=dry)
            if not results:
                self.stdout.write(f"{label}: no whole period has ended yet")
            for result in results:
                period = f"{result.period_start.isoformat()}..{result.period_end.isoformat()}"
                if result.applied_now:
                    charged += 1
                    state = "charged now"
                elif dry and not _was_charged(currency, result.period_start):
                    state = "would charge (dry run)"
                else:
                    state = "charged before"
                self.stdout.write(
                    f"{label} {period}: {result.wallets_charged} wallets, "
                    f"{plain_decimal(result.total, currency)} {currency.code} ({state})"
                )
        self.stdout.write(f"{charged} period(s) charged now.")

    def _expiry(self, options: dict[str, Any]) -> None:
        as_of = _date(options["as_of"]) if options.get("as_of") else timezone.localdate()
        for currency in self._currencies(options):
            label = f"{currency.neighbourhood.slug}/{currency.code}"
            if not currency.expiry_days:
                self.stdout.write(f"{label}: balances do not expire")
                continue
            result = expiry_apply(currency=currency, as_of=as_of)
            self.stdout.write(
                f"{label}: {result.wallets} wallets expired, "
                f"{plain_decimal(result.total, currency)} {currency.code} to the community account"
            )

    def _report(self, options: dict[str, Any]) -> None:
        as_of = _date(options["as_of"]) if options.get("as_of") else None
        documents = []
        for currency in self._currencies(options):
            documents.append(report_document(currency, report(currency=currency, as_of=as_of)))
        if options.get("format") == "json":
            self.stdout.write(json.dumps(documents, indent=2, ensure_ascii=False, default=str))
            return
        if not documents:
            self.stdout.write("No local currencies yet.")
        for doc in documents:
            self.stdout.write(_text(doc))


def _was_charged(currency: Currency, period_start: date) -> bool:
    return currency.demurrage_runs.filter(period_start=period_start).exists()


def _text(doc: dict[str, Any]) -> str:
    code = doc["code"]
    lines = [
        f"{doc['name']} ({code}, {doc['model']}) in {doc['neighbourhood']}, up to {doc['as_of']}",
        f"  in circulation      {doc['in_circulation']:>12} {code}",
        f"  wallets             {doc['wallets']:>12}  "
        + ", ".join(f"{k} {v}" for k, v in sorted(doc["wallets_by_kind"].items())),
        f"  active (30 days)    {doc['active_wallets_30_days']:>12}",
        f"  payments (30 days)  {doc['payments_30_days']:>12}  together {doc['volume_30_days']}",
        f"  velocity (30 days)  {doc['velocity_30_days'] or '-':>12}",
        f"  community account   {doc['community_balance']:>12} {code}",
    ]
    if doc["zero_sum"] is not None:
        lines.append(f"  zero sum            {'yes' if doc['zero_sum'] else 'NO':>12}")
    if doc["euro_reserve"] is not None:
        ok = "yes" if doc["reserve_covers_circulation"] else "NO"
        lines.append(f"  euro reserve        {doc['euro_reserve']:>12} EUR (covers all: {ok})")
        lines.append(
            f"  deposits / redeemed {doc['euro_deposits']:>12} / {doc['redemptions']} "
            f"(fees {doc['redemption_fees_eur']} EUR)"
        )
    lines.append(f"  hours volunteered   {doc['hours_credited']:>12}")
    if doc["top_categories"]:
        lines.append("  top categories:")
        lines += [
            f"    {c['category']:<14} {c['amount']:>12} {code}  {c['share_percent']:>5} %"
            for c in doc["top_categories"]
        ]
    if doc["months"]:
        lines.append("  month     payments       paid   credited  active  in circulation")
        lines += [
            f"  {m['month']}  {m['payments']:>8} {m['volume']:>10} {m['credited']:>10} "
            f"{m['active_wallets']:>7} {m['circulation']:>15}"
            for m in doc["months"]
        ]
    for run in doc["demurrage_runs"]:
        lines.append(
            f"  demurrage {run['period']}: {run['wallets']} wallets, {run['total']} {code}"
        )
    return "\n".join(lines) + "\n"
