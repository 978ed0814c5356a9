from django.urls import path

from .views import issue, manage, pay, public, wallet

app_name = "currency"

urlpatterns = [
    path("", wallet.home, name="home"),
    path("openen/<str:code>/", wallet.open_own, name="open_own"),
    path("portemonnee/<int:pk>/", wallet.wallet_detail, name="wallet"),
    path("portemonnee/<int:pk>/laatste/", wallet.wallet_latest, name="wallet_latest"),
    path("portemonnee/<int:pk>/instellingen/", wallet.wallet_settings, name="wallet_settings"),
    path("portemonnee/<int:pk>/limiet/", wallet.wallet_limit, name="wallet_limit"),
    path("portemonnee/<int:pk>/betalen/", pay.pay, name="pay"),
    path("portemonnee/<int:pk>/verzoek/", pay.request_create, name="request_create"),
    path("portemonnee/<int:pk>/inwisselen/", pay.redeem, name="redeem"),
    path("betaling/<int:pk>/", wallet.receipt, name="receipt"),
    path("verzoek/<str:token>/", pay.request_page, name="request"),
    path("verzoek/<str:token>/status/", pay.request_status, name="request_status"),
    path("verzoek/<str:token>/intrekken/", pay.request_cancel, name="request_cancel"),
    path("code/<str:payment_code>/", wallet.code_landing, name="code"),
    path("winkel/<int:pk>/", wallet.shop, name="shop"),
    path("openbaar/<slug:slug>/<str:code>/", public.circulation, name="circulation"),
    path("beheer/", manage.manage, name="manage"),
    path("beheer/nieuw/", manage.currency_new, name="currency_new"),
    path("beheer/<str:code>/", manage.currency_settings, name="currency_settings"),
    path("beheer/<str:code>/vertrouwen/", manage.trust_rule_add, name="trust_rule_add"),
    path(
        "beheer/<str:code>/vertrouwen/<int:rule_id>/verwijderen/",
        manage.trust_rule_delete,
        name="trust_rule_delete",
    ),
    path("beheer/<str:code>/machtigingen/", manage.authorisation_grant, name="authorisation_grant"),
    path(
        "beheer/<str:code>/machtigingen/<int:grant_id>/intrekken/",
        manage.authorisation_revoke,
        name="authorisation_revoke",
    ),
    path("beheer/<str:code>/portemonnees/", manage.wallet_list, name="wallet_list"),
    path("beheer/<str:code>/portemonnees/nieuw/", manage.wallet_create, name="wallet_create"),
    path("munt/<str:code>/winkels/", wallet.shops, name="shops"),
    path("munt/<str:code>/uren/", issue.credit_hours, name="credit_hours"),
    path("munt/<str:code>/storten/", issue.deposit, name="deposit"),
]
