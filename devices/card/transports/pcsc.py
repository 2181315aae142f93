"""`CardTransport` over PC/SC (pcsc-lite on Linux, WinSCard on Windows) through pyscard.

pyscard is the optional extra `pcsc` (on Debian it builds from libpcsclite-dev and swig); it is
imported inside the functions, so this module imports without it and only using a PC/SC reader
needs it.

- `list_readers()`: the readers PC/SC knows now.
- `PcscTransport(reader_name=None)`: the first reader, or the one whose name equals or contains
  `reader_name` (case-insensitive: `pcsc:ACR1252` matches "ACS ACR1252 1S CL Reader PICC 00 00").
- `PcscMonitor(on_event)`: a thread that reports cards inserted and removed (and readers plugged in
  or out) through `SCardGetStatusChange`.
- Extended length: the reader is asked for its maximum APDU data size (PC/SC part 10
  FEATURE_GET_TLV_PROPERTIES, dwMaxAPDUDataSize); `max_apdu_len` stays short (261) unless the reader
  says more, or the caller says `extended_length=True`. Whether the card supports it is the card
  protocol's question (EF.ATR/INFO); `card_extended_length` offers the ATR's answer.

Spec (`[devices] card_reader`): `pcsc` (the first reader) or `pcsc:READER NAME` (see above).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar, Literal

from devices.card.errors import (
    CardError,
    CardNotPresent,
    CardRemoved,
    ReaderNotFound,
    TransportError,
)
from devices.card.transports.base import SHORT_APDU_MAX, LinkCounters
from devices.probe import ProbeResult, ProbeState

log = logging.getLogger(__name__)

FORMS = ("pcsc", "pcsc:READER NAME")

EXTENDED_APDU_MAX = 4 + 3 + 65535 + 2  # header, extended Lc, data, extended Le (ISO 7816-4 §5.1)
PNP_NOTIFICATION = "\\\\?PnP?\\Notification"  # the pseudo reader that changes when readers come/go
FEATURE_GET_TLV_PROPERTIES = 0x12  # PC/SC part 10 v2.02.09 §2.3
PROPERTY_MAX_APDU_DATA_SIZE = 0x0A  # dwMaxAPDUDataSize: 0 = short APDUs only
GET_FEATURE_REQUEST = 3400  # CM_IOCTL_GET_FEATURE_REQUEST = SCARD_CTL_CODE(3400)


def _scard() -> ModuleType:
    try:
        from smartcard import scard
    except ImportError as exc:
        raise ReaderNotFound(
            "PC/SC support is not installed: install the `pcsc` extra (pyscard)"
        ) from exc
    return scard


def _fail(scard: ModuleType, hresult: int, what: str) -> CardError:
    """The typed error for a failed SCard* call."""
    message = f"{what}: {scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})"
    if hresult in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED):
        return TransportError(f"the PC/SC service is not running; {message}")
    if hresult in (scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE):
        return ReaderNotFound(message)
    if hresult in (
        scard.SCARD_W_REMOVED_CARD,
        scard.SCARD_E_NO_SMARTCARD,
        scard.SCARD_W_RESET_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_W_UNRESPONSIVE_CARD,
        scard.SCARD_E_NOT_TRANSACTED,  # what contactless readers report when the card leaves
    ):
        return CardRemoved(message)
    if hresult == scard.SCARD_E_SHARING_VIOLATION:
        return TransportError(f"another program is using the reader; {message}")
    return TransportError(message)


class _Context:
    """One PC/SC context (`SCardEstablishContext`); each thread uses its own."""

    def __init__(self) -> None:
        self.scard = _scard()
        hresult, self.handle = self.scard.SCardEstablishContext(self.scard.SCARD_SCOPE_USER)
        if hresult != self.scard.SCARD_S_SUCCESS:
            raise _fail(self.scard, hresult, "cannot reach PC/SC")

    def readers(self) -> list[str]:
        hresult, names = self.scard.SCardListReaders(self.handle, [])
        if hresult == self.scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != self.scard.SCARD_S_SUCCESS:
            raise _fail(self.scard, hresult, "cannot list the readers")
        return list(names)

    def state(
        self, reader: str, timeout_ms: int = 0, current: int | None = None
    ) -> tuple[int, bytes]:
        """`SCardGetStatusChange` for one reader: (event state, ATR); waits for a change from
        `current` up to `timeout_ms` (state unchanged on timeout)."""
        known = self.scard.SCARD_STATE_UNAWARE if current is None else current
        hresult, states = self.scard.SCardGetStatusChange(
            self.handle, timeout_ms, [(reader, known)]
        )
        if hresult == self.scard.SCARD_E_TIMEOUT:
            return known, b""
        if hresult != self.scard.SCARD_S_SUCCESS:
            raise _fail(self.scard, hresult, f"cannot read the state of {reader}")
        _name, event_state, atr = states[0]
        return int(event_state), bytes(atr)

    def release(self) -> None:
        hresult = self.scard.SCardReleaseContext(self.handle)
        if hresult != self.scard.SCARD_S_SUCCESS:
            log.debug("SCardReleaseContext: %s", self.scard.SCardGetErrorMessage(hresult))


def list_readers() -> list[str]:
    """Names of the PC/SC readers connected now (empty when there are none)."""
    context = _Context()
    try:
        return context.readers()
    finally:
        context.release()


def resolve_reader(wanted: str | None, available: list[str]) -> str:
    """The reader `wanted` names: exact, else the only/first one containing it (case-insensitive);
    the first reader when `wanted` is None."""
    if not available:
        raise ReaderNotFound("no PC/SC reader is connected")
    if wanted is None:
        return available[0]
    if wanted in available:
        return wanted
    matches = [name for name in available if wanted.casefold() in name.casefold()]
    if not matches:
        raise ReaderNotFound(f"no PC/SC reader named {wanted!r}; connected: {', '.join(available)}")
    return matches[0]


def _present(scard: ModuleType, event_state: int) -> bool:
    return bool(event_state & scard.SCARD_STATE_PRESENT) and not (
        event_state & scard.SCARD_STATE_MUTE
    )


class PcscTransport:
    """One PC/SC reader slot; `CardTransport`."""

    STALE_PRESENCE_S = 1.5  # pcsc-lite polls card presence every 0.4 s

    def __init__(
        self,
        reader_name: str | None = None,
        *,
        exclusive: bool = True,
        extended_length: bool | None = None,
    ) -> None:
        self.reader_name = reader_name
        self.exclusive = exclusive
        self.extended_length = extended_length
        self.max_apdu_len = EXTENDED_APDU_MAX if extended_length else SHORT_APDU_MAX
        self.counters = LinkCounters()
        self.reader: str | None = None  # resolved name, once known
        self.atr = b""
        self.reader_max_apdu_data: int | None = None  # None: the reader did not say
        self._context: _Context | None = None
        self._card: Any = None
        self._pci: Any = None
        self._fresh = False  # connected and no APDU sent since
        self._lost_since: float | None = None  # when the card last left mid-exchange
        self._lost_events: int | None = None  # pcscd's event counter for the reader then
        self._lock = threading.RLock()

    # --- CardTransport ---

    def connect(self) -> None:
        with self._lock:
            if self._card is not None and self._fresh:
                return  # connected and untouched since: the card is as fresh as a reset makes it
            context = self._ensure_context()
            scard = context.scard
            reader = self._resolve(context)
            self._check_not_stale(context, reader)
            if self._card is not None:
                self._release_card(scard.SCARD_RESET_CARD)
            share = scard.SCARD_SHARE_EXCLUSIVE if self.exclusive else scard.SCARD_SHARE_SHARED
            hresult, card, protocol = scard.SCardConnect(
                context.handle, reader, share, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
            )
            if hresult in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
                raise CardNotPresent()
            if hresult != scard.SCARD_S_SUCCESS:
                raise _fail(scard, hresult, f"cannot connect to the card in {reader}")
            self._card = card
            self._pci = (
                scard.SCARD_PCI_T1 if protocol == scard.SCARD_PROTOCOL_T1 else scard.SCARD_PCI_T0
            )
            self.atr = self._read_atr(scard)
            self._check_extended_length(scard)
            self._fresh = True
            log.info("PC/SC: card connected in %s", reader)

    def transmit(self, apdu: bytes) -> bytes:
        with self._lock:
            if self._card is None or self._context is None:
                raise TransportError("transmit before connect")
            if len(apdu) > self.max_apdu_len:
                raise TransportError(
                    f"command of {len(apdu)} bytes exceeds the reader's {self.max_apdu_len}"
                )
            scard = self._context.scard
            self._fresh = False
            hresult, response = scard.SCardTransmit(self._card, self._pci, list(apdu))
            if hresult != scard.SCARD_S_SUCCESS:
                error = _fail(scard, hresult, "the card exchange failed")
                if not isinstance(error, CardRemoved) and not self._card_there(scard):
                    error = CardRemoved(str(error))  # the exchange broke because the card left
                if isinstance(error, CardRemoved):
                    self._lost(scard)
                raise error
            answer = bytes(response)
            if len(answer) < 2:
                # A cut-off answer (vpcd and some readers report success with no bytes when the
                # card leaves mid-exchange): the session is lost either way, so resume as after
                # a slip.
                self._lost(scard)
                raise CardRemoved(f"the card's answer was cut off after {len(answer)} bytes")
            self.counters.record(apdu, answer)
            return answer

    def disconnect(self) -> None:
        with self._lock:
            if self._card is not None and self._context is not None:
                self._release_card(self._context.scard.SCARD_RESET_CARD)

    def card_present(self) -> bool:
        with self._lock:
            context = self._ensure_context()
            event_state, _atr = context.state(self._resolve(context))
            return _present(context.scard, event_state)

    # --- more ---

    def wait_for_card(self, timeout_s: float) -> bool:
        """Block until a card is on the reader (True) or `timeout_s` passes (False)."""
        context = _Context()  # its own context: the wait must not hold the transport's lock
        try:
            reader = self._resolve(context)
            event_state, _atr = context.state(reader)
            if _present(context.scard, event_state):
                return True
            known = event_state & ~context.scard.SCARD_STATE_CHANGED
            event_state, _atr = context.state(reader, int(timeout_s * 1000), known)
            return _present(context.scard, event_state)
        finally:
            context.release()

    @property
    def card_extended_length(self) -> bool | None:
        """What the ATR's card capabilities say about extended Lc/Le (None: not stated)."""
        return atr_extended_length(self.atr)

    def close(self) -> None:
        """Release the card and the PC/SC context."""
        with self._lock:
            self.disconnect()
            if self._context is not None:
                self._context.release()
                self._context = None

    def __enter__(self) -> PcscTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- internals ---

    def _ensure_context(self) -> _Context:
        if self._context is None:
            self._context = _Context()
        return self._context

    def _resolve(self, context: _Context) -> str:
        readers = context.readers()
        if self.reader is not None and self.reader in readers:
            return self.reader
        self.reader = resolve_reader(self.reader_name, readers)
        return self.reader

    def _release_card(self, disposition: int) -> None:
        card, self._card = self._card, None
        if self._context is None or card is None:
            return
        scard = self._context.scard
        hresult = scard.SCardDisconnect(card, disposition)
        if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_W_REMOVED_CARD):
            log.debug("SCardDisconnect: %s", scard.SCardGetErrorMessage(hresult))

    def _lost(self, scard: ModuleType) -> None:
        """The card left mid-exchange: drop the handle and remember pcscd's event counter, so
        that `connect()` waits until pcscd has seen the card go (it polls presence)."""
        self._release_card(scard.SCARD_LEAVE_CARD)
        self._lost_since = time.monotonic()
        self._lost_events = None
        if self._context is not None and self.reader is not None:
            try:
                self._lost_events = self._context.state(self.reader)[0] >> 16
            except CardError as exc:
                log.debug("PC/SC: no state after the card left: %s", exc)

    def _check_not_stale(self, context: _Context, reader: str) -> None:
        """After a slip, pcscd may still report the old card for up to one polling period; a
        connection then would be to a card that is gone. Until pcscd's event counter moves (or
        `STALE_PRESENCE_S` passes: the card never left), say there is no card yet."""
        if self._lost_since is None:
            return
        events = context.state(reader)[0] >> 16
        waited = time.monotonic() - self._lost_since
        if events == self._lost_events and waited < self.STALE_PRESENCE_S:
            raise CardNotPresent("the reader has not yet seen the card leave")
        self._lost_since = None

    def _card_there(self, scard: ModuleType) -> bool:
        if self._context is None or self.reader is None:
            return False
        try:
            event_state, _atr = self._context.state(self.reader)
        except CardError:
            return False
        return _present(scard, event_state)

    def _read_atr(self, scard: ModuleType) -> bytes:
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(self._card)
        if hresult != scard.SCARD_S_SUCCESS:
            raise _fail(scard, hresult, "cannot read the card status")
        return bytes(atr)

    def _check_extended_length(self, scard: ModuleType) -> None:
        self.reader_max_apdu_data = reader_max_apdu_data(scard, self._card)
        if self.extended_length is not None:
            return
        size = self.reader_max_apdu_data
        self.max_apdu_len = 4 + 3 + size + 2 if size and size > 255 else SHORT_APDU_MAX


def _tlv(data: bytes, *, value_order: Literal["big", "little"]) -> dict[int, int]:
    """PC/SC part 10 TLVs: tag (1), length (1), value as an integer."""
    out, pos = {}, 0
    while pos + 2 <= len(data):
        tag, length = data[pos], data[pos + 1]
        value = data[pos + 2 : pos + 2 + length]
        if len(value) != length:
            break
        out[tag] = int.from_bytes(value, value_order)
        pos += 2 + length
    return out


def reader_max_apdu_data(scard: ModuleType, card: Any) -> int | None:
    """The reader's dwMaxAPDUDataSize (PC/SC part 10): None when the reader does not tell."""
    hresult, features = scard.SCardControl(card, scard.SCARD_CTL_CODE(GET_FEATURE_REQUEST), [])
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    code = _tlv(bytes(features), value_order="big").get(FEATURE_GET_TLV_PROPERTIES)
    if code is None:
        return None
    hresult, properties = scard.SCardControl(card, code, [])
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    return _tlv(bytes(properties), value_order="little").get(PROPERTY_MAX_APDU_DATA_SIZE)


def atr_historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR (ISO/IEC 7816-3 §8.2): walk the interface bytes."""
    if len(atr) < 2:
        return b""
    count = atr[1] & 0x0F
    pos, indicator = 2, atr[1]
    while True:
        pos += bin(indicator & 0xF0).count("1")
        if not indicator & 0x80 or pos > len(atr):
            break
        indicator = atr[pos - 1]
    return atr[pos : pos + count]


def atr_extended_length(atr: bytes) -> bool | None:
    """Card capabilities in the historical bytes (ISO/IEC 7816-4 §8.1.1.2.7, compact-TLV tag 7,
    third software function byte, bit 0x40 "extended Lc and Le fields"); None if not stated."""
    historical = atr_historical_bytes(atr)
    if not historical or historical[0] != 0x80:
        return None
    pos = 1
    while pos < len(historical):
        tag, length = historical[pos] >> 4, historical[pos] & 0x0F
        value = historical[pos + 1 : pos + 1 + length]
        if tag == 0x7 and len(value) >= 3:
            return bool(value[2] & 0x40)
        pos += 1 + length
    return None


# --- card events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardEvent:
    """A card arrived on or left a reader (or a reader came or went)."""

    kind: Literal["inserted", "removed", "reader_added", "reader_removed"]
    reader: str
    atr: bytes = b""


class PcscMonitor:
    """Watch PC/SC readers from a background thread; `on_event` runs on that thread.

    A card already on a reader when the monitor starts is reported as "inserted".
    """

    def __init__(
        self,
        on_event: Callable[[CardEvent], None],
        *,
        reader_name: str | None = None,
        poll_s: float = 0.5,
    ) -> None:
        self.on_event = on_event
        self.reader_name = reader_name
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._context: _Context | None = None
        self._thread: threading.Thread | None = None
        self.error: CardError | None = None  # why the monitor stopped, if it failed

    def start(self) -> None:
        self._context = _Context()
        self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        context = self._context
        if context is not None:
            context.scard.SCardCancel(context.handle)
        if self._thread is not None:
            self._thread.join(timeout=5)
        if context is not None:
            context.release()
        self._context = None

    def __enter__(self) -> PcscMonitor:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _watched(self, readers: list[str]) -> list[str]:
        if self.reader_name is None:
            return readers
        wanted = self.reader_name.casefold()
        return [name for name in readers if name == self.reader_name or wanted in name.casefold()]

    def _run(self) -> None:
        context = self._context
        assert context is not None
        scard = context.scard
        known: dict[str, int] = {}  # reader → last event state
        present: dict[str, bool] = {}
        pnp_state = scard.SCARD_STATE_UNAWARE
        while not self._stop.is_set():
            try:
                readers = self._watched(context.readers())
            except CardError as exc:
                self.error = exc
                log.warning("PC/SC monitor stopped: %s", exc)
                return
            for gone in [name for name in known if name not in readers]:
                del known[gone]
                if present.pop(gone, False):
                    self._emit(CardEvent("removed", gone))
                self._emit(CardEvent("reader_removed", gone))
            states = [(name, known.get(name, scard.SCARD_STATE_UNAWARE)) for name in readers]
            states.append((PNP_NOTIFICATION, pnp_state))
            hresult, changed = scard.SCardGetStatusChange(
                context.handle, int(self.poll_s * 1000), states
            )
            if hresult in (
                scard.SCARD_E_TIMEOUT,
                scard.SCARD_E_CANCELLED,
                scard.SCARD_E_UNKNOWN_READER,  # a reader left between listing and waiting
                scard.SCARD_E_READER_UNAVAILABLE,
            ):
                continue
            if hresult != scard.SCARD_S_SUCCESS:
                self.error = _fail(scard, hresult, "the PC/SC monitor failed")
                log.warning("%s", self.error)
                return
            for name, event_state, atr in changed:
                if name == PNP_NOTIFICATION:
                    pnp_state = event_state & ~scard.SCARD_STATE_CHANGED
                    continue
                if name not in known:
                    self._emit(CardEvent("reader_added", name))
                known[name] = event_state & ~scard.SCARD_STATE_CHANGED
                now = _present(scard, event_state)
                if now != present.get(name, False):
                    kind: Literal["inserted", "removed"] = "inserted" if now else "removed"
                    self._emit(CardEvent(kind, name, bytes(atr) if now else b""))
                present[name] = now

    def _emit(self, event: CardEvent) -> None:
        try:
            self.on_event(event)
        except Exception:  # a listener's bug must not kill the monitor; it is logged in full
            log.exception("PC/SC monitor listener failed on %s", event.kind)


@dataclass(frozen=True)
class PcscSpec:
    """`pcsc` or `pcsc:READER NAME`."""

    reader: str | None = None  # the whole name or a part of it; None: the first reader
    simulated: ClassVar[bool] = False

    def open(self, **options: Any) -> PcscTransport:
        return PcscTransport(self.reader, **options)

    def probe(self) -> ProbeResult:
        try:
            _scard()
        except ReaderNotFound:
            return ProbeResult(
                ProbeState.ERROR,
                "PC/SC support is not installed (pyscard)",
                "install the pcsc extra: pip install 'mot-cua-kiosk[pcsc]'",
            )
        try:
            readers = list_readers()
            chosen = resolve_reader(self.reader, readers)
        except CardError as exc:
            return ProbeResult(
                ProbeState.ABSENT,
                f"no usable PC/SC reader: {exc}",
                "plug the reader in; check that the pcscd service runs",
            )
        return ProbeResult(ProbeState.PRESENT, f"PC/SC reader '{chosen}' ({len(readers)} found)")


def parse(text: str) -> PcscSpec | None:
    kind, colon, reader = text.strip().partition(":")
    if kind != "pcsc":
        return None
    if not colon:
        return PcscSpec()
    return PcscSpec(reader.strip()) if reader.strip() else None
