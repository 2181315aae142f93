"""The officer's panel in the real window over the real demo runtime (simulated card, sample
camera, the nine-procedure catalogue, a real staff directory and print queue), tapped like a
person: Vietnamese only, the step by its number and title, touch-sized controls that fit
1366×768, the chip photo beside the live camera for a face override, reprint of the last
receipts, the help-requests list of the engine's help desk (docs/ui.md §11, §12)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from kiosk.journey.engine import JourneyEngine
from kiosk.journey.steps import StepId
from kiosk.runtime import open_runtime
from tests.fakes import FakeFace
from tests.ui.fakes import quick_config
from tests.ui.person import screen, tap, wait_for
from ui.app import hand_over
from ui.main_window import MainWindow
from ui.staff_panel import OVERRIDE_REASONS, STAFF_ROW_HEIGHT, WrapButton
from ui.voice import Voice

OFFICER_PIN = "482913"
INTERNAL_IDS = {step.value for step in StepId}


@pytest.fixture
def demo(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import kiosk.records.staff as staff_module

    monkeypatch.setattr(staff_module, "SCRYPT_N", 2**10)  # fast PIN checks for the behaviour
    config = quick_config()
    config = dataclasses.replace(
        config, storage=dataclasses.replace(config.storage, data_dir=str(tmp_path))
    )
    runtime = open_runtime(config, demo=True)
    runtime.staff.add("an", OFFICER_PIN, "officer", "Cán bộ An")
    yield runtime
    runtime.close()


def _window(qtbot, runtime, face: Any = None) -> MainWindow:  # type: ignore[no-untyped-def]
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]  # as `kiosk run` starts
    window = MainWindow(engine, runtime.config, watch_card=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    hand_over(runtime, engine, window, Voice(audio=False, live_tts=False))
    if face is not None:  # the demo's sample camera always matches: a mismatch is injected
        engine.services = dataclasses.replace(engine.services, face=face)
    return window


def _log_in(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        window.corner_tap(20, 20)
    window.pin_pad.type_pin(OFFICER_PIN)
    qtbot.waitUntil(window.staff_panel.isVisible, timeout=5000)


def _to_failed_face_check(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, screen(window).choice_buttons["status"])
    wait_for(qtbot, window, StepId.CONSENT)
    tap(qtbot, screen(window).agree)
    wait_for(qtbot, window, StepId.STAFF_HELP, timeout=30_000)


def _visible(panel: QWidget, kind: type) -> list[Any]:
    return [w for w in panel.findChildren(kind) if w.isVisibleTo(panel) and w.isVisible()]


def test_the_officer_overrides_a_failed_face_check_beside_the_chip_photo_and_the_live_camera(
    qtbot, demo
):
    window = _window(qtbot, demo, FakeFace([False, False, False]))
    _to_failed_face_check(qtbot, window)
    _log_in(qtbot, window)
    panel = window.staff_panel
    assert panel.override_box.isVisible()
    assert re.fullmatch(r"Người dân đang ở bước \d+/\d+: Nhìn thẳng vào camera", panel.step.text())
    pixmap = panel.chip_photo.pixmap()
    assert pixmap is not None and not pixmap.isNull()  # the DG2 face read from the chip
    assert panel.live.isVisible() and panel.live._converter is not None  # the camera's feed
    assert not panel.override.isEnabled()
    tap(qtbot, panel.reasons.button(0))
    assert panel.reasons.button(0).isChecked()
    tap(qtbot, panel.override)
    wait_for(qtbot, window, StepId.STATUS_LIST, timeout=10_000)
    assert window.engine.ctx.overrides[0]["reason"] == OVERRIDE_REASONS[0]
    assert window.engine.ctx.overrides[0]["staff"] == "an"


def test_the_panel_speaks_vietnamese_only_and_names_no_internal_step(qtbot, demo):
    window = _window(qtbot, demo, FakeFace([False, False, False]))
    _to_failed_face_check(qtbot, window)
    _log_in(qtbot, window)
    panel = window.staff_panel
    shown = [w.text() for w in _visible(panel, QLabel) + _visible(panel, QAbstractButton)]
    words = set(re.findall(r"[A-Za-z_]+", " ".join(shown)))
    assert not words & INTERNAL_IDS
    assert panel.staff_text.text().startswith("Máy đã báo người dân: ")
    english = {"the", "check", "staff", "face", "camera is", "supervisor", "error"}
    assert not {w.lower() for w in words} & english


def test_every_control_on_the_panel_is_touch_sized_and_inside_the_window_at_1366x768(qtbot, demo):
    window = _window(qtbot, demo, FakeFace([False, False, False]))
    _to_failed_face_check(qtbot, window)
    _log_in(qtbot, window)
    panel = window.staff_panel
    qtbot.wait(50)  # one layout pass
    assert window.size().width() == 1366 and window.size().height() == 768
    inside = QRect(QPoint(0, 0), window.size())
    controls = _visible(panel, QAbstractButton) + _visible(panel, QLineEdit)
    assert len(controls) >= 12
    for widget in controls:
        assert widget.height() >= STAFF_ROW_HEIGHT, widget.text()
        box = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        assert inside.contains(box), (widget.text(), box)
        words = widget.placeholderText() if isinstance(widget, QLineEdit) else widget.text()
        if not isinstance(widget, WrapButton):  # one line: it must fit whole
            frame = 14  # 3 px border and 4 px padding each side (ui/theme.py, key buttons)
            assert widget.fontMetrics().horizontalAdvance(words) + frame <= widget.width(), words
    for text in _visible(panel, QLabel):
        box = QRect(text.mapTo(window, QPoint(0, 0)), text.size())
        assert inside.contains(box), (text.text(), box)
        if text.wordWrap() and text.text():  # every wrapped line has room
            assert text.heightForWidth(text.width()) <= text.height() + 1, text.text()
    assert panel.minimumSizeHint().height() <= 768


def test_the_officer_reprints_the_last_receipt_with_a_tap(qtbot, demo):
    from devices.printer.base import PrintJob

    queue = demo.services.printer.queue
    job_id = queue.add(PrintJob("000.00.12.H56-260428-0001", "receipt", pdf=b"%PDF-1.4 demo"))
    window = _window(qtbot, demo)
    _log_in(qtbot, window)
    panel = window.staff_panel
    row = panel.reprint_buttons[0]
    assert row.isVisible() and "000.00.12.H56-260428-0001" in row.text()
    tap(qtbot, row)
    qtbot.waitUntil(lambda: panel.refusal.text().startswith("Đã in lại"), timeout=5000)
    assert queue.info(job_id).state == "printed"
    with demo.store.session() as session:
        from kiosk.store.models import AuditEvent

        actions = [e.action for e in session.query(AuditEvent)]
    assert "receipt_reprint" in actions  # done in the officer's name, in the audit log


def test_a_reprint_is_refused_in_the_core_once_the_account_is_disabled(qtbot, demo):
    from devices.printer.base import PrintJob

    queue = demo.services.printer.queue
    job_id = queue.add(PrintJob("000.00.12.H56-260428-0001", "receipt", pdf=b"%PDF-1.4 demo"))
    window = _window(qtbot, demo)
    _log_in(qtbot, window)
    demo.staff.disable("an", by="staff:binh")
    tap(qtbot, window.staff_panel.reprint_buttons[0])
    assert (
        window.staff_panel.refusal.text()
        == "Việc này cần quyền của cán bộ phụ trách. Đã ghi nhật ký."
    )
    qtbot.wait(200)
    assert queue.info(job_id).state == "pending" and queue.info(job_id).attempts == 0


def test_a_waiting_help_request_is_listed_and_answered_staff_coming(qtbot, demo):
    window = _window(qtbot, demo)
    waiting = demo.help_desk.raise_request("face_check", 4, "Nhìn thẳng vào camera", "citizen")
    _log_in(qtbot, window)
    panel = window.staff_panel
    row = panel.help_buttons[0]
    assert row.text().startswith("Bước 4: Nhìn thẳng vào camera — gọi lúc ")
    assert row.text().endswith("· đang chờ")
    tap(qtbot, row)
    answered = demo.help_desk.get(waiting.help_id)
    assert (answered.state.value, answered.acknowledged_by) == ("coming", "an")
    assert panel.refusal.text() == "Đã báo người dân: cán bộ đang tới."
    assert row.text().endswith("· cán bộ đang tới")


def test_the_citizens_call_is_on_the_panel_as_answered_once_the_officer_logs_in(qtbot, demo):
    window = _window(qtbot, demo)
    tap(qtbot, screen(window).choice_buttons["status"])
    wait_for(qtbot, window, StepId.CONSENT)
    tap(qtbot, screen(window).header.staff_button)  # "Gọi cán bộ"
    _log_in(qtbot, window)
    row = window.staff_panel.help_buttons[0]
    assert row.isVisible() and row.text().endswith("· cán bộ đang tới")
    assert row.text().startswith("Bước 1: Bác có đồng ý cho máy đọc thẻ không? — gọi lúc ")


def test_without_open_help_requests_the_panel_says_no_one_is_waiting(qtbot, demo):
    window = _window(qtbot, demo)
    _log_in(qtbot, window)
    assert window.staff_panel.help_empty.text() == "Không có ai đang chờ."
    assert not any(b.isVisible() for b in window.staff_panel.help_buttons)
