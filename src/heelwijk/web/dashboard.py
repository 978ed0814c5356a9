"""The cards on a resident's home page: what each app has to say to this household.

An app offers cards in a ``dashboard.py`` module with a function
``cards(*, user, neighbourhood, household) -> list[Card]`` (``household`` may be None). Each
app answers with a fixed number of queries, whatever the amount of data, so the home page
stays fast (targets.md P8).
"""

from dataclasses import dataclass

from django.utils.functional import Promise

from heelwijk.app_hooks import app_modules


@dataclass(frozen=True)
class Card:
    title: str | Promise
    text: str | Promise
    url: str
    link_text: str | Promise
    figure: str = ""  # a big number, e.g. a balance or a saving; empty for none
    to_do: bool = False  # something the household is asked to do (shown first)


def resident_cards(*, user, neighbourhood, household) -> list[Card]:
    cards: list[Card] = []
    for module in app_modules("dashboard"):
        cards.extend(module.cards(user=user, neighbourhood=neighbourhood, household=household))
    return sorted(cards, key=lambda card: not card.to_do)
