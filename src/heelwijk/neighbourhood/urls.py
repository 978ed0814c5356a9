from django.urls import path

from . import import_views, views

app_name = "neighbourhood"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("huishoudens/", views.household_list, name="household_list"),
    path("mensen/", views.person_list, name="person_list"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
    # Import of households, people and organisations (import_views.py).
    path("importeren/", import_views.import_upload, name="import_upload"),
    path("importeren/<str:batch>/", import_views.import_review, name="import_review"),
]
