"""Permissions of the accounts app as django-rules predicates."""

import rules

from heelwijk.neighbourhood.rules import is_staff_of, is_superuser

# Asked with a Neighbourhood (or a token, which belongs to one): the staff of that neighbourhood
# manage its API tokens, whoever made them.
rules.add_perm("accounts.manage_api_tokens", is_superuser | is_staff_of)
