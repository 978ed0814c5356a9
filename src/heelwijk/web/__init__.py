"""Shared page furniture: base templates, static files, home pages."""
