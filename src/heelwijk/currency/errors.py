"""Why the currency refused something, beyond plain validation errors.

Validation problems are ``django.core.exceptions.ValidationError``s keyed by the field the user
has to change ("amount", "to", "currency", ...), so forms show them next to the field and the
API answers 400 with ``{"detail", "errors"}``. ``RequestConflict`` is different: an idempotency
key was sent again with another request. The API answers it with 409.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class RequestConflict(ValidationError):
    """The idempotency key was used before for a different request; nothing was done."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            _(
                "The Idempotency-Key “%(key)s” was already used for another request. Send a "
                "new key for a new payment."
            ),
            code="idempotency_conflict",
            params={"key": key},
        )
