from django.apps import AppConfig


class BusinesscaseConfig(AppConfig):
    name = "heelwijk.businesscase"
    label = "businesscase"
