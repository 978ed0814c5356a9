from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heelwijk.accounts"
    label = "accounts"
