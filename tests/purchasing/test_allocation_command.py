"""The allocation command and the solver's time limit setting (HEELWIJK_PURCHASING_TIME_LIMIT)."""

import io

from django.core.management import call_command
from django.test import override_settings

from heelwijk.purchasing.models import AllocationRun

from .conftest import pledge


def test_the_time_limit_setting_is_a_number_of_seconds():
    from django.conf import settings

    assert isinstance(settings.HEELWIJK_PURCHASING_TIME_LIMIT, float)
    assert settings.HEELWIJK_PURCHASING_TIME_LIMIT > 0


def test_the_command_reports_an_optimal_allocation(purchasing):
    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    out = io.StringIO()
    call_command("purchasing_allocate", campaign.pk, stdout=out)
    assert "2 of 2 households placed" in out.getvalue()
    assert "solver optimal," in out.getvalue()
    run = AllocationRun.objects.get(campaign=campaign, kind="proposal", is_current=True)
    assert run.solver_status == "optimal"
    assert run.gap_ppm == 0


@override_settings(HEELWIJK_PURCHASING_TIME_LIMIT=0.0)
def test_out_of_time_the_best_allocation_found_is_kept_and_says_so(purchasing):
    # No time at all: the exact solver returns the greedy start unchanged, marked time_limit.
    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    out = io.StringIO()
    call_command("purchasing_allocate", campaign.pk, stdout=out)
    assert "2 of 2 households placed" in out.getvalue()
    assert "solver time_limit" in out.getvalue()
    run = AllocationRun.objects.get(campaign=campaign, kind="proposal", is_current=True)
    assert run.solver_status == "time_limit"
    assert run.total_saving_cents == run.greedy_saving_cents
