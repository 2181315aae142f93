"""A TEST DOUBLE of the fleet service: a small stdlib HTTP server speaking protocol v1 as the
kiosk sees it (docs/fleet_link.md §1), on loopback, for the kiosk-side tests. It is not the fleet
service (`kiosk/fleet_server/`, built separately): it keeps everything in memory and knows only
what these tests need — tokens and revocation, sync with duplicate detection, acks, signed updates
(which a test may tamper with), the update key and the data-key deposit.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DOMAIN = b"kiosk-fleet-update-v1\n"


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass
class FleetDouble:
    tokens: dict[str, str] = field(default_factory=dict)  # token → kiosk id
    revoked: set[str] = field(default_factory=set)
    down: bool = False  # answer 503 to everything
    clock_offset: timedelta = timedelta(0)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → event
    syncs: list[dict[str, Any]] = field(default_factory=list)
    pending_acks: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    announced: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # kiosk id → key_b64
    signing_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def enroll(self, kiosk_id: str) -> str:
        token = base64.urlsafe_b64encode(hashlib.sha256(kiosk_id.encode()).digest()).decode()
        self.tokens[token] = kiosk_id
        return token

    @property
    def update_key_b64(self) -> str:
        return base64.b64encode(raw_public(self.signing_key)).decode()

    def publish(
        self, kind: str, payload: bytes, signer: Ed25519PrivateKey | None = None
    ) -> dict[str, Any]:
        """Sign `payload` as an update of `kind` and announce it on the next syncs."""
        sha = hashlib.sha256(payload).hexdigest()
        key = signer or self.signing_key
        signature = key.sign(DOMAIN + kind.encode() + b"\n" + sha.encode() + b"\n" + payload)
        document = {
            "kind": kind,
            "sha256": sha,
            "payload_b64": base64.b64encode(payload).decode(),
            "signed_at": datetime.now(UTC).isoformat(),
            "key_id": hashlib.sha256(raw_public(key)).hexdigest(),
            "signature_b64": base64.b64encode(signature).decode(),
        }
        self.updates[(kind, sha)] = document
        self.announced = [u for u in self.announced if u["kind"] != kind]
        self.announced.append({"kind": kind, "sha256": sha, "url": f"/api/v1/updates/{kind}/{sha}"})
        return document

    def kinds_received(self) -> list[str]:
        return [e["kind"] for e in self.events.values()]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *_: Any) -> None:
        pass

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _kiosk(self) -> str | None:
        fleet = self.server.fleet
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in fleet.tokens or token in fleet.revoked:
            self._answer(401, {"error": "token_invalid"})
            return None
        return fleet.tokens[token]

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(length) or b"{}")

    def _handle(self, method: str) -> None:
        fleet = self.server.fleet
        fleet.requests.append((method, self.path))
        if fleet.down:
            self._answer(503, {"error": "down"})
            return
        kiosk = self._kiosk()
        if kiosk is None:
            return
        if method == "POST" and self.path == "/api/v1/sync":
            self._sync(kiosk, self._body())
        elif method == "GET" and self.path.startswith("/api/v1/updates/"):
            _, _, _, _, kind, sha = self.path.split("/")
            document = fleet.updates.get((kind, sha))
            self._answer(200 if document else 404, document or {"error": "not_found"})
        elif method == "GET" and self.path == "/api/v1/update-key":
            self._answer(200, {"key_b64": fleet.update_key_b64})
        elif self.path == "/api/v1/key" and method == "PUT":
            if kiosk in fleet.keys:
                self._answer(409, {"error": "key_held"})
            else:
                fleet.keys[kiosk] = self._body()["key_b64"]
                self._answer(201, {})
        elif self.path == "/api/v1/key" and method == "GET":
            if kiosk in fleet.keys:
                self._answer(200, {"key_b64": fleet.keys[kiosk]})
            else:
                self._answer(404, {"error": "no_key"})
        else:
            self._answer(404, {"error": "not_found"})

    def _sync(self, kiosk: str, request: dict[str, Any]) -> None:
        fleet = self.server.fleet
        if request.get("kiosk_id") != kiosk:
            self._answer(403, {"error": "kiosk_mismatch"})
            return
        if len(request["events"]) > 500:
            self._answer(413, {"error": "too_many_events"})
            return
        fleet.syncs.append(request)
        accepted, duplicates = [], []
        for event in request["events"]:
            if event["id"] in fleet.events:
                duplicates.append(event["id"])
            else:
                fleet.events[event["id"]] = event
                accepted.append(event["id"])
        acks, fleet.pending_acks = fleet.pending_acks, []
        have = request.get("have", {})
        updates = [u for u in fleet.announced if have.get(u["kind"]) != u["sha256"]]
        now = datetime.now(UTC) + fleet.clock_offset
        self._answer(
            200,
            {
                "accepted": accepted,
                "duplicates": duplicates,
                "acks": acks,
                "updates": updates,
                "server_time": now.isoformat(),
            },
        )

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fleet: FleetDouble


class RunningFleetDouble:
    def __init__(self) -> None:
        self.fleet = FleetDouble()
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.fleet = self.fleet
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_until(condition: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())
