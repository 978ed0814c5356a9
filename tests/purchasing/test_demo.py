"""The purchasing demo: a finished energy campaign, an open internet campaign; idempotent."""

import io

from django.db import transaction

from heelwijk.neighbourhood.demo import demo_build
from heelwijk.purchasing.demo import ENERGY_TITLE, INTERNET_TITLE, build_demo
from heelwijk.purchasing.models import Campaign, Contract, Offer, Pledge, SupplierSettlement


def _fingerprint(neighbourhood) -> list:
    return [
        sorted(Campaign.objects.filter(neighbourhood=neighbourhood).values_list("title", "status")),
        sorted(
            Pledge.objects.filter(neighbourhood=neighbourhood).values_list(
                "household__street",
                "household__house_number",
                "usage",
                "current_yearly_cost_cents",
                "status",
            )
        ),
        sorted(
            Contract.objects.filter(neighbourhood=neighbourhood).values_list(
                "household__street",
                "household__house_number",
                "offer__name",
                "yearly_cost_cents",
                "saving_cents",
            )
        ),
        sorted(Offer.objects.filter(neighbourhood=neighbourhood).values_list("name", "status")),
    ]


def test_demo_builds_both_campaigns_and_is_idempotent_and_deterministic(db):
    built = demo_build(households=40, seed=7, password="demo-test-password")
    lindenhof = next(b.neighbourhood for b in built if b.neighbourhood.slug == "lindenhof")
    out = io.StringIO()
    with transaction.atomic():
        build_demo(neighbourhood=lindenhof, stdout=out)
        first = _fingerprint(lindenhof)
        transaction.set_rollback(True)
    build_demo(neighbourhood=lindenhof, stdout=out)
    assert _fingerprint(lindenhof) == first  # same base, same rows

    energy = Campaign.objects.get(neighbourhood=lindenhof, title=ENERGY_TITLE)
    internet = Campaign.objects.get(neighbourhood=lindenhof, title=INTERNET_TITLE)
    assert energy.status == Campaign.Status.CONTRACTED
    assert internet.status == Campaign.Status.OPEN
    assert internet.registration_is_open()
    assert Contract.objects.filter(campaign=energy).exists()
    assert SupplierSettlement.objects.filter(campaign=energy, posted_at__isnull=False).exists()
    assert Pledge.objects.filter(campaign=internet).exists()

    again = io.StringIO()
    build_demo(neighbourhood=lindenhof, stdout=again)
    assert _fingerprint(lindenhof) == first
    assert "nothing to add" in again.getvalue()
