"""What each step says: title, the spoken instruction, and button labels, in Vietnamese (the
source) and English. `{you}` / `{You}` become the configured form of address. The UI renders
these and the voice clips are generated from the same sentences."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.errors import address
from kiosk.journey.steps import StepId


@dataclass(frozen=True)
class StepText:
    title: str
    say: str  # spoken and shown as the one instruction
    title_en: str
    say_en: str


TEXTS: dict[StepId, StepText] = {
    StepId.WELCOME: StepText(
        "Xin chào! {You} muốn làm gì hôm nay?",
        "Xin chào! {You} muốn làm gì hôm nay? {You} chạm vào một nút bên dưới.",
        "Welcome! What would you like to do today?",
        "Welcome! Touch one of the buttons below.",
    ),
    StepId.CONSENT: StepText(
        "{You} có đồng ý cho máy đọc thẻ không?",
        "Để làm thủ tục, máy cần đọc thẻ căn cước và chụp ảnh khuôn mặt của {you}. Ảnh chỉ dùng "
        "để so khớp và được xoá ngay sau đó. {You} có đồng ý không?",
        "May the kiosk read your card?",
        "To help you, the kiosk reads your ID card and takes a photo of your face. The photo is "
        "only used for matching and is deleted right after. Do you agree?",
    ),
    StepId.QR_SCAN: StepText(
        "Đưa mã QR của thẻ vào camera",
        "{You} đưa mặt có mã QR của thẻ căn cước vào khung trước camera.",
        "Show the card's QR code",
        "Hold the side of your ID card with the QR code in front of the camera.",
    ),
    StepId.CARD_READ: StepText(
        "Đặt thẻ căn cước lên đầu đọc",
        "{You} đặt thẻ căn cước lên ô sáng đèn, mặt có chip úp xuống, và giữ yên.",
        "Place your ID card on the reader",
        "Place your ID card on the lit area, chip side down, and keep it still.",
    ),
    StepId.FACE_CHECK: StepText(
        "Nhìn thẳng vào camera",
        "{You} nhìn thẳng vào camera. Máy sẽ so khuôn mặt với ảnh trong thẻ.",
        "Look at the camera",
        "Look straight at the camera. The kiosk compares your face with the photo on the card.",
    ),
    StepId.CHOOSE_PROCEDURE: StepText(
        "{You} muốn làm thủ tục nào?",
        "{You} chạm vào tên thủ tục muốn làm.",
        "Which procedure?",
        "Touch the procedure you need.",
    ),
    StepId.FORM: StepText(
        "Kiểm tra thông tin",
        "Máy đã điền sẵn từ thẻ. {You} xem thông tin này có đúng không.",
        "Check your details",
        "The kiosk filled this in from your card. Is it correct?",
    ),
    StepId.DOCUMENTS: StepText(
        "Chụp giấy tờ kèm theo",
        "{You} đặt từng tờ giấy lên mặt bàn dưới camera và giữ yên.",
        "Photograph your documents",
        "Place each paper on the table under the camera and keep it still.",
    ),
    StepId.REVIEW: StepText(
        "Xem lại hồ sơ trước khi gửi",
        "{You} xem lại hồ sơ. Nếu đúng, {you} chạm nút Gửi hồ sơ.",
        "Review before sending",
        "Please review your dossier. If it is right, touch Send.",
    ),
    StepId.FEE: StepText(  # after submission: the dossier is already received
        "Hồ sơ đã được nhận. Mời {you} nộp lệ phí",
        "{You} quét mã này bằng ứng dụng ngân hàng, hoặc nộp tiền mặt tại quầy.",
        "Dossier received. Please pay the fee",
        "Your dossier has been received. Scan this code with your banking app, or pay cash at "
        "the counter.",
    ),
    StepId.SUBMIT: StepText(
        "Đang gửi hồ sơ",
        "Máy đang gửi hồ sơ. {You} chờ một chút nhé.",
        "Sending your dossier",
        "The kiosk is sending your dossier. Please wait a moment.",
    ),
    StepId.RECEIPT: StepText(
        "Đang in giấy hẹn",
        "Máy đang in giấy hẹn trả kết quả. {You} chờ một chút nhé.",
        "Printing your receipt",
        "The kiosk is printing your receipt. Please wait.",
    ),
    StepId.DONE: StepText(
        "Hồ sơ của {you} đã được nộp",
        "Hồ sơ của {you} đã được nộp. {You} nhận phiếu hẹn ở khe máy in bên dưới.",
        "Your dossier has been submitted",
        "Your dossier has been submitted. Take your receipt from the printer below.",
    ),
    StepId.ACCOUNT_PHONE: StepText(
        "Số điện thoại của {you}",
        "{You} nhập số điện thoại đứng tên mình để nhận mã xác nhận.",
        "Your phone number",
        "Enter a phone number registered in your own name to receive a code.",
    ),
    StepId.ACCOUNT_OTP: StepText(
        "Nhập mã xác nhận",
        "Máy đã gửi tin nhắn có mã sáu số tới điện thoại của {you}. {You} nhập mã đó.",
        "Enter the code",
        "A text message with a six-digit code was sent to your phone. Enter that code.",
    ),
    StepId.ACCOUNT_VERIFY: StepText(
        "Đang tạo tài khoản",
        "Máy đang tạo tài khoản. {You} chờ một chút nhé.",
        "Creating your account",
        "Creating your account. Please wait.",
    ),
    StepId.ACCOUNT_DONE: StepText(
        "Đã tạo tài khoản",
        "Tài khoản dịch vụ công của {you} đã được tạo.",
        "Account created",
        "Your public-service account has been created.",
    ),
    StepId.STATUS_LIST: StepText(
        "Kết quả hồ sơ của {you}",
        "Đây là các hồ sơ {you} đã nộp và tình trạng của từng hồ sơ.",
        "Your dossiers",
        "These are the dossiers you submitted and their status.",
    ),
    StepId.CARD_PAUSED: StepText(
        "Thẻ đã được lấy ra",
        "Thẻ đã được lấy ra. {You} đặt lại thẻ để tiếp tục.",
        "The card was removed",
        "The card was removed. Put it back to continue.",
    ),
    StepId.ERROR: StepText(
        "Chưa làm được bước này",
        "",  # the error catalogue gives the sentence
        "This step did not work",
        "",
    ),
    StepId.STAFF_HELP: StepText(
        "Cán bộ sẽ giúp {you}",
        "Cán bộ đang đến giúp {you}. {You} chờ một chút nhé.",
        "A staff member will help you",
        "A staff member is coming to help you.",
    ),
    StepId.GOODBYE: StepText(
        "Cảm ơn {you}!",
        "Cảm ơn {you}. {You} nhớ cầm theo thẻ căn cước và giấy hẹn nhé.",
        "Thank you!",
        "Thank you. Please take your ID card and your receipt.",
    ),
}

BUTTONS: dict[str, tuple[str, str]] = {
    "submit": ("Nộp hồ sơ", "Submit a dossier"),
    "account": ("Tạo tài khoản dịch vụ công", "Create a public-service account"),
    "status": ("Xem kết quả hồ sơ", "Check a dossier"),
    "practice": ("Làm thử", "Practice"),
    "agree": ("Đồng ý", "I agree"),
    "disagree": ("Không đồng ý", "I do not agree"),
    "yes": ("Đúng", "Correct"),
    "fix": ("Sửa", "Change"),
    "send": ("Gửi hồ sơ", "Send"),
    "pay_counter": ("Nộp tiền mặt tại quầy", "Pay cash at the counter"),
    "next": ("Tiếp tục", "Continue"),
    "done": ("Xong", "Finish"),
    "retry": ("Thử lại", "Try again"),
    "back": ("Quay lại", "Back"),
    "call_staff": ("Gọi cán bộ", "Call staff"),
    "replay": ("Nghe lại", "Listen again"),
    "more_time": ("Cần thêm thời gian", "I need more time"),
}


def step_text(step: StepId, language: str = "vi", form: str = "Bác") -> tuple[str, str]:
    """(title, spoken instruction) for a step, in the language, with the form of address."""
    text = TEXTS[step]
    if language == "en":
        return text.title_en, text.say_en
    return address(text.title, form), address(text.say, form)


def button(key: str, language: str = "vi") -> str:
    vi, en = BUTTONS[key]
    return en if language == "en" else vi


# Guidance for progress keys the kiosk itself reports. Devices register their own sentences
# (`register_guidance`): the camera knows best what it asks of the citizen.
GUIDANCE: dict[str, str] = {
    "reading": "Đang đọc thẻ… {You} giữ yên thẻ nhé.",
    "fee_ready": "Máy đang chờ tiền lệ phí.",
}

# Fixed sentences the screens say besides the steps' own (each has a pre-rendered voice clip).
PHRASES: dict[str, str] = {
    "more_time": "{You} cần thêm thời gian không?",
    "is_it_right": "Đúng không ạ?",
    "staff_called": "Đã báo cán bộ, {you} chờ một chút.",
    "no_dossiers": "Máy chưa thấy hồ sơ nào của {you}.",
    "correct_field": "{You} chạm từng chữ để sửa, xong thì chạm nút Lưu.",
    "onlooker": "Có người đứng gần. Máy tạm che thông tin của {you}.",
    "practice": "Đây là làm thử với thẻ mẫu. Không có hồ sơ nào được gửi đi.",
    "queued_offline": "Hồ sơ đã được nhận và máy sẽ gửi đi ngay khi có mạng.",
    "reprint": "Máy in chưa in được: {you} báo cán bộ để in lại phiếu.",
    "tap_to_show": "Chạm vào số để xem đầy đủ.",
    "account_existed_title": "{You} đã có tài khoản rồi",
    "account_existed": "{You} đã có tài khoản dịch vụ công. Tên đăng nhập là số căn cước của "
    "{you}. Nếu quên mật khẩu, {you} nhờ cán bộ giúp lấy lại.",
    "dossier_received": "Hồ sơ của {you} đã được nhận.",
}
PHRASES_EN: dict[str, str] = {
    "more_time": "Do you need more time?",
    "is_it_right": "Is this right?",
    "staff_called": "Staff have been called. Please wait a moment.",
    "no_dossiers": "No dossier of yours was found.",
    "correct_field": "Touch the letters to correct it, then touch Save.",
    "onlooker": "Someone is standing close. Your details are hidden for now.",
    "practice": "This is a practice run with the sample card. Nothing is sent.",
    "queued_offline": "Your dossier was received and will be sent as soon as there is a network.",
    "reprint": "The printer did not print: ask the staff to reprint your receipt.",
    "tap_to_show": "Touch the number to see it in full.",
    "account_existed_title": "You already have an account",
    "account_existed": "You already have a public-service account. Your user name is your ID "
    "number. If you forgot the password, staff will help you reset it.",
    "dossier_received": "Your dossier has been received.",
}
BUTTONS.update(
    {
        "save": ("Lưu", "Save"),
        "cancel": ("Huỷ", "Cancel"),
        "show": ("Xem", "Show"),
    }
)


def phrase(key: str, language: str = "vi", form: str = "Bác") -> str:
    if language == "en":
        return PHRASES_EN[key]
    return address(PHRASES[key], form)


GUIDANCE_EN: dict[str, str] = {}


def register_guidance(texts: dict[str, tuple[str, str]]) -> None:
    """Devices add the guidance keys they report, as (Vietnamese, English) sentences."""
    for key, (vi, en) in texts.items():
        GUIDANCE[key] = vi
        GUIDANCE_EN[key] = en


def guidance(key: str, language: str = "vi", form: str = "Bác") -> str:
    """The spoken guidance for a device's progress key ("" for keys without guidance)."""
    if language == "en":
        return GUIDANCE_EN.get(key, "")
    if key not in GUIDANCE:
        return ""
    return address(GUIDANCE[key], form)
