from django.apps import AppConfig


class NeighbourhoodConfig(AppConfig):
    name = "heelwijk.neighbourhood"
    label = "neighbourhood"
