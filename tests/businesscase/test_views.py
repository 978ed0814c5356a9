"""Pages: lists, forms, the live editor, the report and its exports."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from heelwijk.businesscase.models import BusinessCase, CaseOutcome, CostLine, Opgave
from heelwijk.businesscase.selectors import business_case_detail


def editor_post(case, **overrides):
    """The editor form as a browser would post it for the saved case."""
    actors = list(case.actors.all())
    data = {
        "title": case.title,
        "summary": "",
        "discount_rate": "5",
        "horizon": "3",
        "base_year": "2025",
        "sensitivity_percent": "20",
        "actors-TOTAL_FORMS": str(len(actors)),
        "actors-INITIAL_FORMS": str(len(actors)),
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "1",
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "1",
        "costs-0-actor": str(actors[0].pk),
        "costs-0-label": "Jobcoach",
        "costs-0-year": "0",
        "costs-0-amount": "10.000,00",
        "costs-0-scenario": "local_work",
        "costs-0-source": "offerte",
        "outcomes-0-beneficiary": str(actors[0].pk),
        "outcomes-0-label": "Bijstand bespaard",
        "outcomes-0-quantity": "1",
        "outcomes-0-proxy_key": "welfare_benefit_cost",
        "outcomes-0-proxy_value": "",
        "outcomes-0-proxy_source": "",
        "outcomes-0-duration": "2",
        "outcomes-0-deadweight": "0",
        "outcomes-0-displacement": "0",
        "outcomes-0-attribution": "0",
        "outcomes-0-drop_off": "10",
        "outcomes-0-adjustment_source": "",
        "outcomes-0-scenario": "local_work",
    }
    for i, a in enumerate(actors):
        data.update(
            {
                f"actors-{i}-key": str(a.pk),
                f"actors-{i}-name": a.name,
                f"actors-{i}-kind": a.kind,
                f"actors-{i}-organisation": str(a.organisation_id or ""),
            }
        )
    data.update(overrides)
    return data


def test_opgave_list_and_detail(client_for, world, opgave_a):
    client = client_for(world.staff_a)
    page = client.get(reverse("businesscase:opgave_list"))
    assert page.status_code == 200
    assert "Nieuwe riolering Lindelaan" in page.content.decode()
    detail = client.get(reverse("businesscase:opgave_detail", args=[opgave_a.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200
    # 2 % of 400,000.00 because the labour share (25 %) is below 30 %: 8,000.00
    assert "8.000,00" in body
    assert 'id="sr-residents">0<' in body


def test_opgave_list_searches_and_is_empty_politely(client_for, world, opgave_a):
    client = client_for(world.staff_a)
    page = client.get(reverse("businesscase:opgave_list"), {"q": "zwembad"})
    assert "Nieuwe riolering" not in page.content.decode()
    assert 'class="empty"' in page.content.decode()


def test_opgave_list_runs_a_constant_number_of_queries(
    client_for, world, opgave_a, django_assert_max_num_queries
):
    client = client_for(world.staff_a)
    client.get(reverse("businesscase:opgave_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("businesscase:opgave_list"))


def test_staff_add_an_opgave_with_dutch_amounts(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        reverse("businesscase:opgave_create"),
        {
            "title": "Herinrichting plein",
            "commissioner": world.organisation_a.pk,
            "budget": "2.150.000",
            "contract_value": "2.000.000,50",
            "labour_share": "35,5",
            "start_date": "2025-09-01",
            "end_date": "2026-08-31",
            "areas": [world.area_a.pk],
            "status": "tender",
            "goals-TOTAL_FORMS": "1",
            "goals-INITIAL_FORMS": "0",
            "goals-0-kind": "jobs",
            "goals-0-indicator": "bewoners met werk",
            "goals-0-target": "3",
            "goals-0-unit": "bewoners",
        },
    )
    opgave = Opgave.objects.get(title="Herinrichting plein")
    assert response.status_code == 302
    assert (opgave.budget_cents, opgave.contract_value_cents) == (215_000_000, 200_000_050)
    assert opgave.labour_share == D("35.5")
    assert opgave.goals.get().target == D(3)


def test_bad_opgave_form_shows_errors_and_saves_nothing(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        reverse("businesscase:opgave_create"),
        {
            "title": "Fout",
            "commissioner": world.organisation_a.pk,
            "budget": "-5",
            "contract_value": "abc",
            "labour_share": "150",
            "start_date": "2025-09-01",
            "end_date": "2025-01-01",
            "status": "tender",
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit kan niet negatief zijn." in body or "This cannot be negative." in body
    assert Opgave.objects.count() == 0


def test_the_editor_shows_the_result(client_for, world, case_a):
    page = client_for(world.staff_a).get(reverse("businesscase:case_edit", args=[case_a.pk]))
    assert page.status_code == 200
    assert 'id="sroi-ratio">2,67<' in page.content.decode()


def test_the_live_preview_recalculates_without_saving(client_for, world, case_a):
    client = client_for(world.staff_a)
    url = reverse("businesscase:case_preview", args=[case_a.pk])
    data = editor_post(case_a, **{"outcomes-0-quantity": "2"})
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    # 2 x (13333.33 + 11428.57) = 49523.81 (rounded per year: 26666.67 + 22857.14)
    # against 10000.00: ratio 4.95
    assert 'id="sroi-ratio">4,95<' in response.content.decode()
    assert CostLine.objects.filter(business_case=case_a).count() == 1
    case = business_case_detail(neighbourhood=world.nbh_a, pk=case_a.pk)
    assert case.outcomes.get(label="Bijstand bespaard").quantity == D(1)


def test_the_preview_explains_bad_input(client_for, world, case_a):
    client = client_for(world.staff_a)
    url = reverse("businesscase:case_preview", args=[case_a.pk])
    data = editor_post(case_a, **{"outcomes-0-quantity": "-1", "horizon": "0"})
    body = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert 'class="problems"' in body
    assert "sroi-ratio" not in body


def test_saving_the_editor_writes_the_case(client_for, world, case_a):
    client = client_for(world.staff_a)
    response = client.post(
        reverse("businesscase:case_edit", args=[case_a.pk]),
        editor_post(case_a, **{"costs-0-amount": "12.500,50", "save": "1"}),
    )
    assert response.status_code == 302
    assert CostLine.objects.get(business_case=case_a).amount_cents == 1_250_050
    # The residents' outcome was not in the post, so it is gone.
    assert CaseOutcome.objects.filter(business_case=case_a).count() == 1


def test_a_bad_save_changes_nothing(client_for, world, case_a):
    client = client_for(world.staff_a)
    response = client.post(
        reverse("businesscase:case_edit", args=[case_a.pk]),
        editor_post(case_a, **{"outcomes-0-drop_off": "120", "costs-0-amount": "1,00"}),
    )
    assert response.status_code == 200
    assert CostLine.objects.get(business_case=case_a).amount_cents == 1_000_000
    assert CaseOutcome.objects.filter(business_case=case_a).count() == 2


def test_adding_a_row_keeps_what_was_typed(client_for, world, case_a):
    client = client_for(world.staff_a)
    response = client.post(
        reverse("businesscase:case_edit", args=[case_a.pk]),
        editor_post(case_a, add="costs", **{"costs-0-label": "Nog niet bewaard"}),
    )
    body = response.content.decode()
    assert 'name="costs-1-label"' in body
    assert "Nog niet bewaard" in body
    assert CostLine.objects.get(business_case=case_a).label == "Jobcoach"


def test_the_report_lists_tables_charts_and_sources(client_for, world, published_case_a):
    page = client_for(world.representative_a).get(
        reverse("businesscase:case_report", args=[published_case_a.pk])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('<svg class="chart"') == 4
    for table in ("summary", "actors", "scenarios", "years", "sensitivity", "sources"):
        assert f'id="table-{table}"' in body
    assert "Berenschot" in body  # the source of the welfare proxy
    assert "eigen schatting" in body  # the source of the own value
    assert "float" not in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_exports(client_for, world, published_case_a, fmt):
    response = client_for(world.staff_a).get(
        reverse("businesscase:case_export", args=[published_case_a.pk, fmt])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        flat = [cell for row in rows for cell in row]
        assert "26666.66" in flat  # present value of the benefits, exactly
        assert "10000.00" in flat
    elif fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        values = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row]
        assert D("26666.66") in [D(str(v)) for v in values if isinstance(v, (int, float))]
    else:
        assert content.startswith(b"%PDF")


def test_unknown_export_format_is_not_found(client_for, world, published_case_a):
    response = client_for(world.staff_a).get(
        f"/businesscase/business-cases/{published_case_a.pk}/rapport.doc"
    )
    assert response.status_code == 404


def test_publish_and_withdraw_from_the_pages(client_for, world, case_a):
    client = client_for(world.staff_a)
    client.post(reverse("businesscase:case_publish", args=[case_a.pk]))
    assert BusinessCase.objects.get(pk=case_a.pk).is_published
    # A published case cannot be edited: the editor sends you to the report.
    editor = client.get(reverse("businesscase:case_edit", args=[case_a.pk]))
    assert editor.status_code == 302
    client.post(reverse("businesscase:case_withdraw", args=[case_a.pk]))
    assert not BusinessCase.objects.get(pk=case_a.pk).is_published


def test_the_social_return_calculator_updates(client_for, world, opgave_a):
    client = client_for(world.representative_a)
    url = reverse("businesscase:opgave_social_return", args=[opgave_a.pk])
    assert client.get(url).status_code == 200
    response = client.get(
        url,
        {
            "contract_value": "2.000.000",
            "labour_share": "40",
            "duration_months": "12",
            "count_placement_welfare": "3",
            "count_placement_bbl": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'id="sr-obligation">€ 100.000,00<' in body
    assert 'id="sr-residents">2<' in body
    assert 'id="sr-credited">€ 155.000,00<' in body  # 3 x 40,000 + 35,000


def test_the_social_return_calculator_refuses_bad_input(client_for, world):
    client = client_for(world.staff_a)
    response = client.get(
        reverse("businesscase:social_return"),
        {"contract_value": "-1", "labour_share": "130"},
        HTTP_HX_REQUEST="true",
    )
    assert 'class="problems"' in response.content.decode()


def test_staff_change_a_reference_value_from_the_page(client_for, world, national_set):
    client = client_for(world.staff_a)
    url = reverse("businesscase:reference_edit", args=["welfare_benefit_cost"])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "key": "ignored",
            "name": "Kosten van één bijstandsuitkering",
            "category": "proxy",
            "value": "15.250,00",
            "unit": "eur_year",
            "per": "per uitkering",
            "year": "2025",
            "source": "Begroting gemeente",
            "change_note": "nieuwe begroting",
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("businesscase:reference_list")).content.decode()
    assert "15.250,00" in listing
    assert "Lindenhof v1" in listing


def test_the_report_runs_a_constant_number_of_queries(
    client_for, world, published_case_a, django_assert_max_num_queries
):
    import io

    from heelwijk.businesscase.demo import build_demo

    demo = build_demo(neighbourhood=world.nbh_a, stdout=io.StringIO())  # 5 costs, 5 outcomes
    client = client_for(world.staff_a)
    for case in (published_case_a, demo):
        url = reverse("businesscase:case_report", args=[case.pk])
        client.get(url)
        with django_assert_max_num_queries(10):
            client.get(url)
