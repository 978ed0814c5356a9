from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "heelwijk.web"
    label = "web"
