"""The worked demo case: a sewer replacement with local work for residents on welfare.

`build_demo` is called by `heelwijk demo`. It is safe to run again (it finds what it made
before) and gives the same result every time. Amounts marked 'eigen schatting (demo)' are
assumptions for the example, not published figures; the welfare figures come from the seeded
reference values (Berenschot 2018, Divosa 2023).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from heelwijk.neighbourhood.actions import organisation_create
from heelwijk.neighbourhood.models import Area, Neighbourhood, Organisation
from heelwijk.neighbourhood.selectors import wijkbedrijf_of

from .actions import (
    GoalDraft,
    business_case_create,
    business_case_publish,
    business_case_save,
    opgave_create,
)
from .drafts import ActorDraft, CaseDraft, CostDraft, OutcomeDraft
from .models import BusinessCase, CaseActor, Opgave
from .selectors import business_case_detail, case_report, opgave_social_return

OPGAVE_TITLE = "Vervanging riolering"
CASE_TITLE = "Riolering met lokaal werk"
OWN_ESTIMATE = "Eigen schatting (demo)"
OUTFLOW = (
    "Deadweight: uitstroom uit de bijstand 23,4 % per jaar (Divosa 2023); "
    "overige: eigen schatting (demo)"
)


def _organisation(neighbourhood: Neighbourhood, kind: str, name: str) -> Organisation:
    """The neighbourhood's organisation of this kind, made when there is none."""
    if kind == Organisation.Kind.WIJKBEDRIJF:
        found = wijkbedrijf_of(neighbourhood=neighbourhood)
    else:
        found = (
            Organisation.objects.filter(neighbourhood=neighbourhood, kind=kind)
            .order_by("pk")
            .first()
        )
    if found:
        return found
    taken = set(
        Organisation.objects.filter(neighbourhood=neighbourhood).values_list("name", flat=True)
    )
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return organisation_create(actor=None, neighbourhood=neighbourhood, name=candidate, kind=kind)


def _sewer_draft(case: BusinessCase, housing: Organisation) -> CaseDraft:
    actors = {a.kind: a for a in case.actors.all()}
    municipality = str(actors[CaseActor.Kind.MUNICIPALITY].pk)
    wijkbedrijf = str(actors[CaseActor.Kind.WIJKBEDRIJF].pk)
    residents = str(actors[CaseActor.Kind.RESIDENTS].pk)
    drafts = [ActorDraft(str(a.pk), a.name, a.kind, a.organisation_id) for a in case.actors.all()]
    drafts.append(ActorDraft("housing", housing.name, CaseActor.Kind.HOUSING, housing.pk))
    welfare = {"deadweight": Decimal("23.4"), "displacement": Decimal(10)}
    return CaseDraft(
        title=CASE_TITLE,
        summary=(
            "De riolering wordt toch vervangen. Als het wijkbedrijf daaromheen werk organiseert "
            "voor drie bewoners uit de bijstand en vier leerwerkplaatsen, wat kost dat dan, wat "
            "levert het op en voor wie?"
        ),
        discount_rate=case.discount_rate,
        horizon=5,
        base_year=2025,
        sensitivity_percent=Decimal(20),
        actors=tuple(drafts),
        costs=(
            CostDraft(
                municipality,
                "Regie op social return in het contract",
                1,
                Decimal("5000.00"),
                "project",
                OWN_ESTIMATE,
            ),
            CostDraft(
                wijkbedrijf,
                "Werving en jobcoaching van drie bewoners",
                1,
                Decimal("15000.00"),
                "local_work",
                OWN_ESTIMATE,
            ),
            CostDraft(
                wijkbedrijf,
                "Jobcoaching van drie bewoners, tweede jaar",
                2,
                Decimal("15000.00"),
                "local_work",
                OWN_ESTIMATE,
            ),
            CostDraft(
                municipality,
                "Opleiding vier leerwerkplaatsen (mbo-bbl)",
                1,
                Decimal("12000.00"),
                "local_work",
                OWN_ESTIMATE,
            ),
            CostDraft(
                "housing",
                "Werkruimte en gereedschap voor de leerwerkplaatsen",
                1,
                Decimal("4000.00"),
                "local_work",
                OWN_ESTIMATE,
            ),
        ),
        outcomes=(
            OutcomeDraft(
                municipality,
                "Bijstand bespaard: plaatsingen via de gewone social return",
                Decimal(2),
                1,
                proxy_key="welfare_benefit_cost",
                deadweight=Decimal("23.4"),
                attribution=Decimal(50),
                adjustment_source=OUTFLOW,
                indicator="mensen uit de bijstand aan het werk bij de aannemer",
                scenario="project",
            ),
            OutcomeDraft(
                municipality,
                "Bijstand bespaard: drie bewoners extra aan het werk",
                Decimal(3),
                3,
                proxy_key="welfare_benefit_cost",
                attribution=Decimal(20),
                drop_off=Decimal(15),
                adjustment_source=OUTFLOW,
                indicator="bewoners uit de bijstand met een betaalde baan",
                scenario="local_work",
                **welfare,
            ),
            OutcomeDraft(
                municipality,
                "Uitvoeringskosten bijstand bespaard",
                Decimal(3),
                3,
                proxy_key="welfare_admin_cost",
                attribution=Decimal(20),
                drop_off=Decimal(15),
                adjustment_source=OUTFLOW,
                indicator="uitkeringen beëindigd",
                scenario="local_work",
                **welfare,
            ),
            OutcomeDraft(
                residents,
                "Meer inkomen: loon in plaats van bijstand",
                Decimal(3),
                3,
                proxy_value=Decimal("3000.00"),
                proxy_source=(
                    "Eigen schatting (demo): netto verschil tussen minimumloon (€ 14,06 per uur, "
                    "2025) en bijstandsnorm alleenstaande (€ 1.345,45 per maand), na toeslagen"
                ),
                attribution=Decimal(20),
                drop_off=Decimal(15),
                adjustment_source=OUTFLOW,
                indicator="bewoners met een betaalde baan",
                scenario="local_work",
                **welfare,
            ),
            OutcomeDraft(
                "housing",
                "Minder huurachterstand",
                Decimal(3),
                2,
                proxy_value=Decimal("400.00"),
                proxy_source=OWN_ESTIMATE,
                deadweight=Decimal("23.4"),
                attribution=Decimal(30),
                adjustment_source=OUTFLOW,
                indicator="huishoudens zonder huurachterstand",
                scenario="local_work",
            ),
        ),
    )


def build_demo(*, neighbourhood: Neighbourhood, stdout) -> BusinessCase:
    with translation.override("nl"), transaction.atomic():
        municipality = _organisation(
            neighbourhood,
            Organisation.Kind.MUNICIPALITY,
            f"Gemeente {neighbourhood.municipality or neighbourhood.name}",
        )
        housing = _organisation(
            neighbourhood, Organisation.Kind.HOUSING, f"Woonstichting {neighbourhood.name}"
        )
        _organisation(
            neighbourhood, Organisation.Kind.WIJKBEDRIJF, f"Wijkbedrijf {neighbourhood.name}"
        )
        opgave = Opgave.objects.filter(neighbourhood=neighbourhood, title=OPGAVE_TITLE).first()
        if opgave is None:
            opgave = opgave_create(
                actor=None,
                neighbourhood=neighbourhood,
                fields={
                    "title": OPGAVE_TITLE,
                    "description": (
                        "De riolering in de wijk is aan vervanging toe. De gemeente besteedt het "
                        "werk aan; het wijkbedrijf zorgt dat bewoners er werk en een opleiding "
                        "aan overhouden."
                    ),
                    "commissioner": municipality,
                    "budget_cents": 230_000_000,
                    "contract_value_cents": 200_000_000,
                    "labour_share": Decimal(40),
                    "start_date": date(2025, 9, 1),
                    "end_date": date(2026, 8, 31),
                    "status": Opgave.Status.TENDER,
                },
                area_ids=list(
                    Area.objects.filter(neighbourhood=neighbourhood).values_list("pk", flat=True)
                ),
                goals=[
                    GoalDraft(
                        "jobs",
                        "bewoners uit de bijstand met een betaalde baan",
                        Decimal(3),
                        "bewoners",
                    ),
                    GoalDraft(
                        "training",
                        "leerwerkplaatsen (mbo-bbl) voor bewoners",
                        Decimal(4),
                        "plaatsen",
                    ),
                    GoalDraft(
                        "poverty",
                        "huishoudens die zonder bijstand rondkomen",
                        Decimal(3),
                        "huishoudens",
                    ),
                ],
            )
        case = BusinessCase.objects.filter(opgave=opgave, title=CASE_TITLE).first()
        if case is None:
            case = business_case_create(
                actor=None, opgave=opgave, title=CASE_TITLE, horizon_years=5, base_year=2025
            )
            case = business_case_detail(neighbourhood=neighbourhood, pk=case.pk)
            business_case_save(actor=None, business_case=case, draft=_sewer_draft(case, housing))
            business_case_publish(actor=None, business_case=case)
    case = business_case_detail(neighbourhood=neighbourhood, pk=case.pk)
    report = case_report(case)
    social = opgave_social_return(opgave, case.reference_set)
    if report.analysis is not None:
        r = report.analysis.result
        stdout.write(
            f"Business case '{case.title}': costs {r.pv_costs}, benefits {r.pv_benefits}, "
            f"NPV {r.npv}, SROI {r.ratio}, paid back in year {r.payback_year}\n"
        )
    if social is not None:
        stdout.write(
            f"Social return on EUR {opgave.contract_value_cents // 100}: {social.obligation} "
            f"({social.residents} residents for a year)\n"
        )
    return case
