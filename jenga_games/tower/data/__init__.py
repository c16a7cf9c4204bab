"""Data files shipped with the tower package (see ``local_health_economy.json``)."""
