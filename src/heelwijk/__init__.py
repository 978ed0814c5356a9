"""Heelwijk: software a wijkbedrijf runs its all inclusive neighbourhood on."""
