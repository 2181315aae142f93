"""What walking the real window showed wrong (docs/ui.md §4, §6, §12), each tapped or painted as
a person would meet it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.journey.steps import StepId
from kiosk.journey.view import StepView
from kiosk.journey.view_data import Question
from tests.sample_session import sample_identity
from tests.ui.person import screen, tap, wait_for
from ui import theme
from ui.animation import LookAtCameraAnimation, PlaceCardAnimation
from ui.layout_check import layout_problems
from ui.screens.form import FormScreen
from ui.widgets import pictogram_pixmap


def _frame(animation: LookAtCameraAnimation | PlaceCardAnimation, phase: float) -> QImage:
    image = QImage(animation.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(theme.BACKGROUND))
    painter = QPainter(image)
    animation.draw(painter, phase)
    painter.end()
    return image


def _has_colour(image: QImage, colour: str) -> bool:
    wanted = QColor(colour).rgb()
    return any(
        image.pixel(x, y) == wanted
        for y in range(0, image.height(), 2)
        for x in range(image.width())
    )


def test_the_face_animation_never_turns_green_before_a_match(qapp):
    animation = LookAtCameraAnimation(animated=False)
    for phase in (0.0, 0.3, 0.6, 0.8, 1.0):
        frame = _frame(animation, phase)
        assert not _has_colour(frame, theme.SUCCESS), phase
        assert _has_colour(frame, theme.ACCENT), phase


def test_the_card_on_the_reader_shows_no_chip_as_the_chip_faces_down(qapp):
    """ "mặt có chip úp xuống": the picture is the card's front, the chip (yellow) unseen."""
    chip = "#E0A800"
    assert _has_colour(pictogram_pixmap("card", theme.ACCENT, 96).toImage(), chip)
    card = pictogram_pixmap(PlaceCardAnimation.CARD, theme.ACCENT, 96).toImage()
    assert not _has_colour(card, chip)


def _to_card_read(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    tap(qtbot, screen(kiosk).agree)


def test_an_expired_card_offers_the_officer_not_thử_lại(qtbot, kiosk):
    expired = dataclasses.replace(sample_identity(), date_of_expiry=date(2020, 1, 1))
    kiosk.engine.services.card.read_identity = lambda qr, progress: expired
    _to_card_read(qtbot, kiosk)
    wait_for(qtbot, kiosk, StepId.ERROR, timeout=5000)
    error = screen(kiosk)
    assert kiosk.engine.ctx.error_code == "card_expired"
    assert not error.retry.isVisible()
    assert error.staff.isVisible()
    assert error.finish_button.isVisible()


def test_the_maintenance_screen_hides_the_welcome_choices(qtbot, kiosk):
    welcome = screen(kiosk)
    assert welcome.choice_buttons["submit"].isVisible()
    kiosk.runtime_failed(RuntimeError("the store is broken"))
    assert welcome.title.text() == "Máy đang bảo trì. Bác vui lòng đến quầy cán bộ."
    assert not any(button.isVisible() for button in welcome.choice_buttons.values())
    assert not welcome.header.replay_button.isVisible()
    assert not welcome.header.staff_button.isVisible()


def _chip_card(qtbot, kiosk):  # type: ignore[no-untyped-def]
    """The form's first screen, the chip's card, reached by tapping."""
    _to_card_read(qtbot, kiosk)
    wait_for(qtbot, kiosk, StepId.CHOOSE_PROCEDURE, timeout=5000)
    qtbot.waitUntil(lambda: len(screen(kiosk).procedure_buttons) == 2)
    tap(qtbot, screen(kiosk).procedure_buttons[0])
    wait_for(qtbot, kiosk, StepId.PROCEDURE_DETAIL)
    tap(qtbot, screen(kiosk).choose)
    wait_for(qtbot, kiosk, StepId.FORM)
    return screen(kiosk)


def test_the_documents_screen_offers_no_quay_lại_while_the_paper_is_photographed(qtbot, kiosk):
    engine = kiosk.engine
    engine.state = StepId.DOCUMENTS  # the screen alone: what it shows for the camera's progress
    documents = kiosk.screen_for(StepId.DOCUMENTS)
    kiosk.stack.setCurrentWidget(documents)
    for key, back in (("place_document", True), ("hold_document_still", False)):
        engine.ctx.progress = (0.5, key)
        view = kiosk._view(StepId.DOCUMENTS)
        documents.show_view(view)
        assert view.can_go_back
        assert documents.back_button.isVisibleTo(kiosk) is back, key
        assert not documents.instruction.isVisibleTo(kiosk)  # the camera's words replace it
        assert documents.finish_button is not None


def test_the_chip_card_keeps_thông_tin_này_sai_whole_at_every_kiosk_size(qtbot, kiosk):
    form = _chip_card(qtbot, kiosk)
    assert isinstance(form, FormScreen)
    for width, height in ((1366, 768), (1280, 1024)):
        kiosk.resize(width, height)
        qtbot.waitUntil(lambda f=form, w=width: f.width() == w and f.wrong.isVisible())
        QApplication.processEvents()
        cut = [p for p in layout_problems(kiosk, QSize(width, height)) if "Thông tin" in p]
        assert cut == [], (width, cut)
        assert form.wrong.width() >= form.wrong.sizeHint().width()


def _question_view(question: Question) -> StepView:
    return StepView(StepId.FORM, question.label, question.label, 7, 12, question=question)


VILLAGES = tuple(f"Thôn {n}, Xã Đông Hội" for n in ("1", "2", "3", "Đông", "Tây", "Chợ"))


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (1280, 1024)])
def test_questions_of_every_kind_in_turn_keep_the_window_at_the_screens_size(
    qtbot, kiosk, width, height
):
    """The death procedure's walk: a choice, then two dates, a village, the keypad. Each answer
    page replaces the last without the window growing to hold both (it grew to 977 px)."""
    kiosk.resize(width, height)
    kiosk.engine.state = StepId.FORM
    form = kiosk.screen_for(StepId.FORM)
    kiosk.stack.setCurrentWidget(form)
    questions = [
        Question("sex", "Giới tính", "choice", choices=("Nam", "Nữ")),
        Question("born", "Ngày sinh người đã mất", "date", years=(1900, 2026)),
        Question("died", "Ngày mất", "date", years=(2000, 2026)),
        Question("place", "Nơi mất", "place", choices=VILLAGES, optional=True),
        Question("phone", "Số điện thoại", "keypad", digits=10),
        Question("relation", "Quan hệ", "choice", choices=("Cha", "Mẹ", "Ông", "Bà", "Khác")),
    ]
    for question in questions:
        form.show_view(_question_view(question))
        form.set_can_finish(True)
        QApplication.processEvents()
        assert kiosk.size() == QSize(width, height), question.key
        assert layout_problems(kiosk, QSize(width, height)) == [], question.key


def test_a_long_paper_name_fits_beside_the_camera_preview(qtbot, kiosk):
    kiosk.engine.state = StepId.DOCUMENTS
    documents = kiosk.screen_for(StepId.DOCUMENTS)
    kiosk.stack.setCurrentWidget(documents)
    paper = "Giấy chứng nhận kết hôn của cha mẹ (nếu có)"
    view = StepView(
        StepId.DOCUMENTS,
        "Chụp giấy tờ kèm theo",
        f"Bác đặt {paper} lên mặt bàn dưới camera và giữ yên.",
        8,
        12,
        notice=f"Tờ 2/2: {paper}",
    )
    documents.show_view(view)
    documents.set_help_notice("Đã báo cán bộ, Bác chờ một chút.")
    QApplication.processEvents()
    assert layout_problems(kiosk, QSize(1366, 768)) == []


@pytest.mark.parametrize("guidance", ["", "Bác giữ yên giấy tờ, máy đang chụp."])
def test_the_longest_paper_of_the_catalogue_is_named_once_and_fits(qtbot, kiosk, guidance):
    """The instruction names the paper; beside it the line says "Tờ k/n" alone (both named it,
    and the second was cut at 768 lines). While the camera's words stand in for the
    instruction, the line names the paper."""
    from kiosk.domain.catalogue import load_catalogue
    from kiosk.journey.steps.papers import photographed

    paper = max((d.name for p in load_catalogue().procedures for d in photographed(p)), key=len)
    kiosk.engine.state = StepId.DOCUMENTS
    documents = kiosk.screen_for(StepId.DOCUMENTS)
    kiosk.stack.setCurrentWidget(documents)
    view = StepView(
        StepId.DOCUMENTS,
        "Chụp giấy tờ kèm theo",
        f"Bác đặt {paper} lên mặt bàn dưới camera và giữ yên.",
        8,
        12,
        notice=f"Tờ 1/1: {paper}",
        paper_position=(1, 1),
        guidance=guidance,
    )
    documents.show_view(view)
    QApplication.processEvents()
    assert documents.paper.text() == (f"Tờ 1/1: {paper}" if guidance else "Tờ 1/1")
    assert layout_problems(kiosk, QSize(1366, 768)) == []
