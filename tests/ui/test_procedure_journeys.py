"""Choosing a procedure, the papers and the fee, tapped through the real window over the real demo
runtime (simulated chip, sample camera, local portal) and the real nine-procedure catalogue."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.domain.catalogue import load_catalogue
from kiosk.journey.engine import JourneyEngine
from kiosk.journey.steps import StepId
from kiosk.runtime import open_runtime
from tests.ui.fakes import quick_config
from tests.ui.person import procedure_tile, screen, tap, wait_for
from ui.app import hand_over
from ui.main_window import MainWindow
from ui.voice import Voice

CATALOGUE = load_catalogue()
SIZES = [(1366, 768), (1920, 1080), (1280, 1024)]


@pytest.fixture
def runtime(tmp_path):  # type: ignore[no-untyped-def]
    config = quick_config()
    config = dataclasses.replace(
        config, storage=dataclasses.replace(config.storage, data_dir=str(tmp_path))
    )
    opened = open_runtime(config, demo=True)
    yield opened
    opened.close()


def _window(qtbot, runtime, size=(1366, 768)):  # type: ignore[no-untyped-def]
    engine = JourneyEngine(services=None)  # type: ignore[arg-type]  # as `kiosk run` starts
    window = MainWindow(engine, runtime.config, watch_card=False)
    qtbot.addWidget(window)
    hand_over(runtime, engine, window, Voice(audio=False, live_tts=False))
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def _to_the_list(qtbot, window):  # type: ignore[no-untyped-def]
    tap(qtbot, screen(window).choice_buttons["submit"])
    wait_for(qtbot, window, StepId.CONSENT)
    tap(qtbot, screen(window).agree)
    wait_for(qtbot, window, StepId.CHOOSE_PROCEDURE, timeout=60_000)
    qtbot.waitUntil(lambda: bool(screen(window).procedure_buttons), timeout=5000)
    return screen(window)


def _codes_on_every_page(qtbot, listing) -> list[str]:  # type: ignore[no-untyped-def]
    seen = [t.card.code for t in listing.procedure_buttons]
    while listing.next_page.isVisible() and listing.next_page.isEnabled():
        tap(qtbot, listing.next_page)
        seen += [t.card.code for t in listing.procedure_buttons]
    return seen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_procedure_is_reachable_by_turning_pages_with_nothing_cut_or_scrolled(
    qtbot, runtime, size
):
    window = _window(qtbot, runtime, size)
    listing = _to_the_list(qtbot, window)
    codes = _codes_on_every_page(qtbot, listing)
    assert sorted(codes) == sorted(p.code for p in CATALOGUE.procedures)
    assert window.size().width() == size[0] and window.size().height() == size[1]
    for tile in listing.procedure_buttons:  # the last page: every tile wholly inside the window
        corner = tile.mapTo(window, tile.rect().bottomRight())
        assert window.rect().contains(corner), tile.card.code
        assert tile.name.sizeHint().width() <= tile.name.width() or tile.name.wordWrap()


def test_each_procedure_has_its_own_picture_and_its_fee_on_the_list(qtbot, runtime):
    window = _window(qtbot, runtime)
    listing = _to_the_list(qtbot, window)
    _codes_on_every_page(qtbot, listing)
    cards = listing.cards
    assert len({c.pictogram for c in cards}) == len(cards) == 9
    licence = next(c for c in cards if c.code == "driving_licence_renewal")
    assert licence.fee == "135.000 đồng"


def test_the_detail_screen_says_what_to_bring_who_comes_the_fee_and_the_days_before_choosing(
    qtbot, runtime
):
    window = _window(qtbot, runtime)
    listing = _to_the_list(qtbot, window)
    tap(qtbot, procedure_tile(qtbot, listing, "driving_licence_renewal"))
    wait_for(qtbot, window, StepId.PROCEDURE_DETAIL)
    detail = screen(window)
    shown = {row.label: row.value for row in detail.view.rows}
    assert "Giấy khám sức khỏe của người lái xe" in shown["Cần mang theo"]
    assert shown["Ai phải đến"] == "Người có bằng lái xe"
    assert shown["Lệ phí"] == "135.000 đồng"
    assert shown["Thời gian giải quyết"] == "5 ngày làm việc"
    assert detail.choose.isVisible() and not detail.ticket.isVisible()
    tap(qtbot, detail.back_button)
    wait_for(qtbot, window, StepId.CHOOSE_PROCEDURE)
    assert window.engine.ctx.draft is None  # nothing was started


def test_a_procedure_done_at_the_counter_says_so_and_gives_a_queue_number_without_a_form(
    qtbot, runtime
):
    window = _window(qtbot, runtime)
    listing = _to_the_list(qtbot, window)
    tile = procedure_tile(qtbot, listing, "certified_copy")
    assert "làm tại quầy" in tile.details.text()
    tap(qtbot, tile)
    wait_for(qtbot, window, StepId.PROCEDURE_DETAIL)
    detail = screen(window)
    assert not detail.choose.isVisible()
    tap(qtbot, detail.ticket)
    wait_for(qtbot, window, StepId.COUNTER_TICKET)
    ticket = screen(window)
    qtbot.waitUntil(lambda: ticket.view.big_text != "", timeout=3000)
    assert ticket.view.big_text.isdigit()
    assert window.engine.ctx.draft is None  # no form was started
    tap(qtbot, ticket.done)
    wait_for(qtbot, window, StepId.GOODBYE)


def _answer_like_a_citizen(qtbot, window, form) -> None:  # type: ignore[no-untyped-def]
    """One question of the zero-typing form, answered with its own control: the first choice,
    the date offered, digits on the keypad (an optional number skipped), a word on the keys."""
    question = form.view.question
    if question.control == "choice":
        tap(qtbot, form.choice.buttons[question.choices[0]])
    elif question.control == "date":
        tap(qtbot, form.next)
    elif question.control == "keypad" and question.optional:
        tap(qtbot, form.skip)
    elif question.control == "keypad":
        digits = "0912345678" if question.key == "phone" else "012345678901"
        for digit in digits[: question.digits]:
            tap(qtbot, form.keypad.keys[digit])
        tap(qtbot, form.next)
    else:
        qtbot.waitUntil(form.keyboard.isVisible)
        for key in ["shift", "a", "n"]:
            tap(qtbot, form.keyboard.keys[key])
        tap(qtbot, form.keyboard.save)


def _submit_licence_to_review(qtbot, window):  # type: ignore[no-untyped-def]
    listing = _to_the_list(qtbot, window)
    tap(qtbot, procedure_tile(qtbot, listing, "driving_licence_renewal"))
    wait_for(qtbot, window, StepId.PROCEDURE_DETAIL)
    tap(qtbot, screen(window).choose)
    wait_for(qtbot, window, StepId.FORM, timeout=10_000)
    form = screen(window)
    qtbot.waitUntil(lambda: form.view.ready, timeout=10_000)
    tap(qtbot, form.yes)  # the chip's card is right
    while window.engine.state is StepId.FORM:
        question = form.view.question
        assert question is not None and not question.problem, question
        _answer_like_a_citizen(qtbot, window, form)
        qtbot.waitUntil(
            lambda q=question: (
                window.engine.state is not StepId.FORM
                or form.view.question is None
                or form.view.question.key != q.key
                or bool(form.view.question.problem)
            ),
            timeout=10_000,
        )
    wait_for(qtbot, window, StepId.REVIEW, timeout=60_000)
    return screen(window)


def test_back_from_the_review_retakes_the_papers_and_submits_each_exactly_once(qtbot, runtime):
    window = _window(qtbot, runtime)
    review = _submit_licence_to_review(qtbot, window)
    papers = ["Giấy phép lái xe cũ", "Giấy khám sức khỏe của người lái xe"]
    assert [t.name for t in review.view.thumbnails] == papers
    assert len(review.thumbnails) == 2
    for _ in range(2):
        tap(qtbot, review.back_button)
        wait_for(qtbot, window, StepId.REVIEW, timeout=60_000)
    names = [a.name for a in window.engine.ctx.draft.attachments]
    assert sorted(names) == sorted(["Đơn đề nghị đổi giấy phép lái xe", *papers])
    shown = {row.label: row.value for row in screen(window).view.rows}
    assert shown["Lệ phí"] == "135.000 đồng"
