"""Pages of the ledger: the staff's books (accounts, transactions, reversal, trial balance, chain
check) and the statement a resident sees of their own accounts.

Every view parses input, asks a django-rules permission, calls a selector or an action and
renders. Rows are looked up inside the user's current neighbourhood, so a row of another
neighbourhood is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from . import selectors
from .actions import reverse_transaction
from .errors import LedgerError
from .forms import AccountFilterForm, AtDateForm, ReverseForm, TransactionFilterForm
from .models import Account, Transaction
from .money import format_amount

STATEMENT_PER_PAGE = 25


# --- helpers ---------------------------------------------------------------------------------


def login_required_page(view: Any) -> Any:
    """Like login_required, but an htmx request is sent to the login page as a whole page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            path = request.get_full_path()
            if getattr(request, "htmx", False):
                login_url = resolve_url(settings.LOGIN_URL)
                return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': path})}")
            return redirect_to_login(path)
        return view(request, *args, **kwargs)

    return wrapper


def _neighbourhood_allowing(request: HttpRequest, permission: str) -> Any:
    """The current neighbourhood if the user has ``permission`` in it; 403 otherwise."""
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None or not request.user.has_perm(permission, neighbourhood):
        raise PermissionDenied
    return neighbourhood


def _current_neighbourhood(request: HttpRequest) -> Any:
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise Http404
    return neighbourhood


def _require(request: HttpRequest, permission: str, obj: Any) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _wants_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _page_of(count: int, number: Any, per_page: int) -> Page:
    """A Page over ``count`` rows, for the pagination links of a list the selector slices."""
    return Paginator(range(count), per_page).get_page(number)


def _page_range(page: Page) -> Any:
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


def _owner_label(account: Account) -> str:
    if account.owner_household_id:
        household = account.owner_household
        return f"{household.street} {household.house_number}{household.house_number_suffix}"
    if account.owner_person_id:
        return account.owner_person.full_name
    if account.owner_organisation_id:
        return account.owner_organisation.name
    return str(account.get_owner_kind_display()).capitalize()


def _account_row(account: Account) -> dict[str, Any]:
    return {
        "account": account,
        "owner": _owner_label(account),
        "balance": format_amount(account.balance, account.unit),
        "negative": account.balance < 0,
    }


def _limits(account: Account) -> dict[str, str | None]:
    unit = account.unit
    return {
        "lower": None if account.lower_limit is None else format_amount(account.lower_limit, unit),
        "upper": None if account.upper_limit is None else format_amount(account.upper_limit, unit),
    }


def _transaction(neighbourhood: Any, pk: int) -> Transaction:
    try:
        return selectors.transaction_detail(neighbourhood=neighbourhood, transaction_id=pk)
    except Transaction.DoesNotExist:
        raise Http404 from None


def _posting_rows(txn: Transaction) -> list[dict[str, Any]]:
    rows = []
    for posting in txn.postings.all():
        amount = format_amount(posting.amount, posting.account.unit)
        rows.append(
            {
                "account": posting.account,
                "debit": amount if posting.side == "D" else "",
                "credit": amount if posting.side == "C" else "",
                "unit": posting.account.unit.code,
            }
        )
    return rows


# --- staff: accounts -------------------------------------------------------------------------


@login_required_page
def account_list(request: HttpRequest) -> HttpResponse:
    """All accounts of the neighbourhood with their balance; search, filter by unit, pages."""
    neighbourhood = _neighbourhood_allowing(request, "ledger.view_books")
    form = AccountFilterForm(request.GET, neighbourhood=neighbourhood)
    form.is_valid()  # invalid filters are shown next to their field and ignored
    accounts = selectors.account_list(
        neighbourhood=neighbourhood,
        search=form.cleaned_data.get("q", ""),
        unit=form.cleaned_data.get("unit"),
    )
    page = Paginator(accounts, settings.HEELWIJK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_range": _page_range(page),
        "rows": [_account_row(a) for a in page.object_list],
        "filtered": bool(form.cleaned_data.get("q") or form.cleaned_data.get("unit")),
        "htmx_partial": _wants_partial(request),
    }
    template = (
        "ledger/_account_results.html" if context["htmx_partial"] else "ledger/account_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required_page
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its balance and a page of its statement with the running balance."""
    neighbourhood = _current_neighbourhood(request)
    account = (
        Account.objects.select_related(
            "unit", "owner_household", "owner_person", "owner_organisation"
        )
        .filter(neighbourhood=neighbourhood, pk=pk)
        .first()
    )
    if account is None:
        raise Http404
    _require(request, "ledger.view_account", account)
    statement = selectors.statement(
        account=account,
        page=_page_number(request.GET.get("page")),
        per_page=STATEMENT_PER_PAGE,
        newest_first=True,
    )
    unit = account.unit
    page = _page_of(statement.count, statement.page, STATEMENT_PER_PAGE)
    rows = [
        {
            "row": row,
            "change": format_amount(row.change, unit),
            "balance": format_amount(row.balance, unit),
            "incoming": row.change > 0,
        }
        for row in statement.rows
    ]
    is_staff = request.user.has_perm("ledger.view_books", neighbourhood)
    context = {
        "account": account,
        "owner": _owner_label(account),
        "balance": format_amount(account.balance, unit),
        "limits": _limits(account),
        "rows": rows,
        "statement": statement,
        "page": page,
        "page_range": _page_range(page),
        "is_staff": is_staff,
    }
    return render(request, "ledger/account_detail.html", context)


def _page_number(value: Any) -> int:
    text = str(value or "1")
    return int(text) if text.isdigit() and len(text) < 10 else 1


# --- residents: their own accounts -----------------------------------------------------------


@login_required_page
def my_accounts(request: HttpRequest) -> HttpResponse:
    """The accounts the user owns here: their own, their household's, their organisations'."""
    neighbourhood = _neighbourhood_allowing(request, "ledger.view_own_accounts")
    accounts = selectors.accounts_for_user(user=request.user, neighbourhood=neighbourhood)
    rows = [
        _account_row(a)
        for a in accounts.select_related("owner_household", "owner_person", "owner_organisation")
    ]
    return render(request, "ledger/my_accounts.html", {"rows": rows})


# --- staff: transactions ---------------------------------------------------------------------


@login_required_page
def transaction_list(request: HttpRequest) -> HttpResponse:
    """The journal, newest first, with search and pages."""
    neighbourhood = _neighbourhood_allowing(request, "ledger.view_books")
    form = TransactionFilterForm(request.GET)
    form.is_valid()
    transactions = selectors.transaction_list(
        neighbourhood=neighbourhood, search=form.cleaned_data.get("q", "")
    )
    page = Paginator(transactions, settings.HEELWIJK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_range": _page_range(page),
        "filtered": bool(form.cleaned_data.get("q")),
        "htmx_partial": _wants_partial(request),
    }
    template = (
        "ledger/_transaction_results.html"
        if context["htmx_partial"]
        else "ledger/transaction_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required_page
def transaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One transaction with its postings, what it reverses and what reversed it."""
    neighbourhood = _current_neighbourhood(request)
    txn = _transaction(neighbourhood, pk)
    _require(request, "ledger.view_transaction", txn)
    reversals = list(txn.reversals.all())
    context = {
        "txn": txn,
        "postings": _posting_rows(txn),
        "reversed_by": reversals[0] if reversals else None,
        "can_reverse": not reversals and request.user.has_perm("ledger.reverse_transaction", txn),
        "is_staff": request.user.has_perm("ledger.view_books", neighbourhood),
    }
    return render(request, "ledger/transaction_detail.html", context)


@login_required_page
@require_http_methods(["GET", "POST"])
def transaction_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and post the reversal of a transaction; a reason is required."""
    neighbourhood = _current_neighbourhood(request)
    txn = _transaction(neighbourhood, pk)
    _require(request, "ledger.reverse_transaction", txn)
    reversals = list(txn.reversals.all())
    if reversals:
        messages.info(request, _("This transaction has already been reversed."))
        return redirect("ledger:transaction_detail", reversals[0].pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = reverse_transaction(
                transaction=txn, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except LedgerError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Transaction #%(seq)s has been reversed by transaction #%(reversal)s.")
                % {"seq": txn.seq, "reversal": reversal.seq},
            )
            return redirect("ledger:transaction_detail", reversal.pk)
    context = {"txn": txn, "postings": _posting_rows(txn), "form": form}
    return render(request, "ledger/transaction_reverse.html", context)


# --- staff: the books as a whole -------------------------------------------------------------


@login_required_page
def trial_balance(request: HttpRequest) -> HttpResponse:
    """The trial balance per unit, now or at the end of a chosen date."""
    neighbourhood = _neighbourhood_allowing(request, "ledger.view_books")
    form = AtDateForm(request.GET)
    at = form.cleaned_data.get("at") if form.is_valid() else None
    blocks = []
    for block in selectors.trial_balance(neighbourhood=neighbourhood, at=at):
        unit = block.unit

        def money(minor: int, unit: Any = unit) -> str:
            return format_amount(minor, unit) if minor else ""

        blocks.append(
            {
                "unit": unit,
                "balanced": block.balanced,
                "debit": format_amount(block.debit, unit),
                "credit": format_amount(block.credit, unit),
                "rows": [
                    {
                        "account": row.account,
                        "debit": money(row.debit),
                        "credit": money(row.credit),
                    }
                    for row in block.rows
                ],
                "by_type": [
                    {
                        "label": Account.Type(totals.type).label,
                        "debit": money(totals.debit),
                        "credit": money(totals.credit),
                    }
                    for totals in block.by_type.values()
                    if totals.debit or totals.credit
                ],
            }
        )
    return render(request, "ledger/trial_balance.html", {"form": form, "at": at, "blocks": blocks})


@login_required_page
def chain_status(request: HttpRequest) -> HttpResponse:
    """Check the newest links of the neighbourhood's hash chain and show OK or every problem.

    The full re-derivation of every balance grows with the journal, so it runs from the
    command line (``heelwijk ledger verify``); the page says so.
    """
    neighbourhood = _neighbourhood_allowing(request, "ledger.view_books")
    report = selectors.recent_chain_check(neighbourhood=neighbourhood)
    context = {
        "head": selectors.chain_status(neighbourhood=neighbourhood),
        "report": report,
        "checked": report.transactions,
        "problems": [{"rule": p.rule, "message": p.message} for p in report.problems],
    }
    return render(request, "ledger/chain_status.html", context)
