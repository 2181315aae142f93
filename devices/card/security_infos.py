"""SecurityInfos (ICAO 9303-11 §9.2): what EF.CardAccess and DG14 advertise.

SecurityInfos ::= SET OF SecurityInfo
SecurityInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER, requiredData ANY, optionalData ANY OPT }
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from devices.card import asn1
from devices.card.errors import ParseError
from devices.card.tlv import TLV, parse_prefix

if TYPE_CHECKING:
    from devices.card.lds.sod import SecurityObject

BSI_DE = "0.4.0.127.0.7"
ID_PK = BSI_DE + ".2.2.1"  # ChipAuthenticationPublicKeyInfo
ID_TA = BSI_DE + ".2.2.2"
ID_CA = BSI_DE + ".2.2.3"  # ChipAuthenticationInfo
ID_PACE = BSI_DE + ".2.2.4"
ID_AA = "2.23.136.1.1.5"  # ActiveAuthenticationInfo
ID_SECURITY_OBJECT = BSI_DE + ".3.2.1"  # eContentType of EF.CardSecurity (TR-03110-3 A.1.2.5)
MAX_CARD_SECURITY = 64 * 1024
EF_CARD_SECURITY = 0x011D  # in the master file (the applet's 011D is EF.SOD)

# PACE protocol arcs under id-PACE: mapping.cipher (§9.2.1, BSI TR-03110-3 A.1.1.1)
PACE_MAPPINGS = {1: "DH-GM", 2: "ECDH-GM", 3: "DH-IM", 4: "ECDH-IM", 6: "ECDH-CAM"}
CA_KEY_AGREEMENTS = {1: "DH", 2: "ECDH"}
CIPHERS = {1: "3DES", 2: "AES128", 3: "AES192", 4: "AES256"}


@dataclass(frozen=True)
class PaceInfo:
    protocol: str  # dotted OID, e.g. 0.4.0.127.0.7.2.2.4.2.2
    version: int
    parameter_id: int | None

    @property
    def mapping(self) -> str:
        return PACE_MAPPINGS.get(_arc(self.protocol, -2), "unknown")

    @property
    def cipher(self) -> str:
        return CIPHERS.get(_arc(self.protocol, -1), "unknown")


@dataclass(frozen=True)
class ChipAuthenticationInfo:
    protocol: str
    version: int
    key_id: int | None

    @property
    def key_agreement(self) -> str:
        return CA_KEY_AGREEMENTS.get(_arc(self.protocol, -2), "unknown")

    @property
    def cipher(self) -> str:
        return CIPHERS.get(_arc(self.protocol, -1), "unknown")


@dataclass(frozen=True)
class ChipAuthenticationPublicKeyInfo:
    protocol: str
    subject_public_key_info: bytes  # DER SubjectPublicKeyInfo (explicit or named parameters)
    key_id: int | None

    @property
    def public_key(self) -> bytes:
        """The subjectPublicKey bits (an uncompressed point for ECDH, an INTEGER for DH)."""
        fields = parse_prefix(self.subject_public_key_info).children()
        if len(fields) < 2 or fields[1].tag != asn1.BIT_STRING or not fields[1].value:
            raise ParseError("ChipAuthenticationPublicKeyInfo has no public key bit string")
        return fields[1].value[1:]


@dataclass(frozen=True)
class ActiveAuthenticationInfo:
    version: int
    signature_algorithm: str  # OID of the ECDSA plain signature algorithm


@dataclass
class SecurityInfos:
    pace: list[PaceInfo] = field(default_factory=list)
    chip_authentication: list[ChipAuthenticationInfo] = field(default_factory=list)
    chip_authentication_keys: list[ChipAuthenticationPublicKeyInfo] = field(default_factory=list)
    active_authentication: list[ActiveAuthenticationInfo] = field(default_factory=list)
    terminal_authentication: bool = False
    other: list[str] = field(default_factory=list)  # OIDs we do not use

    def preferred_pace(self, supported: set[str]) -> PaceInfo | None:
        """The advertised PACE protocol to run: chip authentication mapping first (it also
        authenticates the chip, 9303-11 Appendix J.1), else the first one we implement."""
        usable = [i for i in self.pace if i.mapping in supported and i.cipher != "unknown"]
        usable.sort(key=lambda info: info.mapping != "ECDH-CAM")
        return usable[0] if usable else None


def _arc(dotted: str, index: int) -> int:
    try:
        return int(dotted.split(".")[index])
    except (IndexError, ValueError):
        return -1


def _optional_int(children: list[TLV], index: int) -> int | None:
    if len(children) > index and children[index].tag == asn1.INTEGER:
        return asn1.integer(children[index])
    return None


def parse_security_infos(data: bytes) -> SecurityInfos:
    """Parse a DER SET OF SecurityInfo (EF.CardAccess content, or DG14's inner SET)."""
    outer = parse_prefix(data)
    if outer.tag != asn1.SET:
        raise ParseError(f"SecurityInfos must be a SET, found tag {outer.tag:X}")
    return security_infos_from(outer)


def security_infos_from(outer: TLV) -> SecurityInfos:
    infos = SecurityInfos()
    for entry in outer.children():
        if entry.tag != asn1.SEQUENCE:
            raise ParseError("a SecurityInfo must be a SEQUENCE")
        children = entry.children()
        if not children:
            raise ParseError("empty SecurityInfo")
        protocol = asn1.oid(children[0])
        if protocol.startswith(ID_PACE + ".") and protocol.count(".") == ID_PACE.count(".") + 2:
            if len(children) < 2:
                raise ParseError("PACEInfo without version")
            infos.pace.append(
                PaceInfo(protocol, asn1.integer(children[1]), _optional_int(children, 2))
            )
        elif protocol.startswith(ID_PK + "."):
            if len(children) < 2 or children[1].tag != asn1.SEQUENCE:
                raise ParseError("ChipAuthenticationPublicKeyInfo without a public key")
            infos.chip_authentication_keys.append(
                ChipAuthenticationPublicKeyInfo(
                    protocol, children[1].raw, _optional_int(children, 2)
                )
            )
        elif protocol.startswith(ID_CA + ".") and protocol.count(".") == ID_CA.count(".") + 2:
            if len(children) < 2:
                raise ParseError("ChipAuthenticationInfo without version")
            infos.chip_authentication.append(
                ChipAuthenticationInfo(
                    protocol, asn1.integer(children[1]), _optional_int(children, 2)
                )
            )
        elif protocol == ID_AA:
            if len(children) < 3:
                raise ParseError("ActiveAuthenticationInfo without signature algorithm")
            infos.active_authentication.append(
                ActiveAuthenticationInfo(asn1.integer(children[1]), asn1.oid(children[2]))
            )
        elif protocol.startswith(ID_TA):
            infos.terminal_authentication = True
        else:
            infos.other.append(protocol)
    return infos


def card_security_signed_data(data: bytes) -> SecurityObject:
    """EF.CardSecurity (ICAO 9303-11 §9.2.11) as the one CMS parser reads it: a ContentInfo with
    SignedData by a document signer whose encapsulated content (type id-SecurityObject) is a DER
    SecurityInfos. `ParseError` when it is none of that, or has no signer."""
    from devices.card.cms import parse_signed_data  # cms → lds → dg14 → this module

    if len(data) > MAX_CARD_SECURITY:
        raise ParseError(f"EF.CardSecurity of {len(data)} bytes is over the size cap")
    signed = parse_signed_data(data)
    if signed.content_type != ID_SECURITY_OBJECT:
        raise ParseError("EF.CardSecurity content is not id-SecurityObject")
    return signed


def parse_card_security(data: bytes) -> SecurityInfos:
    """The SecurityInfos signed inside EF.CardSecurity. Its signature is checked by
    `devices.card.document.check_card_security`, on the same parse of the same bytes."""
    return parse_security_infos(card_security_signed_data(data).encapsulated_content)
