from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "heelwijk.purchasing"
    label = "purchasing"
