"""Lokale munt: local currencies on the ledger."""
