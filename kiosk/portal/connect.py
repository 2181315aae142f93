"""The portal client for a configuration; in demo mode (empty `[portal] url`) a local portal is
started on loopback with its database in the data folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.portal.client import PortalClient, RetryPolicy

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from kiosk.portal.local_server import LocalPortal

LOCAL_PORTAL_DB = "local-portal.db"


def local_portal_db(config: KioskConfig) -> Path:
    return config.data_dir / LOCAL_PORTAL_DB


def portal_client_for(config: KioskConfig, url: str | None = None) -> PortalClient:
    """A client for `[portal]` (or for `url`, e.g. a local portal's), with its credentials."""
    from kiosk.portal.local_server import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    portal = config.portal
    demo = not portal.url
    cert: str | tuple[str, str] | None = None
    if portal.client_cert:
        cert = (portal.client_cert, portal.client_key) if portal.client_key else portal.client_cert
    return PortalClient(
        url or portal.url,
        client_id=portal.client_id or (DEMO_CLIENT_ID if demo else ""),
        client_secret=portal.client_secret or (DEMO_CLIENT_SECRET if demo else ""),
        timeout_s=portal.timeout_s,
        retry=RetryPolicy(attempts=portal.retries),
        verify=portal.ca_bundle or True,
        cert=cert,
    )


def connect_portal(config: KioskConfig) -> tuple[PortalClient, LocalPortal | None]:
    """The configured portal; with an empty url, a local portal started in this process
    (stop it with `.stop()` at exit)."""
    if config.portal.url:
        return portal_client_for(config), None
    from kiosk.portal.local_server import start_local_portal

    local = start_local_portal(local_portal_db(config))
    return portal_client_for(config, local.url), local
