"""Seed version 1 of the national reference values from published figures.

Each row keeps its year and source; staff change them later through new versions, never here.
Sources: CBS "De energierekening januari 2025"; Kassa and insurers' published premiums (2025);
Breedbandwinkel survey of 60,000 households (2019); Nibud Budgethandboek as reported by nu.nl
(2019); municipal welfare norm tables (January 2025); Berenschot study for municipalities (2018);
Divosa benchmark (2023); PIANOo and municipal social return rules; Gemeente Utrecht
"bouwblokkenmodel social return" (utrecht.nl); Energie VanOns; Skipr survey (2023); Flemish
group purchases (2012); Rijksoverheid minimum wage (2025); Rapport Werkgroep discontovoet 2020
(standard MKBA discount rate 2.25 % from 1 January 2021, rwseconomie.nl).
"""

import datetime

from django.db import migrations

CBS = "CBS, De energierekening januari 2025"
PREMIUMS = "Kassa / gepubliceerde premies van zorgverzekeraars"
BREEDBAND = "Breedbandwinkel, onderzoek onder 60.000 huishoudens"
NIBUD = "Nibud Budgethandboek (zoals gemeld door nu.nl)"
NORMS = "Gemeentelijke normbedragen Participatiewet, januari 2025"
BERENSCHOT = "Berenschot, onderzoek voor gemeenten"
PIANOO = "PIANOo; gemeentelijke regels social return"
UTRECHT = "Gemeente Utrecht, bouwblokkenmodel social return"
UTRECHT_URL = (
    "https://www.utrecht.nl/werk-en-inkomen/aan-het-werk/social-return/"
    "bouwblokkenmodel-social-return/"
)
JAN_2025 = datetime.date(2025, 1, 1)

# key, name, category, value in the unit's smallest step, unit, per, year, source, extra
VALUES = [
    ("energy_bill_household", "Energierekening gemiddeld huishouden", "proxy", 206500,
     "eur_year", "per huishouden", 2025, CBS,
     {"note": "987 m³ gas en 1.706 kWh tegen prijzen van januari 2025", "valid_from": JAN_2025}),
    ("energy_bill_low", "Energierekening, zuinigste woningtype", "context", 103000,
     "eur_year", "per huishouden", 2025, CBS, {}),
    ("energy_bill_high", "Energierekening, minst zuinige woningtype", "context", 352000,
     "eur_year", "per huishouden", 2025, CBS, {}),
    ("gas_use_household", "Gasverbruik gemiddeld huishouden", "context", 987,
     "m3_year", "per huishouden", 2025, CBS, {}),
    ("electricity_use_household", "Stroomverbruik gemiddeld huishouden", "context", 1706,
     "kwh_year", "per huishouden", 2025, CBS, {}),
    ("health_premium_basic", "Basispremie zorgverzekering (gemiddeld)", "proxy", 15800,
     "eur_month", "per verzekerde", 2025, PREMIUMS, {"note": "ongeveer"}),
    ("health_deductible", "Verplicht eigen risico zorgverzekering", "unit_cost", 38500,
     "eur_year", "per verzekerde", 2025, PREMIUMS, {}),
    ("telecom_internet_only", "Abonnement alleen internet", "proxy", 3300,
     "eur_month", "per huishouden", 2019, BREEDBAND, {}),
    ("telecom_all_in_one", "Abonnement alles-in-één (internet, tv, bellen)", "proxy", 4600,
     "eur_month", "per huishouden", 2019, BREEDBAND, {}),
    ("fixed_costs_share", "Vaste lasten bij modaal inkomen en gemiddelde huur", "context", 5500,
     "percent", "van het netto-inkomen", 2019, NIBUD, {}),
    ("fixed_costs_norm", "Nibud-norm vaste lasten (hoogstens)", "rule", 5000,
     "percent", "van het netto-inkomen", 2019, NIBUD, {}),
    ("welfare_norm_single", "Bijstandsnorm alleenstaande, 21 jaar tot AOW-leeftijd", "proxy",
     134545, "eur_month", "per uitkering", 2025, NORMS,
     {"note": "netto, inclusief vakantiegeld; wordt elk half jaar aangepast",
      "valid_from": JAN_2025}),
    ("welfare_norm_couple", "Bijstandsnorm gehuwden en samenwonenden", "proxy", 192207,
     "eur_month", "per uitkering", 2025, NORMS,
     {"note": "netto, inclusief vakantiegeld; wordt elk half jaar aangepast",
      "valid_from": JAN_2025}),
    ("welfare_benefit_cost", "Kosten van één bijstandsuitkering voor de gemeente", "proxy",
     1400000, "eur_year", "per uitkering", 2018, BERENSCHOT, {"note": "ongeveer"}),
    ("welfare_admin_cost", "Uitvoeringskosten van één bijstandsuitkering", "proxy", 288300,
     "eur_year", "per uitkering", 2018, BERENSCHOT, {}),
    ("welfare_outflow_rate", "Uitstroom uit de bijstand", "context", 2340,
     "percent_year", "van de uitkeringen", 2023, "Divosa benchmark",
     {"note": "bruikbaar als deadweight: wie ook zonder project was uitgestroomd"}),
    ("social_return_percent", "Social return: deel van de opdrachtwaarde", "rule", 500,
     "percent", "van de opdrachtwaarde", 2025, PIANOO, {}),
    ("social_return_low_labour_percent", "Social return bij weinig arbeid in de opdracht",
     "rule", 200, "percent", "van de opdrachtwaarde", 2025, PIANOO,
     {"note": "geldt als het arbeidsaandeel lager is dan de drempel"}),
    ("social_return_labour_threshold", "Social return: drempel arbeidsaandeel", "rule", 3000,
     "percent", "van de opdrachtwaarde", 2025, PIANOO, {}),
    ("social_return_min_contract_value", "Social return: opdrachtwaarde vanaf", "rule",
     25000000, "eur", "per opdracht", 2025, PIANOO,
     {"note": "Rijksoverheid: opdrachten boven dit bedrag"}),
    ("social_return_min_duration", "Social return: looptijd vanaf", "rule", 6,
     "months", "per opdracht", 2025, PIANOO, {}),
    ("placement_welfare", "Plaatsing bijstandsgerechtigde, jaarcontract voltijd", "placement",
     4000000, "eur", "per plaatsing", 2025, UTRECHT, {"source_url": UTRECHT_URL}),
    ("placement_bonus", "Bonus bij plaatsing (o.a. 50-plus, vast contract)", "placement",
     1000000, "eur", "per plaatsing", 2025, UTRECHT, {"source_url": UTRECHT_URL}),
    ("placement_bbl", "Leerwerkplaats mbo-bbl (niveau 2 tot 4)", "placement", 3500000,
     "eur", "per plaatsing", 2025, UTRECHT, {"source_url": UTRECHT_URL}),
    ("placement_bol", "Stageplaats mbo-bol (niveau 2 tot 4)", "placement", 2000000,
     "eur", "per plaatsing", 2025, UTRECHT, {"source_url": UTRECHT_URL}),
    ("energy_coop_kickback", "Vergoeding van de leverancier aan een lokale energiecoöperatie",
     "proxy", 7500, "eur_year", "per huishouden", 2025, "Energie VanOns", {}),
    ("health_policy_topup", "Gemeentelijke bijdrage collectieve zorgverzekering minima",
     "proxy", 3059, "eur_month", "per verzekerde", 2023, "Skipr, enquête onder gemeenten",
     {"note": "gemiddelde; sommige gemeenten betalen niets"}),
    ("collective_energy_savings_low", "Besparing collectieve energie-inkoop (laag)", "context",
     2000, "percent", "van de energierekening", 2012, "Vlaamse groepsaankopen", {}),
    ("collective_energy_savings_high", "Besparing collectieve energie-inkoop (hoog)", "context",
     2500, "percent", "van de energierekening", 2012, "Vlaamse groepsaankopen", {}),
    ("minimum_wage_hour", "Wettelijk minimumloon 21 jaar en ouder", "unit_cost", 1406,
     "eur_hour", "per uur", 2025, "Rijksoverheid",
     {"note": "wordt elk half jaar aangepast", "valid_from": JAN_2025}),
    ("discount_rate_standard", "Standaarddiscontovoet voor een MKBA", "rule", 225,
     "percent", "per jaar", 2020, "Rapport Werkgroep discontovoet 2020, overgenomen door het kabinet",
     {"source_url": "https://www.rwseconomie.nl/discontovoet",
      "valid_from": datetime.date(2021, 1, 1)}),
]


def seed(apps, schema_editor):
    ReferenceSet = apps.get_model("businesscase", "ReferenceSet")
    ReferenceValue = apps.get_model("businesscase", "ReferenceValue")
    if ReferenceSet.objects.filter(neighbourhood__isnull=True, version=1).exists():
        return
    national = ReferenceSet.objects.create(
        neighbourhood=None, version=1, note="Gepubliceerde cijfers (eerste versie)"
    )
    ReferenceValue.objects.bulk_create(
        ReferenceValue(
            reference_set=national,
            key=key,
            name=name,
            category=category,
            value_minor=value,
            unit=unit,
            per=per,
            year=year,
            source=source,
            **extra,
        )
        for key, name, category, value, unit, per, year, source, extra in VALUES
    )


def unseed(apps, schema_editor):
    ReferenceSet = apps.get_model("businesscase", "ReferenceSet")
    ReferenceSet.objects.filter(neighbourhood__isnull=True, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("businesscase", "0001_opgaven_reference_values_business_cases")]

    operations = [migrations.RunPython(seed, unseed)]
