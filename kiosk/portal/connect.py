"""The portal client for the `[portal]` section; with an empty url (demo mode) the client speaks to
a local portal with the demo client credentials, which that local portal accepts."""

from __future__ import annotations

from kiosk.config import PortalConfig
from kiosk.portal.client import PortalClient, RetryPolicy

DEMO_CLIENT_ID = "kiosk-demo"
DEMO_CLIENT_SECRET = "demo-secret-not-for-production"


def portal_client_for(portal: PortalConfig, url: str | None = None) -> PortalClient:
    """A client for `[portal]` (or for `url`, e.g. a local portal's), with its credentials."""
    demo = not portal.url
    cert: str | tuple[str, str] | None = None
    if portal.client_cert:
        cert = (portal.client_cert, portal.client_key) if portal.client_key else portal.client_cert
    return PortalClient(
        url or portal.url,
        client_id=portal.client_id or (DEMO_CLIENT_ID if demo else ""),
        client_secret=portal.client_secret or (DEMO_CLIENT_SECRET if demo else ""),
        timeout_s=portal.timeout_s,
        deadline_s=portal.deadline_s,
        max_response_bytes=portal.max_response_bytes,
        retry=RetryPolicy(attempts=portal.retries),
        verify=portal.ca_bundle or True,
        cert=cert,
    )
