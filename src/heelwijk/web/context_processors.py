"""Template context every page needs: the current neighbourhood and what the user may open."""

from heelwijk.neighbourhood.access import access_for


def navigation(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    access = access_for(getattr(request, "user", None))
    is_staff = bool(neighbourhood and (access.is_superuser or access.is_staff(neighbourhood.pk)))
    return {
        "current_neighbourhood": neighbourhood,
        "nav_is_staff": is_staff,
        "nav_is_resident": bool(access.person),
        "nav_is_representative": bool(neighbourhood and neighbourhood.pk in access.represents),
    }
