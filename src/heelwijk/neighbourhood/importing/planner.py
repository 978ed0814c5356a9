"""The dry run: check every row and work out what it would create, change or leave alone.

Nothing here writes. Existing rows of the neighbourhood are read once, so planning a file costs a
handful of queries however long it is. An empty optional cell leaves the current value alone;
the import never clears a field.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..models import Area, Household, Neighbourhood, Organisation, Person
from . import values
from .columns import (
    COLUMNS,
    COMPOSITIONS,
    CONTACT_PREFERENCES,
    LANGUAGES,
    ORGANISATION_KINDS,
    Column,
    HeaderMatch,
    ImportKind,
    match_headers,
    normalise,
)
from .reader import Table

CREATE, CHANGE, UNCHANGED = "create", "change", "unchanged"
EMPTY = "—"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's header as written in the file; "" when about the whole row
    message: str


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowOutcome:
    """What one valid row would do."""

    row: int
    action: str
    description: str
    target: Model | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # all for CREATE, the changed for CHANGE
    changes: list[Change] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str | None
    kind_detected: bool = False
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not (self.file_errors or self.errors)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + len(self.errors)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def changed(self) -> int:
        return self.count(CHANGE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def fingerprint(self) -> str:
        """Identifies what would be written, to tell whether it changed since the dry run."""
        summary = [
            [
                o.row,
                o.action,
                o.target.pk if o.target else None,
                sorted(_plain(o.fields).items()),
                # The values being replaced, so a row changed by someone else since counts too.
                sorted(
                    _plain({n: getattr(o.target, n) for n in o.fields} if o.target else {}).items()
                ),
            ]
            for o in self.outcomes
        ]
        return hashlib.sha256(json.dumps(summary).encode()).hexdigest()


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.pk if isinstance(value, Model) else None if value is None else str(value)
        for name, value in fields.items()
    }


def plan_import(*, neighbourhood: Neighbourhood, table: Table, kind: str | None) -> ImportReport:
    report = ImportReport(kind=kind, rows_read=len(table.rows))
    match = header_match(table.header, kind, report)
    if match is None:
        return report
    report.kind = match.kind
    planner = _PLANNERS[match.kind](neighbourhood, match, report)
    for number, cells in table.rows:
        planner.plan_row(number, cells)
    report.errors.sort(key=lambda e: (e.row, planner.column_order.get(e.column, -1)))
    return report


def _header_names(columns: tuple[Column, ...]) -> str:
    dutch = (get_language() or "nl").startswith("nl")
    return ", ".join(c.dutch if dutch else c.key for c in columns)


def header_match(header: list[str], kind: str | None, report: ImportReport) -> HeaderMatch | None:
    if kind:
        match = match_headers(kind, header)
    else:
        matches = [match_headers(k, header) for k in ImportKind.values]
        fitting = [m for m in matches if m.fits]
        best = max(len(m.positions) for m in matches)
        leaders = fitting or [m for m in matches if len(m.positions) == best]
        if best == 0:
            report.file_errors.append(
                _(
                    "None of the column names in the first row is known, so it is not clear "
                    "what the file holds. The first row must hold column names, such as straat, "
                    "huisnummer, postcode and buurt for households; voornaam and achternaam for "
                    "people; naam and soort for organisations."
                )
            )
            return None
        if len(leaders) > 1:
            report.file_errors.append(
                _("The column names fit more than one kind of file. Choose the kind yourself.")
            )
            return None
        match = leaders[0]
        report.kind_detected = True
    for first, second in match.doubled:
        report.file_errors.append(
            _("The columns “%(first)s” and “%(second)s” mean the same. Keep one of them.")
            % {"first": first, "second": second}
        )
    if match.unknown:
        report.file_errors.append(
            _(
                "Unknown column names: %(columns)s. A file of this kind may have these columns: "
                "%(known)s."
            )
            % {
                "columns": ", ".join(f"“{name}”" for name in match.unknown),
                "known": _header_names(COLUMNS[match.kind]),
            }
        )
    if match.missing:
        report.file_errors.append(
            _("Required columns are missing: %(columns)s.")
            % {"columns": _header_names(tuple(match.missing))}
        )
    return None if report.file_errors else match


class _Row:
    """One row being checked: reads cells by column key and collects the errors."""

    def __init__(self, number: int, cells: list[str], match: HeaderMatch, columns):
        self.number = number
        self.cells = cells
        self.match = match
        self.columns = columns
        self.errors: list[RowError] = []

    def raw(self, key: str) -> str:
        index = self.match.positions.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def header(self, key: str | None) -> str:
        return self.match.headers.get(key, "") if key else ""

    def fail(self, key: str | None, message: str) -> None:
        self.errors.append(RowError(self.number, self.header(key), message))

    def get(self, key: str, parse: Callable[[str], Any] | None = None) -> Any:
        """The parsed cell, or None when empty or wrong (then an error is recorded)."""
        value = self.raw(key)
        column = self.columns[key]
        if not value:
            if column.required:
                self.fail(key, _("This cell is empty, but it must be filled in."))
            return None
        try:
            value = values.text(value, max_length=column.max_length)
            return parse(value) if parse else value
        except values.CellError as exc:
            self.fail(key, str(exc))
            return None

    def signature(self) -> tuple[str, ...]:
        return tuple(self.raw(key).casefold() for key in self.match.positions)


def _show(value: Any, choices: dict[str, Any] | None = None) -> str:
    if value is None or value == "":
        return EMPTY
    if choices is not None:
        return str(choices.get(value, value))
    if isinstance(value, Household):
        return _address(value)
    if isinstance(value, Area):
        return value.name
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _address(household: Household) -> str:
    return f"{household.street} {household.house_number}{household.house_number_suffix}, " + (
        f"{household.postcode} {household.city}"
    )


class _Planner:
    kind: str
    fields: dict[str, str] = {}  # model field -> column key
    choice_fields: dict[str, dict[str, Any]] = {}
    labels: dict[str, Any] = {}  # model field -> label, where the column's label does not fit

    def __init__(self, neighbourhood: Neighbourhood, match: HeaderMatch, report: ImportReport):
        self.neighbourhood = neighbourhood
        self.match = match
        self.report = report
        self.columns = {c.key: c for c in COLUMNS[self.kind]}
        self.column_order = {
            match.headers[c.key]: i
            for i, c in enumerate(COLUMNS[self.kind])
            if c.key in match.headers
        }
        self.signatures: dict[tuple[str, ...], int] = {}
        self.targets: dict[int, int] = {}  # pk of an existing row -> the file row about it
        self.load()

    def load(self) -> None:
        raise NotImplementedError

    def check(self, row: _Row) -> tuple[Model | None, dict[str, Any], str] | None:
        """Check a row: the existing target or None, its new values, and a description."""
        raise NotImplementedError

    def plan_row(self, number: int, cells: list[str]) -> None:
        row = _Row(number, cells, self.match, self.columns)
        signature = row.signature()
        if signature in self.signatures:
            row.fail(
                None,
                _("This row is the same as row %(row)s.") % {"row": self.signatures[signature]},
            )
            self.report.errors.extend(row.errors)
            return
        self.signatures[signature] = number
        checked = self.check(row)
        if row.errors or checked is None:
            self.report.errors.extend(row.errors)
            return
        target, new, description = checked
        if target is not None:
            earlier = self.targets.setdefault(target.pk, number)
            if earlier != number:
                row.fail(None, self.same_target_message() % {"row": earlier})
                self.report.errors.extend(row.errors)
                return
        self.report.outcomes.append(self.outcome(number, target, new, description))

    def same_target_message(self) -> str:
        raise NotImplementedError

    def outcome(self, number, target, new, description) -> RowOutcome:
        new = {name: value for name, value in new.items() if value is not None}
        if target is None:
            return RowOutcome(number, CREATE, description, None, new)
        changed, changes = {}, []
        for name, value in new.items():
            old = getattr(target, name)
            if old != value:
                changed[name] = value
                label = str(self.labels.get(name) or self.columns[self.fields[name]].label)
                choices = self.choice_fields.get(name)
                changes.append(Change(label, _show(old, choices), _show(value, choices)))
        action = CHANGE if changed else UNCHANGED
        return RowOutcome(number, action, description, target, changed, changes)


def _choice_parser(options):
    return lambda text: values.choice(text, options)


class _HouseholdPlanner(_Planner):
    kind = ImportKind.HOUSEHOLDS
    fields = {
        "street": "street",
        "house_number": "house_number",
        "house_number_suffix": "addition",
        "postcode": "postcode",
        "city": "town",
        "area": "area",
        "composition": "composition",
        "size": "size",
    }
    choice_fields = {"composition": dict(Household.Composition.choices)}

    def load(self) -> None:
        self.areas: dict[str, Area] = {}
        for area in Area.objects.filter(neighbourhood=self.neighbourhood):
            self.areas[normalise(area.name)] = area
            if area.cbs_code:
                self.areas.setdefault(normalise(area.cbs_code), area)
        self.area_names = sorted({a.name for a in self.areas.values()})
        self.households = households_by_address(self.neighbourhood)
        self.addresses: dict[tuple[str, int, str], int] = {}

    def same_target_message(self) -> str:
        return _("This row is about the same household as row %(row)s.")

    def area(self, text: str) -> Area:
        area = self.areas.get(normalise(text))
        if area is None:
            if not self.area_names:
                raise values.CellError(
                    _(
                        "%(neighbourhood)s has no areas yet, so “%(value)s” is unknown. Add the "
                        "areas first."
                    )
                    % {"neighbourhood": self.neighbourhood.name, "value": text}
                )
            raise values.CellError(
                _("%(neighbourhood)s has no area “%(value)s”. Known areas: %(areas)s.")
                % {
                    "neighbourhood": self.neighbourhood.name,
                    "value": text,
                    "areas": ", ".join(self.area_names),
                }
            )
        return area

    def check(self, row: _Row):
        street = row.get("street")
        number = row.get("house_number", values.house_number)
        addition = row.get("addition")
        postcode = row.get("postcode", values.postcode)
        new = {
            "street": street,
            "city": row.get("town"),
            "area": row.get("area", self.area),
            "composition": row.get("composition", _choice_parser(COMPOSITIONS)),
            "size": row.get("size", lambda t: values.whole_number(t, minimum=1, maximum=99)),
        }
        if number is None or postcode is None:
            return None
        house_number, suffix = number
        if suffix and addition:
            row.fail(
                "house_number",
                _(
                    "The house number has an addition (%(suffix)s) and the addition column is "
                    "filled in too. Use one of them."
                )
                % {"suffix": suffix},
            )
            return None
        suffix = addition or suffix
        key = (values.postcode_key(postcode), house_number, suffix.upper())
        earlier = self.addresses.setdefault(key, row.number)
        if earlier != row.number:
            row.fail(None, _("This address is also in row %(row)s.") % {"row": earlier})
            return None
        target = self.households.get(key)
        if target is None:
            new.update(house_number=house_number, house_number_suffix=suffix, postcode=postcode)
            description = f"{street} {house_number}{suffix}, {postcode} {new['city']}"
        else:
            description = _address(target)
        return target, new, description


def households_by_address(neighbourhood: Neighbourhood) -> dict[tuple[str, int, str], Household]:
    """Households keyed the way an import file refers to them: postcode, number, addition."""
    return {
        (values.postcode_key(h.postcode), h.house_number, h.house_number_suffix.upper()): h
        for h in Household.objects.filter(neighbourhood=neighbourhood).select_related("area")
    }


def _name_key(first: str, prefix: str, last: str) -> tuple[str, str, str]:
    return (normalise(first), normalise(prefix), normalise(last))


class _PersonPlanner(_Planner):
    kind = ImportKind.PEOPLE
    fields = {
        "first_name": "first_name",
        "name_prefix": "prefix",
        "last_name": "last_name",
        "email": "email",
        "phone": "phone",
        "date_of_birth": "date_of_birth",
        "contact_preference": "contact_preference",
        "preferred_language": "language",
        "household": "postcode",
        "member_since": "member_since",
    }
    labels = {"household": gettext_lazy("household")}
    choice_fields = {
        "contact_preference": dict(Person.ContactPreference.choices),
        "preferred_language": {"nl": "nl", "en": "en"},
    }

    def load(self) -> None:
        self.households = households_by_address(self.neighbourhood)
        self.by_email: dict[str, Person] = {}
        self.by_birth: dict[tuple, list[Person]] = {}
        self.by_household: dict[tuple, list[Person]] = {}
        people = Person.objects.filter(neighbourhood=self.neighbourhood).select_related("household")
        for person in people:
            name = _name_key(person.first_name, person.name_prefix, person.last_name)
            if person.email:
                self.by_email[person.email.lower()] = person
            if person.date_of_birth:
                self.by_birth.setdefault((*name, person.date_of_birth), []).append(person)
            if person.household_id:
                self.by_household.setdefault((*name, person.household_id), []).append(person)
        self.emails_in_file: dict[str, int] = {}
        self.births_in_file: dict[tuple, int] = {}

    def same_target_message(self) -> str:
        return _("This row is about the same person as row %(row)s.")

    def household(self, row: _Row) -> Household | None:
        postcode = row.get("postcode", values.postcode)
        number = row.get("house_number", values.house_number)
        addition = row.get("addition")
        if not any(row.raw(key) for key in ("postcode", "house_number", "addition")):
            return None
        missing = [key for key in ("postcode", "house_number") if not row.raw(key)]
        for key in missing:
            row.fail(
                key,
                _(
                    "To link this person to a household, give both its postcode and its house "
                    "number."
                ),
            )
        if missing or postcode is None or number is None:
            return None
        house_number, suffix = number
        suffix = addition or suffix
        household = self.households.get(
            (values.postcode_key(postcode), house_number, suffix.upper())
        )
        if household is None:
            address = f"{postcode} {house_number}{suffix}"
            row.fail(
                "postcode",
                _(
                    "There is no household at %(address)s in %(neighbourhood)s. Import the "
                    "households first."
                )
                % {"address": address, "neighbourhood": self.neighbourhood.name},
            )
        return household

    def check(self, row: _Row):
        first = row.get("first_name")
        prefix = row.get("prefix")
        last = row.get("last_name")
        email = row.get("email", values.email)
        born = row.get("date_of_birth", values.date)
        new = {
            "first_name": first,
            "name_prefix": prefix,
            "last_name": last,
            "email": email,
            "phone": row.get("phone", values.phone),
            "date_of_birth": born,
            "contact_preference": row.get(
                "contact_preference", _choice_parser(CONTACT_PREFERENCES)
            ),
            "preferred_language": row.get("language", _choice_parser(LANGUAGES)),
            "member_since": row.get("member_since", values.date),
            "household": self.household(row),
        }
        if row.errors:
            return None
        name = _name_key(first, prefix or "", last)
        full_name = " ".join(p for p in (first, prefix, last) if p)
        if not (email or born or new["household"]):
            row.fail(
                None,
                _(
                    "Give an e-mail address, a date of birth or a household address, so this "
                    "person can be recognised when a file is imported again."
                ),
            )
            return None
        if email:
            earlier = self.emails_in_file.setdefault(email.lower(), row.number)
            if earlier != row.number:
                row.fail(
                    "email",
                    _("The e-mail address %(email)s is also in row %(row)s.")
                    % {"email": email, "row": earlier},
                )
                return None
        if born:
            earlier = self.births_in_file.setdefault((*name, born), row.number)
            if earlier != row.number:
                row.fail(None, _("Same name and date of birth as row %(row)s.") % {"row": earlier})
                return None
        target = self.match_person(row, email, name, born, new["household"])
        if row.errors:
            return None
        if target is not None and target.email:
            new["email"] = None  # matched people keep the e-mail address they have
        if target is not None:
            full_name, email = target.full_name, target.email or email
        description = f"{full_name} ({email})" if email else full_name
        return target, new, description

    def match_person(self, row: _Row, email, name, born, household) -> Person | None:
        """Find the existing person a row is about: by e-mail, else by name and date of birth,
        else by name and household. Report a person found two ways that are not the same."""
        by_email = self.by_email.get(email.lower()) if email else None
        candidates: list[Person] = []
        if born:
            candidates = self.by_birth.get((*name, born), [])
        if not candidates and household is not None:
            candidates = self.by_household.get((*name, household.pk), [])
        if by_email is not None:
            others = [p for p in candidates if p.pk != by_email.pk]
            if others and born:
                row.fail(
                    "email",
                    _(
                        "%(name)s, born %(born)s, already exists with another e-mail address "
                        "(%(other)s), while %(email)s belongs to %(owner)s."
                    )
                    % {
                        "name": others[0].full_name,
                        "born": born.isoformat(),
                        "other": others[0].email or EMPTY,
                        "email": email,
                        "owner": by_email.full_name,
                    },
                )
                return None
            return by_email
        if len(candidates) > 1:
            row.fail(
                None,
                _(
                    "There are several people called %(name)s here that fit this row. Add their "
                    "e-mail address to tell them apart."
                )
                % {"name": candidates[0].full_name},
            )
            return None
        if candidates:
            found = candidates[0]
            if email and found.email and found.email.lower() != email.lower():
                row.fail(
                    "email",
                    _("%(name)s already exists with another e-mail address (%(other)s).")
                    % {"name": found.full_name, "other": found.email},
                )
                return None
            return found
        return None


class _OrganisationPlanner(_Planner):
    kind = ImportKind.ORGANISATIONS
    fields = {
        "name": "name",
        "kind": "kind",
        "kvk_number": "kvk_number",
        "email": "email",
        "phone": "phone",
        "website": "website",
        "address": "address",
        "description": "description",
    }
    choice_fields = {"kind": dict(Organisation.Kind.choices)}

    def load(self) -> None:
        self.organisations = {
            normalise(o.name): o
            for o in Organisation.objects.filter(neighbourhood=self.neighbourhood)
        }
        self.wijkbedrijf = next(
            (o for o in self.organisations.values() if o.kind == Organisation.Kind.WIJKBEDRIJF),
            None,
        )
        self.names: dict[str, int] = {}
        self.wijkbedrijf_row: int | None = None

    def same_target_message(self) -> str:
        return _("This row is about the same organisation as row %(row)s.")

    def check(self, row: _Row):
        name = row.get("name")
        kind = row.get("kind", _choice_parser(ORGANISATION_KINDS))
        new = {
            "name": name,
            "kind": kind,
            "kvk_number": row.get("kvk_number", values.kvk_number),
            "email": row.get("email", values.email),
            "phone": row.get("phone", values.phone),
            "website": row.get("website", values.website),
            "address": row.get("address"),
            "description": row.get("description"),
        }
        if row.errors:
            return None
        earlier = self.names.setdefault(normalise(name), row.number)
        if earlier != row.number:
            row.fail("name", _("%(name)s is also in row %(row)s.") % {"name": name, "row": earlier})
            return None
        target = self.organisations.get(normalise(name))
        if kind == Organisation.Kind.WIJKBEDRIJF:
            if self.wijkbedrijf is not None and self.wijkbedrijf != target:
                row.fail(
                    "kind",
                    _("%(neighbourhood)s already has a wijkbedrijf: %(name)s.")
                    % {"neighbourhood": self.neighbourhood.name, "name": self.wijkbedrijf.name},
                )
                return None
            if self.wijkbedrijf_row is not None:
                row.fail(
                    "kind",
                    _("Row %(row)s is a wijkbedrijf too; a neighbourhood has only one.")
                    % {"row": self.wijkbedrijf_row},
                )
                return None
            self.wijkbedrijf_row = row.number
        if target is not None:
            new["name"] = None  # matched by name; keep how it is written now
        return target, new, name


_PLANNERS: dict[str, type[_Planner]] = {
    ImportKind.HOUSEHOLDS: _HouseholdPlanner,
    ImportKind.PEOPLE: _PersonPlanner,
    ImportKind.ORGANISATIONS: _OrganisationPlanner,
}
