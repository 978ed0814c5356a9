"""Reads of currencies, wallets, payments and requests. Always scoped by neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from heelwijk.ledger.selectors import StatementRow, statement
from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.models import Neighbourhood, Organisation

from ..models import (
    CreditAuthorisation,
    Currency,
    LimitChange,
    Payment,
    PaymentRequest,
    ReserveMovement,
    TrustRule,
    VolunteerCredit,
    Wallet,
)

MAX_SEARCH_WORDS = 6
RECIPIENTS_SHOWN = 20


# --- currencies ------------------------------------------------------------------------------


def currency_list(*, neighbourhood: Neighbourhood, active_only: bool = False) -> QuerySet[Currency]:
    qs = Currency.objects.filter(neighbourhood=neighbourhood).select_related("unit")
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "pk")


def currency_get(*, neighbourhood: Neighbourhood, code: str) -> Currency:
    """The currency with this code in the neighbourhood (Currency.DoesNotExist otherwise)."""
    return Currency.objects.select_related(
        "unit",
        "neighbourhood",
        "community_account",
        "issuance_account",
        "reserve_account",
        "outstanding_account",
    ).get(neighbourhood=neighbourhood, code=(code or "").strip().upper())


def currency_by_code(*, neighbourhood: Neighbourhood, code: str) -> Currency:
    """Like ``currency_get`` but lean, for the payment path: only the unit is joined and the
    caller's neighbourhood object is reused."""
    currency = Currency.objects.select_related("unit").get(
        neighbourhood=neighbourhood, code=(code or "").strip().upper()
    )
    currency.neighbourhood = neighbourhood
    return currency


def currency_exists_elsewhere(*, neighbourhood: Neighbourhood, code: str) -> bool:
    """A currency with this code exists, but in another neighbourhood."""
    return (
        Currency.objects.filter(code=(code or "").strip().upper())
        .exclude(neighbourhood=neighbourhood)
        .exists()
    )


def public_currency(*, slug: str, code: str) -> Currency:
    return Currency.objects.select_related("unit", "neighbourhood").get(
        neighbourhood__slug=slug, code=(code or "").strip().upper()
    )


# --- wallets ---------------------------------------------------------------------------------

_WALLET_RELATED = (
    "account",
    "account__unit",
    "currency",
    "currency__unit",
    "currency__neighbourhood",
    "area",
)


def wallets_for_user(*, user: Any, neighbourhood: Neighbourhood) -> list[Wallet]:
    """The wallets the user holds as a resident or a representative (not the community
    account), residents' own first."""
    wallets = (
        Wallet.objects.filter(_holder_condition(user, neighbourhood), neighbourhood=neighbourhood)
        .exclude(kind=Wallet.Kind.COMMUNITY)
        .select_related(*_WALLET_RELATED, "organisation")
    )
    order = {"person": 0, "household": 1, "shop": 2, "organisation": 3}
    return sorted(wallets, key=lambda w: (order.get(w.kind, 9), w.currency.name, w.pk))


def wallet_for_user(*, user: Any, currency: Currency) -> Wallet | None:
    """The wallet the user pays from in ``currency``: their own first, then their household's,
    then one of an organisation they represent."""
    for wallet in wallets_for_user(user=user, neighbourhood=currency.neighbourhood):
        if wallet.currency_id == currency.pk:
            return wallet
    return None


def _holder_condition(user: Any, neighbourhood: Neighbourhood) -> Q:
    access = access_for(user)
    condition = Q(pk__in=[])
    person = access.person
    if person is not None and person.neighbourhood_id == neighbourhood.pk:
        condition |= Q(person_id=person.pk)
        if person.household_id:
            condition |= Q(household_id=person.household_id)
    organisations = access.organisation_ids(neighbourhood.pk)
    if organisations:
        condition |= Q(organisation_id__in=organisations)
    return condition


def paying_wallet(*, user: Any, currency: Currency) -> Wallet | None:
    """The wallet the user pays from in ``currency`` (as ``wallet_for_user``), lean: with its
    account, and the currency object the caller holds."""
    order = {"person": 0, "household": 1, "shop": 2, "organisation": 3}
    found = sorted(
        Wallet.objects.filter(_holder_condition(user, currency.neighbourhood), currency=currency)
        .exclude(kind=Wallet.Kind.COMMUNITY)
        .select_related("account"),
        key=lambda w: (order.get(w.kind, 9), w.pk),
    )
    if not found:
        return None
    found[0].currency = currency
    return found[0]


def wallet_for_paying(
    *, currency: Currency, wallet_id: int | None = None, payment_code: str | None = None
) -> Wallet:
    """A wallet of the currency's neighbourhood by id or payment code, lean (with its account);
    Wallet.DoesNotExist when there is none. It may hold another currency: the payment checks."""
    wallets = Wallet.objects.select_related("account").filter(
        neighbourhood_id=currency.neighbourhood_id
    )
    if wallet_id is not None:
        wallet = wallets.get(pk=wallet_id)
    else:
        wallet = wallets.get(payment_code=payment_code)
    if wallet.currency_id == currency.pk:
        wallet.currency = currency
    return wallet


def wallet_get(*, neighbourhood: Neighbourhood, wallet_id: int) -> Wallet:
    return Wallet.objects.select_related(
        *_WALLET_RELATED, "organisation", "household", "person", "currency__neighbourhood"
    ).get(neighbourhood=neighbourhood, pk=wallet_id)


def wallet_by_code(*, neighbourhood: Neighbourhood, payment_code: str) -> Wallet:
    return Wallet.objects.select_related(*_WALLET_RELATED, "organisation").get(
        neighbourhood=neighbourhood, payment_code=payment_code
    )


def community_wallet(*, currency: Currency) -> Wallet:
    return Wallet.objects.select_related(*_WALLET_RELATED).get(
        currency=currency, kind=Wallet.Kind.COMMUNITY
    )


def wallet_list(*, currency: Currency, search: str = "", kind: str = "") -> QuerySet[Wallet]:
    """Every wallet of the currency with its balance (staff)."""
    qs = Wallet.objects.filter(currency=currency).select_related(*_WALLET_RELATED)
    if kind:
        qs = qs.filter(kind=kind)
    for word in (search or "").split()[:MAX_SEARCH_WORDS]:
        qs = qs.filter(
            Q(name__icontains=word) | Q(payment_code__iexact=word) | Q(area__name__icontains=word)
        )
    return qs.order_by("kind", "name", "pk")


def recipient_search(
    *,
    currency: Currency,
    search: str = "",
    area_id: int | None = None,
    exclude: Wallet | None = None,
) -> list[Wallet]:
    """Wallets one may pay, found by name and area: listed, open, shops first."""
    qs = (
        Wallet.objects.filter(currency=currency, is_listed=True, account__is_open=True)
        .exclude(kind=Wallet.Kind.COMMUNITY)
        .select_related("area", "organisation")
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if area_id:
        qs = qs.filter(area_id=area_id)
    words = (search or "").split()[:MAX_SEARCH_WORDS]
    for word in words:
        qs = qs.filter(Q(name__icontains=word) | Q(area__name__icontains=word))
    if not words and not area_id:
        qs = qs.filter(kind=Wallet.Kind.SHOP)
    shops_first = sorted(
        qs.order_by("name", "pk")[: RECIPIENTS_SHOWN * 2],
        key=lambda w: (w.kind != Wallet.Kind.SHOP, w.name.lower(), w.pk),
    )
    return shops_first[:RECIPIENTS_SHOWN]


def shops_accepting(*, currency: Currency) -> QuerySet[Wallet]:
    return (
        Wallet.objects.filter(
            currency=currency, kind=Wallet.Kind.SHOP, is_listed=True, account__is_open=True
        )
        .select_related("organisation")
        .order_by("name", "pk")
    )


def areas_with_wallets(*, currency: Currency) -> list[Any]:
    from heelwijk.neighbourhood.selectors import area_list

    return list(area_list(neighbourhood=currency.neighbourhood).order_by("name"))


def limit_changes(*, wallet: Wallet) -> QuerySet[LimitChange]:
    return wallet.limit_changes.select_related("actor").order_by("-at", "-pk")


# --- statement -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WalletLine:
    """One line of a wallet's statement, with what it was in words."""

    row: StatementRow
    kind: str  # payment_in, payment_out, volunteering, deposit, redemption, demurrage, ...
    counterparty: str  # the other wallet(s), "" when only the currency's own books took part
    description: str  # what the payer wrote, or the ledger's description of the rest
    payment_id: int | None


@dataclass(frozen=True)
class WalletStatement:
    lines: list[WalletLine]
    page: int
    num_pages: int
    count: int
    has_next: bool
    has_previous: bool


def _counterparty_names(currency: Currency) -> tuple[str, str, str]:
    """How the statement names other accounts: wallet accounts are named "<CODE> <name>"; the
    community account carries its own name; the issuance and euro accounts are left out."""
    community = (
        Wallet.objects.filter(currency=currency, kind=Wallet.Kind.COMMUNITY)
        .select_related("account")
        .only("name", "account__name")
        .first()
    )
    if community is None:
        return f"{currency.code} ", "", ""
    return f"{currency.code} ", community.account.name, community.name


def wallet_statement(*, wallet: Wallet, page: int = 1, per_page: int = 25) -> WalletStatement:
    """Newest first, with the other party and a link to the receipt of each payment; a
    constant number of queries per page."""
    sheet = statement(account=wallet.account, page=page, per_page=per_page, newest_first=True)
    txn_ids = [r.transaction_id for r in sheet.rows]
    payments = {
        p.transaction_id: p
        for p in Payment.objects.filter(transaction_id__in=txn_ids).select_related("payer", "payee")
    }
    prefix, community_account, community_name = _counterparty_names(wallet.currency)
    lines = []
    for row in sheet.rows:
        payment = payments.get(row.transaction_id)
        if payment is not None:
            outgoing = payment.payer_id == wallet.pk
            kind = "payment_out" if outgoing else "payment_in"
            other = payment.payee.name if outgoing else payment.payer.name
            description = payment.description
        else:
            kind = row.kind.removeprefix("currency.")
            names = []
            for name in row.counter_accounts:
                if name == community_account:
                    names.append(community_name)
                elif name.startswith(prefix):
                    names.append(name.removeprefix(prefix))
            other = ", ".join(names)
            description = row.memo
        lines.append(
            WalletLine(
                row=row,
                kind=kind,
                counterparty=other,
                description=description,
                payment_id=payment.pk if payment else None,
            )
        )
    return WalletStatement(
        lines=lines,
        page=sheet.page,
        num_pages=sheet.num_pages,
        count=sheet.count,
        has_next=sheet.has_next,
        has_previous=sheet.has_previous,
    )


def latest_payments(*, wallet: Wallet, limit: int = 5) -> list[Payment]:
    """The most recent payments in and out of the wallet (for the live panel)."""
    return list(
        Payment.objects.filter(Q(payer=wallet) | Q(payee=wallet))
        .select_related("payer", "payee")
        .order_by("-created_at", "-pk")[:limit]
    )


# --- payments and requests -------------------------------------------------------------------


def payment_get(*, neighbourhood: Neighbourhood, payment_id: int) -> Payment:
    return Payment.objects.select_related(
        "currency", "currency__unit", "payer", "payee", "transaction", "request"
    ).get(neighbourhood=neighbourhood, pk=payment_id)


def request_get(*, neighbourhood: Neighbourhood, token: str) -> PaymentRequest:
    return PaymentRequest.objects.select_related(
        "currency", "currency__unit", "payee", "payee__account", "payee__organisation"
    ).get(neighbourhood=neighbourhood, token=token)


def open_requests(*, wallet: Wallet, limit: int = 10) -> list[PaymentRequest]:
    return list(
        PaymentRequest.objects.filter(payee=wallet, status=PaymentRequest.Status.OPEN).order_by(
            "-created_at"
        )[:limit]
    )


# --- earning, issuing and settings -----------------------------------------------------------


def credit_list(
    *, currency: Currency, organisation: Organisation | None = None
) -> QuerySet[VolunteerCredit]:
    qs = VolunteerCredit.objects.filter(currency=currency).select_related(
        "wallet", "organisation", "credited_by"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-created_at", "-pk")


def reserve_movements(*, currency: Currency) -> QuerySet[ReserveMovement]:
    return ReserveMovement.objects.filter(currency=currency).select_related("wallet", "actor")


def trust_rules(*, currency: Currency) -> QuerySet[TrustRule]:
    return currency.trust_rules.order_by("wallet_kind", "min_trades")


def authorisations(*, currency: Currency) -> QuerySet[CreditAuthorisation]:
    return currency.authorisations.select_related("organisation").order_by("organisation__name")


def authorised_organisations(*, user: Any, currency: Currency) -> QuerySet[Organisation]:
    """Organisations the user represents that may credit hours in ``currency``."""
    ids = access_for(user).organisation_ids(currency.neighbourhood_id)
    return Organisation.objects.filter(
        pk__in=ids,
        currency_authorisations__currency=currency,
        currency_authorisations__is_active=True,
    ).order_by("name")


def organisations_for_grant(*, neighbourhood: Neighbourhood) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(neighbourhood=neighbourhood)
        .exclude(kind=Organisation.Kind.WIJKBEDRIJF)
        .order_by("name")
    )


def holders_without_wallet(*, currency: Currency, kind: str, search: str = "") -> list[Any]:
    """Households, people or organisations that have no wallet in ``currency`` yet."""
    from heelwijk.neighbourhood.models import Household, Person

    neighbourhood = currency.neighbourhood
    words = (search or "").split()[:MAX_SEARCH_WORDS]
    if kind == "household":
        qs = Household.objects.filter(neighbourhood=neighbourhood).exclude(
            wallets__currency=currency
        )
        for word in words:
            qs = qs.filter(
                Q(street__icontains=word)
                | Q(postcode__icontains=word)
                | Q(members__last_name__icontains=word)
            )
        return list(qs.distinct().order_by("street", "house_number", "pk")[:50])
    if kind == "person":
        qs = Person.objects.filter(neighbourhood=neighbourhood).exclude(wallets__currency=currency)
        for word in words:
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return list(qs.order_by("last_name", "first_name", "pk")[:50])
    qs = organisations_for_grant(neighbourhood=neighbourhood).exclude(wallets__currency=currency)
    for word in words:
        qs = qs.filter(name__icontains=word)
    return list(qs[:50])


def payments_between(*, currency: Currency, since: date, until: date) -> QuerySet[Payment]:
    return Payment.objects.filter(
        currency=currency, effective_date__gte=since, effective_date__lte=until
    )


@dataclass(frozen=True)
class Openable:
    """A wallet the user may open for themselves: their own (or household's), or one of an
    organisation they represent."""

    currency: Currency
    holder: str  # "me" or "org:<id>"
    label: str


def openable_wallets(*, user: Any, neighbourhood: Neighbourhood) -> list[Openable]:
    access = access_for(user)
    currencies = list(currency_list(neighbourhood=neighbourhood, active_only=True))
    if not currencies:
        return []
    held = set(
        Wallet.objects.filter(
            pk__in=[w.pk for w in wallets_for_user(user=user, neighbourhood=neighbourhood)]
        ).values_list("currency_id", "household_id", "person_id", "organisation_id")
    )
    held_resident = {c for c, h, p, _o in held if h or p}
    held_org = {(c, o) for c, _h, _p, o in held if o}
    person = access.person
    organisations = list(
        Organisation.objects.filter(pk__in=access.organisation_ids(neighbourhood.pk))
        .exclude(kind=Organisation.Kind.WIJKBEDRIJF)
        .order_by("name")
    )
    is_resident = person is not None and person.neighbourhood_id == neighbourhood.pk
    result = []
    for currency in currencies:
        if is_resident and currency.pk not in held_resident:
            result.append(Openable(currency, "me", person.full_name))
        for organisation in organisations:
            if (currency.pk, organisation.pk) not in held_org:
                result.append(Openable(currency, f"org:{organisation.pk}", organisation.name))
    return result
