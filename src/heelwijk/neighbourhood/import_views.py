"""Staff pages to import households, people and organisations: upload, dry run, confirm."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importing import (
    COLUMNS,
    MAX_ROWS,
    ImportKind,
    import_file_problems,
    import_preview,
)
from .importing.batches import batch_apply, batch_discard, batch_load, batch_store
from .importing.reader import MAX_BYTES

ROWS_PER_PAGE = 100
ERRORS_SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[("", gettext_lazy("Detect from the column names")), *ImportKind.choices],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload


def _authorise(request):
    neighbourhood = request.neighbourhood
    if neighbourhood is None or not request.user.has_perm(
        "neighbourhood.import_data", neighbourhood
    ):
        raise PermissionDenied
    return neighbourhood


@login_required
def import_upload(request):
    neighbourhood = _authorise(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    file_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        content = upload.read()
        file_errors = import_file_problems(content=content, filename=upload.name, kind=kind)
        if not file_errors:
            batch = batch_store(
                user=request.user,
                neighbourhood=neighbourhood,
                filename=upload.name,
                content=content,
                kind=kind,
            )
            return redirect("neighbourhood:import_review", batch=batch.id)
    context = {
        "form": form,
        "file_errors": file_errors,
        "column_groups": [(kind, label, COLUMNS[kind]) for kind, label in ImportKind.choices],
        "max_rows": MAX_ROWS,
        "max_megabytes": MAX_BYTES // (1024 * 1024),
    }
    return render(request, "neighbourhood/import_upload.html", context)


def _expired(request):
    messages.error(
        request, _("This import has expired, so nothing was imported. Upload the file again.")
    )
    return redirect("neighbourhood:import_upload")


@login_required
def import_review(request, batch):
    neighbourhood = _authorise(request)
    found = batch_load(batch, user=request.user, neighbourhood=neighbourhood)
    if found is None:
        raise Http404
    if found.expired:
        return _expired(request)
    if found.result is not None:
        if request.method == "POST":
            return redirect("neighbourhood:import_review", batch=found.id)
        context = {
            "batch": found,
            "result": found.result,
            "kind_label": ImportKind(found.result["kind"]).label,
        }
        return render(request, "neighbourhood/import_done.html", context)
    try:
        content = found.content()
    except OSError:  # deleted by a clean-up in the meantime
        return _expired(request)

    outdated = False
    if request.method == "POST":
        if "cancel" in request.POST:
            batch_discard(found)
            messages.info(request, _("The import was cancelled. Nothing was imported."))
            return redirect("neighbourhood:import_upload")
        result = batch_apply(
            found,
            actor=request.user,
            neighbourhood=neighbourhood,
            fingerprint=request.POST.get("fingerprint", ""),
        )
        if result is None or result.applied:
            return redirect("neighbourhood:import_review", batch=found.id)
        report = result.report
        outdated = result.outdated
    else:
        report = import_preview(
            neighbourhood=neighbourhood,
            content=content,
            filename=found.filename,
            kind=found.kind or None,
        )
    page = Paginator(report.outcomes, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "batch": found,
        "report": report,
        "kind_label": ImportKind(report.kind).label if report.kind else "",
        "errors_shown": report.errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, len(report.errors) - ERRORS_SHOWN),
        "page": page,
        "outdated": outdated,
    }
    return render(request, "neighbourhood/import_review.html", context)
