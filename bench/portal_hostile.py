"""The portal client against a hostile portal on loopback (tests/kiosk/portal/hostile_server.py):
the process's peak RSS while an endless body pours in (must stay under 200 MB), and how long a
stuck request (trickled body, trickled headers, a connect that hangs) takes to end against its
deadline.

    python -m bench portal_hostile [--deadline 5] [--max-response-bytes 1048576]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable

RSS_LIMIT_MB = 200.0


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024  # bytes on macOS


def _timed(action: Callable[[], object]) -> tuple[float, str]:
    started = time.monotonic()
    try:
        action()
        outcome = "answered"
    except Exception as exc:
        outcome = f"{type(exc).__name__} ({getattr(exc, 'code', '')})"
    return time.monotonic() - started, outcome


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench portal_hostile")
    parser.add_argument("--deadline", type=float, default=5.0, help="[portal] deadline_s")
    parser.add_argument("--max-response-bytes", type=int, default=1 << 20)
    parser.add_argument("--timeout", type=float, default=2.0, help="[portal] timeout_s")
    args = parser.parse_args(argv)

    from kiosk.portal.client import PortalClient, RetryPolicy
    from tests.kiosk.portal.hostile_server import hostile_portal, stalled_port

    def client(url: str) -> PortalClient:
        return PortalClient(
            url,
            timeout_s=args.timeout,
            deadline_s=args.deadline,
            max_response_bytes=args.max_response_bytes,
            retry=RetryPolicy(attempts=4, base_s=0.05, cap_s=0.2),
        )

    def submit(c: PortalClient) -> object:
        return c.submit_dossier({"kiosk_reference": "KIOSK-260105-BENCH1"}, "b" * 32)

    baseline = _peak_rss_mb()
    print(f"peak RSS before: {baseline:.1f} MB (interpreter, kiosk and httpx loaded)")
    failed = False
    # an endless body, sent as fast as loopback carries it, ten times in a row
    with hostile_portal("endless") as portal, client(portal.url) as c:
        elapsed, outcome = _timed(lambda: [_timed(lambda: submit(c)) for _ in range(10)])
        poured = sum(s.bytes_sent for s in portal.served)
    peak = _peak_rss_mb()
    failed |= peak >= RSS_LIMIT_MB
    print(
        f"endless body x10: peak RSS {peak:.1f} MB (limit {RSS_LIMIT_MB:.0f} MB), "
        f"{poured / (1 << 20):.1f} MiB pushed by the server, {elapsed:.2f} s; "
        f"cap {args.max_response_bytes} bytes"
    )
    for behaviour in ("gzip_bomb", "huge_headers"):
        with hostile_portal(behaviour) as portal, client(portal.url) as c:
            elapsed, outcome = _timed(lambda c=c: submit(c))
        peak = _peak_rss_mb()
        failed |= peak >= RSS_LIMIT_MB
        print(f"{behaviour}: {outcome} after {elapsed:.2f} s; peak RSS {peak:.1f} MB")

    # stuck requests: each must end by its deadline (retries included)
    for behaviour in ("trickle", "trickle_headers"):
        with hostile_portal(behaviour, trickle_interval_s=1.0) as portal, client(portal.url) as c:
            elapsed, outcome = _timed(lambda c=c: submit(c))
        late = elapsed - args.deadline
        failed |= late > 0.5
        print(
            f"{behaviour} (1 byte/s, timeout_s {args.timeout:g}): {outcome} after "
            f"{elapsed:.2f} s against a {args.deadline:g} s deadline ({late:+.2f} s)"
        )
    with stalled_port() as port, client(f"http://127.0.0.1:{port}") as c:
        elapsed, outcome = _timed(lambda: submit(c))
    late = elapsed - args.deadline
    failed |= late > 0.5
    print(
        f"connect that hangs: {outcome} after {elapsed:.2f} s against a "
        f"{args.deadline:g} s deadline ({late:+.2f} s)"
    )
    print("FAIL" if failed else "OK: memory under the limit, every stuck request ended on time")
    return 1 if failed else 0
