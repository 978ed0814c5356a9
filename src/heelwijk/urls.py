"""URL map: pages per app, the Django admin, the JSON API and the language switch."""

from importlib import import_module

from django.contrib import admin
from django.urls import include, path

from heelwijk.api import api

urlpatterns = [
    path("", include("heelwijk.web.urls")),
    path("accounts/", include("heelwijk.accounts.urls")),
    path("staff/", include("heelwijk.neighbourhood.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Later apps contribute pages under their own prefix once they have a urls module.
for _app in ("ledger", "currency", "purchasing", "businesscase"):
    try:
        import_module(f"heelwijk.{_app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"heelwijk.{_app}.urls":
            raise
        continue
    urlpatterns.append(path(f"{_app}/", include(f"heelwijk.{_app}.urls")))
