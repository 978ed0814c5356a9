from django.apps import AppConfig


class CurrencyConfig(AppConfig):
    name = "heelwijk.currency"
    label = "currency"
