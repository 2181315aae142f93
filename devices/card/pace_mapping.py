"""The groups PACE runs in and the mappings that give them a new generator (9303-11 §4.4.3.3).

A `PaceGroup` is one cryptographic group with its current generator: an elliptic curve with a point
(ECDH) or a prime-order subgroup of Z*_p with an element (DH). PACE replaces the standard generator
by a mapped one and then runs an anonymous key agreement on it:

- generic mapping (§4.4.3.3.1): Ĝ = s·G + H (ECDH) or ĝ = g^s·h (DH), H/h from a key agreement;
- integrated mapping (§4.4.3.3.2): Ĝ = f_G(R_p(s, t)) with the point encoding of Appendix B
  (ECDH) or ĝ = R_p(s, t)^((p-1)/q) (DH);
- chip authentication mapping (§4.4.3.3.3): the generic mapping, ECDH only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from devices.card import ciphers
from devices.card.dh import DhGroup
from devices.card.ec import Curve
from devices.card.errors import ProtocolError

# R_p constants (§4.4.3.3.2): l = 128 for 3DES and AES-128, l = 256 for AES-192 and AES-256.
_C0_128 = bytes.fromhex("a668892a7c41e3ca739f40b057d85904")
_C1_128 = bytes.fromhex("a4e136ac725f738b01c1f60217c188ad")
_C0_256 = bytes.fromhex("d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676")
_C1_256 = bytes.fromhex("54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517")
# k, the key size of E() in bytes; "in case of DES, k is considered to be equal to 128 bits"
KEY_BYTES = {"3DES": 16, "AES128": 16, "AES192": 24, "AES256": 32}


class PaceGroup(Protocol):
    """One group with its current generator, as PACE's mapping and key agreement see it."""

    @property
    def order(self) -> int: ...

    @property
    def order_byte_length(self) -> int: ...

    @property
    def public_key_tag(self) -> int:
        """Tag of the public value inside the 7F49 object the authentication token covers."""
        ...

    def public(self, secret: int) -> bytes: ...

    def agree(self, secret: int, peer: bytes) -> bytes:
        """The shared secret K as the KDF takes it (x-coordinate, or g^xy sized like p)."""
        ...

    def generic_map(self, nonce: bytes, secret: int, peer: bytes) -> PaceGroup: ...

    def integrated_map(self, value: int) -> PaceGroup: ...

    @property
    def modulus(self) -> int: ...


@dataclass(frozen=True)
class EcGroup:
    curve: Curve
    generator: tuple[int, int]

    public_key_tag = 0x86

    @classmethod
    def standard(cls, curve: Curve) -> EcGroup:
        return cls(curve, curve.generator)

    @property
    def order(self) -> int:
        return self.curve.n

    @property
    def order_byte_length(self) -> int:
        return self.curve.order_byte_length

    @property
    def modulus(self) -> int:
        return self.curve.p

    def point(self, secret: int) -> tuple[int, int]:
        if self.generator == self.curve.generator:
            result = self.curve.multiply_generator(secret)
        else:
            result = self.curve.multiply(secret, self.generator)
        if result is None:
            raise ProtocolError("a private key gave the point at infinity")
        return result

    def public(self, secret: int) -> bytes:
        return self.curve.encode_point(self.point(secret))

    def agree(self, secret: int, peer: bytes) -> bytes:
        return self.curve.shared_x(secret, self.curve.decode_point(peer))

    def shared_point(self, secret: int, peer: bytes) -> tuple[int, int]:
        shared = self.curve.multiply(secret, self.curve.decode_point(peer))
        if shared is None:
            raise ProtocolError("PACE mapping produced the point at infinity")
        return shared

    def generic_map(self, nonce: bytes, secret: int, peer: bytes) -> EcGroup:
        """Ĝ = s·G + H with H = SK_map · PK_map(peer) (§4.4.3.3.1)."""
        h = self.shared_point(secret, peer)
        return self.with_generator(
            self.curve.add(self.curve.multiply_generator(int.from_bytes(nonce, "big")), h)
        )

    def integrated_map(self, value: int) -> EcGroup:
        return self.with_generator(point_encoding(self.curve, value))

    def with_generator(self, point: tuple[int, int] | None) -> EcGroup:
        if point is None:
            raise ProtocolError("PACE mapping produced the point at infinity")
        return EcGroup(self.curve, point)


@dataclass(frozen=True)
class DhPaceGroup:
    group: DhGroup
    generator: int

    public_key_tag = 0x84

    @classmethod
    def standard(cls, group: DhGroup) -> DhPaceGroup:
        return cls(group, group.g)

    @property
    def order(self) -> int:
        return self.group.q

    @property
    def order_byte_length(self) -> int:
        return self.group.order_byte_length

    @property
    def modulus(self) -> int:
        return self.group.p

    def public(self, secret: int) -> bytes:
        return self.group.encode(pow(self.generator, secret, self.group.p))

    def agree(self, secret: int, peer: bytes) -> bytes:
        return self.group.encode(pow(self.group.decode(peer), secret, self.group.p))

    def generic_map(self, nonce: bytes, secret: int, peer: bytes) -> DhPaceGroup:
        """ĝ = g^s · h with h = PK_map(peer)^SK_map (§4.4.3.3.1)."""
        p = self.group.p
        h = pow(self.group.decode(peer), secret, p)
        return self.with_generator(pow(self.group.g, int.from_bytes(nonce, "big"), p) * h % p)

    def integrated_map(self, value: int) -> DhPaceGroup:
        """ĝ = f_g(x) = x^a mod p with a = (p-1)/q; ĝ must not be 1 (§4.4.3.3.2)."""
        return self.with_generator(pow(value, self.group.cofactor, self.group.p))

    def with_generator(self, element: int) -> DhPaceGroup:
        if element in (0, 1):
            raise ProtocolError("PACE mapping produced a trivial generator")
        return DhPaceGroup(self.group, element)


def pseudo_random(s: bytes, t: bytes, cipher: str, modulus: int) -> int:
    """R_p(s, t) of §4.4.3.3.2: E() in CBC mode with IV 0, keys k_i cut to the key size.

    k_0 = E(t, s); x_i = E(k_{i-1}, c1); k_i = E(k_{i-1}, c0); result int(x_1‖…‖x_n) mod p with n
    the smallest number such that n·l ≥ log2 p + 64.
    """
    wide = cipher in ("AES192", "AES256")
    c0, c1 = (_C0_256, _C1_256) if wide else (_C0_128, _C1_128)
    key_bytes = KEY_BYTES[cipher]
    if len(t) != key_bytes:
        raise ProtocolError(
            f"integrated mapping nonce t has {len(t)} bytes, {cipher} needs {key_bytes}"
        )
    block_cipher = ciphers.TDES if cipher == "3DES" else ciphers.AES
    if not s or len(s) % ciphers.block_size(block_cipher):
        raise ProtocolError("integrated mapping nonce s is not a whole number of blocks")
    blocks = -(-(modulus.bit_length() + 64) // (8 * len(c0)))
    key = ciphers.encrypt(block_cipher, t, s)[:key_bytes]
    output = b""
    for _ in range(blocks):
        output += ciphers.encrypt(block_cipher, key, c1)
        key = ciphers.encrypt(block_cipher, key, c0)[:key_bytes]
    return int.from_bytes(output, "big") % modulus


def point_encoding(curve: Curve, t: int) -> tuple[int, int]:
    """f_G(t): the point encoding of Appendix B.2 (affine coordinates), for p ≡ 3 (mod 4).

    Every standardized PACE curve has cofactor 1, so no cofactor multiplication follows.
    """
    p, a, b = curve.p, curve.a, curve.b
    if p % 4 != 3:
        raise ProtocolError(
            f"integrated mapping needs p ≡ 3 (mod 4); {curve.name} does not have it"
        )
    alpha = -t * t % p
    alpha_sum = (alpha + alpha * alpha) % p
    x2 = -b * (1 + alpha_sum) * pow(a * alpha_sum, p - 2, p) % p
    x3 = alpha * x2 % p
    h2 = (x2 * x2 * x2 + a * x2 + b) % p
    u = pow(t, 3, p) * h2 % p
    root = pow(h2, p - 1 - (p + 1) // 4, p)
    point = (x2, root * h2 % p) if root * root * h2 % p == 1 else (x3, root * u % p)
    if not curve.contains(point) or t % p == 0:
        raise ProtocolError("integrated mapping gave no point on the curve")
    return point
