"""The JSON API: opgaven, business cases, the compute endpoint and errors."""

import json

import pytest

from heelwijk.accounts.actions import api_token_create
from heelwijk.businesscase.models import BusinessCase, CostLine, Opgave

API = "/api/v1/businesscase"


def post(client, url, body, method="post", **headers):
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def every_adjustment_body():
    """The hand-worked 'every adjustment' example (test_engine_worked_examples) as JSON."""
    return {
        "discount_rate": "3.5",
        "horizon_years": 4,
        "base_year": 2025,
        "actors": [
            {"key": "m", "name": "Gemeente", "kind": "municipality"},
            {"key": "w", "name": "Wijkbedrijf", "kind": "wijkbedrijf"},
            {"key": "r", "name": "Bewoners", "kind": "residents"},
        ],
        "costs": [
            {"actor": "w", "label": "Opzet", "year": 0, "amount_cents": 2_000_000},
            {
                "actor": "w",
                "label": "Coaching",
                "year": 1,
                "amount_cents": 500_000,
                "scenario": "local_work",
            },
            {"actor": "m", "label": "Regie", "year": 2, "amount_cents": 250_000},
        ],
        "outcomes": [
            {
                "beneficiary": "m",
                "label": "Bijstand bespaard",
                "quantity": "4",
                "duration_years": 3,
                "proxy_value_cents": 1_400_000,
                "proxy_source": "Berenschot",
                "deadweight": "25",
                "displacement": "10",
                "attribution": "20",
                "drop_off": "30",
                "scenario": "local_work",
            },
            {
                "beneficiary": "r",
                "label": "Meer inkomen",
                "quantity": "4",
                "duration_years": 5,
                "proxy_value_cents": 250_050,
                "proxy_source": "schatting",
                "deadweight": "12.5",
                "attribution": "40",
            },
        ],
    }


def test_compute_returns_the_full_result(client_for, world, national_set):
    response = post(client_for(world.staff_a), f"{API}/compute", every_adjustment_body())
    assert response.status_code == 200, response.content
    result = response.json()
    assert (result["pv_costs_cents"], result["pv_benefits_cents"], result["npv_cents"]) == (
        2_716_470,
        8_163_010,
        5_446_540,
    )
    assert result["sroi_ratio"] == "3.01"
    assert result["payback_year"] == 1
    assert [a["net_cents"] for a in result["actors"]] == [6_000_879, -2_483_092, 1_928_753]
    assert sum(a["net_cents"] for a in result["actors"]) == result["npv_cents"]
    assert result["settlement"]["transfers"] == [
        {"payer": "m", "receiver": "w", "amount_cents": 2_483_092}
    ]
    assert result["lines"][3]["present_value_cents_by_year"] == [
        0,
        2_921_739,
        1_976_055,
        1_336_463,
        0,
    ]
    assert [s["key"] for s in result["scenarios"]] == ["without", "project", "with_local_work"]
    assert result["sensitivity"][0]["assumption"] == "quantity"
    assert result["reference_set"]["national"] is True


@pytest.mark.parametrize(
    ("change", "key", "english"),
    [
        ({"horizon_years": 0}, "horizon", "The horizon must be at least 1 year."),
        (
            {"outcomes": [{**every_adjustment_body()["outcomes"][0], "quantity": "-1"}]},
            "outcomes.0.quantity",
            "Bijstand bespaard: the quantity cannot be negative.",
        ),
        (
            {"outcomes": [{**every_adjustment_body()["outcomes"][0], "drop_off": "101"}]},
            "outcomes.0.drop_off",
            "Bijstand bespaard: Drop-off must be a percentage from 0 to 100.",
        ),
        (
            {"outcomes": [{**every_adjustment_body()["outcomes"][0], "proxy_value_cents": None}]},
            "outcomes.0.proxy",
            "Bijstand bespaard: choose a financial proxy or enter your own value.",
        ),
        (
            {
                "outcomes": [
                    {
                        **every_adjustment_body()["outcomes"][0],
                        "proxy_key": "nope",
                        "proxy_value_cents": None,
                    }
                ]
            },
            "outcomes.0.proxy",
            "Bijstand bespaard: the reference value nope does not exist in national v1.",
        ),
    ],
)
def test_compute_explains_bad_input(client_for, world, national_set, change, key, english):
    body = {**every_adjustment_body(), **change}
    response = post(client_for(world.staff_a), f"{API}/compute", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"][key] == [english]


def test_a_case_round_trips_through_the_api(client_for, world, opgave_a, national_set):
    client = client_for(world.staff_a)
    created = post(
        client, f"{API}/cases", {"opgave_id": opgave_a.pk, "title": "Via API", "base_year": 2025}
    )
    assert created.status_code == 201
    case = created.json()
    assert case["discount_rate"] == "2.25"
    body = {"title": "Via API", **every_adjustment_body()}
    saved = post(client, f"{API}/cases/{case['id']}", body, method="put")
    assert saved.status_code == 200, saved.content
    assert [c["amount_cents"] for c in saved.json()["costs"]] == [2_000_000, 500_000, 250_000]
    result = client.get(f"{API}/cases/{case['id']}/result").json()
    assert result["npv_cents"] == 5_446_540
    published = post(client, f"{API}/cases/{case['id']}/publish", {})
    assert published.json()["published_figures"]["npv"] == "54465.40"
    # A published case cannot be replaced; nothing changes.
    again = post(client, f"{API}/cases/{case['id']}", body, method="put")
    assert again.status_code == 400
    assert CostLine.objects.filter(business_case_id=case["id"]).count() == 3


def test_a_bad_save_through_the_api_saves_nothing(client_for, world, case_a):
    body = {"title": "Lokaal werk", **every_adjustment_body(), "horizon_years": 0}
    response = post(client_for(world.staff_a), f"{API}/cases/{case_a.pk}", body, method="put")
    assert response.status_code == 400
    assert "horizon" in response.json()["errors"]
    assert CostLine.objects.filter(business_case=case_a).count() == 1
    assert BusinessCase.objects.get(pk=case_a.pk).horizon_years == 3


def test_opgaven_through_the_api(client_for, world, opgave_a):
    client = client_for(world.staff_a)
    listing = client.get(f"{API}/opgaven").json()
    assert listing["count"] == 1
    assert listing["items"][0]["goals"] == [
        {"kind": "jobs", "indicator": "bewoners met een baan", "target": "2.00", "unit": "bewoners"}
    ]
    body = {
        "title": "Speeltuin",
        "commissioner_id": world.organisation_a.pk,
        "budget_cents": 5_000_000,
        "contract_value_cents": 4_000_000,
        "start_date": "2025-04-01",
        "end_date": "2025-09-30",
        "area_ids": [world.area_a.pk],
        "goals": [{"kind": "loneliness", "indicator": "bewoners die meedoen", "target": "20"}],
    }
    created = post(client, f"{API}/opgaven", body)
    assert created.status_code == 201
    assert created.json()["duration_months"] == 6
    bad = post(client, f"{API}/opgaven", {**body, "title": "X", "budget_cents": -1})
    assert bad.status_code == 400
    assert "budget_cents" in bad.json()["errors"]
    foreign = post(
        client, f"{API}/opgaven", {**body, "title": "Y", "commissioner_id": world.organisation_b.pk}
    )
    assert foreign.status_code == 400
    assert Opgave.objects.count() == 2


def test_a_token_works_in_its_own_neighbourhood(client, world, opgave_a):
    _token, secret = api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="bi")
    response = client.get(f"{API}/opgaven", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_social_return_and_reference_values(client_for, world, national_set):
    client = client_for(world.representative_a)
    result = post(
        client,
        f"{API}/social-return",
        {
            "contract_value_cents": 200_000_000,
            "labour_share": "40",
            "duration_months": 12,
            "planned": {"placement_welfare": 3},
        },
    ).json()
    assert result["obligation_cents"] == 10_000_000
    assert result["residents_employable"] == 2
    assert result["credited_cents"] == 12_000_000
    assert result["remaining_cents"] == 0
    bad = post(client, f"{API}/social-return", {"contract_value_cents": -1})
    assert bad.status_code == 400
    values = client.get(f"{API}/reference-values").json()
    assert values["label"] == "national v1" or values["national"]
    welfare = next(v for v in values["values"] if v["key"] == "welfare_benefit_cost")
    assert welfare["value"] == "14000.00" and welfare["year"] == 2018


def test_the_openapi_schema_includes_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/businesscase/compute" in schema["paths"]
    assert "/api/v1/businesscase/cases/{case_id}/result" in schema["paths"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (
            {"costs": [{"actor": "w", "label": "x", "year": 0, "amount_cents": 10**30}]},
            "costs.0.amount",
        ),
        (
            {"outcomes": [{**every_adjustment_body()["outcomes"][0], "quantity": "1e30"}]},
            "outcomes.0.quantity",
        ),
        (
            {"outcomes": [{**every_adjustment_body()["outcomes"][0], "deadweight": "1e40"}]},
            "outcomes.0.deadweight",
        ),
    ],
)
def test_absurd_numbers_get_a_message_not_a_crash(client_for, world, national_set, change, key):
    body = {**every_adjustment_body(), **change}
    response = post(client_for(world.staff_a), f"{API}/compute", body)
    assert response.status_code == 400
    assert key in response.json()["errors"]


def test_unknown_fields_and_nul_characters_are_refused(client_for, world, case_a):
    client = client_for(world.staff_a)
    unknown = post(client, f"{API}/compute", {**every_adjustment_body(), "bogus": 1})
    assert unknown.status_code == 422
    body = {"title": "Lokaal\x00werk", **every_adjustment_body()}
    nul = post(client, f"{API}/cases/{case_a.pk}", body, method="put")
    assert nul.status_code == 400
    long_label = {"title": "x" * 161, **every_adjustment_body()}
    too_long = post(client, f"{API}/cases/{case_a.pk}", long_label, method="put")
    assert too_long.status_code == 400
    assert "title" in too_long.json()["errors"]
