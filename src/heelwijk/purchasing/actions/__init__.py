"""Every write of the purchasing app. Each validates fully, runs atomically and is audited.

Split by topic: catalogue (categories, preferred suppliers), campaigns, offers, pledges,
allocation (solve, propose, finalise) and contracting (contracts and ledger postings).
"""

from .allocation import allocation_finalise, allocation_propose
from .campaigns import campaign_cancel, campaign_create, campaign_update
from .catalogue import agreement_create, agreement_update, category_create
from .contracting import contracts_start
from .offers import TierInput, offer_submit, offer_update, offer_withdraw, validate_tiers
from .pledges import pledge_confirm, pledge_decline, pledge_save, pledge_withdraw

__all__ = [
    "TierInput",
    "agreement_create",
    "agreement_update",
    "allocation_finalise",
    "allocation_propose",
    "campaign_cancel",
    "campaign_create",
    "campaign_update",
    "category_create",
    "contracts_start",
    "offer_submit",
    "offer_update",
    "offer_withdraw",
    "pledge_confirm",
    "pledge_decline",
    "pledge_save",
    "pledge_withdraw",
    "validate_tiers",
]
