"""Collective purchasing with preferred suppliers."""
