"""Pages for privacy requests: download a person's data (JSON), erase a person's data."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors
from .forms import EraseForm, add_action_errors
from .privacy_requests import person_erase, person_export
from .views import _current_neighbourhood_or_404, _find, _require, login_required_page


def _person(request, pk: int, permission: str):
    neighbourhood = _current_neighbourhood_or_404(request)
    person = _find(selectors.person_detail, neighbourhood=neighbourhood, person_id=pk)
    _require(request, permission, person)
    return person


@login_required_page
def person_export_download(request, pk: int):
    person = _person(request, pk, "neighbourhood.export_person")
    document = person_export(person)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="heelwijk-gegevens-{person.pk}.json"'
    return response


@login_required_page
def person_erase_page(request, pk: int):
    person = _person(request, pk, "neighbourhood.erase_person")
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and person.erased_at is None:
        try:
            person_erase(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The personal data were erased."))
            return redirect("neighbourhood:person_detail", pk=person.pk)
    return render(request, "neighbourhood/person_erase.html", {"person": person, "form": form})
