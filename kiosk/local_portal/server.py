"""Running the local portal: `start_local_portal(db_path, port=0)` in-process on a free port (demo
mode, tests); `LocalPortal.serve_forever()` in the foreground (`kiosk portal-serve`)."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from kiosk.local_portal.faults import Faults
from kiosk.local_portal.routes import PortalHttpServer
from kiosk.local_portal.rules import STATUS_TEXTS, PortalApi, utc_now
from kiosk.local_portal.schema import PortalDatabase, ReceivedDossier
from kiosk.portal.connect import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

__all__ = ["Faults", "LocalPortal", "start_local_portal"]


class LocalPortal:
    """A local portal running in a background thread of this process."""

    def __init__(
        self,
        db_path: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        procedure_codes: frozenset[str] | None = None,
    ) -> None:
        self.db = PortalDatabase(db_path)
        if procedure_codes is None:
            from kiosk.domain.catalogue import load_catalogue

            procedure_codes = frozenset(p.code for p in load_catalogue().procedures)
        self.api = PortalApi(self.db, client_id, client_secret, procedure_codes)
        self.faults = faults or Faults()
        self.client_id = client_id
        self.client_secret = client_secret
        self._server = PortalHttpServer((host, port), self.api, self.faults)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LocalPortal:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="local-portal", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()
        self._server.close_open_connections()
        self.db.close()

    # --- for demo mode and tests ---

    def received(self) -> list[ReceivedDossier]:
        return self.db.received()

    def set_status(self, portal_code: str, status: str, reason: str | None = None) -> None:
        if status not in STATUS_TEXTS:
            raise ValueError(f"unknown dossier status {status!r}")
        self.db.transaction(
            lambda db: db.execute(
                "UPDATE dossiers SET status = ?, reason = ?, updated_at = ? WHERE portal_code = ?",
                (status, reason, utc_now().isoformat(), portal_code),
            )
        )

    def mark_paid(self, portal_code: str) -> None:
        self.db.transaction(
            lambda db: db.execute(
                "UPDATE dossiers SET paid_at = ? WHERE portal_code = ?",
                (utc_now().isoformat(), portal_code),
            )
        )

    def sms_sent(self, phone: str) -> list[str]:
        """The texts the portal "sent" to `phone` (the local portal's SMS gateway is a table)."""
        rows = self.db.transaction(
            lambda db: db.execute(
                "SELECT text FROM sms WHERE phone = ? ORDER BY id", (phone,)
            ).fetchall()
        )
        return [row["text"] for row in rows]

    def last_otp(self, phone: str) -> str | None:
        texts = self.sms_sent(phone)
        return texts[-1].rsplit(" ", 1)[-1] if texts else None


def start_local_portal(
    db_path: Path | str,
    port: int = 0,
    *,
    error_rate: float = 0.0,
    latency_ms: int = 0,
    drop_rate: float = 0.0,
    seed: int | None = None,
) -> LocalPortal:
    """Start a local portal on 127.0.0.1 (`port=0`: a free port); `.url`, `.stop()`."""
    faults = Faults(error_rate, latency_ms, drop_rate, random.Random(seed))
    return LocalPortal(db_path, port=port, faults=faults).start()
