"""Permissions of the business case app.

Staff of a neighbourhood edit everything in it. Representatives of organisations in the
neighbourhood (the municipality, a housing corporation) read opgaven, business cases (drafts
too: they are the partners a case is made with), reference values and the social return
calculator. Residents read the published reports of their own neighbourhood only: a draft is
work in progress between partners, and a published report is the one meant for everyone. Nobody
sees anything of another neighbourhood.

Each permission is asked with the Neighbourhood, or with the row it is about.
"""

import rules

from heelwijk.neighbourhood.rules import (
    is_representative_in,
    is_resident_of,
    is_staff_of,
    is_superuser,
)


@rules.predicate
def is_published(user, business_case) -> bool:
    return bool(business_case is not None and getattr(business_case, "is_published", False))


@rules.predicate
def is_draft(user, business_case) -> bool:
    return bool(business_case is not None and not getattr(business_case, "is_published", True))


can_edit = is_superuser | is_staff_of
partner = can_edit | is_representative_in

rules.add_perm("businesscase.list_opgaven", partner)
rules.add_perm("businesscase.view_opgave", partner)
rules.add_perm("businesscase.add_opgave", can_edit)
rules.add_perm("businesscase.change_opgave", can_edit)

rules.add_perm("businesscase.list_reports", partner | is_resident_of)
rules.add_perm("businesscase.view_businesscase", partner | (is_resident_of & is_published))
rules.add_perm("businesscase.add_businesscase", can_edit)
rules.add_perm("businesscase.change_businesscase", can_edit & is_draft)
rules.add_perm("businesscase.publish_businesscase", can_edit)

rules.add_perm("businesscase.view_reference_values", partner)
rules.add_perm("businesscase.change_reference_values", can_edit)
rules.add_perm("businesscase.use_social_return_calculator", partner)
rules.add_perm("businesscase.compute", partner)
