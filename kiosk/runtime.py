"""The composition root: the one place that builds a kiosk from its configuration — store, keys,
audit log, staff directory, devices, portal client (or, in demo mode, a local portal on loopback
with a simulated bank), sync worker, print queue, retention purge and the journey's services.
It picks each adapter's own section of the configuration; nothing below it reads `KioskConfig`
as a whole. `kiosk run`, `kiosk simulate` and the CLI commands that need a part of the kiosk
(sealer, audit log, staff directory, print queue, retention, portal) get it here.

Demo mode swaps only the edges (simulated chip card, sample camera, printer to a folder, local
portal): the code above the edges is the same."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from kiosk.config import ConfigError, DevicesConfig, KioskConfig
from kiosk.domain.model import Attachment, Progress
from kiosk.services.interfaces import Services
from kiosk.store import Store

if TYPE_CHECKING:
    from devices.printer.queue import PrintQueue
    from kiosk.crypto import Sealer
    from kiosk.fleet_link.link import FleetLink
    from kiosk.local_portal.server import LocalPortal
    from kiosk.portal.client import PortalClient
    from kiosk.records.audit import AuditLog
    from kiosk.records.help_requests import HelpDesk
    from kiosk.records.retention import Retention
    from kiosk.records.staff import StaffDirectory
    from kiosk.records.sync import SyncWorker
    from kiosk.services.preview import PreviewHub

log = logging.getLogger(__name__)

DEMO_DEVICES = DevicesConfig(card_reader="simulator", camera="sample", printer="pdf:")
LOCAL_PORTAL_DB = "local-portal.db"
PURGE_EVERY_S = 24 * 3600.0
DEMO_PAYMENT_DELAY_S = 3.0  # the simulated bank confirms a VietQR transfer after this long

OtpSource = Callable[[str], "str | None"]  # phone → the last OTP "sent" to it (demo mode)


@dataclass
class Runtime:
    """Everything a running kiosk (or `kiosk simulate`) holds: the journey's services, and beside
    them what the screens and staff tools use — the camera preview feed, the staff directory the
    PIN pad checks, the sealer, the audit log, the sync worker, in demo mode the local portal's
    OTP "SMS", the help desk behind "Gọi cán bộ" — and what to stop at exit (local portal, sync
    worker, face model process)."""

    config: KioskConfig
    store: Store
    services: Services
    demo: bool
    sealer: Sealer
    audit: AuditLog
    staff: StaffDirectory
    sync: SyncWorker
    preview: PreviewHub
    help_desk: HelpDesk
    otp_source: OtpSource | None = None
    fleet: FleetLink | None = None  # only with a `[fleet] url` (docs/fleet_link.md)
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:
                log.exception("error while shutting down")
        self.store.close()


def demo_config(config: KioskConfig) -> KioskConfig:
    """Demo mode: simulators at the edges whatever kiosk.toml says about devices and portal."""
    return replace(config, devices=DEMO_DEVICES, portal=replace(config.portal, url=""))


# --- the parts, each from its own sections -----------------------------------------------------


def open_kiosk_sealer(config: KioskConfig) -> Sealer:
    """The machine's keyring (created on a fresh kiosk)."""
    from kiosk.crypto import open_sealer

    return open_sealer(config.security, config.data_dir, config.fleet)


def open_kiosk_audit_log(
    config: KioskConfig, store: Store, sealer: Sealer | None = None
) -> AuditLog:
    """The audit log with its anchor, MAC'd with the kiosk's keys."""
    from kiosk.records.audit_anchor import open_audit_log

    return open_audit_log(config.data_dir, store, sealer or open_kiosk_sealer(config))


def open_staff_directory(
    config: KioskConfig, store: Store, audit: AuditLog | None = None
) -> StaffDirectory:
    """The staff accounts, locking after repeated wrong PINs for `[security]
    staff_lockout_minutes`."""
    from kiosk.records.staff import StaffDirectory

    lockout = timedelta(minutes=config.security.staff_lockout_minutes)
    return StaffDirectory(store, audit or open_kiosk_audit_log(config, store), lockout=lockout)


def open_print_queue(config: KioskConfig, sealer: Sealer | None = None) -> PrintQueue:
    """The print queue; without `sealer` the keyring is opened only when a job is sealed or
    opened (listing states and times needs no keys)."""
    from kiosk.services.printing import SealerOnFirstUse, print_queue_for

    return print_queue_for(
        config.data_dir, sealer or SealerOnFirstUse(lambda: open_kiosk_sealer(config))
    )


def open_retention(
    config: KioskConfig, store: Store, audit: AuditLog, print_queue: PrintQueue
) -> Retention:
    from kiosk.records.retention import retention_for

    return retention_for(
        config.security, config.data_dir, config.print_dir, store, audit, print_queue
    )


def connect_portal(config: KioskConfig) -> tuple[PortalClient, LocalPortal | None]:
    """The configured portal; with an empty `[portal] url`, a local portal started in this
    process with its database in the data folder (stop it with `.stop()` at exit)."""
    from kiosk.portal.connect import portal_client_for

    if config.portal.url:
        return portal_client_for(config.portal), None
    from kiosk.local_portal.server import start_local_portal  # demo only: never in production

    local = start_local_portal(config.data_dir / LOCAL_PORTAL_DB)
    return portal_client_for(config.portal, local.url), local


# --- demo mode's bank -----------------------------------------------------------------------


class SimulatedBank:
    """Demo mode's bank: a VietQR shown on screen is "paid" a moment later at the local portal,
    as if the citizen had scanned it with a banking app."""

    def __init__(self, local_portal: Any, delay_s: float = DEMO_PAYMENT_DELAY_S) -> None:
        self.local_portal = local_portal
        self.delay_s = delay_s
        self._started: set[str] = set()
        self._lock = threading.Lock()

    def saw_qr(self, portal_code: str) -> None:
        with self._lock:
            if portal_code in self._started:
                return
            self._started.add(portal_code)
        timer = threading.Timer(self.delay_s, self.local_portal.mark_paid, args=(portal_code,))
        timer.daemon = True
        timer.start()


def _camera_document_capture(capture: Any) -> Callable[[str, Progress], Attachment]:
    def photograph(document: str, progress: Progress) -> Attachment:
        return Attachment(document, "image/jpeg", capture.capture(progress))

    return photograph


SystemPrinterFactory = Callable[[str], Any]  # printer name → a Printer (Qt's, from ui/)


# --- the whole kiosk --------------------------------------------------------------------------


def build_runtime(
    config: KioskConfig,
    store: Store,
    demo: bool,
    system_printer: SystemPrinterFactory | None = None,
) -> Runtime:
    from kiosk.records.help_requests import HelpDesk
    from kiosk.services.camera import (
        CameraDocumentCapture,
        CameraFaceVerifier,
        CameraQrScanner,
    )
    from kiosk.services.card import ChipCardReader, demo_chip_card_reader
    from kiosk.services.dossiers import open_dossier_feature
    from kiosk.services.payment import VietQrPaymentService
    from kiosk.services.preview import PreviewHub
    from kiosk.services.printing import KioskReceiptPrinter

    closers: list[Callable[[], None]] = []
    sealer = open_kiosk_sealer(config)
    audit = open_kiosk_audit_log(config, store, sealer)
    staff = open_staff_directory(config, store, audit)
    print_queue = open_print_queue(config, sealer)
    closers.append(start_daily_purge(open_retention(config, store, audit, print_queue)))
    hub = PreviewHub()
    camera = config.devices.camera
    qr = CameraQrScanner(camera, preview=hub.publish)
    face = CameraFaceVerifier(camera, preview=hub.publish, landmarks=config.devices.face_landmarks)
    closers.append(face.close)
    documents = CameraDocumentCapture(camera, preview=hub.publish)

    from devices.card.transports.registry import parse_spec as parse_reader_spec

    reader = parse_reader_spec(config.devices.card_reader)
    if reader.simulated:
        card: Any = demo_chip_card_reader(config.trust_store)
    else:
        card = ChipCardReader(reader.open, config.trust_store)

    client, local = connect_portal(config)
    if local is not None:
        closers.append(local.stop)
    closers.append(client.close)
    feature = open_dossier_feature(
        store,
        sealer,
        client,
        office=config.office,
        outbox=config.outbox,
        security=config.security,
        data_dir=config.data_dir,
        document_capture=_camera_document_capture(documents),
    )
    closers.append(feature.close)
    bank = SimulatedBank(local) if local is not None else None

    def payment_status(portal_code: str) -> bool:
        if bank is not None:
            bank.saw_qr(portal_code)
        return bool(client.fee_status(portal_code).paid)

    payments = VietQrPaymentService.for_office(config.office, payment_status=payment_status)
    from devices.printer.base import PrinterSetup
    from devices.printer.errors import SystemPrinterUnavailable
    from devices.printer.registry import open_printer

    try:  # the OS printer goes through Qt, which only ui/ may use: the UI supplies its opener
        device = open_printer(
            config.devices.printer, PrinterSetup(config.print_dir, system_printer)
        )
    except SystemPrinterUnavailable as exc:
        raise ConfigError(f"[devices].printer: {exc}") from None
    printer = KioskReceiptPrinter(
        config.office, device, print_queue, payments=payments, citizen_tag=sealer.lookup_hash
    )
    fleet = start_fleet_link(config, store, audit, sealer, closers)
    help_desk = HelpDesk(store, audit)
    if fleet is not None:
        fleet.attach_help_desk(help_desk)  # help requests reach the counter console
    from kiosk.records.queue_tickets import TicketBook
    from kiosk.services.counter_tickets import KioskCounterTickets

    tickets = KioskCounterTickets(
        TicketBook(store), config.office, printer=device, help_desk=help_desk
    )
    services = Services(
        qr=qr,
        card=card,
        face=face,
        dossiers=feature.dossiers,
        status=feature.status,
        accounts=feature.accounts,
        payments=payments,
        printer=printer,
        tickets=tickets,
    )
    return Runtime(
        config,
        store,
        services,
        demo,
        sealer=sealer,
        audit=audit,
        staff=staff,
        sync=feature.sync,
        preview=hub,
        help_desk=help_desk,
        otp_source=local.last_otp if local is not None else None,
        fleet=fleet,
        closers=closers,
    )


def start_fleet_link(
    config: KioskConfig,
    store: Store,
    audit: AuditLog,
    sealer: Sealer,
    closers: list[Callable[[], None]],
) -> FleetLink | None:
    """With a `[fleet] url`: the fleet link's thread, started (stopped at exit)."""
    if not config.fleet.url:
        return None
    from kiosk.fleet_link.link import open_fleet_link

    link = open_fleet_link(config, store, audit, sealer)
    link.start()
    closers.append(link.stop)
    return link


def start_daily_purge(retention: Retention) -> Callable[[], None]:
    """Purge what the retention periods allow (dossiers, drafts, printed receipts), now and
    every day; returns the stop."""
    stop = threading.Event()

    def run() -> None:
        while True:
            try:
                report = retention.purge()
                log.info("retention purge: %s", report)
            except Exception as exc:  # a failed purge must not stop the kiosk; doctor reports it
                from kiosk.ops.failures import describe_failure

                line = describe_failure(exc)
                if line is None:
                    log.exception("retention purge failed")
                else:  # the disk or database: one line, not a traceback
                    log.error("retention purge failed: %s", line)
            if stop.wait(PURGE_EVERY_S):
                return

    threading.Thread(target=run, name="retention-purge", daemon=True).start()
    return stop.set


def open_runtime(
    config: KioskConfig, demo: bool, system_printer: SystemPrinterFactory | None = None
) -> Runtime:
    from kiosk.store import open_store

    if demo:
        config = demo_config(config)
    from kiosk.ops.logging_setup import setup_logging

    config.data_dir.mkdir(parents=True, exist_ok=True)
    setup_logging(config.log_dir, logging.getLogger().isEnabledFor(logging.DEBUG))
    store = open_store(config.database_url)
    try:
        return build_runtime(config, store, demo, system_printer)
    except Exception:
        store.close()
        raise
