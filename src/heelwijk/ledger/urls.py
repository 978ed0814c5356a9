"""Pages of the ledger, mounted at /ledger/."""

from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("mijn-rekeningen/", views.my_accounts, name="my_accounts"),
    path("rekeningen/<int:pk>/", views.account_detail, name="account_detail"),
    path("boekingen/", views.transaction_list, name="transaction_list"),
    path("boekingen/<int:pk>/", views.transaction_detail, name="transaction_detail"),
    path(
        "boekingen/<int:pk>/terugdraaien/",
        views.transaction_reverse,
        name="transaction_reverse",
    ),
    path("proefbalans/", views.trial_balance, name="trial_balance"),
    path("controle/", views.chain_status, name="chain_status"),
]
