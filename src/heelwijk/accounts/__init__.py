"""User accounts: login by e-mail, API tokens."""
