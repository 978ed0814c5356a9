from django.urls import path

from . import on_behalf_views, views

app_name = "purchasing"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("campagnes/nieuw/", views.campaign_create, name="campaign_create"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/bewerken/", views.campaign_update, name="campaign_update"),
    path("campagnes/<int:pk>/annuleren/", views.campaign_cancel, name="campaign_cancel"),
    path("campagnes/<int:pk>/aanmelden/", views.pledge_edit, name="pledge_edit"),
    path("campagnes/<int:pk>/intrekken/", views.pledge_withdraw, name="pledge_withdraw"),
    path("campagnes/<int:pk>/bevestigen/", views.pledge_confirm, name="pledge_confirm"),
    path("campagnes/<int:pk>/afzien/", views.pledge_decline, name="pledge_decline"),
    path("campagnes/<int:pk>/namens/", on_behalf_views.household_list, name="on_behalf_list"),
    path(
        "campagnes/<int:pk>/namens/<int:household_id>/",
        on_behalf_views.pledge_for_household,
        name="on_behalf_household",
    ),
    path(
        "campagnes/<int:pk>/namens/<int:household_id>/<str:step>/",
        on_behalf_views.decide_for_household,
        name="on_behalf_step",
    ),
    path("campagnes/<int:pk>/verdelen/", views.allocation_propose, name="allocation_propose"),
    path("campagnes/<int:pk>/herverdelen/", views.allocation_finalise, name="allocation_finalise"),
    path("campagnes/<int:pk>/contracten/", views.contracts_start, name="contracts_start"),
    path("campagnes/<int:pk>/resultaten/", views.results, name="results"),
    path(
        "campagnes/<int:pk>/export/<int:supplier_id>.<str:fmt>",
        views.export,
        name="export",
    ),
    path("campagnes/<int:pk>/aanbiedingen/nieuw/", views.offer_create, name="offer_create"),
    path("aanbiedingen/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("aanbiedingen/<int:pk>/bewerken/", views.offer_update, name="offer_update"),
    path("aanbiedingen/<int:pk>/intrekken/", views.offer_withdraw, name="offer_withdraw"),
    path("leveranciers/", views.supplier_list, name="supplier_list"),
    path("leveranciers/nieuw/", views.supplier_create, name="supplier_create"),
    path("leveranciers/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("leveranciers/<int:pk>/bewerken/", views.supplier_update, name="supplier_update"),
    path("categorieen/", views.category_list, name="category_list"),
    path("voor-leveranciers/", views.supplier_portal, name="supplier_portal"),
]
