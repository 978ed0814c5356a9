"""Template context every page needs: the current neighbourhood and the menu the user may see.

Each app may offer menu items in a `nav.py` module with a list `ITEMS` of `NavItem`s; an item is
shown when the user has its permission in the current neighbourhood.
"""

from django.urls import reverse

from heelwijk.app_hooks import app_modules
from heelwijk.neighbourhood.access import access_for

from .nav import NavItem


def _app_items() -> list[NavItem]:
    return [item for module in app_modules("nav") for item in module.ITEMS]


def navigation(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    user = getattr(request, "user", None)
    access = access_for(user)
    is_staff = bool(neighbourhood and (access.is_superuser or access.is_staff(neighbourhood.pk)))
    menu = []
    if neighbourhood is not None and user is not None and user.is_authenticated:
        for item in _app_items():
            if item.permission is None or user.has_perm(item.permission, neighbourhood):
                menu.append(
                    {"url": reverse(item.url_name), "label": item.label, "name": item.url_name}
                )
    return {
        "current_neighbourhood": neighbourhood,
        "nav_is_staff": is_staff,
        "nav_is_resident": bool(access.person),
        "nav_is_representative": bool(neighbourhood and neighbourhood.pk in access.represents),
        "nav_menu": menu,
    }
