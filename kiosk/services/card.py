"""The journey's chip card reader: `devices.card` behind `kiosk.services.interfaces.CardReader`.

Wiring: `ChipCardReader(lambda: open_transport(config.devices.card_reader), config.trust_store)`
for `Services.card`; in demo mode `demo_chip_card_reader(config.trust_store)`, whose simulated card
holds the demo citizen whose QR the camera simulator shows (`devices.card.simulator.demo_citizens`).

The identity's `authenticity` is the passive-authentication status (VALID, DATA_TAMPERED,
SIGNATURE_INVALID, UNTRUSTED_CSCA, NO_TRUST_STORE), or CHIP_AUTH_FAILED when the data verify but
the chip fails active / chip authentication (a possible clone). Anything but VALID needs an
audited staff decision before the journey continues.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.domain.errors import register
from kiosk.domain.identity import CitizenIdentity, IdentitySource, mask_id
from kiosk.domain.model import Progress, ServiceError

if TYPE_CHECKING:
    from devices.card.document import CardDocument
    from devices.card.qr import QrData
    from devices.card.reader import AccessMemory, ChipRead
    from devices.card.transports.base import CardTransport

log = logging.getLogger(__name__)

# code → (for the citizen, in Vietnamese; for staff). "{You}"/"{you}": the configured address form.
ERROR_TEXTS: dict[str, tuple[str, str]] = {
    "card_error": (
        "Máy chưa đọc được thẻ. {You} đặt lại thẻ giúp cháu nhé.",
        "Unexpected chip card error: see the kiosk log.",
    ),
    "card_not_present": (
        "Máy chưa thấy thẻ. {You} đặt thẻ lên ô sáng đèn và giữ yên nhé.",
        "No card on the reader.",
    ),
    "card_removed": (
        "Thẻ bị nhấc ra khi máy đang đọc. {You} đặt lại thẻ và giữ yên một chút nhé.",
        "The card left the reader and did not come back within 30 s; the read resumes from "
        "where it stopped when the card returns.",
    ),
    "card_transport": (
        "Đầu đọc thẻ đang trục trặc. {You} vui lòng chờ cán bộ giúp.",
        "Reader link failure (port, framing, timeout): check the reader cable and `kiosk doctor`.",
    ),
    "card_reader_not_found": (
        "Đầu đọc thẻ chưa sẵn sàng. {You} vui lòng chờ cán bộ giúp.",
        "The configured card reader is not connected ([devices] card_reader).",
    ),
    "card_reader_buffer": (
        "Máy đọc thẻ chưa xong. {You} giữ yên thẻ thêm một chút nhé.",
        "The reader could not carry a long answer; the read retried with smaller blocks.",
    ),
    "card_status": (
        "Thẻ trả lời chưa đúng. {You} đặt lại thẻ giúp cháu nhé.",
        "The chip answered with an unexpected status word.",
    ),
    "card_access_denied": (
        "Thông tin trên thẻ và trong chip chưa khớp. {You} vui lòng chờ cán bộ giúp.",
        "The card details do not match: the access key (CAN from the ID number, or the MRZ key "
        "from ID, date of birth and expiry) was refused. Check the number and dates on the card.",
    ),
    "card_file_not_found": (
        "Thẻ thiếu một phần thông tin. Cán bộ sẽ giúp {you}.",
        "A required file is not on the chip (6A82).",
    ),
    "card_wrong_length": (
        "Máy đọc thẻ chưa xong. {You} giữ yên thẻ thêm một chút nhé.",
        "The chip refused every read length (6700/6Cxx).",
    ),
    "card_wrong_offset": (
        "Máy đọc thẻ chưa xong. {You} đặt lại thẻ giúp cháu nhé.",
        "READ BINARY offset beyond the end of a file (6B00).",
    ),
    "card_unsupported": (
        "Máy chưa đọc được loại thẻ này. Cán bộ sẽ giúp {you}.",
        "The chip does not support a command the kiosk needs (6D00/6E00).",
    ),
    "card_sm_error": (
        "Máy đọc thẻ bị gián đoạn. {You} đặt lại thẻ giúp cháu nhé.",
        "Secure messaging broke (6987/6988) and could not be re-established.",
    ),
    "card_auth_failed": (
        "Thẻ chưa được xác thực. {You} vui lòng chờ cán bộ giúp.",
        "BAC/PACE cryptograms did not verify: possibly not a genuine chip.",
    ),
    "card_response_mac": (
        "Máy đọc thẻ bị gián đoạn. {You} đặt lại thẻ giúp cháu nhé.",
        "A secure messaging response MAC was wrong and the session could not be resumed.",
    ),
    "card_protocol": (
        "Máy chưa đọc được thẻ này. Cán bộ sẽ giúp {you}.",
        "The chip's answers do not follow ICAO 9303.",
    ),
    "card_parse": (
        "Thông tin trong thẻ bị lỗi. Cán bộ sẽ giúp {you}.",
        "A data group on the chip is malformed.",
    ),
    "card_bad_key": (
        "Máy chưa đọc được mã trên thẻ. {You} đưa lại mặt có mã QR vào khung nhé.",
        "The access key (QR text or MRZ) is malformed.",
    ),
    "card_bad_mrz": (
        "Máy chưa đọc được dòng chữ ở mặt sau thẻ. {You} đưa lại thẻ nhé.",
        "The MRZ is malformed or a check digit is wrong.",
    ),
    "card_bad_qr": (
        "Mã QR này không phải của thẻ căn cước. {You} đưa mã QR trên thẻ vào khung nhé.",
        "The QR text is not a known ID card layout.",
    ),
    "card_key_missing": (
        "Máy cần quét mã QR trên thẻ trước. {You} đưa mã QR vào khung nhé.",
        "No QR text was given, so no access key (CAN / MRZ) is known.",
    ),
    "card_not_genuine": (
        "Máy chưa xác minh được thẻ. Cán bộ sẽ kiểm tra giúp {you}.",
        "Passive/active/chip authentication did not pass (see authenticity and its reason): "
        "continuing needs a staff decision, which is audited.",
    ),
}


class ChipCardReader:
    """`CardReader` over a `CardTransport` made by `transport_factory` (opened on first use)."""

    def __init__(
        self,
        transport_factory: Callable[[], CardTransport],
        trust_store: Path,
        *,
        extra_csca: list[Any] | None = None,
        resume_timeout_s: float = 30.0,
        poll_s: float = 0.2,
        memory: AccessMemory | None = None,
        on_access_key: Callable[[str], None] | None = None,
    ) -> None:
        self._factory = transport_factory
        self._transport: CardTransport | None = None
        self.trust_store_path = trust_store
        self.extra_csca = list(extra_csca or [])
        self.resume_timeout_s = resume_timeout_s
        self.poll_s = poll_s
        self._memory = memory
        self._on_access_key = on_access_key  # demo: the simulated card follows the QR shown

    @property
    def transport(self) -> CardTransport:
        if self._transport is None:
            self._transport = self._factory()
        return self._transport

    def card_present(self) -> bool:
        from devices.card.errors import CardError

        try:
            return self.transport.card_present()
        except CardError as exc:
            raise _service_error(exc) from exc

    def wait_for_card(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            if self.card_present():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(self.poll_s)

    def read_identity(self, qr_text: str | None, progress: Progress) -> CitizenIdentity:
        from devices.card.document import build_document
        from devices.card.errors import CardError
        from devices.card.qr import parse_qr
        from devices.card.reader import AccessMemory, ChipReader
        from devices.card.trust_store import load_trust_store

        if not qr_text:
            raise ServiceError("no QR text: no access key", code="card_key_missing")
        try:
            qr = parse_qr(qr_text)
        except CardError as exc:
            raise _service_error(exc) from exc
        if self._on_access_key is not None:
            self._on_access_key(qr_text)
        if self._memory is None:
            self._memory = AccessMemory()
        reader = ChipReader(
            self.transport, memory=self._memory, resume_timeout_s=self.resume_timeout_s
        )
        try:
            result = reader.read(qr.access_keys(), progress=progress)
        except CardError as exc:
            log.warning("chip read failed for %s: %s", mask_id(qr.id_number), exc.code)
            raise _service_error(exc) from exc
        finally:
            self.transport.disconnect()
        store = load_trust_store(self.trust_store_path)
        store.certificates.extend(self.extra_csca)
        document = build_document(result.files, store)
        identity = identity_from(document, result, qr)
        log.info(
            "chip read %s: %s via %s, %d APDUs, %d resumes",
            identity.masked_id, identity.authenticity, result.access_method,
            result.stats.apdus, result.stats.resumes,
        )  # fmt: skip
        return identity


def _service_error(exc: Any) -> ServiceError:
    return ServiceError(str(exc), code=getattr(exc, "code", "card_error"))


def identity_from(document: CardDocument, result: ChipRead, qr: QrData) -> CitizenIdentity:
    """DG13 first; DG1 and the QR fill what DG13 lacks (2024 cards may encrypt DG13 fields)."""
    from devices.card.errors import CardError
    from devices.card.mrz import parse_yymmdd

    dg13 = document.dg13
    mrz = document.mrz
    id_number = (dg13.id_number if dg13 else "") or (mrz.full_id_number if mrz else qr.id_number)
    full_name = (dg13.full_name if dg13 else "") or qr.full_name
    born = (dg13.date_of_birth if dg13 else None) or qr.date_of_birth
    expiry = dg13.date_of_expiry if dg13 else None
    if expiry is None and mrz is not None:
        try:
            expiry = parse_yymmdd(mrz.date_of_expiry, future=True)
        except CardError:  # a bad MRZ date only loses this field
            expiry = None
    sex = (
        (dg13.sex if dg13 else "")
        or qr.sex
        or {"M": "Nam", "F": "Nữ"}.get(mrz.sex if mrz else "", "")
    )
    authenticity, reason = _authenticity(document, result)
    return CitizenIdentity(
        id_number=id_number,
        full_name=full_name,
        date_of_birth=born,
        sex=sex,
        nationality=(dg13.nationality if dg13 else "") or "Việt Nam",
        ethnicity=dg13.ethnicity if dg13 else "",
        religion=dg13.religion if dg13 else "",
        place_of_origin=dg13.place_of_origin if dg13 else "",
        place_of_residence=(dg13.place_of_residence if dg13 else "") or qr.place_of_residence,
        identifying_features=dg13.identifying_features if dg13 else "",
        date_of_issue=(dg13.date_of_issue if dg13 else None) or qr.date_of_issue,
        date_of_expiry=expiry,
        father_name=dg13.father_name if dg13 else "",
        mother_name=dg13.mother_name if dg13 else "",
        spouse_name=dg13.spouse_name if dg13 else "",
        old_id_number=(dg13.old_id_number if dg13 else "") or qr.old_id_number,
        photo_jpeg=document.face.image if document.face is not None else None,
        source=IdentitySource.CHIP,
        authenticity=authenticity,
        authenticity_reason=reason,
    )


def _authenticity(document: CardDocument, result: ChipRead) -> tuple[str, str]:
    status = document.passive.status.value
    reasons = [document.passive.reason]
    failed = [
        name
        for name, outcome in (
            ("active authentication", result.active_authentication),
            ("chip authentication", result.chip_authentication),
        )
        if outcome.status == "FAILED"
    ]
    if status == "VALID" and failed:
        status = "CHIP_AUTH_FAILED"
        reasons.append(f"{' and '.join(failed)} failed: possible cloned chip")
    if document.problems:
        reasons.append("unreadable: " + ", ".join(sorted(document.problems)))
    return status, "; ".join(r for r in reasons if r)


# --- demo ---------------------------------------------------------------------------------------


class DemoCardSlot:
    """A simulated reader whose card is the demo citizen whose QR was just shown."""

    def __init__(self, citizen_index: int = 0) -> None:
        from devices.card.simulator import demo_citizens

        self._by_qr = {c.qr_text: i for i, c in enumerate(demo_citizens())}
        self.citizen_index = citizen_index
        self._transport: Any = None

    def follow(self, qr_text: str) -> None:
        index = self._by_qr.get(qr_text.strip())
        if index is not None and index != self.citizen_index:
            self.citizen_index = index
            if self._transport is not None:
                from devices.card.simulator import demo_card

                self._transport.chip = demo_card(index)

    def __call__(self) -> CardTransport:
        from devices.card.simulator import demo_card
        from devices.card.transports.registry import open_transport

        self._transport = open_transport("simulator", chip=demo_card(self.citizen_index))
        return self._transport  # type: ignore[no-any-return]


def demo_chip_card_reader(trust_store: Path, citizen_index: int = 0) -> ChipCardReader:
    """Demo mode: the simulated card of a demo citizen, trusted through the demo CSCA."""
    from devices.card.simulator import demo_pki

    slot = DemoCardSlot(citizen_index)
    return ChipCardReader(
        slot,
        trust_store,
        extra_csca=[demo_pki().csca_certificate],
        on_access_key=slot.follow,
    )


register(ERROR_TEXTS)
