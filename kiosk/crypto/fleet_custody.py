"""Key custody "fleet": the machine key lives only at the province's fleet service.

`kiosk keys init` generates the 32-byte wrapping key, PUTs it to the fleet (`/api/v1/key`, see
docs/fleet_link.md §4) and writes only the keyring, wrapped by it; at every start the kiosk GETs
the key back, within `KEY_WAIT_S`. Nothing on the disk opens the keyring: a copy of the data
folder (or a stolen kiosk whose token the province revoked) yields nothing.

The HTTP exchange is tiny and runs on a helper thread that the caller waits for at most
`KEY_WAIT_S`, so a fleet service that trickles its answer cannot hold the kiosk's start.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
from pathlib import Path
from typing import Any

from kiosk.config import FleetConfig
from kiosk.crypto.errors import MachineKeyError
from kiosk.crypto.keyring import Keyring
from kiosk.crypto.machine_key import KEY_BYTES, _SecretMachineKey

KEY_PATH = "/api/v1/key"
KEY_WAIT_S = 15.0
MAX_ANSWER_BYTES = 16 * 1024
REMEDY = "check the network and [fleet] url/token; kiosk fleet check tells more"


class FleetKeyUnavailable(MachineKeyError):
    """The fleet service did not release the machine key (down, too slow, token revoked, no key
    held for this kiosk)."""

    code = "fleet_key_unavailable"


class FleetMachineKey(_SecretMachineKey):
    """The machine key released by the fleet service; held in memory only."""

    kind = "fleet"


def init_fleet_keyring(fleet: FleetConfig, keyring_file: Path) -> Keyring:
    """A new keyring wrapped by a new key left only at the fleet (`kiosk keys init`). A fleet
    that already holds this kiosk's key (an interrupted init) gives it back instead."""
    if keyring_file.exists():
        raise MachineKeyError(
            f"keyring {keyring_file} exists already; kiosk keys init is for a new kiosk "
            "(kiosk keys move-to fleet moves an existing keyring)"
        )
    return Keyring.create(deposit_key(fleet), keyring_file)


def deposit_key(fleet: FleetConfig) -> FleetMachineKey:
    """A fresh key deposited at the fleet (or the key it holds already for this kiosk)."""
    secret = secrets.token_bytes(KEY_BYTES)
    status, _ = _exchange(fleet, "PUT", {"key_b64": base64.b64encode(secret).decode("ascii")})
    if status == 409:
        return release_key(fleet)
    if status not in (200, 201, 204):
        raise _refusal(fleet, status)
    return FleetMachineKey(secret, Path(fleet.url))


def release_key(fleet: FleetConfig) -> FleetMachineKey:
    """The machine key as the fleet releases it now."""
    status, answer = _exchange(fleet, "GET", None)
    if status != 200:
        raise _refusal(fleet, status)
    try:
        secret = base64.b64decode(answer["key_b64"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise FleetKeyUnavailable(
            f"the fleet service {fleet.url} sent no usable key; {REMEDY}"
        ) from None
    if len(secret) != KEY_BYTES:
        raise FleetKeyUnavailable(f"the fleet service {fleet.url} sent a key of the wrong size")
    return FleetMachineKey(secret, Path(fleet.url))


def open_fleet_keyring(fleet: FleetConfig, keyring_file: Path) -> Keyring:
    """The keyring, opened with the key the fleet releases at start."""
    if not keyring_file.exists():
        raise MachineKeyError(
            f"no keyring {keyring_file} yet: run kiosk keys init (machine_key = fleet creates "
            "its keys only then)"
        )
    ring = Keyring.load(release_key(fleet), keyring_file)
    ring.add_missing_audit_keys()
    return ring


def _refusal(fleet: FleetConfig, status: int) -> FleetKeyUnavailable:
    if status == 401:
        why = "refused this kiosk's token (revoked or wrong [fleet] token)"
    elif status == 404:
        why = "holds no key for this kiosk (run kiosk keys init)"
    elif status == 0:
        why = f"did not answer within {KEY_WAIT_S:.0f} s"
    else:
        why = f"answered {status}"
    return FleetKeyUnavailable(f"the fleet service {fleet.url} {why}; {REMEDY}")


def _http_exchange(
    fleet: FleetConfig, method: str, body: dict[str, Any] | None
) -> tuple[int, dict[str, Any]]:
    import httpx

    url = fleet.url.rstrip("/") + KEY_PATH
    headers = {"Authorization": f"Bearer {fleet.token}"}
    try:
        with (
            httpx.Client(timeout=KEY_WAIT_S, follow_redirects=False) as client,
            client.stream(method, url, json=body, headers=headers) as response,
        ):
            data = b""
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_ANSWER_BYTES:
                    raise FleetKeyUnavailable(f"the fleet service {fleet.url} answer is too long")
            status = response.status_code
    except httpx.HTTPError as exc:
        raise FleetKeyUnavailable(
            f"the fleet service {fleet.url} is not reachable ({type(exc).__name__}); {REMEDY}"
        ) from None
    try:
        answer = json.loads(data) if data else {}
    except ValueError:
        answer = {}
    return status, answer if isinstance(answer, dict) else {}


def _exchange(
    fleet: FleetConfig, method: str, body: dict[str, Any] | None
) -> tuple[int, dict[str, Any]]:
    """One request, over by `KEY_WAIT_S` whatever the peer does (status 0: no answer in time)."""
    outcome: list[tuple[int, dict[str, Any]] | BaseException] = []

    def run() -> None:
        try:
            outcome.append(_http_exchange(fleet, method, body))
        except BaseException as exc:  # handed to the waiting thread
            outcome.append(exc)

    worker = threading.Thread(target=run, name="fleet-key", daemon=True)
    worker.start()
    worker.join(KEY_WAIT_S)
    if not outcome:
        return 0, {}
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result
