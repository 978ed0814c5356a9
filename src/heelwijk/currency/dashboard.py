"""The local currency's cards on a resident's home page: the balance of each wallet."""

from django.urls import reverse
from django.utils.translation import gettext as _

from heelwijk.web.dashboard import Card

from .amounts import show
from .selectors import currency_list, wallets_for_user


def cards(*, user, neighbourhood, household) -> list[Card]:
    if neighbourhood is None:
        return []
    # Always the same two queries (the home page's query count must not depend on the data).
    currencies = list(currency_list(neighbourhood=neighbourhood, active_only=True)[:1])
    wallets = [w for w in wallets_for_user(user=user, neighbourhood=neighbourhood) if w.is_resident]
    found = [
        Card(
            title=wallet.currency.name,
            figure=show(wallet.account.balance, wallet.currency),
            text=_("Balance of %(wallet)s.") % {"wallet": wallet.name},
            url=reverse("currency:wallet", args=[wallet.pk]),
            link_text=_("Pay or see your statement"),
        )
        for wallet in wallets
    ]
    if not found and household is not None and currencies:
        found.append(
            Card(
                title=currencies[0].name,
                text=_("Your neighbourhood has its own currency. Open a wallet to take part."),
                url=reverse("currency:home"),
                link_text=_("Open a wallet"),
                to_do=True,
            )
        )
    return found
