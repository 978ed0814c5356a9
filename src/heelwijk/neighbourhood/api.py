"""JSON API for neighbourhoods, areas, households, people and organisations."""

from ninja import Router

router = Router(tags=["neighbourhood"])
