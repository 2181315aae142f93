"""The staff's daily report, read from the store: what the kiosk did on one day (Vietnam time).

Sources, all without personal data:
- `kiosk_sessions`: one row per visit, its outcome and per-step timings (JSON);
- `audit_events`: which procedure a visit chose, whether it submitted, created an account or
  looked up a status, and device incidents (`failed` / `unavailable` / `device_error` events
  whose code or step names a device);
- `dossiers` per procedure and status, with their `outbox` state (accepted, rejected, …);
- `receipts` rows, and the print queue's job states (printed, pending) when a queue is given.

`DaySummary` is plain data (counts and medians) for `kiosk report --json`; `daily_report` turns
it into `printing.model.DailyReport` for the PDF. A procedure's "succeeded" counts its dossiers
stored that day and not refused by the portal; "failed" counts the portal's refusals and the
visits that chose it but left (cancelled, timed out, or an error) before submitting.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from kiosk.domain.calendar.workdays import VIETNAM
from kiosk.journey.steps.registry import REPORT_LABELS
from kiosk.store import Store
from kiosk.store.models import AuditEvent, Dossier, KioskSession, OutboxEntry, Receipt

# Work steps in journey order, as staff call them (each step's own report label). Screens that
# only greet, end or ask for help (welcome, done, goodbye, error, staff help) have none.
STEP_LABELS = REPORT_LABELS
ACCOUNT_ROW = "Tạo tài khoản dịch vụ công"
INCIDENT_ACTIONS = ("failed", "unavailable", "device_error")
# Codes of a `failed` event that mean a device, not the citizen, stopped the step.
DEVICE_FAILURES = {
    "printer_paper_out": "Máy in hết giấy",
    "printer_cover_open": "Nắp máy in đang mở",
    "printer_offline": "Máy in không trả lời",
    "printer_fault": "Máy in báo lỗi",
    "printer_error": "Không in được",
    "camera_unavailable": "Không mở được camera",
    "device_unplugged": "Thiết bị bị ngắt kết nối",
    "card_transport": "Đầu đọc thẻ lỗi kết nối",
    "card_reader_not_found": "Không thấy đầu đọc thẻ",
    "card_error": "Lỗi đầu đọc thẻ không rõ nguyên nhân",
}
DEVICE_BY_PREFIX = {"printer_": "Máy in", "camera_": "Camera", "card_": "Đầu đọc thẻ"}
DEVICE_BY_STEP = {
    "card_read": "Đầu đọc thẻ",
    "qr_scan": "Camera",
    "face_check": "Camera",
    "documents": "Camera",
    "receipt": "Máy in",
}
OUTBOX_WORDS = {
    "accepted": "đã được cổng tiếp nhận",
    "pending": "đang chờ gửi",
    "sending": "đang gửi",
    "rejected": "bị cổng từ chối",
    "needs_staff": "cần cán bộ xử lý",
}
REJECTED = "rejected"


@dataclass(frozen=True)
class ProcedureDay:
    code: str
    name: str
    dossiers: int  # stored that day
    rejected: int  # of those, refused by the portal
    abandoned: int  # visits that chose it and left before submitting

    @property
    def succeeded(self) -> int:
        return self.dossiers - self.rejected

    @property
    def failed(self) -> int:
        return self.rejected + self.abandoned


@dataclass(frozen=True)
class StepDay:
    step: str
    median_s: float
    samples: int


@dataclass(frozen=True)
class IncidentDay:
    at: datetime  # Vietnam time
    device: str
    code: str
    step: str
    description: str


@dataclass(frozen=True)
class DaySummary:
    day: date
    sessions: dict[str, int]  # total, practice, and per outcome
    journeys: dict[str, int]
    procedures: tuple[ProcedureDay, ...]
    dossiers: dict[str, int]  # per dossier status
    outbox: dict[str, int]  # per outbox state, for that day's dossiers
    accounts: dict[str, int]  # created, existed, failed
    status_lookups: int
    print_queue: dict[str, int]  # per job state, jobs queued that day
    receipt_records: dict[str, int]  # `receipts` rows per state
    steps: tuple[StepDay, ...]
    incidents: tuple[IncidentDay, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["timezone"] = "UTC+07:00"
        data["procedures"] = [
            {**asdict(p), "succeeded": p.succeeded, "failed": p.failed} for p in self.procedures
        ]
        data["steps"] = {s.step: {"median_s": s.median_s, "samples": s.samples} for s in self.steps}
        data["incidents"] = [{**asdict(i), "at": i.at.isoformat()} for i in self.incidents]
        return data


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day in Vietnam time, as UTC instants [start, end)."""
    start = datetime.combine(day, time(0), VIETNAM).astimezone(UTC)
    return start, start + timedelta(days=1)


def today_in_vietnam(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(VIETNAM).date()


def _utc(moment: datetime) -> datetime:
    """A stored time (SQLite gives it back naive; every stored time is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def summarize_day(
    store: Store,
    day: date,
    procedure_names: dict[str, str] | None = None,
    print_jobs: list[Any] | None = None,
) -> DaySummary:
    """Read `day` (Vietnam time) from `store`. `procedure_names`: code → name (the catalogue);
    `print_jobs`: the print queue's `QueuedJob`s (their `created_at` and `state` are used)."""
    start, end = day_bounds(day)
    # SQLite keeps times as naive UTC text, compared as text: give it the same form.
    naive = store.engine.dialect.name == "sqlite"
    low, high = (start.replace(tzinfo=None), end.replace(tzinfo=None)) if naive else (start, end)
    names = procedure_names or {}
    with store.session() as session:
        started = KioskSession.started_at
        visits = session.scalars(select(KioskSession).where(started >= low, started < high)).all()
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.at >= low, AuditEvent.at < high)
            .order_by(AuditEvent.id)
        ).all()
        dossiers = session.execute(
            select(Dossier.procedure_code, Dossier.status, OutboxEntry.state)
            .outerjoin(OutboxEntry, OutboxEntry.dossier_id == Dossier.id)
            .where(Dossier.received_at >= low, Dossier.received_at < high)
        ).all()
        receipts = session.scalars(
            select(Receipt.state).where(Receipt.created_at >= low, Receipt.created_at < high)
        ).all()
        visit_rows = [(v.id, v.journey, v.outcome, v.step_timings, v.practice) for v in visits]
        event_rows = [(e.at, e.session_id, e.action, e.detail) for e in events]

    practice = {vid for vid, _, _, _, is_practice in visit_rows if is_practice}
    real = [row for row in visit_rows if row[0] not in practice]
    by_session: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    incidents = []
    for at, session_id, action, detail_text in event_rows:
        if session_id in practice:
            continue
        detail = _detail(detail_text)
        by_session[session_id].append((action, detail))
        incident = _incident(_utc(at), action, detail)
        if incident is not None:
            incidents.append(incident)

    journeys = Counter(journey or "?" for _, journey, _, _, _ in real)
    outcomes = Counter(outcome for _, _, outcome, _, _ in real)
    abandoned: Counter[str] = Counter()
    accounts: Counter[str] = Counter()
    status_lookups = 0
    for vid, journey, _, _, _ in real:
        actions = [action for action, _ in by_session.get(vid, [])]
        if journey == "submit":
            chosen = [d["code"] for a, d in by_session.get(vid, []) if a == "procedure_chosen"]
            if chosen and "submitted" not in actions:
                abandoned[str(chosen[-1])] += 1
        elif journey == "account":
            if "account_created" in actions:
                accounts["created"] += 1
            elif "account_exists" in actions:
                accounts["existed"] += 1
            else:
                accounts["failed"] += 1
        elif journey == "status" and "status_found" in actions:
            status_lookups += 1

    stored = Counter(code for code, _, _ in dossiers)
    refused = Counter(code for code, _, state in dossiers if state == REJECTED)
    busiest_first = sorted(
        set(stored) | set(abandoned), key=lambda c: (-stored[c] - abandoned[c], names.get(c, c))
    )
    procedures = tuple(
        ProcedureDay(code, names.get(code, code), stored[code], refused[code], abandoned[code])
        for code in busiest_first
    )
    queue_states: Counter[str] = Counter()
    for job in print_jobs or ():
        if start <= _utc(job.created_at) < end:
            queue_states[job.state] += 1
    return DaySummary(
        day=day,
        sessions={"total": len(real), "practice": len(practice), **dict(sorted(outcomes.items()))},
        journeys=dict(sorted(journeys.items())),
        procedures=procedures,
        dossiers=dict(sorted(Counter(status for _, status, _ in dossiers).items())),
        outbox=dict(sorted(Counter(state or "none" for _, _, state in dossiers).items())),
        accounts={key: accounts[key] for key in ("created", "existed", "failed")},
        status_lookups=status_lookups,
        print_queue=dict(sorted(queue_states.items())),
        receipt_records=dict(sorted(Counter(receipts).items())),
        steps=_step_medians(timings for _, _, _, timings, _ in real),
        incidents=tuple(incidents),
    )


def _detail(text: str) -> dict[str, Any]:
    try:
        detail = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return detail if isinstance(detail, dict) else {}


def _incident(at: datetime, action: str, detail: dict[str, Any]) -> IncidentDay | None:
    if action not in INCIDENT_ACTIONS:
        return None
    code = str(detail.get("code", "")) or ("not_built" if action == "unavailable" else "")
    step = str(detail.get("from", ""))
    if action == "failed" and code not in DEVICE_FAILURES:
        return None  # the citizen's side (no card placed, face not matched, form, portal …)
    device = next(
        (name for prefix, name in DEVICE_BY_PREFIX.items() if code.startswith(prefix)),
        DEVICE_BY_STEP.get(step, "Thiết bị"),
    )
    if code in DEVICE_FAILURES:
        description = DEVICE_FAILURES[code]
    elif action == "unavailable":
        description = "Chức năng chưa sẵn sàng, cán bộ làm thay"
    else:
        description = "Thiết bị báo lỗi"
    return IncidentDay(at.astimezone(VIETNAM), device, code or action, step, description)


def _step_medians(all_timings: Any) -> tuple[StepDay, ...]:
    seconds: dict[str, list[float]] = defaultdict(list)
    for text in all_timings:
        timings = _detail(text)
        for step, value in timings.items():
            if step in STEP_LABELS and isinstance(value, int | float):
                seconds[step].append(float(value))
    return tuple(
        StepDay(step, round(statistics.median(seconds[step]), 3), len(seconds[step]))
        for step in STEP_LABELS
        if seconds[step]
    )


MAX_INCIDENT_LINES = 40


def daily_report(summary: DaySummary, office_name: str, generated_at: datetime) -> Any:
    """The `printing.model.DailyReport` of a summary (Vietnamese labels, no personal data)."""
    from printing.model import DailyReport, DeviceIncident, ProcedureCount, StepTime

    procedures = [ProcedureCount(p.name, p.succeeded, p.failed) for p in summary.procedures]
    incidents = [
        DeviceIncident(i.at.replace(tzinfo=None), i.device, i.code, i.description)
        for i in summary.incidents[:MAX_INCIDENT_LINES]
    ]
    return DailyReport(
        office_name=office_name,
        day=summary.day,
        generated_at=generated_at.astimezone(VIETNAM).replace(tzinfo=None),
        procedures=tuple(procedures),
        step_times=tuple(
            StepTime(STEP_LABELS[s.step], s.median_s, s.samples) for s in summary.steps
        ),
        incidents=tuple(incidents),
        notes=tuple(_notes(summary)),
    )


def _notes(summary: DaySummary) -> list[str]:
    sessions = summary.sessions
    visits = (
        f"Lượt sử dụng: {sessions['total']} (hoàn tất {sessions.get('completed', 0)}, "
        f"bỏ dở {sessions.get('cancelled', 0)}, hết giờ {sessions.get('timeout', 0)})"
    )
    if sessions["practice"]:
        visits += f"; dùng thử: {sessions['practice']}"
    notes = [visits]
    if summary.outbox:
        parts = [f"{OUTBOX_WORDS.get(state, state)} {n}" for state, n in summary.outbox.items()]
        notes.append("Hồ sơ gửi lên cổng dịch vụ công: " + ", ".join(parts))
    if summary.print_queue:
        printed = summary.print_queue.get("printed", 0)
        pending = summary.print_queue.get("pending", 0)
        notes.append(f"Giấy hẹn: đã in {printed}, chờ in lại {pending}")
    accounts = summary.accounts
    if sum(accounts.values()):
        line = (
            f"{ACCOUNT_ROW}: tạo mới {accounts['created']}, không thành công {accounts['failed']}"
        )
        if accounts["existed"]:
            line += f", đã có tài khoản từ trước {accounts['existed']}"
        notes.append(line)
    if summary.status_lookups:
        notes.append(f"Tra cứu tình trạng hồ sơ: {summary.status_lookups} lượt")
    if len(summary.incidents) > MAX_INCIDENT_LINES:
        notes.append(
            f"Còn {len(summary.incidents) - MAX_INCIDENT_LINES} sự cố khác: xem "
            "`kiosk report --json`"
        )
    notes.append(
        "Không thành công: người dân đã chọn thủ tục nhưng chưa nộp được (huỷ, hết giờ, lỗi), "
        "hoặc cổng từ chối hồ sơ."
    )
    return notes
