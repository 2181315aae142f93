"""The portal client against a hostile portal on loopback: every request ends by its deadline
(connect, headers and body included) and no answer is held past the size cap."""

from __future__ import annotations

import gzip
import random
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kiosk.portal.client import PortalClient, RetryPolicy
from kiosk.portal.errors import PortalDeadline, PortalError, PortalTooLarge, PortalUnavailable

from .hostile_server import hostile_portal, stalled_port

CAP = 256 * 1024
MiB = 1 << 20


def hostile_client(url: str, *, deadline_s: float = 10.0, attempts: int = 1) -> PortalClient:
    """Certificate-authenticated (no token round trip); read timeout longer than a trickle's
    pause, so only the overall deadline can end a trickle."""
    return PortalClient(
        url,
        timeout_s=2.0,
        deadline_s=deadline_s,
        max_response_bytes=CAP,
        retry=RetryPolicy(attempts=attempts, base_s=0.01, cap_s=0.02),
    )


def submit(client: PortalClient) -> Any:
    return client.submit_dossier({"kiosk_reference": "KIOSK-260105-AAAAAA"}, "k" * 32)


def peak_traced(action: Callable[[], object]) -> tuple[int, float, BaseException | None]:
    """Peak bytes Python allocated while `action` ran, its duration, and what it raised."""
    tracemalloc.start()
    started = time.monotonic()
    caught: BaseException | None = None
    try:
        action()
    except BaseException as exc:
        caught = exc
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, elapsed, caught


def test_an_endless_body_stops_at_the_size_cap_with_memory_bounded():
    # 64 MiB offered: without the cap the client would hold all of it
    with hostile_portal("endless", body_limit=64 * MiB) as portal, hostile_client(portal.url) as c:
        peak, _, caught = peak_traced(lambda: submit(c))
    assert isinstance(caught, PortalTooLarge) and "max_response_bytes" in caught.staff_text
    assert peak < 4 * MiB


def test_a_declared_length_over_the_cap_is_refused_before_reading_the_body():
    with (
        hostile_portal("declared_huge", body_limit=64 * MiB) as portal,
        hostile_client(portal.url) as c,
        pytest.raises(PortalTooLarge, match="declared"),
    ):
        submit(c)


def test_a_gzip_bomb_stops_at_the_cap_while_inflating():
    with hostile_portal("gzip_bomb") as portal, hostile_client(portal.url) as c:
        peak, _, caught = peak_traced(lambda: submit(c))
    assert isinstance(caught, PortalTooLarge) and "decompression" in caught.staff_text
    assert peak < 4 * MiB


def test_a_trickled_body_ends_at_the_deadline_though_no_read_times_out():
    # one byte every 0.5 s never trips the 2 s read timeout; the 1.5 s deadline ends it
    with hostile_portal("trickle") as portal, hostile_client(portal.url, deadline_s=1.5) as c:
        _, elapsed, caught = peak_traced(lambda: submit(c))
    assert isinstance(caught, PortalDeadline) and "deadline_s" in caught.staff_text
    assert 1.4 < elapsed < 2.2


def test_endless_headers_end_quickly_with_memory_bounded():
    with hostile_portal("huge_headers") as portal, hostile_client(portal.url) as c:
        peak, elapsed, caught = peak_traced(lambda: submit(c))
    assert isinstance(caught, PortalError) and elapsed < 5
    assert peak < 4 * MiB


def test_trickled_headers_end_at_the_deadline():
    with (
        hostile_portal("trickle_headers") as portal,
        hostile_client(portal.url, deadline_s=1.5) as c,
    ):
        _, elapsed, caught = peak_traced(lambda: submit(c))
    assert isinstance(caught, PortalDeadline)
    assert elapsed < 2.2


def test_a_connect_that_hangs_ends_at_the_deadline():
    with stalled_port() as port, hostile_client(f"http://127.0.0.1:{port}", deadline_s=1.0) as c:
        _, elapsed, caught = peak_traced(lambda: submit(c))
    assert isinstance(caught, PortalDeadline)
    assert 0.9 < elapsed < 1.6


def test_retries_share_the_one_deadline():
    # each try trickles until the deadline; three tries still end by the single 1.5 s deadline
    with (
        hostile_portal("trickle") as portal,
        hostile_client(portal.url, deadline_s=1.5, attempts=3) as c,
    ):
        _, elapsed, caught = peak_traced(lambda: submit(c))
    assert isinstance(caught, PortalDeadline) and elapsed < 2.2
    assert len(portal.served) == 1


def test_the_health_check_of_a_trickling_portal_ends_at_the_deadline():
    with hostile_portal("trickle") as portal, hostile_client(portal.url, deadline_s=1.0) as c:
        started = time.monotonic()
        assert c.health() is False
        assert time.monotonic() - started < 1.7


class Longest(random.Random):
    """Full jitter that always draws the longest wait."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_a_retry_that_would_overrun_the_deadline_is_not_attempted():
    calls: list[httpx.Request] = []

    def busy(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503, json={"code": "busy", "message": "bận"})

    c = PortalClient(
        "http://portal.test",
        deadline_s=1.0,
        retry=RetryPolicy(attempts=4, base_s=5.0, cap_s=5.0),  # every wait is longer than 1 s
        transport=httpx.MockTransport(busy),
        sleep=lambda s: None,
        rng=Longest(),
    )
    with pytest.raises(PortalUnavailable):
        submit(c)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("size", "refused"),
    [(CAP, False), (CAP + 1, True)],
    ids=["exactly-the-cap-is-read", "one-byte-more-is-refused"],
)
def test_the_cap_is_inclusive(size, refused):
    receipt = b'{"portal_code":"P-1","status":"received","received_at":"2026-01-05T02:00:00+00:00"}'
    padded = receipt + b" " * (size - len(receipt))

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, stream=httpx.ByteStream(padded))

    c = PortalClient(
        "http://portal.test", max_response_bytes=CAP, transport=httpx.MockTransport(answer)
    )
    if refused:
        with pytest.raises(PortalTooLarge):
            submit(c)
    else:
        assert submit(c).portal_code == "P-1"


def test_a_gzipped_answer_within_the_cap_is_decoded():
    receipt = b'{"portal_code":"P-2","status":"received","received_at":"2026-01-05T02:00:00+00:00"}'

    def answer(request: httpx.Request) -> httpx.Response:
        body = httpx.ByteStream(gzip.compress(receipt + b" " * 100_000))
        return httpx.Response(201, headers={"Content-Encoding": "gzip"}, stream=body)

    c = PortalClient(
        "http://portal.test", max_response_bytes=CAP, transport=httpx.MockTransport(answer)
    )
    assert submit(c).portal_code == "P-2"
