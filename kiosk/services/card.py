"""The journey's chip card reader: `devices.card` behind `kiosk.services.interfaces.CardReader`.

Built by the composition root (`kiosk.runtime`): `ChipCardReader(spec.open, trust_store)` with
the reader spec the card-transport registry parsed from `[devices] card_reader`; for the simulator,
`demo_chip_card_reader(trust_store)`, whose simulated card holds the demo citizen whose QR the
camera simulator shows (`devices.card.simulator.demo_citizens`).

The identity's `authenticity` is the passive-authentication status (VALID, DATA_TAMPERED,
SIGNATURE_INVALID, NOT_IN_SOD, UNTRUSTED_CSCA, NO_TRUST_STORE); when the data verify,
CHIP_AUTH_FAILED if the chip fails active / chip authentication (a possible clone), or
CHIP_AUTH_INCOMPLETE if EF.COM or the SOD lists DG14 / DG15 but CA / AA could not be completed (a
hidden DG15, a refused command, an algorithm we do not implement). Anything but VALID needs an
audited staff decision before the journey continues. A data group the SOD does not list is never
parsed into the document, so it never reaches the identity (`devices.card.document`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.domain.identity import CitizenIdentity, IdentitySource, mask_id
from kiosk.domain.model import Progress, ServiceError

if TYPE_CHECKING:
    from devices.card.document import CardDocument
    from devices.card.qr import QrData
    from devices.card.reader import AccessMemory, ChipRead
    from devices.card.transports.base import CardTransport

log = logging.getLogger(__name__)


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
        document = build_document(result.files, store, card_security=result.card_security)
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
    from devices.card.document import chip_verdict

    status = document.passive.status.value
    reasons = [document.passive.reason]
    verdict, why = chip_verdict(document, result.chip_authentication, result.active_authentication)
    if status == "VALID" and verdict:
        status = verdict
        reasons.append(why)
    if document.problems:
        reasons.append("unreadable: " + ", ".join(sorted(document.problems)))
    if result.file_errors:  # a status word ended that file's read; the others were read
        reasons.append(
            "not read: " + ", ".join(f"{n} ({c})" for n, c in sorted(result.file_errors.items()))
        )
    if document.mrz is not None:  # the chip's DG1 is proved by the SOD, not by check digits
        reasons += [f"DG1: {warning}" for warning in document.mrz.warnings]
    return status, "; ".join(r for r in reasons if r)


# --- demo ---------------------------------------------------------------------------------------


class DemoCardSlot:
    """A simulated reader whose card is the one whose QR was just shown: a demo citizen's, or
    the simulated citizen's at the kiosk (`devices.card.simulator.step_up`)."""

    def __init__(self, citizen_index: int = 0) -> None:
        from devices.card.simulator import demo_citizens

        self.citizen: Any = demo_citizens()[citizen_index]
        self._transport: Any = None

    def follow(self, qr_text: str) -> None:
        from devices.card.simulator import card_for_qr, demo_card

        citizen = card_for_qr(qr_text)
        if citizen is not None and citizen != self.citizen:
            self.citizen = citizen
            if self._transport is not None:
                self._transport.chip = demo_card(citizen)

    def __call__(self) -> CardTransport:
        from devices.card.simulator import demo_card
        from devices.card.transports.registry import open_transport

        self._transport = open_transport("simulator", chip=demo_card(self.citizen))
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
