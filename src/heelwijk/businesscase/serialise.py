"""Plain data of results for the API: money in whole cents, Decimals kept exact."""

from .engine.analysis import Analysis
from .engine.money import to_cents
from .engine.scenarios import ScenarioResult
from .engine.social_return import SocialReturnResult
from .models import ReferenceSet


def reference_set_brief(reference_set: ReferenceSet) -> dict:
    return {
        "id": reference_set.pk,
        "label": str(reference_set),
        "version": reference_set.version,
        "national": reference_set.is_national,
    }


def _scenario(s: ScenarioResult) -> dict:
    return {
        "key": s.key,
        "pv_costs_cents": to_cents(s.pv_costs),
        "pv_benefits_cents": to_cents(s.pv_benefits),
        "npv_cents": to_cents(s.npv),
        "sroi_ratio": s.ratio,
        "payback_year": s.payback_year,
    }


def analysis_dict(
    analysis: Analysis, *, reference_set: ReferenceSet, base_year: int, names: dict[str, str]
) -> dict:
    r, s = analysis.result, analysis.settlement
    after = dict(s.after)
    comparison = analysis.scenarios
    return {
        "reference_set": reference_set_brief(reference_set),
        "discount_rate": r.discount_rate,
        "horizon_years": r.horizon,
        "base_year": base_year,
        "pv_costs_cents": to_cents(r.pv_costs),
        "pv_benefits_cents": to_cents(r.pv_benefits),
        "npv_cents": to_cents(r.npv),
        "sroi_ratio": r.ratio,
        "payback_year": r.payback_year,
        "actors": [
            {
                "key": a.key,
                "name": a.name,
                "costs_cents": to_cents(a.costs),
                "benefits_cents": to_cents(a.benefits),
                "net_cents": to_cents(a.net),
                "after_settlement_cents": to_cents(after.get(a.key, a.net)),
            }
            for a in r.actors
        ],
        "settlement": {
            "feasible": s.feasible,
            "shortfall_cents": to_cents(s.shortfall),
            "transfers": [
                {"payer": t.payer, "receiver": t.receiver, "amount_cents": to_cents(t.amount)}
                for t in s.transfers
            ],
        },
        "years": [
            {
                "year": y.year,
                "calendar_year": base_year + y.year,
                "costs_cents": to_cents(y.costs),
                "benefits_cents": to_cents(y.benefits),
                "net_cents": to_cents(y.net),
                "cumulative_cents": to_cents(y.cumulative),
            }
            for y in r.years
        ],
        "lines": [
            {
                "key": ln.key,
                "label": ln.label,
                "kind": ln.kind,
                "actor": ln.actor,
                "scenario": ln.scenario,
                "present_value_cents": to_cents(ln.present_value),
                "nominal_cents_by_year": [to_cents(v) for v in ln.nominal],
                "present_value_cents_by_year": [to_cents(v) for v in ln.cells],
            }
            for ln in r.lines
        ],
        "scenarios": [_scenario(x) for x in comparison.scenarios],
        "local_work_difference": {
            "key": "local_work_difference",
            "pv_costs_cents": to_cents(comparison.local_work_costs),
            "pv_benefits_cents": to_cents(comparison.local_work_benefits),
            "npv_cents": to_cents(comparison.local_work_npv),
            "sroi_ratio": comparison.local_work_ratio,
            "payback_year": None,
        },
        "sensitivity_percent": analysis.sensitivity_percent,
        "sensitivity": [
            {
                "assumption": x.assumption,
                "outcome": x.outcome_label,
                "base": x.base,
                "low": x.low,
                "high": x.high,
                "npv_low_cents": to_cents(x.npv_low),
                "npv_high_cents": to_cents(x.npv_high),
                "ratio_low": x.ratio_low,
                "ratio_high": x.ratio_high,
            }
            for x in analysis.sensitivity
        ],
    }


def social_return_dict(result: SocialReturnResult) -> dict:
    planned = {p.placement.key: p.count for p in result.planned}
    return {
        "applies": result.applies,
        "reasons": list(result.reasons),
        "percent": result.percent,
        "low_labour_share": result.low_labour,
        "obligation_cents": to_cents(result.obligation),
        "credited_cents": to_cents(result.credited),
        "remaining_cents": to_cents(result.remaining),
        "residents_employable": result.residents,
        "placements": [
            {
                "key": t.key,
                "label": t.label,
                "credited_value_cents": to_cents(t.credited_value),
                "possible": count,
                "planned": planned.get(t.key, 0),
            }
            for t, count in result.possible
        ],
    }
