"""Một Cửa Kiosk application core: config, journey engine, services, store, CLI. No Qt here."""

__version__ = "0.1.0"
