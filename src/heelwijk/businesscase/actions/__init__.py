"""Every write of the business case app. Each one checks everything first, then writes all of it
in one database transaction with an audit entry, or raises ValidationError and writes nothing."""

from .cases import (
    ACTOR_KIND_FOR_ORGANISATION,
    business_case_create,
    business_case_publish,
    business_case_save,
    business_case_use_current_references,
    business_case_withdraw,
    default_discount_rate,
    validate_draft,
)
from .opgaven import GoalDraft, opgave_create, opgave_update
from .references import ReferenceValueDraft, reference_value_save

__all__ = [
    "ACTOR_KIND_FOR_ORGANISATION",
    "GoalDraft",
    "ReferenceValueDraft",
    "business_case_create",
    "business_case_publish",
    "business_case_save",
    "business_case_use_current_references",
    "business_case_withdraw",
    "default_discount_rate",
    "opgave_create",
    "opgave_update",
    "reference_value_save",
    "validate_draft",
]
