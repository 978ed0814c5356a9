from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "heelwijk.ledger"
    label = "ledger"
