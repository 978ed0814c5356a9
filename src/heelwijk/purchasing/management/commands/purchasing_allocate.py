"""Run a campaign's allocation outside the request cycle (large campaigns, scheduled jobs)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from heelwijk.purchasing import actions
from heelwijk.purchasing.models import Campaign
from heelwijk.purchasing.money import format_euros


class Command(BaseCommand):
    help = (
        "Propose an allocation for an open campaign, or with --final re-optimise for the "
        "households that confirmed. Prints the totals; changes nothing when it fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="the campaign's number")
        parser.add_argument(
            "--final", action="store_true", help="re-optimise for the confirmed households"
        )

    def handle(self, *args, campaign: int, final: bool, **options):
        found = Campaign.objects.filter(pk=campaign).select_related("neighbourhood").first()
        if found is None:
            raise CommandError(f"There is no campaign {campaign}.")
        step = actions.allocation_finalise if final else actions.allocation_propose
        try:
            run = step(actor=None, campaign=found)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # The solver's time limit is settings.HEELWIJK_PURCHASING_TIME_LIMIT (environment
        # variable of the same name); past it the best allocation found is kept, with its gap.
        gap = f", gap {run.gap_ppm / 10_000:.4f} %" if run.gap_ppm else ""
        self.stdout.write(
            f"{found.title}: {run.households_placed} of {run.households_considered} households "
            f"placed, saving {format_euros(run.total_saving_cents)} a year "
            f"(greedy: {format_euros(run.greedy_saving_cents)}); solver {run.solver_status}"
            f"{gap}, {run.solve_milliseconds} ms."
        )
