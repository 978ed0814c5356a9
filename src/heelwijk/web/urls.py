from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("wijk/kiezen/", views.switch_neighbourhood, name="switch_neighbourhood"),
]
