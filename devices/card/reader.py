"""Reading a chip over any `CardTransport`: access control, secure messaging, adaptive file reads,
resume after a slip, chip and active authentication.

Strategy: PACE when EF.CardAccess offers a mapping we implement (CAN first, else the
MRZ password), otherwise BAC; the method that worked first is remembered per card type (keyed by
the EF.CardAccess content). Reads start at 0xDF bytes under secure messaging, step down on
6700/6Cxx, and use extended length only once the reader declares it and the card has answered one
extended read; offsets beyond 32,767 use READ BINARY B1 with an offset DO'54'. When the card slips,
the reader waits for it (up to `resume_timeout_s`), re-establishes the session and continues each
file from its last offset.

A file whose read ends in a status word (absent 6A82, refused 6982, a bare status word without
secure messaging, B1 not supported) is reported absent with its error in `ChipRead.file_errors`;
the session is kept unless the chip closed it (6987 / 6988), and later files are still read.
Chip and active authentication never abort the read: their outcome is an `AuthResult`
(SUCCEEDED / FAILED / NOT_SUPPORTED / NOT_PRESENT, `devices/card/active_auth.py`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from devices.card.access_key import AccessKeys, CanKey, MrzKey
from devices.card.active_auth import (
    FAILED,
    NOT_PRESENT,
    NOT_SUPPORTED,
    SUCCEEDED,
    AuthResult,
    active_authentication,
)
from devices.card.apdu import (
    MAX_EVEN_OFFSET,
    CommandAPDU,
    ResponseAPDU,
    odd_read_capacity,
    raise_for_status,
    read_binary,
    read_binary_data,
)
from devices.card.bac import bac
from devices.card.chip_auth import (
    CaChoice,
    ChipAuthUnsupported,
    chip_authentication,
    choose_chip_authentication,
)
from devices.card.errors import (
    AuthenticationFailed,
    CardAccessDenied,
    CardError,
    CardNotPresent,
    CardRemoved,
    FileNotFound,
    ParseError,
    ProtocolError,
    ReaderBufferOverflow,
    ResponseMacInvalid,
    SecureMessagingError,
    StatusWordError,
    TransportError,
    UnsupportedCommand,
    WrongLength,
)
from devices.card.exchange import Exchange, drive
from devices.card.lds import BY_NAME, EF_CARD_ACCESS, LDS1_AID, LdsFile, check_file_size
from devices.card.pace import SUPPORTED_MAPPINGS, CamEvidence, pace_session, supported
from devices.card.secure_messaging import SecureMessaging, closes_session
from devices.card.security_infos import (
    EF_CARD_SECURITY,
    PaceInfo,
    SecurityInfos,
    parse_card_security,
    parse_security_infos,
)
from devices.card.tlv import total_length
from devices.card.transports.base import SHORT_APDU_MAX, CardTransport

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_FILES = ("COM", "DG1", "DG2", "DG13", "DG14", "DG15", "SOD")
SHORT_BLOCK = 0xDF  # 223: the largest block whose protected answer fits a short response
STEP_DOWN = (0xDF, 0xA0, 0x80, 0x40, 0x20)
EXTENDED_BLOCK = 0x7000
MAX_RESUMES = 20  # per action; a slip that keeps recurring ends the read
AUTH_ATTEMPTS = 2  # CA / AA are retried once on a fresh session before giving a verdict
Progress = Callable[[float, str], None]


class AccessMemory:
    """Which access method and read mode worked first, per card type (in memory)."""

    def __init__(self) -> None:
        self.method: dict[str, str] = {}
        self.extended: dict[str, bool] = {}
        self.sfi: dict[str, bool] = {}
        self.parameter_id: dict[str, bool] = {}  # whether MSE:Set AT needs `84` on this card type


@dataclass
class ReadStats:
    apdus: int = 0
    resumes: int = 0
    protocol_s: float = 0.0  # reader-side CPU: crypto + parsing (time outside transmit)
    link_s: float = 0.0  # time inside transport.transmit (the link and the card)
    access_s: float = 0.0  # access control, wall clock
    files_s: float = 0.0


@dataclass
class ChipRead:
    """Raw result of a chip read: files by name (COM, DG1, …, SOD) and authentication results."""

    files: dict[str, bytes]
    access_method: str  # PACE-CAN | PACE-MRZ | BAC
    card_access: SecurityInfos | None
    active_authentication: AuthResult = field(default_factory=lambda: _not_run("active"))
    chip_authentication: AuthResult = field(default_factory=lambda: _not_run("chip"))
    stats: ReadStats = field(default_factory=ReadStats)
    absent: list[str] = field(default_factory=list)  # files the card does not have / refuses
    file_errors: dict[str, str] = field(default_factory=dict)  # file → error code that ended it
    # EF.CardSecurity as PACE-CAM read it, for `build_document(..., card_security=…)` to check
    # against the trust store (PACE-CAM is SUCCEEDED only once it chains to a trusted CSCA)
    card_security: bytes | None = None


def _not_run(which: str) -> AuthResult:
    return AuthResult(NOT_SUPPORTED, f"{which} authentication was not run by this read")


class ChipReader:
    def __init__(
        self,
        transport: CardTransport,
        *,
        memory: AccessMemory | None = None,
        random: Callable[[int], bytes] = os.urandom,
        resume_timeout_s: float = 30.0,
        poll_s: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        chip_authentication: bool = True,
        active_authentication: bool = True,
    ) -> None:
        self.transport = transport
        self.memory = memory or AccessMemory()
        self.random = random
        self.resume_timeout_s = resume_timeout_s
        self.poll_s = poll_s
        self.sleep = sleep
        self.clock = clock
        self.do_ca = chip_authentication
        self.do_aa = active_authentication
        self.stats = ReadStats()
        self._sm: SecureMessaging | None = None
        self._card_type = ""
        self._card_access: SecurityInfos | None = None
        self._card_access_raw: bytes | None = None
        self._card_security: bytes | None = None
        self._method = ""
        self._keys: AccessKeys | None = None
        self._block = SHORT_BLOCK
        self._ca_done: CaChoice | None = None
        self._cam_result: AuthResult | None = None
        self._file_errors: dict[str, str] = {}
        self._last_bare = False

    # --- the whole read ---------------------------------------------------------------------

    def read(
        self,
        keys: AccessKeys,
        files: tuple[str, ...] = DEFAULT_FILES,
        progress: Progress | None = None,
    ) -> ChipRead:
        started = time.perf_counter()
        self.stats = ReadStats()
        self._keys = keys
        self._file_errors = {}
        report = progress or (lambda fraction, key: None)
        report(0.0, "card_connecting")
        self._transmit_or_resume(self._open_session)
        self.stats.access_s = time.perf_counter() - started
        result = ChipRead({}, self._method, self._card_access, stats=self.stats)
        if self._cam_result is not None:  # PACE-CAM already authenticated the chip
            result.chip_authentication = self._cam_result
            result.card_security = self._card_security
        report(0.15, "card_access_ok")
        order = [name for name in files if name in BY_NAME]
        if "DG14" in order:  # DG14 first, so chip authentication protects the rest
            order.remove("DG14")
            order.insert(0, "DG14")
        buffers: dict[str, bytes] = {}
        files_started = time.perf_counter()
        for index, name in enumerate(order):
            content = self._transmit_or_resume(partial(self._read_file, BY_NAME[name], buffers))
            if content is None:
                result.absent.append(name)
            else:
                result.files[name] = content
            cam_done = self._cam_result is not None and (  # PACE-CAM decided or awaits the chain
                self._cam_result.status != NOT_SUPPORTED
                or self._cam_result.awaits_card_security_chain
            )  # when it could not be completed, DG14's chip authentication is tried instead
            if name == "DG14" and self.do_ca and not cam_done:
                result.chip_authentication = (
                    AuthResult(NOT_PRESENT, "the card presents no DG14")
                    if content is None
                    else self._transmit_or_resume(partial(self._chip_authenticate, content))
                )
            report(0.15 + 0.8 * (index + 1) / len(order), f"card_read_{name.lower()}")
        self.stats.files_s = time.perf_counter() - files_started
        if self.do_aa and "DG15" in result.files:
            result.active_authentication = self._transmit_or_resume(
                partial(self._active_authenticate, result.files)
            )
        elif self.do_aa and "DG15" in order:
            result.active_authentication = AuthResult(NOT_PRESENT, "the card presents no DG15")
        result.file_errors = dict(self._file_errors)
        total = time.perf_counter() - started
        self.stats.protocol_s = total - self.stats.link_s
        report(1.0, "card_read_done")
        return result

    # --- transmission, secure messaging, resume ---------------------------------------------

    def _send(self, command: bytes) -> bytes:
        """One exchange, protected when a session is open; raises for card-level errors only
        via the callers' status checks (SM errors raise here)."""
        wire = self._sm.protect(command) if self._sm is not None else command
        t0 = time.perf_counter()
        try:
            response = self.transport.transmit(wire)
        finally:
            self.stats.link_s += time.perf_counter() - t0
            self.stats.apdus += 1
        if self._sm is None:
            return response
        plain = self._sm.unprotect(response)
        self._last_bare = len(response) == 2
        if self._last_bare and closes_session(int.from_bytes(response, "big")):
            self._sm = None
        return plain

    def _transmit_or_resume(self, action: Callable[[], T]) -> T:
        deadline: float | None = None
        attempts = 0
        while True:
            try:
                return action()
            except (CardRemoved, TransportError, ResponseMacInvalid, SecureMessagingError) as exc:
                attempts += 1
                now = self.clock()
                deadline = deadline if deadline is not None else now + self.resume_timeout_s
                if attempts > MAX_RESUMES or now >= deadline:
                    raise
                if isinstance(exc, ReaderBufferOverflow):
                    self._shrink_for_reader()
                log.info("card exchange failed (%s); resuming", exc.__class__.__name__)
                self._wait_and_reopen(deadline)
                self.stats.resumes += 1

    def _shrink_for_reader(self) -> None:
        """The reader cannot carry answers this big: no extended length, smaller blocks."""
        if self._extended_allowed():
            self.memory.extended[self._card_type] = False
            return
        smaller = [b for b in STEP_DOWN if b < self._block]
        if smaller:
            self._block = smaller[0]

    def _wait_and_reopen(self, deadline: float) -> None:
        self._sm = None
        self.transport.disconnect()
        while True:
            try:
                self._open_session()  # connects: CardNotPresent until the card is back
                return
            except CardNotPresent:
                if self.clock() >= deadline:
                    raise CardRemoved("the card did not come back in time") from None
                self.sleep(self.poll_s)

    # --- access control -----------------------------------------------------------------------

    def _open_session(self) -> None:
        assert self._keys is not None
        self._sm = None
        self.transport.connect()
        if self._card_access_raw is None:
            self._card_access_raw = self._read_card_access()
            raw = self._card_access_raw
            self._card_type = hashlib.sha256(raw).hexdigest()[:16] if raw else "no-card-access"
            try:
                self._card_access = parse_security_infos(raw) if raw else None
            except CardError as exc:
                log.warning("EF.CardAccess does not parse (%s); using BAC", exc)
                self._card_access = None
        methods = self._methods()
        last_error: CardError | None = None
        for method in methods:
            try:
                self._authenticate(method)
            except _NO_FALLBACK:
                raise  # a slip is resumed by the caller; a chip failing to prove the key is final
            except CardError as exc:  # refused or failed: the next method (PACE → BAC) is tried
                log.info("%s not possible on this card (%s)", method, exc.__class__.__name__)
                last_error = exc
                self.transport.disconnect()
                self.transport.connect()
                continue
            self._method = method
            self.memory.method.setdefault(self._card_type, method)
            if self._ca_done is not None:
                self._redo_chip_authentication()
            return
        raise last_error or CardAccessDenied(0x6300, "no access method is possible")

    def _methods(self) -> list[str]:
        assert self._keys is not None
        keys = self._keys
        available: list[str] = []
        pace_ok = self._pace_info() is not None
        if pace_ok and keys.can is not None:
            available.append("PACE-CAN")
        if pace_ok and keys.mrz is not None:
            available.append("PACE-MRZ")
        if keys.mrz is not None:
            available.append("BAC")
        remembered = self.memory.method.get(self._card_type)
        if remembered in available:
            available.remove(remembered)
            available.insert(0, remembered)
        if not available:
            raise CardAccessDenied(0x6300, "the card needs an MRZ key (BAC) and none is known")
        return available

    def _pace_info(self) -> PaceInfo | None:
        if self._card_access is None:
            return None
        usable = SecurityInfos(pace=[i for i in self._card_access.pace if supported(i)])
        return usable.preferred_pace(SUPPORTED_MAPPINGS)

    def _authenticate(self, method: str) -> None:
        assert self._keys is not None
        if method.startswith("PACE"):
            info = self._pace_info()
            assert info is not None
            key: MrzKey | CanKey | None = self._keys.can if method == "PACE-CAN" else self._keys.mrz
            assert key is not None
            with_id = self.memory.parameter_id.get(self._card_type, False)
            self._sm = None
            outcome = drive(
                pace_session(key, info, self.random, send_parameter_id=with_id), self._send
            )
            self._sm = outcome.sm
            self.memory.parameter_id[self._card_type] = outcome.parameter_id_sent
            if outcome.cam is not None:
                self._cam_result = self._verify_cam(outcome.cam)
            raise_for_status(ResponseAPDU.decode(self._send(_select_aid())).sw)
        else:
            assert self._keys.mrz is not None
            raise_for_status(ResponseAPDU.decode(self._send(_select_aid())).sw)
            self._sm = self._drive_plain(bac(self._keys.mrz.information, self.random))

    def _verify_cam(self, evidence: CamEvidence) -> AuthResult:
        """PACE-CAM: the chip's key comes from EF.CardSecurity in the MF (9303-11 §4.4.3.5.2).

        The key is taken from the same parse whose signature is checked. The reader has no trust
        store: a proof of a key whose file verifies is left for the document step to settle
        (`devices.card.document.settled_chip_authentication`)."""
        from devices.card.document import CardSecurityCheck, check_card_security, pace_cam_result

        try:
            raw = self._read_master_file(EF_CARD_SECURITY)
        except CardError as exc:
            return AuthResult(NOT_SUPPORTED, f"PACE-CAM: EF.CardSecurity unreadable ({exc.code})")
        if not raw:
            return AuthResult(NOT_SUPPORTED, "PACE-CAM: the chip has no EF.CardSecurity")
        self._card_security = raw
        try:
            infos = parse_card_security(raw)
        except CardError as exc:
            return AuthResult(NOT_SUPPORTED, f"PACE-CAM: EF.CardSecurity cannot be verified: {exc}")
        if not infos.chip_authentication_keys:
            return AuthResult(NOT_SUPPORTED, "PACE-CAM: EF.CardSecurity names no chip key")
        proved = any(
            evidence.proves(point)
            for key in infos.chip_authentication_keys
            for point in _points_on(evidence, key.public_key)
        )
        check: CardSecurityCheck = check_card_security(raw, None)
        return pace_cam_result(proved, check, chain_checked_later=True)

    def _read_master_file(self, fid: int) -> bytes | None:
        try:
            self._check(self._send(_select_ef(fid)))
        except (FileNotFound, CardAccessDenied):
            return None
        content = b""
        while True:
            data = self._read_binary(len(content), SHORT_BLOCK, False)
            content += data
            wanted = total_length(content)
            check_file_size(wanted or 0)
            if not data or (wanted is not None and len(content) >= wanted):
                return content[:wanted] if wanted else content

    def _drive_plain(self, step: Exchange[SecureMessaging]) -> SecureMessaging:
        self._sm = None
        return drive(step, self._send)

    def _read_card_access(self) -> bytes | None:
        """EF.CardAccess by its file identifier (the CCCD refuses SELECT MF), plain."""
        select = CommandAPDU(0x00, 0xA4, 0x02, 0x0C, EF_CARD_ACCESS.to_bytes(2, "big"))
        sw = ResponseAPDU.decode(self._send(select.encode())).sw
        if sw != 0x9000:
            return None
        content = b""
        while True:
            answer = ResponseAPDU.decode(
                self._send(
                    CommandAPDU(
                        0x00, 0xB0, len(content) >> 8, len(content) & 0xFF, le=SHORT_BLOCK
                    ).encode()
                )
            )
            if answer.sw not in (0x9000, 0x6282):
                return content or None
            content += answer.data
            wanted = total_length(content)
            check_file_size(wanted or 0)
            if not answer.data or (wanted is not None and len(content) >= wanted):
                return content[:wanted] if wanted else content

    # --- files ----------------------------------------------------------------------------------

    def _read_file(self, lds: LdsFile, buffers: dict[str, bytes]) -> bytes | None:
        """The file's content, or None when a status word ended its read (error recorded).
        Secure-messaging failures propagate, so the caller resumes on a new session."""
        try:
            return self._read_file_content(lds, buffers)
        except SecureMessagingError:
            raise
        except (StatusWordError, ParseError) as exc:
            log.info("%s not read: %s", lds.name, exc.code)
            self._file_errors[lds.name] = exc.code
            return None

    def _read_file_content(self, lds: LdsFile, buffers: dict[str, bytes]) -> bytes:
        buffer = buffers.get(lds.name, b"")
        self._file_errors.pop(lds.name, None)
        use_sfi = not buffer and self.memory.sfi.get(self._card_type, True)
        if not use_sfi:
            self._check(self._send(_select_ef(lds.fid)))
        total: int | None = total_length(buffer) if buffer else None
        check_file_size(total or 0, lds.label)  # refused before any further READ BINARY
        while total is None or len(buffer) < total:
            remaining = None if total is None else total - len(buffer)
            extended = self._extended_allowed() and (remaining is None or remaining > self._block)
            want = EXTENDED_BLOCK if extended else self._block
            if remaining is not None:
                want = min(want, remaining)
            try:
                if use_sfi:
                    data = self._read_binary_sfi(lds.sfi, want)
                    use_sfi = False
                else:
                    data = self._read_binary(len(buffer), want, extended)
            except UnsupportedCommand:
                if not use_sfi:
                    raise
                self.memory.sfi[self._card_type] = False
                use_sfi = False
                self._check(self._send(_select_ef(lds.fid)))
                continue
            except WrongLength as exc:
                self._step_down(exc, extended, want)
                continue
            if extended:
                self.memory.extended[self._card_type] = True
            if not data:
                break
            buffer += data
            buffers[lds.name] = buffer
            if total is None:
                total = total_length(buffer)
                check_file_size(total or 0, lds.label)
        return buffer[:total] if total is not None else buffer

    def _read_binary_sfi(self, sfi: int, want: int) -> bytes:
        command = CommandAPDU(0x00, 0xB0, 0x80 | sfi, 0x00, le=want)
        return self._check(self._send(command.encode()))

    def _read_binary(self, offset: int, want: int, extended: bool) -> bytes:
        if offset > MAX_EVEN_OFFSET:  # B1: Le also covers the DO'53' around the data
            want = min(want, odd_read_capacity(EXTENDED_BLOCK if extended else self._block))
        command = read_binary(offset, want, extended=extended)
        return read_binary_data(command, self._check(self._send(command.encode())))

    def _check(self, response: bytes) -> bytes:
        answer = ResponseAPDU.decode(response)
        answer.check()
        return answer.data

    def _extended_allowed(self) -> bool:
        if self.transport.max_apdu_len <= SHORT_APDU_MAX:
            return False
        return self.memory.extended.get(self._card_type, True)

    def _step_down(self, exc: WrongLength, extended: bool, tried: int) -> None:
        if extended:
            log.info("card refused an extended read; using short reads")
            self.memory.extended[self._card_type] = False
            return
        if exc.exact_length and exc.exact_length < tried:
            self._block = exc.exact_length
            return
        smaller = [b for b in STEP_DOWN if b < tried]
        if not smaller:
            raise exc
        self._block = smaller[0]

    # --- chip and active authentication ------------------------------------------------------

    def _chip_authenticate(self, dg14: bytes) -> AuthResult:
        from devices.card.lds.dg14 import parse_dg14

        try:
            infos = parse_dg14(dg14)
        except CardError as exc:
            return AuthResult(NOT_SUPPORTED, f"DG14 does not parse: {exc}")
        if not infos.chip_authentication and not infos.chip_authentication_keys:
            return AuthResult(NOT_PRESENT, "DG14 offers no chip authentication")
        try:
            choice = choose_chip_authentication(infos)
        except ChipAuthUnsupported as exc:
            return AuthResult(NOT_SUPPORTED, str(exc))
        described = f"{choice.info.key_agreement} {choice.info.cipher}"
        outcome = AuthResult(NOT_SUPPORTED, "chip authentication did not run")
        for _ in range(AUTH_ATTEMPTS):
            try:
                session = drive(
                    chip_authentication(choice.info, choice.key, self.random), self._send
                )
            except (ResponseMacInvalid, SecureMessagingError) as exc:  # the old session broke
                outcome = AuthResult(NOT_SUPPORTED, f"chip authentication interrupted: {exc}")
                self._reopen()
                continue
            except (StatusWordError, ProtocolError) as exc:  # e.g. 6A80: refused, session intact
                return AuthResult(NOT_SUPPORTED, f"the chip refused chip authentication: {exc}")
            if self._chip_proves_key(session):
                self._ca_done = choice
                return AuthResult(SUCCEEDED, f"{described}: the chip holds the DG14 key")
            outcome = AuthResult(
                FAILED, f"{described}: the chip does not answer under the DG14 key's session"
            )
            self._reopen()
        return outcome

    def _chip_proves_key(self, session: SecureMessaging) -> bool:
        """The chip holds the DG14 key iff it answers the next command with a good MAC."""
        self._sm = session
        try:
            self._send(_select_aid())
        except (ResponseMacInvalid, SecureMessagingError, ProtocolError):
            return False
        return not self._last_bare

    def _reopen(self) -> None:
        """A fresh session (reset, access control again) without chip authentication."""
        self._sm = None
        self.transport.disconnect()
        self._open_session()

    def _redo_chip_authentication(self) -> None:
        assert self._ca_done is not None
        choice = self._ca_done
        self._sm = drive(chip_authentication(choice.info, choice.key, self.random), self._send)

    def _active_authenticate(self, files: dict[str, bytes]) -> AuthResult:
        from devices.card.lds.dg14 import parse_dg14
        from devices.card.lds.dg15 import parse_dg15

        try:
            key = parse_dg15(files["DG15"])
        except CardError as exc:
            return AuthResult(NOT_SUPPORTED, f"DG15 does not parse: {exc}")
        algorithm = None
        if "DG14" in files:
            try:
                aa = parse_dg14(files["DG14"]).active_authentication
            except CardError:
                aa = []
            algorithm = aa[0].signature_algorithm if aa else None
        outcome = AuthResult(NOT_SUPPORTED, "active authentication did not run")
        for _ in range(AUTH_ATTEMPTS):
            try:
                result: AuthResult = drive(
                    active_authentication(key, algorithm, self.random), self._send
                )
                return result
            except (ResponseMacInvalid, SecureMessagingError, ProtocolError) as exc:
                outcome = AuthResult(NOT_SUPPORTED, f"active authentication interrupted: {exc}")
                self._reopen()
        return outcome


def _points_on(evidence: CamEvidence, encoded: bytes) -> list[tuple[int, int]]:
    try:
        return [evidence.curve.decode_point(encoded)]
    except CardError:
        return []


# errors after which no other access method is tried
_NO_FALLBACK: tuple[type[CardError], ...] = (
    CardRemoved,
    FileNotFound,
    TransportError,
    ResponseMacInvalid,
    SecureMessagingError,
    AuthenticationFailed,
)


def _select_aid() -> bytes:
    return CommandAPDU(0x00, 0xA4, 0x04, 0x0C, LDS1_AID).encode()


def _select_ef(fid: int) -> bytes:
    return CommandAPDU(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")).encode()
