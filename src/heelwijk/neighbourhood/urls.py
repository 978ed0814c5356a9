from django.urls import path

from . import views

app_name = "neighbourhood"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("huishoudens/", views.household_list, name="household_list"),
    path("mensen/", views.person_list, name="person_list"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
]
