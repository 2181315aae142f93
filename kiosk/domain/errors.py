"""The catalogue of error codes: for each, one plain Vietnamese sentence for the citizen, what to
do next, and a text for staff. `{you}` / `{You}` become the configured form of address ("Bác")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorText:
    citizen: str  # what happened, in one sentence
    remedy: str  # what to do now
    staff: str  # for the officer (may be technical)
    citizen_en: str = ""


CATALOGUE: dict[str, ErrorText] = {
    "internal": ErrorText(
        "Máy gặp trục trặc nhỏ.",
        "{You} vui lòng chờ cán bộ đến giúp.",
        "Unexpected error in the step's work: see the kiosk log.",
        "Something went wrong with the machine.",
    ),
    "not_built": ErrorText(
        "Bước này máy chưa tự làm được.",
        "Cán bộ sẽ giúp {you} làm tiếp.",
        "This step's device or service is not available in this version of the kiosk.",
        "The machine cannot do this step by itself yet.",
    ),
    "card_not_placed": ErrorText(
        "Máy chưa thấy thẻ căn cước.",
        "{You} đặt thẻ lên ô sáng đèn, mặt có chip úp xuống, và giữ yên nhé.",
        "No card detected on the reader within the waiting time.",
        "No ID card was found on the reader.",
    ),
    "no_chip_photo": ErrorText(
        "Không lấy được ảnh trong thẻ để so khuôn mặt.",
        "Cán bộ sẽ giúp {you} xác minh.",
        "DG2 (face photo) missing or unreadable: verify the citizen in person.",
        "The photo on the card could not be read.",
    ),
    "face_tries_exhausted": ErrorText(
        "Máy chưa nhận ra khuôn mặt của {you} sau ba lần thử.",
        "Cán bộ sẽ đến xác minh giúp {you}.",
        "Face match failed three times: check the citizen against the card in person; an "
        "override needs a reason and is audited.",
        "The face check did not succeed after three tries.",
    ),
    "payment_timeout": ErrorText(
        "Máy chưa nhận được tiền lệ phí.",
        "{You} có thể nộp tiền mặt tại quầy, hoặc quét lại mã.",
        "No payment confirmation from the portal within the waiting time.",
        "The fee payment has not arrived.",
    ),
    "device_unplugged": ErrorText(
        "Một thiết bị của máy đang bị ngắt.",
        "{You} vui lòng chờ cán bộ kiểm tra.",
        "A device (reader, camera or printer) was disconnected: see device status.",
        "A device of the machine is disconnected.",
    ),
}


def register(texts: dict[str, ErrorText] | dict[str, tuple[str, str]]) -> None:
    """Feature modules add their codes here: an `ErrorText`, or (citizen text, staff text)."""
    for code, given in texts.items():
        text = given if isinstance(given, ErrorText) else ErrorText(given[0], "", given[1])
        if code in CATALOGUE and CATALOGUE[code] != text:
            raise ValueError(f"error code {code!r} is defined twice")
        CATALOGUE[code] = text


def lookup(code: str | None) -> ErrorText:
    return CATALOGUE.get(code or "internal", CATALOGUE["internal"])


def address(text: str, form: str = "Bác") -> str:
    return text.replace("{You}", form[:1].upper() + form[1:]).replace("{you}", form)
