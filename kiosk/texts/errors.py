"""Error codes and their texts: for each code, one plain sentence for the citizen, what to do
next, and a text for staff, read from the text catalogue (`kiosk.texts`, tables `[error.<code>]`).
`{you}` / `{You}` become the configured form of address ("Bác")."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk import texts

FALLBACK = "internal"  # an unknown code is said as this one

# The codes for which "Thử lại" can work: doing the same step again may succeed (the card was
# moved, the network came back, the face turned away). Every other code, and any code added
# without a decision, offers only "Gọi cán bộ" and "Kết thúc" (docs/ui.md §12): a retry that
# cannot work only tires the citizen.
RETRY_HELPS = frozenset(
    {
        # the card lay badly or moved; the reader's link hiccupped
        "card_not_placed",
        "card_not_present",
        "card_removed",
        "card_error",
        "card_transport",
        "card_reader_buffer",
        "card_status",
        "card_wrong_length",
        "card_wrong_offset",
        "card_sm_error",
        "card_response_mac",
        "card_protocol",
        # the camera saw nothing usable this time
        "qr_not_found",
        "document_not_found",
        "camera_image_unreadable",
        "camera_image_too_large",
        "face_not_found",
        "face_several",
        "face_mismatch",
        "face_changed",
        "liveness_no_blink",
        "liveness_no_turn",
        "liveness_incomplete",
        "liveness_flat",
        "liveness_screen",
        "liveness_glare",
        # the network or the bank may answer next time
        "portal_unavailable",
        "portal_timeout",
        "portal_deadline",
        "payment_timeout",
        "payment_status_unavailable",
        # the citizen types it again
        "phone_invalid",
        "otp_invalid",
        "otp_expired",
    }
)


@dataclass(frozen=True)
class ErrorText:
    citizen: str  # what happened, in one sentence
    remedy: str  # what to do now
    staff: str  # for the officer (may be technical)
    citizen_en: str = ""


def codes() -> list[str]:
    """Every error code the catalogue has a text for."""
    return sorted({key.split(".")[1] for key in texts.keys_under("error.")})


def known(code: str | None) -> str:
    """The code itself when the catalogue has it, else the fallback."""
    return code if code and texts.has(f"error.{code}.citizen") else FALLBACK


def retry_helps(code: str | None) -> bool:
    """Whether "Thử lại" can work after this error (an unknown code: no)."""
    return code in RETRY_HELPS


def said(code: str | None, part: str, language: str = "vi", form: str = "Bác") -> str:
    """An error's `citizen` or `remedy` sentence in a language, with the form of address."""
    return texts.get(f"error.{known(code)}.{part}", language, form)


def lookup(code: str | None) -> ErrorText:
    """The code's texts as written (the form of address not yet filled in)."""
    key = f"error.{known(code)}"
    return ErrorText(
        texts.template(f"{key}.citizen"),
        texts.template(f"{key}.remedy"),
        texts.template(f"{key}.staff"),
        texts.template(f"{key}.citizen", "en"),
    )
