"""Pages for one business case: create, the live editor (htmx), the report and its exports."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import exports
from .actions import (
    business_case_create,
    business_case_publish,
    business_case_save,
    business_case_use_current_references,
    business_case_withdraw,
    default_discount_rate,
    validate_draft,
)
from .forms import BusinessCaseCreateForm, CaseEditor, default_base_year
from .messages import issue_message
from .models import BusinessCase
from .presentation import ReportView
from .report_charts import report_charts
from .selectors import (
    business_case_detail,
    case_report,
    current_reference_set,
    draft_analysis,
    draft_from_case,
    newer_reference_set,
    proxy_choices,
)
from .views import _opgave_or_404, apply_errors, neighbourhood_of, require


def _case_or_404(request, pk: int) -> BusinessCase:
    try:
        return business_case_detail(neighbourhood=neighbourhood_of(request), pk=pk)
    except BusinessCase.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def case_create_view(request, opgave_pk: int):
    neighbourhood = neighbourhood_of(request)
    opgave = _opgave_or_404(neighbourhood, opgave_pk)
    require(request, "businesscase.add_businesscase", neighbourhood)
    if request.method == "POST":
        form = BusinessCaseCreateForm(request.POST)
        if form.is_valid():
            try:
                case = business_case_create(actor=request.user, opgave=opgave, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("The business case was made. Add costs and outcomes below.")
                )
                return redirect("businesscase:case_edit", pk=case.pk)
    else:
        form = BusinessCaseCreateForm(
            initial={
                "title": _("Business case %(opgave)s") % {"opgave": opgave.title},
                "horizon_years": 5,
                "base_year": default_base_year(opgave),
                "discount_rate": default_discount_rate(
                    current_reference_set(neighbourhood=neighbourhood)
                ),
            }
        )
    return render(request, "businesscase/case_create.html", {"form": form, "opgave": opgave})


def _editor(case, data=None) -> CaseEditor:
    return CaseEditor(
        data=data,
        case=case,
        proxy_values=proxy_choices(case.reference_set),
        draft=None if data is not None else draft_from_case(case),
    )


def _with_extra_row(post, prefix: str):
    data = post.copy()
    key = f"{prefix}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[key] = str(int(data.get(key, "0")) + 1)
    return data


def _results_context(case, editor: CaseEditor) -> dict:
    """Recompute from the (unsaved) editor input, for the live preview."""
    if not editor.is_valid():
        return {"problems": editor.error_messages()}
    draft = editor.draft()
    errors, _rows = validate_draft(case, draft, case.reference_set)
    analysis, issues = draft_analysis(draft, case.reference_set, quick=True)
    if analysis is None or errors:
        loose = [m for ms in errors.values() for m in ms] or [issue_message(i) for i in issues]
        return {"problems": loose}
    return {"analysis": analysis, "names": {a.key: a.name for a in draft.actors}, "draft": draft}


@login_required
@require_http_methods(["GET", "POST"])
def case_edit_view(request, pk: int):
    case = _case_or_404(request, pk)
    require(request, "businesscase.view_businesscase", case)
    if case.is_published:
        messages.info(request, _("This business case is published. Withdraw it to change it."))
        return redirect("businesscase:case_report", pk=case.pk)
    require(request, "businesscase.change_businesscase", case)
    problems: list[str] = []
    if request.method == "POST":
        add = request.POST.get("add")
        if add in ("actors", "costs", "outcomes"):
            editor = _editor(case, _with_extra_row(request.POST, add))
            editor.is_valid()
            context = _results_context(case, _editor(case, request.POST))
            return _render_editor(request, case, editor, context, focus=add)
        editor = _editor(case, request.POST)
        if editor.is_valid():
            try:
                business_case_save(actor=request.user, business_case=case, draft=editor.draft())
            except ValidationError as exc:
                problems = editor.add_errors(exc.message_dict)
            else:
                messages.success(request, _("The business case was saved."))
                return redirect("businesscase:case_edit", pk=case.pk)
        context = {"problems": problems + editor.error_messages()}
        return _render_editor(request, case, editor, context)
    editor = _editor(case)
    report = case_report(case)
    context = (
        {"analysis": report.analysis, "names": report.actor_names, "draft": report.draft}
        if report.analysis
        else {"problems": [issue_message(i) for i in report.issues]}
    )
    return _render_editor(request, case, editor, context)


def _render_editor(request, case, editor, results, focus=""):
    return render(
        request,
        "businesscase/case_edit.html",
        {
            "case": case,
            "editor": editor,
            "results": results,
            "focus": focus,
            "newer_set": newer_reference_set(case),
            "can_publish": request.user.has_perm("businesscase.publish_businesscase", case),
        },
    )


@login_required
@require_POST
def case_preview_view(request, pk: int):
    """The htmx live preview: recompute from what is typed, save nothing."""
    case = _case_or_404(request, pk)
    require(request, "businesscase.change_businesscase", case)
    if not request.htmx:
        return redirect("businesscase:case_edit", pk=case.pk)
    context = _results_context(case, _editor(case, request.POST))
    return render(request, "businesscase/_results.html", {"results": context, "case": case})


@login_required
def case_report_view(request, pk: int):
    case = _case_or_404(request, pk)
    require(request, "businesscase.view_businesscase", case)
    report = case_report(case)
    view = ReportView(report)
    context = {
        "case": case,
        "report": report,
        "problems": [issue_message(i) for i in report.issues],
        "can_change": request.user.has_perm("businesscase.change_businesscase", case),
        "can_publish": request.user.has_perm("businesscase.publish_businesscase", case),
        "newer_set": newer_reference_set(case) if not case.is_published else None,
    }
    if report.analysis is not None:
        tables = {t.key: t for t in view.tables()}
        context.update(
            tables=tables,
            summary=report.analysis.result,
            settlement=report.analysis.settlement,
            charts=report_charts(view),
        )
    return render(request, "businesscase/report.html", context)


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.as_xlsx,
    ),
    "pdf": ("application/pdf", exports.as_pdf),
}


@login_required
def case_export_view(request, pk: int, fmt: str):
    case = _case_or_404(request, pk)
    require(request, "businesscase.view_businesscase", case)
    if fmt not in EXPORTS:
        raise Http404
    report = case_report(case)
    if report.analysis is None:
        messages.error(request, _("Fix the problems in the business case before exporting it."))
        return redirect("businesscase:case_report", pk=case.pk)
    content_type, writer = EXPORTS[fmt]
    response = HttpResponse(writer(ReportView(report)), content_type=content_type)
    filename = f"{slugify(case.title) or 'business-case'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def case_publish_view(request, pk: int):
    case = _case_or_404(request, pk)
    require(request, "businesscase.publish_businesscase", case)
    try:
        business_case_publish(actor=request.user, business_case=case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is published. Residents can read it now."))
    return redirect("businesscase:case_report", pk=case.pk)


@login_required
@require_POST
def case_withdraw_view(request, pk: int):
    case = _case_or_404(request, pk)
    require(request, "businesscase.publish_businesscase", case)
    business_case_withdraw(actor=request.user, business_case=case)
    messages.success(request, _("The report is withdrawn; it is a draft again."))
    return redirect("businesscase:case_edit", pk=case.pk)


@login_required
@require_POST
def case_use_current_references_view(request, pk: int):
    case = _case_or_404(request, pk)
    require(request, "businesscase.change_businesscase", case)
    try:
        case = business_case_use_current_references(actor=request.user, business_case=case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The business case now uses %(set)s.") % {"set": case.reference_set},
        )
    return redirect("businesscase:case_edit", pk=case.pk)
