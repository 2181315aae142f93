"""Bounded HTTP I/O for the portal client.

httpx's timeouts bound each socket operation, not a request: a portal that sends one byte a second
never trips a read timeout. Here every socket operation of a request (connect, TLS handshake,
sending, each read of the headers and of the body) gets at most what is left of the request's
`Deadline`, so the request ends at its deadline whatever the peer does. The deadline travels in a
context variable: httpcore's synchronous pool runs each request in the calling thread, and a
pooled connection serves whichever request holds it next.

`BoundedTransport` is an httpx transport on httpcore's public API (`ConnectionPool` or
`HTTPProxy` with a custom `network_backend`); `read_capped` streams a body and stops at a size
cap, decompressing gzip/deflate within the cap too.
"""

from __future__ import annotations

import ssl
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

_current: ContextVar[Deadline | None] = ContextVar("portal_deadline", default=None)


class Deadline:
    """The moment a whole request (all its tries) must be over."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._at = clock() + seconds

    def remaining(self) -> float:
        return self._at - self._clock()

    def expired(self) -> bool:
        return self.remaining() <= 0


@contextmanager
def bounded_by(deadline: Deadline) -> Iterator[None]:
    """Socket operations in this block (this thread) end by `deadline`."""
    token = _current.set(deadline)
    try:
        yield
    finally:
        _current.reset(token)


def _clamp(timeout: float | None, late: type[httpcore.TimeoutException]) -> float | None:
    deadline = _current.get()
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left <= 0:
        raise late("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wrapped = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(wrapped)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(
            path, _clamp(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


# httpcore's errors as httpx's (most specific first), so callers see one family of exceptions.
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for theirs, ours in _ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc), request=request) from exc
        raise


class _BodyStream(httpx.SyncByteStream):
    def __init__(self, inner: Any, request: httpx.Request) -> None:
        self._inner = inner
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors(self._request):
            yield from self._inner

    def close(self) -> None:
        if hasattr(self._inner, "close"):
            self._inner.close()


def environment_proxy(url: str) -> str | None:
    """The HTTP(S) proxy the environment names for `url` (HTTPS_PROXY, NO_PROXY, …), if any."""
    parsed = httpx.URL(url)
    if parsed.host and urllib.request.proxy_bypass(parsed.host):
        return None
    proxy = urllib.request.getproxies().get(parsed.scheme)
    return proxy if proxy and proxy.startswith(("http://", "https://")) else None


class BoundedTransport(httpx.BaseTransport):
    """An HTTP/1.1 transport whose every socket operation ends by the current `Deadline`."""

    def __init__(
        self,
        *,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxy: str | None = None,
    ) -> None:
        context = httpx.create_ssl_context(verify=verify, cert=cert)
        backend = _DeadlineBackend()
        if proxy is None:
            self._pool: httpcore.ConnectionPool = httpcore.ConnectionPool(
                ssl_context=context, network_backend=backend
            )
        else:
            target = httpx.URL(proxy)
            self._pool = httpcore.HTTPProxy(
                proxy_url=httpcore.URL(
                    scheme=target.raw_scheme,
                    host=target.raw_host,
                    port=target.port,
                    target=target.raw_path,
                ),
                ssl_context=context,
                network_backend=backend,
            )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors(request):
            answer = self._pool.handle_request(core)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_BodyStream(answer.stream, request),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        self._pool.close()


INFLATE_STEP = 256 * 1024  # most bytes one decompression step may produce


def _inflated(inflate: Any, data: bytes, encoding: str) -> Iterator[bytes]:
    """`data` decompressed in pieces of at most INFLATE_STEP bytes (a bomb never lands whole)."""
    while True:
        try:
            piece = inflate.decompress(data, INFLATE_STEP)
        except zlib.error:
            raise UnknownEncoding(f"damaged {encoding} body") from None
        if piece:
            yield piece
        data = inflate.unconsumed_tail
        if not data and len(piece) < INFLATE_STEP:
            return


class BodyTooLarge(Exception):
    """The body (as sent, or decompressed) is longer than the cap."""


class UnknownEncoding(Exception):
    """The body is compressed in a way this client does not decode."""


def read_capped(response: httpx.Response, cap: int, deadline: Deadline) -> bytes:
    """The body of a streamed `response`, read chunk by chunk; `BodyTooLarge` as soon as it (or
    its gzip/deflate decompression) passes `cap` bytes, before reading the rest."""
    try:
        loaded = response.content  # a response made in memory (a test transport) is read already
    except httpx.ResponseNotRead:
        pass
    else:
        if len(loaded) > cap:
            raise BodyTooLarge(f"{len(loaded)} bytes")
        return loaded
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise BodyTooLarge(f"{declared} bytes declared")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise UnknownEncoding(encoding)
    # wbits 32+15: zlib or gzip header, detected (HTTP "deflate" is zlib-wrapped)
    inflate = None if encoding in ("", "identity") else zlib.decompressobj(32 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    raw = kept = 0  # bytes as sent; bytes after decompression
    for chunk in response.iter_raw():
        if deadline.expired():
            raise httpx.ReadTimeout("the request's deadline has passed", request=response.request)
        raw += len(chunk)
        if raw > cap:
            raise BodyTooLarge(f"more than {cap} bytes sent")
        if inflate is None:
            parts.append(chunk)
            continue
        for piece in _inflated(inflate, chunk, encoding):
            kept += len(piece)
            if kept > cap:
                raise BodyTooLarge(f"more than {cap} bytes after {encoding} decompression")
            parts.append(piece)
    return b"".join(parts)
