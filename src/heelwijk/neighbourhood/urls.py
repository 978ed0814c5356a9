from django.urls import path

from . import import_views, privacy_views, views

app_name = "neighbourhood"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("huishoudens/", views.household_list, name="household_list"),
    path("huishoudens/nieuw/", views.household_create, name="household_create"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household_detail"),
    path("huishoudens/<int:pk>/bewerken/", views.household_edit, name="household_edit"),
    path("mensen/", views.person_list, name="person_list"),
    path("mensen/nieuw/", views.person_create, name="person_create"),
    path("mensen/<int:pk>/", views.person_detail, name="person_detail"),
    path("mensen/<int:pk>/bewerken/", views.person_edit, name="person_edit"),
    path(
        "mensen/<int:pk>/gegevens.json",
        privacy_views.person_export_download,
        name="person_export",
    ),
    path("mensen/<int:pk>/wissen/", privacy_views.person_erase_page, name="person_erase"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisaties/<int:pk>/bewerken/", views.organisation_edit, name="organisation_edit"),
    # Import of households, people and organisations (import_views.py).
    path("importeren/", import_views.import_upload, name="import_upload"),
    path("importeren/<str:batch>/", import_views.import_review, name="import_review"),
]
