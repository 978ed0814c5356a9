"""AVG/GDPR requests about one person: a copy of all their data, and erasure.

Each Heelwijk app answers for its own data through its ``privacy.py`` (see
``neighbourhood/privacy.py`` for the contract). The export gathers every part into one
JSON-ready document. Erasure runs every app's part in one database transaction: personal data
are pseudonymised ("Verwijderde persoon 123"), the login is closed for good, and what the law
requires to be kept — the books (7 years), memberships, pledges and contracts of the household —
stays, without the person's name. Erasure cannot be undone and needs a reason, which the audit
trail keeps.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.app_hooks import app_modules

from .actions import audit
from .models import Person

EXPORT_FORMAT = 1


def pseudonym_for(person: Person) -> str:
    return f"Verwijderde persoon {person.pk}"


def person_export(person: Person) -> dict:
    """Everything Heelwijk holds about the person, by app, ready for json.dumps."""
    document: dict = {
        "format": EXPORT_FORMAT,
        "made_at": timezone.now().isoformat(),
        "person_id": person.pk,
    }
    for module in app_modules("privacy"):
        app = module.__name__.split(".")[1]
        document[app] = module.export_person(person)
    return document


def person_erase(*, actor, person: Person, reason: str) -> dict[str, int]:
    """Pseudonymise the person everywhere; returns what each app changed."""
    reason = (reason or "").strip()
    if person.erased_at is not None:
        raise ValidationError(_("The personal data of this person were already erased."))
    if len(reason) < 5:
        raise ValidationError(
            {"reason": _("Say why (at least 5 characters), e.g. 'request by e-mail of 3 May'.")}
        )
    pseudonym = pseudonym_for(person)
    changed: dict[str, int] = {}
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.erased_at is not None:
            raise ValidationError(_("The personal data of this person were already erased."))
        for module in app_modules("privacy"):
            changed.update(module.erase_person(locked, pseudonym=pseudonym))
        audit(
            neighbourhood=locked.neighbourhood,
            actor=actor,
            action="privacy_erase",
            obj=locked,
            changes={"reason": reason[:500], **changed},
        )
    person.refresh_from_db()
    return changed
