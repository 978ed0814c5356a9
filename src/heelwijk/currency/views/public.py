"""The public circulation page of a currency: open to everybody, no login needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..charts import circulation_chart
from ..forms import AsOfForm
from ..models import Currency
from .common import require


def circulation(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    try:
        currency = selectors.public_currency(slug=slug, code=code)
    except Currency.DoesNotExist:
        raise Http404 from None
    require(request, "currency.view_circulation", currency)
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data.get("tot") if form.is_bound and form.is_valid() else None
    figures = selectors.circulation(currency=currency, as_of=as_of)
    return render(
        request,
        "currency/circulation.html",
        {
            "currency": currency,
            "neighbourhood": currency.neighbourhood,
            "figures": figures,
            "chart": circulation_chart(figures.months, currency),
            "form": form,
        },
    )
