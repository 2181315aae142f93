"""Typed errors of the chip card package.

Every failure the card code can raise is a `CardError`; each carries a stable `code` that the kiosk
maps to one citizen text and one staff text (`[error.<code>]` in kiosk/texts/vi.toml).
"""

from __future__ import annotations


class CardError(Exception):
    """Something went wrong talking to or reading the chip card."""

    code = "card_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or (self.__doc__ or self.__class__.__name__).strip())


# --- presence and transport ---------------------------------------------------------------------


class CardNotPresent(CardError):
    """No card is on the reader."""

    code = "card_not_present"


class CardRemoved(CardError):
    """The card left the reader during an exchange (slip)."""

    code = "card_removed"


class TransportError(CardError):
    """The reader or its link failed (port gone, framing error, timeout)."""

    code = "card_transport"


class ReaderBufferOverflow(TransportError):
    """The reader could not carry the card's answer (its buffer is smaller than the response)."""

    code = "card_reader_buffer"


class ReaderNotFound(TransportError):
    """The configured reader is not connected."""

    code = "card_reader_not_found"


# --- status words -------------------------------------------------------------------------------


class StatusWordError(CardError):
    """The card answered with an error status word."""

    code = "card_status"

    def __init__(self, sw: int, message: str = "") -> None:
        self.sw = sw
        base = (self.__doc__ or self.__class__.__name__).strip()
        super().__init__(message or f"{base} (SW {sw:04X})")


class CardAccessDenied(StatusWordError):
    """The access key does not match this card, or access is not allowed (SW 6300/6982)."""

    code = "card_access_denied"


class FileNotFound(StatusWordError):
    """The file or application is not on the card (SW 6A82)."""

    code = "card_file_not_found"


class WrongLength(StatusWordError):
    """The card refused the expected length (SW 6700 / 6Cxx)."""

    code = "card_wrong_length"

    def __init__(self, sw: int, message: str = "", *, exact_length: int | None = None) -> None:
        super().__init__(sw, message)
        self.exact_length = exact_length


class WrongOffset(StatusWordError):
    """The offset is beyond the end of the file (SW 6B00)."""

    code = "card_wrong_offset"


class UnsupportedCommand(StatusWordError):
    """The card does not support this instruction or class (SW 6D00 / 6E00 / 6A81)."""

    code = "card_unsupported"


class SecureMessagingError(StatusWordError):
    """The card rejected the secure messaging objects (SW 6987 / 6988)."""

    code = "card_sm_error"


# --- protocol and data --------------------------------------------------------------------------


class AuthenticationFailed(CardError):
    """Access control (BAC / PACE) failed: the card's cryptogram did not verify."""

    code = "card_auth_failed"


class ResponseMacInvalid(CardError):
    """A secure messaging response carried a wrong MAC (or SSC out of step)."""

    code = "card_response_mac"


class ProtocolError(CardError):
    """The card's answer does not follow the protocol."""

    code = "card_protocol"


class ParseError(CardError):
    """Data from the card (or a file) is malformed."""

    code = "card_parse"


class InvalidAccessKey(CardError):
    """The access key (MRZ, CAN or QR text) is malformed."""

    code = "card_bad_key"


class MrzError(InvalidAccessKey):
    """The MRZ text is malformed or a check digit is wrong."""

    code = "card_bad_mrz"


class QrError(InvalidAccessKey):
    """The QR text is not a known ID card layout."""

    code = "card_bad_qr"
