"""The double-entry journal every movement of euros, local currency, hours and kWh goes through."""
