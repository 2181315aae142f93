"""Elliptic-curve arithmetic over prime fields, for PACE generic mapping and chip authentication.

PACE generic mapping (ICAO 9303-11 §4.4.3.3.1) needs G' = s·G + H, a point addition that the
`cryptography` package does not expose, and the ephemeral key agreement then runs on G', a
generator no library accepts. This module does short-Weierstrass arithmetic (y² = x³ + ax + b) in
Jacobian coordinates with a width-4 NAF scalar multiplication.

Python integers are not constant-time: the timing of `multiply` depends on the scalar. The kiosk
uses it only for ephemeral PACE/CA keys on a reader it controls; the simulator uses it for the
card side.

Curve parameters are the standardized domain parameters of BSI TR-03110 Part 3 §A.2.1.1 (IDs
8–18: NIST curves from FIPS 186 / SEC 2, Brainpool curves from RFC 5639), transcribed from
OpenSSL's built-in tables (`openssl ecparam -name … -param_enc explicit -text`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card.errors import ProtocolError

Point = tuple[int, int] | None  # affine (x, y); None is the point at infinity
_Jacobian = tuple[int, int, int]  # (X, Y, Z) with x = X/Z², y = Y/Z³; Z = 0 is infinity


def _h(*parts: str) -> int:
    return int("".join(parts), 16)


@dataclass(frozen=True)
class Curve:
    name: str
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int

    @property
    def generator(self) -> tuple[int, int]:
        return (self.gx, self.gy)

    @property
    def byte_length(self) -> int:
        return (self.p.bit_length() + 7) // 8

    @property
    def order_byte_length(self) -> int:
        return (self.n.bit_length() + 7) // 8

    def contains(self, point: Point) -> bool:
        if point is None:
            return True
        x, y = point
        if not (0 <= x < self.p and 0 <= y < self.p):
            return False
        return (y * y - (x * x * x + self.a * x + self.b)) % self.p == 0

    def multiply_generator(self, scalar: int) -> Point:
        """scalar · G, by OpenSSL when it knows the curve (several times faster)."""
        k = scalar % self.n
        native = native_curve(self.name)
        if native is None or k == 0:
            return self.multiply(k, self.generator)
        numbers = ec.derive_private_key(k, native).public_key().public_numbers()
        return (numbers.x, numbers.y)

    def shared_x(self, scalar: int, point: tuple[int, int]) -> bytes:
        """x(scalar · point) as bytes: the ECDH shared secret (OpenSSL when it knows the curve)."""
        k = scalar % self.n
        native = native_curve(self.name)
        if native is not None and k != 0:
            peer = ec.EllipticCurvePublicNumbers(point[0], point[1], native).public_key()
            return ec.derive_private_key(k, native).exchange(ec.ECDH(), peer)
        shared = self.multiply(k, point)
        if shared is None:
            raise ProtocolError("key agreement produced the point at infinity")
        return shared[0].to_bytes(self.byte_length, "big")

    def add(self, first: Point, second: Point) -> Point:
        return self._to_affine(self._add(self._to_jacobian(first), self._to_jacobian(second)))

    def negate(self, point: Point) -> Point:
        if point is None:
            return None
        return (point[0], (-point[1]) % self.p)

    def multiply(self, scalar: int, point: Point) -> Point:
        """scalar · point (width-4 NAF, Jacobian accumulator, affine precomputed odd multiples)."""
        if point is None or scalar % self.n == 0:
            return None
        k = scalar % self.n
        one = self._to_jacobian(point)
        double = self._double(one)
        odd = [one]  # 1P, 3P, 5P, 7P
        for _ in range(3):
            odd.append(self._add(odd[-1], double))
        table = [self._to_affine(q) for q in odd]
        acc: _Jacobian = (1, 1, 0)
        for digit in reversed(_naf4(k)):
            acc = self._double(acc)
            if digit:
                pre = table[abs(digit) >> 1]
                assert pre is not None  # odd multiples below the order are never infinity
                addend = pre if digit > 0 else (pre[0], (-pre[1]) % self.p)
                acc = self._add_mixed(acc, addend)
        return self._to_affine(acc)

    # --- encoding (SEC 1 §2.3.3 / §2.3.4, uncompressed only as ICAO 9303 uses) -------------------

    def encode_point(self, point: Point) -> bytes:
        if point is None:
            raise ProtocolError("cannot encode the point at infinity")
        size = self.byte_length
        return b"\x04" + point[0].to_bytes(size, "big") + point[1].to_bytes(size, "big")

    def decode_point(self, data: bytes) -> tuple[int, int]:
        size = self.byte_length
        if len(data) != 1 + 2 * size or data[0] != 0x04:
            raise ProtocolError(f"not an uncompressed {self.name} point ({len(data)} bytes)")
        point = (int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big"))
        if not self.contains(point):
            raise ProtocolError(f"point is not on {self.name}")
        return point

    # --- Jacobian internals -------------------------------------------------------------------

    def _to_jacobian(self, point: Point) -> _Jacobian:
        if point is None:
            return (1, 1, 0)
        return (point[0], point[1], 1)

    def _to_affine(self, point: _Jacobian) -> Point:
        x, y, z = point
        if z == 0:
            return None
        p = self.p
        z_inv = pow(z, -1, p)
        z_inv2 = z_inv * z_inv % p
        return (x * z_inv2 % p, y * z_inv2 * z_inv % p)

    def _double(self, point: _Jacobian) -> _Jacobian:
        x, y, z = point
        p = self.p
        if z == 0 or y == 0:
            return (1, 1, 0)
        xx = x * x % p
        yy = y * y % p
        zz = z * z % p
        s = 4 * x * yy % p
        m = (3 * xx + self.a * zz * zz) % p
        x3 = (m * m - 2 * s) % p
        y3 = (m * (s - x3) - 8 * yy * yy) % p
        z3 = 2 * y * z % p
        return (x3, y3, z3)

    def _add(self, first: _Jacobian, second: _Jacobian) -> _Jacobian:
        x1, y1, z1 = first
        x2, y2, z2 = second
        if z1 == 0:
            return second
        if z2 == 0:
            return first
        p = self.p
        z1z1 = z1 * z1 % p
        z2z2 = z2 * z2 % p
        u1 = x1 * z2z2 % p
        u2 = x2 * z1z1 % p
        s1 = y1 * z2 * z2z2 % p
        s2 = y2 * z1 * z1z1 % p
        if u1 == u2:
            return self._double(first) if s1 == s2 else (1, 1, 0)
        h = (u2 - u1) % p
        r = (s2 - s1) % p
        hh = h * h % p
        hhh = h * hh % p
        v = u1 * hh % p
        x3 = (r * r - hhh - 2 * v) % p
        y3 = (r * (v - x3) - s1 * hhh) % p
        z3 = z1 * z2 * h % p
        return (x3, y3, z3)

    def _add_mixed(self, first: _Jacobian, second: tuple[int, int]) -> _Jacobian:
        x1, y1, z1 = first
        if z1 == 0:
            return (second[0], second[1], 1)
        p = self.p
        z1z1 = z1 * z1 % p
        u2 = second[0] * z1z1 % p
        s2 = second[1] * z1 * z1z1 % p
        if x1 == u2:
            return self._double(first) if y1 == s2 else (1, 1, 0)
        h = (u2 - x1) % p
        r = (s2 - y1) % p
        hh = h * h % p
        hhh = h * hh % p
        v = x1 * hh % p
        x3 = (r * r - hhh - 2 * v) % p
        y3 = (r * (v - x3) - y1 * hhh) % p
        z3 = z1 * h % p
        return (x3, y3, z3)


_NATIVE_NAMES = {
    "secp192r1": "SECP192R1",
    "secp224r1": "SECP224R1",
    "secp256r1": "SECP256R1",
    "secp384r1": "SECP384R1",
    "secp521r1": "SECP521R1",
    "secp256k1": "SECP256K1",
    "brainpoolP256r1": "BrainpoolP256R1",
    "brainpoolP384r1": "BrainpoolP384R1",
    "brainpoolP512r1": "BrainpoolP512R1",
}


@cache
def native_curve(name: str) -> ec.EllipticCurve | None:
    """The `cryptography` curve of this name, if this OpenSSL build supports it."""
    class_name = _NATIVE_NAMES.get(name)
    if class_name is None:
        return None
    curve: ec.EllipticCurve = getattr(ec, class_name)()
    try:
        ec.derive_private_key(1, curve)
    except (UnsupportedAlgorithm, ValueError):
        return None
    return curve


def _naf4(k: int) -> list[int]:
    """Width-4 non-adjacent form, least significant digit first (digits in ±{1, 3, 5, 7})."""
    digits: list[int] = []
    while k:
        if k & 1:
            d = k & 15
            if d >= 8:
                d -= 16
            k -= d
        else:
            d = 0
        digits.append(d)
        k >>= 1
    return digits


# Standardized domain parameters (BSI TR-03110-3 Table 4 / ICAO 9303-11 §9.5.1), by parameter ID.
STANDARDIZED_CURVES: dict[int, Curve] = {
    8: Curve(
        "secp192r1",
        p=_h("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF"),
        a=_h("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC"),
        b=_h("64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1"),
        gx=_h("188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012"),
        gy=_h("7192B95FFC8DA78631011ED6B24CDD573F977A11E794811"),
        n=_h("FFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831"),
    ),
    9: Curve(
        "brainpoolP192r1",
        p=_h("C302F41D932A36CDA7A3463093D18DB78FCE476DE1A86297"),
        a=_h("6A91174076B1E0E19C39C031FE8685C1CAE040E5C69A28EF"),
        b=_h("469A28EF7C28CCA3DC721D044F4496BCCA7EF4146FBF25C9"),
        gx=_h("C0A0647EAAB6A48753B033C56CB0F0900A2F5C4853375FD6"),
        gy=_h("14B690866ABD5BB88B5F4828C1490002E6773FA2FA299B8F"),
        n=_h("C302F41D932A36CDA7A3462F9E9E916B5BE8F1029AC4ACC1"),
    ),
    10: Curve(
        "secp224r1",
        p=_h("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001"),
        a=_h("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE"),
        b=_h("B4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4"),
        gx=_h("B70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21"),
        gy=_h("BD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34"),
        n=_h("FFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D"),
    ),
    11: Curve(
        "brainpoolP224r1",
        p=_h("D7C134AA264366862A18302575D1D787B09F075797DA89F57EC8C0FF"),
        a=_h("68A5E62CA9CE6C1C299803A6C1530B514E182AD8B0042A59CAD29F43"),
        b=_h("2580F63CCFE44138870713B1A92369E33E2135D266DBB372386C400B"),
        gx=_h("D9029AD2C7E5CF4340823B2A87DC68C9E4CE3174C1E6EFDEE12C07D"),
        gy=_h("58AA56F772C0726F24C6B89E4ECDAC24354B9E99CAA3F6D3761402CD"),
        n=_h("D7C134AA264366862A18302575D0FB98D116BC4B6DDEBCA3A5A7939F"),
    ),
    12: Curve(
        "secp256r1",
        p=_h("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF"),
        a=_h("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC"),
        b=_h("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B"),
        gx=_h("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
        gy=_h("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"),
        n=_h("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
    ),
    13: Curve(
        "brainpoolP256r1",
        p=_h("A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377"),
        a=_h("7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9"),
        b=_h("26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6"),
        gx=_h("8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262"),
        gy=_h("547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997"),
        n=_h("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7"),
    ),
    14: Curve(
        "brainpoolP320r1",
        p=_h("D35E472036BC4FB7E13C785ED201E065F98FCFA6F6F40DEF4F92B9EC7893EC28FCD412B1F1B32E27"),
        a=_h("3EE30B568FBAB0F883CCEBD46D3F3BB8A2A73513F5EB79DA66190EB085FFA9F492F375A97D860EB4"),
        b=_h("520883949DFDBC42D3AD198640688A6FE13F41349554B49ACC31DCCD884539816F5EB4AC8FB1F1A6"),
        gx=_h("43BD7E9AFB53D8B85289BCC48EE5BFE6F20137D10A087EB6E7871E2A10A599C710AF8D0D39E20611"),
        gy=_h("14FDD05545EC1CC8AB4093247F77275E0743FFED117182EAA9C77877AAAC6AC7D35245D1692E8EE1"),
        n=_h("D35E472036BC4FB7E13C785ED201E065F98FCFA5B68F12A32D482EC7EE8658E98691555B44C59311"),
    ),
    15: Curve(
        "secp384r1",
        p=_h(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE"
            "FFFFFFFF0000000000000000FFFFFFFF"
        ),
        a=_h(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE"
            "FFFFFFFF0000000000000000FFFFFFFC"
        ),
        b=_h(
            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
            "C656398D8A2ED19D2A85C8EDD3EC2AEF"
        ),
        gx=_h(
            "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A38"
            "5502F25DBF55296C3A545E3872760AB7"
        ),
        gy=_h(
            "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C0"
            "0A60B1CE1D7E819D7A431D7C90EA0E5F"
        ),
        n=_h(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
            "581A0DB248B0A77AECEC196ACCC52973"
        ),
    ),
    16: Curve(
        "brainpoolP384r1",
        p=_h(
            "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123"
            "ACD3A729901D1A71874700133107EC53"
        ),
        a=_h(
            "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F"
            "8AA5814A503AD4EB04A8C7DD22CE2826"
        ),
        b=_h(
            "4A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D57"
            "CB4390295DBC9943AB78696FA504C11"
        ),
        gx=_h(
            "1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8"
            "E826E03436D646AAEF87B2E247D4AF1E"
        ),
        gy=_h(
            "8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF9912928"
            "0E4646217791811142820341263C5315"
        ),
        n=_h(
            "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7"
            "CF3AB6AF6B7FC3103B883202E9046565"
        ),
    ),
    17: Curve(
        "brainpoolP512r1",
        p=_h(
            "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330871"
            "7D4D9B009BC66842AECDA12AE6A380E62881FF2F2D82C68528AA6056583A48F3"
        ),
        a=_h(
            "7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC"
            "2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA"
        ),
        b=_h(
            "3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A7"
            "2BF2C7B9E7C1AC4D77FC94CADC083E67984050B75EBAE5DD2809BD638016F723"
        ),
        gx=_h(
            "81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098E"
            "FF3B1F78E2D0D48D50D1687B93B97D5F7C6D5047406A5E688B352209BCB9F822"
        ),
        gy=_h(
            "7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111"
            "B2DCDE494A5F485E5BCA4BD88A2763AED1CA2B2FA8F0540678CD1E0F3AD80892"
        ),
        n=_h(
            "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330870"
            "553E5C414CA92619418661197FAC10471DB1D381085DDADDB58796829CA90069"
        ),
    ),
    18: Curve(
        "secp521r1",
        p=_h(
            "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFF"
        ),
        a=_h(
            "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFC"
        ),
        b=_h(
            "51953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF109"
            "E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F"
            "00"
        ),
        gx=_h(
            "C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D3D"
            "BAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD"
            "66"
        ),
        gy=_h(
            "11839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E6"
            "62C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD16"
            "650"
        ),
        n=_h(
            "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386"
            "409"
        ),
    ),
}
