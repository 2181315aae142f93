"""`kiosk doctor`: the kiosk's self-test and the start-of-day checklist.

Each check returns one `CheckResult` (ok, warn, fail, or unavailable when this version of the
kiosk cannot test the thing at all — said plainly, never reported as ok). Device code is imported
inside each check, so a missing optional driver (pyscard) fails that check only.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kiosk.config import KioskConfig
from kiosk.domain.calendar.vietnam_time import UTC_OFFSET

if TYPE_CHECKING:
    from devices.probe import ProbeResult

log = logging.getLogger(__name__)

BUILD_YEAR = 2026
DISK_FAIL_BYTES = 500 * 1024 * 1024
DISK_WARN_BYTES = 2 * 1024 * 1024 * 1024
MAX_CLOCK_SKEW = timedelta(minutes=2)
OUTBOX_STALE = timedelta(hours=24)
CAMERA_WAIT_S = 3.0


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    UNAVAILABLE = "unavailable"  # cannot be checked by this version / in this setup


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    remedy: str = ""
    seconds: float = 0.0


@dataclass
class DoctorContext:
    config: KioskConfig
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    portal_date: datetime | None = None  # the portal's clock (HTTP Date), found by the portal check
    _store: Any = field(default=None, repr=False)

    def store(self) -> Any:
        """The store, opened once; a store that cannot be opened fails each check that needs
        it with the same one-line reason (`StoreError`), without trying again."""
        if isinstance(self._store, Exception):
            raise self._store
        if self._store is None:
            from kiosk.store import open_store
            from kiosk.store.db import StoreError, store_error

            try:
                self.config.data_dir.mkdir(parents=True, exist_ok=True)
                self._store = open_store(self.config.database_url)
            except OSError as exc:
                self._store = store_error(exc, self.config.database_url)
                raise self._store from None
            except StoreError as exc:
                self._store = exc
                raise
        return self._store

    def close(self) -> None:
        if self._store is not None and not isinstance(self._store, Exception):
            self._store.close()


Check = Callable[[DoctorContext], CheckResult]


# --- devices ---------------------------------------------------------------------------------


def _from_probe(name: str, result: ProbeResult) -> CheckResult:
    from devices.probe import ProbeState

    status = {
        ProbeState.PRESENT: Status.OK,
        ProbeState.ATTENTION: Status.WARN,
        ProbeState.ABSENT: Status.FAIL,
        ProbeState.ERROR: Status.FAIL,
        ProbeState.UNKNOWN: Status.UNAVAILABLE,
    }[result.state]
    return CheckResult(name, status, result.message, result.remedy)


def check_reader(ctx: DoctorContext) -> CheckResult:
    from devices.card.transports import registry

    return _from_probe("reader", registry.probe(ctx.config.devices.card_reader))


def _simulated_reader(config: KioskConfig) -> bool:
    from devices.card.transports import registry

    try:
        return registry.parse_spec(config.devices.card_reader).simulated
    except registry.ReaderSpecError:
        return False


def check_camera(ctx: DoctorContext) -> CheckResult:
    from devices.camera.sources import open_source, wait_for_frame

    spec = ctx.config.devices.camera
    try:
        source = open_source(spec)
        source.open()
    except Exception as exc:
        return CheckResult(
            "camera",
            Status.FAIL,
            f"camera {spec!r} does not open: {exc}",
            "check the camera cable; set [devices] camera to the right index",
        )
    try:
        frame = wait_for_frame(source, CAMERA_WAIT_S)
    finally:
        source.close()
    if frame is None:
        return CheckResult(
            "camera",
            Status.FAIL,
            f"camera {spec!r} opened but gave no picture in {CAMERA_WAIT_S} s",
            "unplug and replug the camera; close other programs using it",
        )
    height, width = frame.shape[:2]
    kind = "sample camera (demo)" if spec == "sample" else f"camera {spec!r}"
    return CheckResult("camera", Status.OK, f"{kind}: {width}×{height} picture")


def check_printer(ctx: DoctorContext) -> CheckResult:
    from devices.printer import registry
    from devices.printer.base import PrinterSetup

    setup = PrinterSetup(default_folder=ctx.config.print_dir)
    return _from_probe("printer", registry.probe(ctx.config.devices.printer, setup))


# --- time, disk, network ---------------------------------------------------------------------


def check_clock(ctx: DoctorContext) -> CheckResult:
    now = ctx.now()
    if not BUILD_YEAR <= now.year <= 2100:
        return CheckResult(
            "clock",
            Status.FAIL,
            f"the clock says {now:%Y-%m-%d}, which cannot be right",
            "set the date and time (due dates and receipts depend on it)",
        )
    offset = datetime.now().astimezone().utcoffset()
    if ctx.portal_date is not None:
        skew = abs(now - ctx.portal_date)
        if skew > MAX_CLOCK_SKEW:
            return CheckResult(
                "clock",
                Status.FAIL,
                f"{skew.total_seconds():.0f} s away from the portal's clock",
                "enable time synchronisation (NTP) on this PC",
            )
    if offset != UTC_OFFSET:
        return CheckResult(
            "clock",
            Status.WARN,
            f"time zone is UTC{_offset(offset)}, not Vietnam (UTC+07:00)",
            "set the time zone to Asia/Ho_Chi_Minh",
        )
    against = "the portal's clock" if ctx.portal_date else "no reference clock (portal not asked)"
    return CheckResult("clock", Status.OK, f"{now:%Y-%m-%d %H:%M} UTC, UTC+07:00; {against}")


def _offset(offset: timedelta | None) -> str:
    if offset is None:
        return "?"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def check_disk(ctx: DoctorContext) -> CheckResult:
    folder = ctx.config.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        return CheckResult(
            "disk",
            Status.FAIL,
            f"data folder {folder} cannot be created or read: {exc.strerror}",
            "set [storage] data_dir to a folder the kiosk's user may create and write",
        )
    detail = f"{free / 1024**3:.1f} GB free for {folder}"
    if free < DISK_FAIL_BYTES:
        return CheckResult("disk", Status.FAIL, detail, "free space: the kiosk stops below 500 MB")
    if free < DISK_WARN_BYTES:
        return CheckResult("disk", Status.WARN, detail, "free some space soon")
    return CheckResult("disk", Status.OK, detail)


def check_portal(ctx: DoctorContext) -> CheckResult:
    url = ctx.config.portal.url
    if not url:
        return CheckResult(
            "portal",
            Status.UNAVAILABLE,
            "demo setup: the kiosk starts its own local portal, nothing to reach",
        )
    import httpx

    try:
        response = httpx.get(
            url.rstrip("/") + "/v1/health", timeout=min(ctx.config.portal.timeout_s, 10.0)
        )
    except httpx.HTTPError as exc:
        return CheckResult(
            "portal",
            Status.FAIL,
            f"{url} not reachable: {type(exc).__name__}",
            "check the network cable / Wi-Fi; dossiers wait in the outbox meanwhile",
        )
    if "date" in response.headers:
        from email.utils import parsedate_to_datetime

        try:
            ctx.portal_date = parsedate_to_datetime(response.headers["date"])
        except (TypeError, ValueError):
            ctx.portal_date = None
    if response.status_code != 200:
        return CheckResult(
            "portal", Status.FAIL, f"{url} answers its health check with {response.status_code}"
        )
    return CheckResult("portal", Status.OK, f"{url} reachable")


# --- data ------------------------------------------------------------------------------------


def check_outbox(ctx: DoctorContext) -> CheckResult:
    from sqlalchemy import func, select

    from kiosk.store.models import OutboxEntry

    with ctx.store().session() as session:
        rows = session.execute(
            select(
                OutboxEntry.state, func.count(OutboxEntry.id), func.min(OutboxEntry.created_at)
            ).group_by(OutboxEntry.state)
        ).all()
    counts = {str(state): (int(n), oldest) for state, n, oldest in rows}
    unsent = {s: c for s, c in counts.items() if s not in ("accepted", "rejected")}
    total = sum(n for n, _ in unsent.values())
    if not total:
        return CheckResult("outbox", Status.OK, "no unsent dossiers")
    oldest = min(o for _, o in unsent.values() if o is not None)
    age = ctx.now() - (oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC))
    detail = (
        f"{total} unsent dossier(s) ({', '.join(f'{s} {n}' for s, (n, _) in unsent.items())}); "
        f"oldest {age.total_seconds() / 3600:.0f} h"
    )
    if "needs_staff" in unsent:
        return CheckResult("outbox", Status.FAIL, detail, "open `kiosk outbox` and resolve them")
    if age > OUTBOX_STALE:
        return CheckResult("outbox", Status.WARN, detail, "check the portal connection")
    return CheckResult("outbox", Status.OK, detail)


def check_trust_store(ctx: DoctorContext) -> CheckResult:
    from kiosk.records.trust_store import EXPIRED, EXPIRING, TrustStoreFolder

    warn_days = ctx.config.security.trust_expiry_warn_days
    listed = TrustStoreFolder(ctx.config.trust_store).entries(ctx.now(), warn_days)
    entries = [e for e in listed if e.usable or e.status == EXPIRED]
    unusable = len(listed) - len(entries)  # unparseable, unsupported key, not a CA …
    if not entries:
        return CheckResult(
            "trust store",
            Status.WARN if _simulated_reader(ctx.config) else Status.FAIL,
            f"{ctx.config.trust_store} holds no usable CSCA certificate: chips cannot be verified",
            "import the CSCA: kiosk trust import FILE or kiosk trust import-masterlist FILE",
        )
    expired = [e for e in entries if e.status == EXPIRED]
    soon = [e for e in entries if e.status == EXPIRING]
    detail = f"{len(entries)} CSCA certificate(s)"
    if soon:
        first = min(soon, key=lambda e: e.days_left)
        return CheckResult(
            "trust store",
            Status.WARN,
            f"{detail}; {len(soon)} expire within {warn_days} days ({first.country} in "
            f"{first.days_left} days)",
            "import the successor CSCA or a newer master list",
        )
    if expired:
        detail += f" ({len(expired)} expired, kept for older cards)"
    if unusable:
        return CheckResult(
            "trust store",
            Status.WARN,
            f"{detail}; {unusable} file(s) or certificate(s) cannot be used",
            "see the reasons in kiosk trust list and replace or remove them",
        )
    return CheckResult("trust store", Status.OK, detail)


KEY_CUSTODY_REMEDY = (
    "seal the key to this PC's TPM: kiosk keys move-to tpm2, then set [security] machine_key = "
    '"tpm2" (Windows: move-to dpapi); a copy of the disk then opens nothing'
)


def check_keys(ctx: DoctorContext) -> CheckResult:
    from kiosk.crypto.custody import describe
    from kiosk.crypto.errors import CryptoError
    from kiosk.crypto.keyring import Keyring, machine_key_for
    from kiosk.crypto.sealer import keyring_path, machine_key_path

    security, data_dir = ctx.config.security, ctx.config.data_dir
    ring_file = keyring_path(data_dir)
    key_file = machine_key_path(security, data_dir)
    if security.machine_key == "fleet":
        return _check_fleet_keys(ctx, ring_file)
    if not ring_file.exists():
        if ctx.config.security.machine_key == "file" and key_file.exists():
            try:  # the first start would wrap the new keyring with this key: it must be usable
                machine_key_for("file", key_file, create=False)
            except CryptoError as exc:
                return CheckResult("keys", Status.FAIL, str(exc), "restore the machine key file")
        return CheckResult(
            "keys", Status.WARN, "no keyring yet (the first start creates the machine key)"
        )
    try:
        machine_key = machine_key_for(security.machine_key, key_file, create=False)
        ring = Keyring.load(machine_key, ring_file)
    except CryptoError as exc:
        return CheckResult("keys", Status.FAIL, str(exc), "restore the machine key from backup")
    detail = (
        f"{ring.machine_key.kind} machine key opens the keyring ({len(ring.data_keys)} data key)"
    )
    custody = describe(ring.machine_key.kind, key_file, data_dir)
    if custody.beside_data and not _demo_setup(ctx.config):
        return CheckResult(
            "keys",
            Status.WARN,
            f"{detail}, but it is a plain file on the data disk ({key_file}): "
            "a copy of the disk decrypts every dossier",
            KEY_CUSTODY_REMEDY,
        )
    if custody.beside_data:
        detail += " (a plain key file: fine for the demo, not for production)"
    return CheckResult("keys", Status.OK, detail)


def _check_fleet_keys(ctx: DoctorContext, ring_file: Any) -> CheckResult:
    """Custody `fleet` (docs/fleet_link.md §4): the key is asked from the fleet service now."""
    from kiosk.crypto.errors import CryptoError
    from kiosk.crypto.fleet_custody import open_fleet_keyring

    try:
        ring = open_fleet_keyring(ctx.config.fleet, ring_file)
    except CryptoError as exc:
        return CheckResult("keys", Status.FAIL, str(exc), "run kiosk fleet check")
    return CheckResult(
        "keys",
        Status.OK,
        f"fleet machine key released by {ctx.config.fleet.url} opens the keyring "
        f"({len(ring.data_keys)} data key); nothing on this disk opens it",
    )


def _demo_setup(config: KioskConfig) -> bool:
    """Demo mode: the kiosk starts its own local portal (no `[portal] url`) or reads a
    simulated chip."""
    return not config.portal.url or _simulated_reader(config)


def check_audit(ctx: DoctorContext) -> CheckResult:
    from kiosk.crypto.sealer import keyring_path, open_sealer
    from kiosk.records.audit import AuditLog
    from kiosk.records.audit_anchor import AnchorInvalid, open_audit_log

    store = ctx.store()
    data_dir = ctx.config.data_dir
    log_ = (
        open_audit_log(
            data_dir, store, open_sealer(ctx.config.security, data_dir, ctx.config.fleet)
        )
        if keyring_path(data_dir).exists()
        else AuditLog(store)
    )
    try:
        verdict = log_.verify()
    except AnchorInvalid as exc:
        return CheckResult("audit log", Status.FAIL, str(exc), "report to the supervisor")
    if not verdict.ok:
        return CheckResult(
            "audit log",
            Status.FAIL,
            f"broken at entry {verdict.first_broken_id}: {verdict.reason}",
            "do not use the kiosk; report to the supervisor",
        )
    return CheckResult("audit log", Status.OK, f"hash chain intact ({verdict.entries} entries)")


def check_staff(ctx: DoctorContext) -> CheckResult:
    from sqlalchemy import select

    from kiosk.store.models import StaffUser

    with ctx.store().session() as session:
        rows = session.execute(select(StaffUser.role, StaffUser.disabled)).all()
    active = [role for role, disabled in rows if not disabled]
    if "supervisor" not in active:
        return CheckResult(
            "staff",
            Status.WARN,
            f"{len(active)} active account(s), no supervisor",
            "add one: kiosk staff add USERNAME --role supervisor",
        )
    return CheckResult("staff", Status.OK, f"{len(active)} active account(s)")


def check_speech(ctx: DoctorContext) -> CheckResult:
    """Sentences with values (a fee, a date) are spoken live: espeak-ng is there and renders a
    sentence in the configured voice. Without it the kiosk works, silently (docs/ui.md §10)."""
    import tempfile
    from pathlib import Path

    from devices.probe import ProbeState
    from devices.speech.espeak import VOICES, EspeakSpeech

    with tempfile.TemporaryDirectory(prefix="kiosk-doctor-speech-") as scratch:
        result = EspeakSpeech(VOICES[ctx.config.ui.voice], cache_dir=Path(scratch)).probe()
    if result.state is ProbeState.PRESENT:
        return CheckResult("speech", Status.OK, result.message)
    return CheckResult("speech", Status.WARN, result.message, result.remedy)


CHECKS: list[Check] = [
    check_reader,
    check_camera,
    check_printer,
    check_speech,
    check_portal,  # before the clock: it learns the portal's time
    check_clock,
    check_disk,
    check_outbox,
    check_trust_store,
    check_keys,
    check_audit,
    check_staff,
]

# Result names that differ from the function's (used when a check fails before answering).
_CHECK_NAMES: dict[Check, str] = {check_audit: "audit log"}

# What a person does before opening the kiosk to citizens (not machine-checkable).
START_OF_DAY = [
    "Lau sạch ô đặt thẻ, ống kính camera và màn hình cảm ứng.",
    "Kiểm tra cuộn giấy in; để sẵn một cuộn dự phòng.",
    "Chạm thử màn hình ở bốn góc; loa đọc rõ câu chào.",
    "Bảng mã QR nộp phí và số điện thoại hỗ trợ dán đúng chỗ.",
    "Đặt thẻ tập dùng cạnh máy; xem lại các hồ sơ chưa gửi (kiosk outbox).",
    "Cán bộ trực đăng nhập thử bằng mã PIN của mình.",
]


def run_checks(ctx: DoctorContext, checks: list[Check] | None = None) -> list[CheckResult]:
    results = []
    for check in checks or CHECKS:
        start = time.perf_counter()
        name = _CHECK_NAMES.get(check, check.__name__.removeprefix("check_").replace("_", " "))
        try:
            result = check(ctx)
        except Exception as exc:
            from kiosk.ops.failures import describe_failure

            line = describe_failure(exc)
            if line is None:  # a bug in the check: its traceback goes to the log file only
                log.debug("doctor check %s crashed", name, exc_info=True)
                log.error("doctor check %s crashed: %r (details in the debug log)", name, exc)
                result = CheckResult(name, Status.FAIL, f"the check itself failed: {exc!r}")
            else:
                reason, _, remedy = line.partition("; ")
                result = CheckResult(name, Status.FAIL, reason, remedy)
        results.append(
            CheckResult(
                result.name,
                result.status,
                result.detail,
                result.remedy,
                round(time.perf_counter() - start, 3),
            )
        )
    return results


def exit_code(results: list[CheckResult]) -> int:
    return 1 if any(r.status is Status.FAIL for r in results) else 0


def render(results: list[CheckResult], checklist: bool = True) -> str:
    marks = {
        Status.OK: "[ ok ]",
        Status.WARN: "[warn]",
        Status.FAIL: "[FAIL]",
        Status.UNAVAILABLE: "[ -- ]",
    }
    lines = []
    for r in results:
        lines.append(f"{marks[r.status]} {r.name:12} {r.detail}")
        if r.remedy and r.status is not Status.OK:
            lines.append(f"{'':20}→ {r.remedy}")
    failed = sum(r.status is Status.FAIL for r in results)
    warned = sum(r.status is Status.WARN for r in results)
    lines.append(f"{len(results)} checks: {failed} failed, {warned} warnings")
    if checklist:
        lines.append("")
        lines.append("Việc cần làm đầu ngày (start-of-day checklist):")
        lines.extend(f"  [ ] {item}" for item in START_OF_DAY)
    return "\n".join(lines)
