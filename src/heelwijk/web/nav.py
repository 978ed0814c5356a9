"""A menu item an app offers in the site header."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    # A django-rules permission asked about the current neighbourhood; None means everyone
    # logged in to a neighbourhood sees the item.
    permission: str | None = None
