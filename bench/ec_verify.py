"""Median time of one ECDSA verify on the paths an explicit-curve key can take: OpenSSL (named
curve), the `ecdsa` package, and our own `devices/card/ec.py` point arithmetic (u1·G + u2·Q)."""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from devices.card.ec import Curve
from devices.card.lds.sod import AlgorithmIdentifier
from devices.card.public_keys import VerifyingKey, _ecdsa_key, from_native, standard_curve

_ECDSA_SHA256 = AlgorithmIdentifier("1.2.840.10045.4.3.2", b"")


def _own_verify(curve: Curve, point: tuple[int, int], r: int, s: int, message: bytes) -> bool:
    e = int.from_bytes(hashlib.sha256(message).digest(), "big")
    e >>= max(0, 256 - curve.n.bit_length())
    w = pow(s, -1, curve.n)
    total = curve.add(
        curve.multiply(e * w % curve.n, curve.generator), curve.multiply(r * w % curve.n, point)
    )
    return total is not None and total[0] % curve.n == r


def _median_ms(run: Callable[[], bool], rounds: int) -> float:
    assert run()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 30
    message = b"signed attributes"
    print(f"{'curve':<18}{'OpenSSL':>10}{'ecdsa':>10}{'ec.py':>10}   (median ms of {rounds})")
    for name, native in (("secp256r1", ec.SECP256R1()), ("brainpoolP512r1", ec.BrainpoolP512R1())):
        _row(name, native, message, rounds)
    return 0


def _row(name: str, native: ec.EllipticCurve, message: bytes, rounds: int) -> None:
    private = ec.generate_private_key(native)
    r, s = decode_dss_signature(private.sign(message, ec.ECDSA(hashes.SHA256())))
    key = from_native(private.public_key())
    curve = standard_curve(name)
    assert key.point is not None
    point = key.point
    fallback = VerifyingKey("EC", key.bits, None, curve, point, True)
    explicit = Curve("explicit", curve.p, curve.a, curve.b, curve.gx, curve.gy, curve.n)
    digest = hashlib.sha256(message).digest()

    def via_ecdsa_custom() -> bool:  # a curve ecdsa does not know: no cached tables
        fresh = _ecdsa_key(explicit, point)
        return bool(fresh.verify_digest((r, s), digest, sigdecode=lambda x, o: x))

    der = encode_dss_signature(r, s)
    print(
        f"{name:<18}"
        f"{_median_ms(lambda: key.verify(_ECDSA_SHA256, der, message), rounds):>10.2f}"
        f"{_median_ms(lambda: fallback.verify(_ECDSA_SHA256, der, message), rounds):>10.2f}"
        f"{_median_ms(lambda: _own_verify(curve, point, r, s, message), rounds):>10.2f}"
        f"   ecdsa, curve it does not know: {_median_ms(via_ecdsa_custom, rounds):.2f}"
    )
