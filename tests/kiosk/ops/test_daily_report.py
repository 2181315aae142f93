"""The staff's daily report from the store: a day in Vietnam time, counts and medians only."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.ops.daily_report import DaySummary, daily_report, day_bounds, summarize_day
from kiosk.store import Store, open_store
from kiosk.store.models import AuditEvent, Dossier, KioskSession, OutboxEntry

DAY = date(2026, 11, 27)
START, _ = day_bounds(DAY)  # 2026-11-26 17:00 UTC
NOON = START + timedelta(hours=12)  # 12:00 in Hà Nội
NAMES = {"birth_registration": "Đăng ký khai sinh", "death_registration": "Đăng ký khai tử"}
MASKED = "001******345"


@pytest.fixture
def store(store_url: str) -> Store:
    return open_store(store_url)


def _visit(
    store: Store,
    journey: str,
    events: list[tuple[str, dict[str, str]]],
    at: datetime = NOON,
    outcome: str = "completed",
    timings: dict[str, float] | None = None,
    practice: bool = False,
) -> str:
    session_id = secrets.token_hex(8)
    with store.session() as session:
        session.add(
            KioskSession(
                id=session_id, journey=journey, started_at=at, ended_at=at + timedelta(minutes=5),
                outcome=outcome, step_timings=json.dumps(timings or {}), practice=practice,
            )
        )  # fmt: skip
        for offset, (action, detail) in enumerate(events):
            session.add(
                AuditEvent(
                    at=at + timedelta(seconds=offset), session_id=session_id, actor="citizen",
                    action=action, detail=json.dumps({"citizen": MASKED, **detail}),
                    prev_hash="0" * 64, hash=secrets.token_hex(32),
                )
            )  # fmt: skip
    return session_id


def _dossier(store: Store, code: str, state: str, at: datetime = NOON) -> None:
    with store.session() as session:
        dossier = Dossier(
            kiosk_reference=secrets.token_hex(6), procedure_code=code, payload_sealed=b"MCK1",
            received_at=at, masked_id=MASKED,
        )  # fmt: skip
        session.add(dossier)
        session.flush()
        session.add(OutboxEntry(dossier_id=dossier.id, idempotency_key=secrets.token_hex(8),
                                state=state))  # fmt: skip


def _submitted(code: str) -> list[tuple[str, dict[str, str]]]:
    return [("procedure_chosen", {"code": code}), ("submitted", {}), ("printed", {})]


def test_the_day_runs_from_midnight_to_midnight_vietnam_time(store: Store) -> None:
    _visit(store, "status", [], at=START - timedelta(seconds=1))  # 23:59:59 the day before
    _visit(store, "status", [], at=START)  # 00:00 in Hà Nội, 17:00 UTC the day before
    _visit(store, "status", [], at=START + timedelta(hours=23, minutes=59))
    _visit(store, "status", [], at=START + timedelta(days=1))
    assert summarize_day(store, DAY).sessions["total"] == 2
    assert day_bounds(DAY)[0] == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def test_a_procedure_succeeds_by_its_stored_dossiers_and_fails_by_refusals_and_walkaways(
    store: Store,
) -> None:
    for _ in range(3):
        _visit(store, "submit", _submitted("birth_registration"))
        _dossier(store, "birth_registration", "accepted")
    _dossier(store, "birth_registration", "rejected")
    chose_birth = ("procedure_chosen", {"code": "birth_registration"})
    _visit(store, "submit", [chose_birth], outcome="timeout")
    chose_death = ("procedure_chosen", {"code": "death_registration"})
    _visit(store, "submit", [chose_birth, chose_death], outcome="cancelled")
    summary = summarize_day(store, DAY, NAMES)
    birth, death = summary.procedures
    assert (birth.name, birth.dossiers, birth.rejected, birth.abandoned) == (
        "Đăng ký khai sinh", 4, 1, 1,
    )  # fmt: skip
    assert (birth.succeeded, birth.failed) == (3, 2)
    assert (death.succeeded, death.failed) == (0, 1)  # the last choice counts
    assert summary.outbox == {"accepted": 3, "rejected": 1}
    assert summary.sessions == {"total": 5, "practice": 0, "cancelled": 1, "completed": 3,
                                "timeout": 1}  # fmt: skip


def test_a_printer_failure_is_a_device_incident_at_vietnam_time(store: Store) -> None:
    _visit(store, "submit", [("failed", {"from": "receipt", "code": "printer_paper_out"})],
           at=START + timedelta(hours=10, minutes=12))  # fmt: skip
    [incident] = summarize_day(store, DAY).incidents
    assert (incident.at.strftime("%H:%M"), incident.device, incident.code) == (
        "10:12", "Máy in", "printer_paper_out",
    )  # fmt: skip
    assert incident.description == "Máy in hết giấy"


def test_a_citizen_side_failure_is_not_a_device_incident(store: Store) -> None:
    face = ("failed", {"from": "face_check", "code": "face_tries_exhausted"})
    card = ("failed", {"from": "card_read", "code": "card_not_placed"})
    _visit(store, "submit", [face, card])
    assert summarize_day(store, DAY).incidents == ()


@pytest.mark.parametrize(
    ("action", "detail", "device"),
    [("device_error", {"from": "face_check", "code": "device_unplugged"}, "Camera"),
     ("device_error", {"from": "card_read", "code": "card_transport"}, "Đầu đọc thẻ"),
     ("unavailable", {"from": "documents", "code": "not_built"}, "Camera"),
     ("failed", {"from": "qr_scan", "code": "camera_unavailable"}, "Camera")],
)  # fmt: skip
def test_device_errors_and_missing_devices_are_incidents_of_the_right_device(
    store: Store, action: str, detail: dict[str, str], device: str
) -> None:
    _visit(store, "submit", [(action, detail)])
    [incident] = summarize_day(store, DAY).incidents
    assert (incident.device, incident.code, incident.step) == (device, detail["code"],
                                                               detail["from"])  # fmt: skip


def test_step_times_are_medians_of_the_visits_and_leave_out_end_screens(store: Store) -> None:
    for seconds in (10.0, 20.0, 90.0):
        _visit(store, "status", [], timings={"welcome": 3.0, "card_read": seconds, "goodbye": 1})
    [step] = summarize_day(store, DAY).steps
    assert (step.step, step.median_s, step.samples) == ("card_read", 20.0, 3)


def test_practice_visits_are_counted_apart_and_nowhere_else(store: Store) -> None:
    _visit(store, "submit", [("failed", {"from": "receipt", "code": "printer_paper_out"})],
           practice=True, timings={"card_read": 5.0})  # fmt: skip
    summary = summarize_day(store, DAY)
    assert summary.sessions == {"total": 0, "practice": 1}
    assert (summary.incidents, summary.steps, summary.journeys) == ((), (), {})


def test_account_visits_count_created_existing_and_failed(store: Store) -> None:
    _visit(store, "account", [("account_created", {})])
    _visit(store, "account", [("account_exists", {})])
    _visit(store, "account", [("failed", {"code": "otp_invalid"})], outcome="cancelled")
    _visit(store, "status", [("status_found", {})])
    summary = summarize_day(store, DAY)
    assert summary.accounts == {"created": 1, "existed": 1, "failed": 1}
    assert summary.status_lookups == 1


def test_print_queue_jobs_of_the_day_are_counted_by_state(store: Store) -> None:
    from devices.printer.queue import QueuedJob

    def job(at: datetime, state: str) -> QueuedJob:
        return QueuedJob("j", "000.00.12.H56-261127-0001", "receipt", state, "", at, None, 1)

    jobs = [job(NOON, "printed"), job(NOON, "pending"), job(START - timedelta(hours=1), "printed")]
    assert summarize_day(store, DAY, print_jobs=jobs).print_queue == {"pending": 1, "printed": 1}


def test_the_summary_holds_no_personal_data(store: Store) -> None:
    _visit(store, "submit", _submitted("birth_registration"))
    _dossier(store, "birth_registration", "accepted")
    text = json.dumps(summarize_day(store, DAY, NAMES).as_json(), ensure_ascii=False)
    assert MASKED not in text and "citizen" not in text


def _busy_day(store: Store) -> DaySummary:
    for _ in range(2):
        _visit(store, "submit", _submitted("death_registration"), timings={"card_read": 18.4})
        _dossier(store, "death_registration", "accepted")
    _visit(store, "submit", [("procedure_chosen", {"code": "birth_registration"}),
                             ("failed", {"from": "receipt", "code": "printer_cover_open"})],
           outcome="cancelled", timings={"card_read": 95.0})  # fmt: skip
    _visit(store, "account", [("account_created", {})])
    return summarize_day(store, DAY, NAMES)


def test_the_printable_report_has_procedures_median_steps_incidents_and_notes(
    store: Store,
) -> None:
    from printing.report import report_text

    report = daily_report(_busy_day(store), "UBND xã Demo", NOON)
    lines = report_text(report)
    assert report.generated_at == datetime(2026, 11, 27, 12, 0)  # Vietnam time
    assert "Tổng số lượt làm thủ tục: 3 — thành công: 2, không thành công: 1" in lines
    assert "Đọc chip thẻ căn cước: 18 giây (3 lượt)" in lines
    assert any(line.endswith("Máy in: Nắp máy in đang mở (printer_cover_open)") for line in lines)
    assert "Hồ sơ gửi lên cổng dịch vụ công: đã được cổng tiếp nhận 2" in lines
    assert "Tạo tài khoản dịch vụ công: tạo mới 1, không thành công 0" in lines


def test_the_report_pdf_shows_the_procedures_of_the_day(store: Store) -> None:
    from printing.report import report_pdf
    from tests.kiosk.test_plaintext_scan import pdf_text

    pdf = report_pdf(daily_report(_busy_day(store), "UBND xã Demo", NOON))
    text = pdf_text(pdf).decode()
    assert "Đăng ký khai tử: 2 thành công, 0 không thành công" in text
    assert "Đăng ký khai sinh: 0 thành công, 1 không thành công" in text
