"""Running the service under uvicorn: in the foreground (`kiosk fleet-serve`), or in a background
thread on a free port (tests, the bench, a demo)."""

from __future__ import annotations

import threading
import time
from typing import Any

from kiosk.fleet_server.app import create_app
from kiosk.fleet_server.clock import Clock, system_clock
from kiosk.fleet_server.db import FleetDb, open_fleet_db
from kiosk.fleet_server.secrets import FleetSecrets
from kiosk.fleet_server.updates import update_signing_key


def serve(
    url: str,
    host: str,
    port: int,
    clock: Clock = system_clock,
    secrets: FleetSecrets | None = None,
) -> None:
    """Migrate the database, make the update-signing key if there is none, then serve until
    stopped (SIGTERM from systemd, Ctrl+C)."""
    import uvicorn

    db = open_fleet_db(url, secrets=secrets)
    try:
        update_signing_key(db)
        uvicorn.run(
            create_app(db, clock),
            host=host,
            port=port,
            log_level="info",
            proxy_headers=True,
            timeout_graceful_shutdown=5,
        )
    finally:
        db.close()


class BackgroundServer:
    """The app served by uvicorn in a daemon thread on 127.0.0.1 and a free port."""

    def __init__(self, db: FleetDb, clock: Clock = system_clock, **options: Any) -> None:
        import uvicorn

        self.app = create_app(db, clock, **options)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="fleet-server", daemon=True)
        self.url = ""

    def start(self, timeout_s: float = 20) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fleet service did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
