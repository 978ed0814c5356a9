"""JSON API for API tokens."""

from ninja import Router

router = Router(tags=["tokens"])
