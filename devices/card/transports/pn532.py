"""`CardTransport` over an NXP PN532 on a serial port (HSU), through pyserial.

The frames and commands are built and parsed by `pn532_frames` (pure); this module does the dialog
of UM0701-02 §6.2.2: send a command frame, wait for the ACK (resend the command when it does not
come), wait for the response (NACK a corrupted one so the PN532 sends it again; abort with an ACK
when it never comes). APDUs longer than one frame go out in InDataExchange parts chained with the MI
bit; chained answers are fetched with empty InDataExchange commands until MI clears.

Reconnect: a link failure (port gone, PN532 silent) closes the port; the next `connect()` opens it
again, wakes the PN532 up and configures it from scratch. `connect()` also power-cycles the RF field
so the card starts fresh (no applet selected, no session), as after a slip.

Spec (`[devices] card_reader`): `pn532:PORT`, a device path or a pyserial URL (`pn532:/dev/ttyUSB0`,
`pn532:COM3`, `pn532:rfc2217://10.0.0.7:4001`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar

from devices.card.errors import (
    CardError,
    CardNotPresent,
    CardRemoved,
    ProtocolError,
    ReaderBufferOverflow,
    ReaderNotFound,
    TransportError,
)
from devices.card.transports.base import SHORT_APDU_MAX, LinkCounters
from devices.card.transports.pn532_frames import (
    ACK_FRAME,
    BUFFER_STATUSES,
    CARD_GONE_STATUSES,
    HSU_WAKEUP,
    IN_DATA_EXCHANGE_MAX_OUT,
    NACK_FRAME,
    Ack,
    Command,
    ExchangeAnswer,
    FirmwareVersion,
    Frame,
    FrameDecoder,
    Modulation,
    Nack,
    Pn532ChecksumError,
    Pn532FrameError,
    Target,
    chunk_apdu,
    diagnose_card_presence,
    expect_response,
    get_firmware_version,
    in_data_exchange,
    in_list_passive_target,
    in_release,
    parse_firmware_version,
    parse_in_data_exchange,
    parse_in_list_passive_target,
    rf_field,
    rf_max_retries,
    sam_configuration,
    status_text,
)
from devices.probe import ProbeResult, ProbeState

log = logging.getLogger(__name__)
_T = TypeVar("_T")

FORMS = ("pn532:PORT",)

DEFAULT_BAUDRATE = 115200
READ_POLL_S = 0.02  # serial read timeout: how often a wait re-checks its deadline


class SerialPort(Protocol):
    """What the link needs from a pyserial port (`serial.Serial` and `serial_for_url` objects)."""

    @property
    def in_waiting(self) -> int: ...

    def write(self, data: bytes, /) -> int | None: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


SerialFactory = Callable[[str, int], SerialPort]


def open_serial(port: str, baudrate: int) -> SerialPort:
    """Open `port` (a device path or a pyserial URL such as `rfc2217://host:port`) at 8N1."""
    import serial  # pyserial: imported here so that importing the transport stays cheap

    try:
        opened: SerialPort = serial.serial_for_url(
            port, baudrate=baudrate, timeout=READ_POLL_S, write_timeout=2.0
        )
    except (OSError, ValueError) as exc:  # serial.SerialException is an OSError
        raise ReaderNotFound(f"cannot open the PN532 serial port {port}: {exc}") from exc
    return opened


class Pn532Timeout(TransportError):
    """The PN532 did not answer in time."""


class Pn532StatusError(TransportError):
    """The PN532 answered, with an error status: the link itself is fine."""


class Pn532Link:
    """The host-controller dialog with one PN532 over one open serial port (§6.2.2)."""

    def __init__(self, port: SerialPort, *, ack_timeout_s: float = 0.5, retries: int = 3) -> None:
        self.port = port
        self.ack_timeout_s = ack_timeout_s
        self.retries = retries
        self.decoder = FrameDecoder()
        self.bytes_sent = 0
        self.bytes_received = 0

    def wake_up(self) -> None:
        """HSU wake-up: 0x55, idle bytes; the caller sends SAMConfiguration next."""
        self._write(HSU_WAKEUP)

    def call(self, command: int, frame: bytes, timeout_s: float) -> bytes:
        """Send one command frame and return the parameters of its response.

        The command is sent again only when the PN532 stayed completely silent (it never heard
        it); once anything came back, resending could run the command twice on the card.
        """
        for attempt in range(1, self.retries + 1):
            self.decoder.clear()
            self._reset_input()
            self._write(frame)
            heard_before = self.bytes_received
            now = time.monotonic()
            ack_deadline, deadline = now + min(self.ack_timeout_s, timeout_s), now + timeout_s
            acked, nacks = False, 0
            while True:
                try:
                    answer = self._read_frame(deadline if acked else ack_deadline)
                except Pn532ChecksumError:
                    acked = True  # the PN532 is answering, garbled: ask again (§6.2.1.4)
                    if nacks >= self.retries:
                        raise
                    nacks += 1
                    log.debug("PN532 response corrupted; NACK %d", nacks)
                    self._write(NACK_FRAME)
                    continue
                except Pn532Timeout:
                    if not acked and self.bytes_received == heard_before:
                        log.debug("no ACK from the PN532 (attempt %d)", attempt)
                        break  # silent: send the command again
                    if not acked:
                        acked = True  # something came back: wait for the answer
                        continue
                    self._write(ACK_FRAME)  # abort the command (§6.2.1.3)
                    raise Pn532Timeout(
                        f"the PN532 did not answer command 0x{command:02X} within {timeout_s:g} s"
                    ) from None
                if isinstance(answer, Ack):
                    acked = True
                    continue
                if isinstance(answer, Nack):
                    continue
                return expect_response(answer, command)
        raise Pn532Timeout(f"the PN532 did not acknowledge a command after {self.retries} tries")

    def close(self) -> None:
        try:
            self.port.close()
        except OSError as exc:
            log.debug("closing the PN532 port failed: %s", exc)

    def _read_frame(self, deadline: float) -> Frame:
        while True:
            try:
                frame = self.decoder.next_frame()
            except Pn532ChecksumError:
                raise
            except Pn532FrameError as exc:
                log.debug("skipping a malformed frame start: %s", exc)
                continue
            if frame is not None:
                return frame
            if time.monotonic() >= deadline:
                raise Pn532Timeout("no frame from the PN532 before the deadline")
            try:
                chunk = self.port.read(max(1, self.port.in_waiting))
            except OSError as exc:
                raise TransportError(f"reading from the PN532 failed: {exc}") from exc
            self.bytes_received += len(chunk)
            self.decoder.feed(chunk)

    def _write(self, data: bytes) -> None:
        try:
            self.port.write(data)
        except OSError as exc:
            raise TransportError(f"writing to the PN532 failed: {exc}") from exc
        self.bytes_sent += len(data)

    def _reset_input(self) -> None:
        try:
            self.port.reset_input_buffer()
        except OSError as exc:
            raise TransportError(f"the PN532 port failed: {exc}") from exc


class Pn532Transport:
    """One PN532 reader on a serial port; `CardTransport` for ISO/IEC 14443-4 cards (A or B)."""

    MIN_EXCHANGE_TIMEOUT_S = 5.0  # a card exchange (crypto on the chip) may take seconds

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = DEFAULT_BAUDRATE,
        exchange_timeout_s: float = MIN_EXCHANGE_TIMEOUT_S,
        ack_timeout_s: float = 0.5,
        modulations: Sequence[Modulation] = (Modulation.ISO14443A_106, Modulation.ISO14443B_106),
        max_apdu_len: int = SHORT_APDU_MAX,
        chunk_size: int = IN_DATA_EXCHANGE_MAX_OUT,
        serial_factory: SerialFactory = open_serial,
    ) -> None:
        if not 1 <= chunk_size <= IN_DATA_EXCHANGE_MAX_OUT:
            raise ValueError(f"chunk_size must be 1..{IN_DATA_EXCHANGE_MAX_OUT}")
        self.port_name = port
        self.baudrate = baudrate
        self.exchange_timeout_s = max(exchange_timeout_s, self.MIN_EXCHANGE_TIMEOUT_S)
        self.ack_timeout_s = ack_timeout_s
        self.modulations = tuple(modulations)
        self.max_apdu_len = max_apdu_len
        self.chunk_size = chunk_size
        self.counters = LinkCounters()
        self.firmware: FirmwareVersion | None = None
        self.target: Target | None = None
        self._serial_factory = serial_factory
        self._link: Pn532Link | None = None
        self._fresh = False  # the target was activated by card_present() and not used yet
        self._lost = False  # the card left during an exchange; transmit raises CardRemoved
        self._field_used = False  # a card was activated since the RF field was last reset
        self._lock = threading.RLock()

    # --- CardTransport ---

    def connect(self) -> None:
        with self._lock:
            link = self._ensure_link()
            if self.target is not None and self._fresh:
                self._fresh = False
                self._lost = False
                return
            if self._field_used:
                # A card activated before (even one released with InRelease, which HALTs it)
                # must lose power to answer polling again, with no applet selected.
                self._guard(lambda: self._rf_field_reset(link))
            self.target = self._guard(lambda: self._list_target(link))
            self._fresh = False
            if self.target is None:
                raise CardNotPresent()
            self._lost = False
            log.info("PN532: card activated (%s)", self.target.modulation.name)

    def transmit(self, apdu: bytes) -> bytes:
        with self._lock:
            if self.target is None or self._link is None:
                if self._lost:
                    raise CardRemoved()
                raise TransportError("transmit before connect")
            if len(apdu) > self.max_apdu_len:
                raise TransportError(
                    f"command of {len(apdu)} bytes exceeds the reader's {self.max_apdu_len}"
                )
            self._fresh = False
            link, tg = self._link, self.target.tg
            response = self._guard(lambda: self._exchange(link, tg, apdu))
            if len(response) < 2:
                raise ProtocolError(f"the card answered {len(response)} bytes, no status word")
            self.counters.record(apdu, response)
            return response

    def disconnect(self) -> None:
        with self._lock:
            target, self.target, self._fresh, self._lost = self.target, None, False, False
            if target is None or self._link is None:
                return
            link = self._link
            try:
                self._guard(lambda: link.call(Command.IN_RELEASE, in_release(target.tg), 1.0))
            except TransportError as exc:  # the card is released either way
                log.warning("PN532: InRelease failed: %s", exc)

    def card_present(self) -> bool:
        with self._lock:
            link = self._ensure_link()
            if self.target is not None:
                params = self._guard(
                    lambda: link.call(Command.DIAGNOSE, diagnose_card_presence(), 1.0)
                )
                if params[:1] == b"\x00":
                    return True
                self.target, self._fresh, self._lost = None, False, True
                return False
            self.target = self._guard(lambda: self._list_target(link))
            self._fresh = self.target is not None
            return self._fresh

    # --- more ---

    def close(self) -> None:
        """Release the card and close the serial port (a later `connect()` reopens it)."""
        with self._lock:
            self.disconnect()
            self._drop_link()

    def reconnect(self) -> None:
        """Start over: close the port, reopen it, wake the PN532 up and activate the card."""
        with self._lock:
            self.target = None
            self._drop_link()
            self.connect()

    def __enter__(self) -> Pn532Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def link_bytes(self) -> tuple[int, int]:
        """Bytes written to and read from the serial port since it was opened."""
        link = self._link
        return (link.bytes_sent, link.bytes_received) if link else (0, 0)

    # --- internals ---

    def _ensure_link(self) -> Pn532Link:
        if self._link is not None:
            return self._link
        port = self._serial_factory(self.port_name, self.baudrate)
        link = Pn532Link(port, ack_timeout_s=self.ack_timeout_s)
        try:
            link.wake_up()
            link.call(Command.SAM_CONFIGURATION, sam_configuration(), 1.0)
            firmware = parse_firmware_version(
                link.call(Command.GET_FIRMWARE_VERSION, get_firmware_version(), 1.0)
            )
            if not firmware.is_pn532:
                raise TransportError(
                    f"{self.port_name} answers as IC 0x{firmware.ic:02X}, not as a PN532"
                )
            link.call(Command.RF_CONFIGURATION, rf_max_retries(), 1.0)
        except (TransportError, ProtocolError):
            link.close()
            raise
        self.firmware = firmware
        self._link = link
        log.info("PN532 on %s: %s", self.port_name, firmware)
        return link

    def _drop_link(self) -> None:
        if self._link is not None:
            self._link.close()
        self._link = None
        self.target = None
        self._fresh = False

    def _guard(self, action: Callable[[], _T]) -> _T:
        """Run a link action; a link failure drops the link so that `connect()` starts over."""
        try:
            return action()
        except (CardRemoved, ReaderBufferOverflow, Pn532StatusError):
            raise  # the PN532 answered: the link is fine
        except (TransportError, ProtocolError):
            self._drop_link()
            raise

    def _rf_field_reset(self, link: Pn532Link) -> None:
        """RF field off (RFConfiguration item 0x01, §7.3.1): every card in the field loses power."""
        link.call(Command.RF_CONFIGURATION, rf_field(on=False), 1.0)
        self.target = None
        self._field_used = False

    def _list_target(self, link: Pn532Link) -> Target | None:
        for modulation in self.modulations:
            params = link.call(
                Command.IN_LIST_PASSIVE_TARGET, in_list_passive_target(modulation), 2.0
            )
            targets = parse_in_list_passive_target(params, modulation)
            usable = [t for t in targets if t.iso14443_4]
            self._field_used = self._field_used or bool(targets)
            if usable:
                return usable[0]
            if targets:
                log.info("PN532: a %s tag is not ISO/IEC 14443-4; ignored", modulation.name)
        return None

    def _exchange(self, link: Pn532Link, tg: int, apdu: bytes) -> bytes:
        answer: ExchangeAnswer | None = None
        for part, more in chunk_apdu(apdu, self.chunk_size):
            answer = self._data_exchange(link, in_data_exchange(tg, part, more=more))
            if more and answer.data:
                raise ProtocolError("the PN532 answered data before the command was complete")
        assert answer is not None  # chunk_apdu returns at least one part
        response = bytearray(answer.data)
        while answer.more:
            answer = self._data_exchange(link, in_data_exchange(tg, b""))
            response += answer.data
        return bytes(response)

    def _data_exchange(self, link: Pn532Link, frame: bytes) -> ExchangeAnswer:
        params = link.call(Command.IN_DATA_EXCHANGE, frame, self.exchange_timeout_s)
        answer = parse_in_data_exchange(params)
        if answer.error in CARD_GONE_STATUSES:
            self.target, self._fresh, self._lost = None, False, True
            raise CardRemoved(f"the card stopped answering: {status_text(answer.status)}")
        if answer.error in BUFFER_STATUSES:
            raise ReaderBufferOverflow(f"PN532: {status_text(answer.status)}")
        if answer.error:
            raise Pn532StatusError(f"PN532 InDataExchange failed: {status_text(answer.status)}")
        return answer


@dataclass(frozen=True)
class Pn532Spec:
    """`pn532:PORT`."""

    port: str
    simulated: ClassVar[bool] = False

    def open(self, **options: Any) -> Pn532Transport:
        return Pn532Transport(self.port, **options)

    def probe(self) -> ProbeResult:
        transport = self.open()
        remedy = "check the USB cable and the port name in kiosk.toml"
        try:
            card = transport.card_present()
            firmware = transport.firmware
        except CardError as exc:
            state = ProbeState.ABSENT if isinstance(exc, ReaderNotFound) else ProbeState.ERROR
            return ProbeResult(state, f"PN532 on {self.port} does not answer: {exc}", remedy)
        finally:
            transport.close()
        if card:
            return ProbeResult(
                ProbeState.ATTENTION,
                f"PN532 answers, firmware {firmware} (a card is on it: remove it)",
                "remove the card from the reader",
            )
        return ProbeResult(ProbeState.PRESENT, f"PN532 answers, firmware {firmware}")


def parse(text: str) -> Pn532Spec | None:
    kind, _, port = text.strip().partition(":")
    return Pn532Spec(port.strip()) if kind == "pn532" and port.strip() else None
