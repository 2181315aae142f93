"""Whole journeys walked by tapping the screen like a person (fake services behind)."""

from __future__ import annotations

from kiosk.journey.steps import StepId
from tests.ui.person import screen, tap, wait_for


def _identify(qtbot, kiosk, choice: str) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, screen(kiosk).choice_buttons[choice])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    tap(qtbot, screen(kiosk).agree)


def test_a_dossier_is_submitted_by_tapping_alone_when_the_chip_filled_the_whole_form(qtbot, kiosk):
    _identify(qtbot, kiosk, "submit")
    wait_for(qtbot, kiosk, StepId.CHOOSE_PROCEDURE)
    qtbot.waitUntil(lambda: len(screen(kiosk).procedure_buttons) == 2)
    tap(qtbot, screen(kiosk).procedure_buttons[0])
    wait_for(qtbot, kiosk, StepId.PROCEDURE_DETAIL)
    tap(qtbot, screen(kiosk).choose)
    wait_for(qtbot, kiosk, StepId.FORM)
    tap(qtbot, screen(kiosk).yes)  # the chip's card is right: nothing else to ask
    wait_for(qtbot, kiosk, StepId.REVIEW)
    tap(qtbot, screen(kiosk).send_button)
    wait_for(qtbot, kiosk, StepId.DONE, timeout=5000)
    submitted = kiosk.engine.services.dossiers.submitted
    assert submitted[0].values["place_of_residence"] == "Thôn 1, Xã Đông Hưng, Tỉnh Thái Bình"
    assert screen(kiosk).view.big_text == "000.00.12.H56-260423-0001"
    tap(qtbot, screen(kiosk).done)
    wait_for(qtbot, kiosk, StepId.GOODBYE)
    tap(qtbot, screen(kiosk).finish)
    wait_for(qtbot, kiosk, StepId.WELCOME)
    assert kiosk.engine.ctx.identity is None  # the session was wiped


def test_an_account_is_created_typing_only_the_phone_number_and_the_code(qtbot, kiosk):
    _identify(qtbot, kiosk, "account")
    wait_for(qtbot, kiosk, StepId.ACCOUNT_PHONE)
    phone = screen(kiosk)
    assert not phone.next.isEnabled()
    for digit in "0912345678":
        tap(qtbot, phone.keypad.keys[digit])
    tap(qtbot, phone.next)
    wait_for(qtbot, kiosk, StepId.ACCOUNT_OTP)
    # The OTP is requested by the step's work on the thread pool: wait for it, don't race it.
    accounts = kiosk.engine.services.accounts
    qtbot.waitUntil(lambda: accounts.phones == ["0912345678"], timeout=3000)
    otp = screen(kiosk)
    for digit in "123456":
        tap(qtbot, otp.keypad.keys[digit])
    tap(qtbot, otp.next)
    wait_for(qtbot, kiosk, StepId.ACCOUNT_DONE)
    username = screen(kiosk).reveal_buttons[0]
    assert username.text() == "001******345"
    tap(qtbot, username)
    assert username.text() == "001095012345"


def test_the_status_journey_lists_the_citizens_dossiers(qtbot, kiosk):
    _identify(qtbot, kiosk, "status")
    wait_for(qtbot, kiosk, StepId.STATUS_LIST)
    qtbot.waitUntil(lambda: bool(screen(kiosk).view.rows))
    assert screen(kiosk).view.rows[0].value == "Đã có kết quả"
    tap(qtbot, screen(kiosk).done)
    wait_for(qtbot, kiosk, StepId.GOODBYE)


def test_practice_rehearses_card_and_camera_with_a_banner_and_sends_nothing(qtbot, kiosk):
    tap(qtbot, screen(kiosk).choice_buttons["practice"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    assert screen(kiosk).banner.isVisible()
    assert "làm thử" in screen(kiosk).banner.text()
    tap(qtbot, screen(kiosk).agree)
    wait_for(qtbot, kiosk, StepId.GOODBYE)
    assert kiosk.engine.services.dossiers.submitted == []


def test_declining_consent_ends_politely_at_goodbye(qtbot, kiosk):
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    tap(qtbot, screen(kiosk).disagree)
    wait_for(qtbot, kiosk, StepId.GOODBYE)


def test_back_returns_to_the_previous_screen(qtbot, kiosk):
    tap(qtbot, screen(kiosk).choice_buttons["submit"])
    wait_for(qtbot, kiosk, StepId.CONSENT)
    tap(qtbot, screen(kiosk).back_button)
    wait_for(qtbot, kiosk, StepId.WELCOME)
