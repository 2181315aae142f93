"""Builds the set of services for a configuration: simulators in demo mode, real devices and the
configured portal otherwise. Each feature's real implementation is wired here as it lands; until
then its `Unavailable*` stand-in hands the citizen to staff (never a fake success)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from kiosk.config import KioskConfig
from kiosk.services import unavailable
from kiosk.services.protocols import Services
from kiosk.store import Store

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything a running kiosk (or `kiosk simulate`) holds: config, store, services, and
    things to stop at exit (the local portal, worker threads)."""

    config: KioskConfig
    store: Store
    services: Services
    demo: bool
    closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:
                log.exception("error while shutting down")
        self.store.close()


def build_services(config: KioskConfig, store: Store, demo: bool) -> tuple[Services, list[Any]]:
    closers: list[Any] = []
    services = Services(
        qr=unavailable.UnavailableQr(),
        card=unavailable.UnavailableCard(),
        face=unavailable.UnavailableFace(),
        dossiers=unavailable.UnavailableDossiers(),
        status=unavailable.UnavailableStatus(),
        accounts=unavailable.UnavailableAccounts(),
        payments=unavailable.UnavailablePayments(),
        printer=unavailable.UnavailablePrinter(),
    )
    return services, closers


def open_runtime(config: KioskConfig, demo: bool) -> Runtime:
    from kiosk.store import open_store

    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.database_url)
    services, closers = build_services(config, store, demo)
    return Runtime(config, store, services, demo, closers)
