"""Forms of the business case pages. They only parse and check input; actions do the writing."""

from .editor import (
    ActorFormSet,
    BusinessCaseCreateForm,
    CaseEditor,
    CaseSettingsForm,
    CostFormSet,
    OutcomeFormSet,
    proxy_choice_list,
)
from .numbers import NumberField, euro_field, parse_number, percent_field
from .opgaven import GoalFormSet, OpgaveForm, default_base_year, goal_drafts
from .references import ReferenceValueForm, SocialReturnForm

__all__ = [
    "ActorFormSet",
    "BusinessCaseCreateForm",
    "CaseEditor",
    "CaseSettingsForm",
    "CostFormSet",
    "GoalFormSet",
    "NumberField",
    "OpgaveForm",
    "OutcomeFormSet",
    "ReferenceValueForm",
    "SocialReturnForm",
    "default_base_year",
    "euro_field",
    "goal_drafts",
    "parse_number",
    "percent_field",
    "proxy_choice_list",
]
