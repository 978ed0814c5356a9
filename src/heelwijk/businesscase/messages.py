"""Sentences for the problems the engine and the save action find, in the user's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engine.validation import Issue

FIELD_LABELS = {
    "discount_rate": gettext_lazy("The discount rate"),
    "deadweight": gettext_lazy("Deadweight"),
    "displacement": gettext_lazy("Displacement"),
    "attribution": gettext_lazy("Attribution"),
    "drop_off": gettext_lazy("Drop-off"),
}


def issue_message(issue: Issue) -> str:
    p = dict(issue.params)
    if "field" in p:
        p["field"] = str(FIELD_LABELS.get(p["field"], p["field"]))
    code = issue.code
    line = p.get("line") or _("a line")
    p["line"] = line
    messages = {
        "horizon_not_positive": _("The horizon must be at least 1 year."),
        "horizon_too_long": _("The horizon can be at most %(max)s years."),
        "actor_without_name": _("Every actor needs a name."),
        "actor_duplicate": _("There are two actors called %(name)s."),
        "unknown_actor": _("%(line)s: choose who pays or who gains."),
        "amount_negative": _("%(line)s: an amount cannot be negative."),
        "year_out_of_range": _(
            "%(line)s: the year must be from 0 up to the horizon (%(horizon)s)."
        ),
        "unknown_scenario": _("%(line)s: choose a scenario."),
        "quantity_negative": _("%(line)s: the quantity cannot be negative."),
        "proxy_missing": _("%(line)s: choose a financial proxy or enter your own value."),
        "proxy_negative": _("%(line)s: a proxy value cannot be negative."),
        "duration_not_positive": _("%(line)s: the duration must be at least 1 year."),
        "proxy_unknown_reference": _(
            "%(line)s: the reference value %(key)s does not exist in %(set)s."
        ),
        "proxy_not_annual": _(
            "%(line)s: %(name)s is not an amount in euros per year or per month, so it cannot "
            "be a financial proxy."
        ),
        "proxy_both": _("%(line)s: choose a reference value or enter your own value, not both."),
        "proxy_source_missing": _("%(line)s: say where your own proxy value comes from."),
        "too_large": _("%(line)s: this number is too large."),
    }
    if code == "percent_out_of_range":
        if issue.path and issue.path[0] == "outcomes":
            return _("%(line)s: %(field)s must be a percentage from 0 to 100.") % p
        return _("%(field)s must be a percentage from 0 to 100.") % p
    template = messages.get(code)
    if template is None:
        return code
    return template % p


def issue_key(issue: Issue) -> str:
    """Where an issue belongs, as the API reports it: 'horizon', 'outcomes.2.proxy'."""
    return ".".join(str(part) for part in issue.path) or "__all__"
