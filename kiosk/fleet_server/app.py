"""The fleet service's ASGI app (Starlette): the kiosk API, the console and dashboard pages and
their JSON API (docs/fleet.md). `create_app` builds it in-process with an injectable clock, for
`kiosk fleet-serve`, the tests and the bench.

Database work runs in the thread pool; the event loop only reads bodies and streams console
events. Every refusal is JSON `{"error": code, "detail": ...}` with the status the protocol names.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kiosk.crypto.signed_update import KINDS
from kiosk.fleet_server import admin, help_desk, updates
from kiosk.fleet_server.broker import ConsoleBroker
from kiosk.fleet_server.clock import Clock, iso, system_clock
from kiosk.fleet_server.db import FleetDb
from kiosk.fleet_server.errors import (
    BadRequest,
    FleetRefusal,
    Forbidden,
    NotFound,
    TokenInvalid,
    TooManyRequests,
)
from kiosk.fleet_server.limits import MAX_BODY_BYTES, RateLimiter, read_body
from kiosk.fleet_server.messages import parse_sync
from kiosk.fleet_server.status import fleet_status
from kiosk.fleet_server.sync import sync
from kiosk.fleet_server.tokens import token_hash
from kiosk.store.db import StoreError

STATIC = Path(__file__).with_name("static")
ACCESS_COOKIE = "fleet_access"
# Pages load their script and style from this server only; nothing from the internet.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class FleetApp:
    """The routes' handlers, sharing the database, the clock, the broker and the limits."""

    def __init__(
        self,
        db: FleetDb,
        clock: Clock,
        max_body_bytes: int,
        rate: RateLimiter,
        keepalive_s: float,
    ) -> None:
        self.db = db
        self.clock = clock
        self.max_body_bytes = max_body_bytes
        self.rate = rate
        self.keepalive_s = keepalive_s
        self.broker = ConsoleBroker()
        # token hash → kiosk id of tokens that were valid: the sync skips the lookup; its own
        # transaction checks the token again (docs/fleet.md §10)
        self._sync_tokens: dict[str, str] = {}

    # --- authentication ----------------------------------------------------------------------

    async def kiosk(self, request: Request) -> str:
        kiosk_id = await run_in_threadpool(admin.kiosk_for_token, self.db, _bearer(request))
        self.rate.take(kiosk_id)
        return kiosk_id

    async def access(self, request: Request) -> admin.Access:
        token = request.cookies.get(ACCESS_COOKIE) or _bearer(request)
        return await run_in_threadpool(admin.access_for_token, self.db, token)

    async def json_body(self, request: Request) -> Any:
        data = await read_body(request, self.max_body_bytes)
        try:
            return json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("the body is not JSON") from None

    # --- kiosk API ---------------------------------------------------------------------------

    async def sync(self, request: Request) -> Response:
        hashed = token_hash(_bearer(request))
        kiosk_id = self._sync_tokens.get(hashed)
        if kiosk_id is None:
            kiosk_id = await run_in_threadpool(admin.kiosk_for_token, self.db, _bearer(request))
            self._sync_tokens[hashed] = kiosk_id
        self.rate.take(kiosk_id)
        parsed = parse_sync(await self.json_body(request))
        try:
            answer, published = await run_in_threadpool(
                sync, self.db, kiosk_id, parsed, self.clock(), hashed
            )
        except TokenInvalid:
            self._sync_tokens.pop(hashed, None)  # revoked or replaced since
            raise
        for event, data, office in published:
            self.broker.publish(event, data, office)
        return JSONResponse(answer)

    async def update(self, request: Request) -> Response:
        await self.kiosk(request)
        kind, sha = request.path_params["kind"], request.path_params["sha256"]
        if kind not in KINDS:
            raise NotFound(f"no update kind {kind!r}")
        return JSONResponse(await run_in_threadpool(updates.update_document, self.db, kind, sha))

    async def update_key(self, request: Request) -> Response:
        """The update-signing public key, for a kiosk pinning it on first use (docs/fleet.md §4)."""
        await self.kiosk(request)
        key = await run_in_threadpool(updates.update_public_key, self.db)
        return JSONResponse({"key_b64": key["public_key"], "key_id": key["key_id"]})

    async def put_key(self, request: Request) -> Response:
        kiosk_id = await self.kiosk(request)
        body = _object(await self.json_body(request))
        await run_in_threadpool(admin.hold_data_key, self.db, kiosk_id, body.get("key_b64"))
        return JSONResponse({"held": True}, status_code=201)

    async def rotate_key(self, request: Request) -> Response:
        kiosk_id = await self.kiosk(request)
        body = _object(await self.json_body(request))
        await run_in_threadpool(
            admin.rotate_data_key, self.db, kiosk_id, body.get("old_b64"), body.get("new_b64")
        )
        return JSONResponse({"held": True})

    async def get_key(self, request: Request) -> Response:
        kiosk_id = await self.kiosk(request)
        key = await run_in_threadpool(admin.release_data_key, self.db, kiosk_id)
        return JSONResponse({"key_b64": key}, headers={"Cache-Control": "no-store"})

    # --- console and dashboard API -----------------------------------------------------------

    async def login(self, request: Request) -> Response:
        token = str(_object(await self.json_body(request)).get("token", ""))
        access = await run_in_threadpool(admin.access_for_token, self.db, token)
        response = JSONResponse(_access_view(access))
        response.set_cookie(
            ACCESS_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=30 * 86400,
        )
        return response

    async def logout(self, _request: Request) -> Response:
        response = JSONResponse({"signed_out": True})
        response.delete_cookie(ACCESS_COOKIE)
        return response

    async def me(self, request: Request) -> Response:
        return JSONResponse(_access_view(await self.access(request)))

    async def help_requests(self, request: Request) -> Response:
        office = _office_scope(await self.access(request), request)
        found = await run_in_threadpool(help_desk.open_requests, self.db, office)
        return JSONResponse({"office": office, "requests": found})

    async def console_stream(self, request: Request) -> Response:
        office = _office_scope(await self.access(request), request)
        subscriber = self.broker.subscribe(office)  # before the snapshot: nothing falls between
        try:
            snapshot = await run_in_threadpool(help_desk.open_requests, self.db, office)
        except BaseException:
            self.broker.unsubscribe(subscriber)
            raise

        async def events() -> AsyncIterator[str]:
            try:
                yield "retry: 3000\n\n"
                for item in snapshot:
                    yield _sse("help", item)
                while True:
                    try:
                        event, data = await asyncio.wait_for(
                            subscriber.queue.get(), timeout=self.keepalive_s
                        )
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    yield _sse(event, data)
            finally:
                self.broker.unsubscribe(subscriber)

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def ack(self, request: Request) -> Response:
        access = await self.access(request)
        body = _object(await self.json_body(request))
        view = await run_in_threadpool(
            help_desk.acknowledge,
            self.db,
            request.path_params["help_id"],
            str(body.get("state", "")),
            str(body.get("by", "")),
            access.office,
            self.clock(),
        )
        self.broker.publish("ack", view, view["office"])
        return JSONResponse(view)

    async def status(self, request: Request) -> Response:
        if not (await self.access(request)).province:
            raise Forbidden("the dashboard needs a province access token")
        return JSONResponse(await run_in_threadpool(fleet_status, self.db, self.clock()))

    async def health(self, _request: Request) -> Response:
        return JSONResponse({"status": "ok", "server_time": iso(self.clock())})

    # --- pages -------------------------------------------------------------------------------

    async def console_page(self, _request: Request) -> Response:
        return FileResponse(STATIC / "console.html", headers=PAGE_HEADERS)

    async def dashboard_page(self, _request: Request) -> Response:
        return FileResponse(STATIC / "dashboard.html", headers=PAGE_HEADERS)


def create_app(
    db: FleetDb,
    clock: Clock = system_clock,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    rate_per_s: float = 2.0,
    rate_burst: int = 60,
    keepalive_s: float = 15.0,
) -> Starlette:
    """The fleet service on `db` (already migrated). `clock` answers every "now" the service
    uses (sync times, acknowledgements, offline alerts)."""
    fleet = FleetApp(db, clock, max_body_bytes, RateLimiter(rate_per_s, rate_burst), keepalive_s)
    routes = [
        Route("/", lambda _r: RedirectResponse("/dashboard"), methods=["GET"]),
        Route("/console", fleet.console_page, methods=["GET"]),
        Route("/dashboard", fleet.dashboard_page, methods=["GET"]),
        Route("/api/v1/health", fleet.health, methods=["GET"]),
        Route("/api/v1/sync", fleet.sync, methods=["POST"]),
        Route("/api/v1/updates/{kind}/{sha256}", fleet.update, methods=["GET"]),
        Route("/api/v1/update-key", fleet.update_key, methods=["GET"]),
        Route("/api/v1/key", fleet.put_key, methods=["PUT"]),
        Route("/api/v1/key", fleet.get_key, methods=["GET"]),
        Route("/api/v1/key/rotate", fleet.rotate_key, methods=["POST"]),
        Route("/api/v1/login", fleet.login, methods=["POST"]),
        Route("/api/v1/logout", fleet.logout, methods=["POST"]),
        Route("/api/v1/me", fleet.me, methods=["GET"]),
        Route("/api/v1/console/requests", fleet.help_requests, methods=["GET"]),
        Route("/api/v1/console/stream", fleet.console_stream, methods=["GET"]),
        Route("/api/v1/help/{help_id}/ack", fleet.ack, methods=["POST"]),
        Route("/api/v1/fleet/status", fleet.status, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={FleetRefusal: _refusal, StoreError: _unavailable},
    )
    app.state.fleet = fleet
    return app


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest("the body is not a JSON object")
    return body


def _office_scope(access: admin.Access, request: Request) -> str:
    """The office a console sees: its token's office, or any one a province token names."""
    asked = request.query_params.get("office", "")
    if access.province:
        return asked
    if asked and asked != access.office:
        raise Forbidden("this access token is for another office")
    return access.office


def _access_view(access: admin.Access) -> dict[str, Any]:
    return {"office": access.office, "province": access.province, "label": access.label}


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _refusal(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FleetRefusal)
    headers = {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after_s)))
    return JSONResponse({"error": exc.error, "detail": exc.detail}, exc.status, headers=headers)


async def _unavailable(_request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"error": "unavailable", "detail": "the fleet database does not answer"},
        503,
        headers={"Retry-After": "30"},
    )
