"""The plain-text scan: after dossiers, drafts, attachments, a journey with audit
events and log lines, the raw database file, its WAL, the attachment folder, the logs, the print
queue — every file under the data folder — contain no ID number, name, address, phone or photo
bytes of any citizen, in any encoding a leak would take (UTF-8, NFD, JSON escapes, without
diacritics, UTF-16), nor as the text of a PDF (a receipt's text sits in compressed streams, so the
scan reads a PDF's text as a viewer would). Slip images (PNG, ESC/POS raster) cannot be read that
way: the print queue's files are checked to be sealed instead."""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import KioskConfig
from kiosk.crypto import open_sealer
from kiosk.crypto.sealer import attachment_dir
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.model import Attachment, DossierDraft
from kiosk.journey import events as ev
from kiosk.journey.engine import HeadlessRunner, JourneyEngine
from kiosk.ops.logging_setup import setup_logging
from kiosk.ops.session_record import SessionRecorder
from kiosk.records.audit_anchor import open_audit_log
from kiosk.records.dossier_record import DossierInput, write_dossier
from kiosk.records.drafts import DraftStore
from kiosk.records.outbox import Outbox
from kiosk.store import open_store
from tests.fakes import fake_services
from tests.sample_session import RESIDENCE

PHOTO = b"\xff\xd8\xff\xe0JFIF-face-of-the-citizen-0042"
CITIZENS = [
    CitizenIdentity(
        "001095012345",
        "Nguyễn Văn An",
        date(1955, 3, 17),
        "Nam",
        place_of_residence="Thôn Đông Hải, Xã Đông Hưng, Tỉnh Thái Bình",
        photo_jpeg=PHOTO,
    ),
    CitizenIdentity(
        "079188000123",
        "Trần Thị Bích Ngọc",
        date(1988, 1, 2),
        "Nữ",
        place_of_residence="Ấp Mỹ Phước, Xã Long Hậu, Tỉnh Long An",
        photo_jpeg=PHOTO,
    ),
    CitizenIdentity(
        "038201004567",
        "Lê Đức Thọ",
        date(2001, 7, 9),
        "Nam",
        place_of_residence="Bản Phiêng Lằn, Xã Mường Chiềng, Tỉnh Hòa Bình",
        photo_jpeg=PHOTO,
    ),
]
PHONES = ["0912345678", "0987654321", "0365432109"]


def fold(text: str) -> str:
    """Without diacritics, as an ASCII-only leak (or the MRZ) would spell it."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def needles(value: str) -> set[bytes]:
    forms = {
        value.encode(),
        unicodedata.normalize("NFD", value).encode(),
        json.dumps(value)[1:-1].encode(),  # ensure_ascii escapes: Nguy\u1ec5n
        fold(value).encode(),
        fold(value).upper().encode(),
        value.encode("utf-16-le"),
    }
    return {f for f in forms if len(f) >= 6}


def secrets_of(identity: CitizenIdentity, phone: str) -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for label, value in [
        ("id number", identity.id_number),
        ("id number (MRZ part)", identity.id_number[3:]),
        ("name", identity.full_name),
        ("address", identity.place_of_residence),
        ("address (village)", identity.place_of_residence.split(",")[0]),
        ("phone", phone),
    ]:
        for needle in needles(value):
            found[needle] = f"{label} of {identity.masked_id}"
    found[PHOTO] = "face photo"
    return found


def pdf_text(raw: bytes) -> bytes:
    """The text a PDF viewer shows (empty for anything that is not a readable PDF)."""
    import pypdfium2

    if not raw.startswith(b"%PDF"):
        return b""
    document = pypdfium2.PdfDocument(raw)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return unicodedata.normalize("NFC", text).encode()


def scan(folder: Path, secrets: dict[bytes, str]) -> list[str]:
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        raw += b"\n" + pdf_text(raw)
        name = path.relative_to(folder).as_posix()
        hits += [f"{name}: {what}" for needle, what in secrets.items() if needle in raw]
    return hits


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    yield folder
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()


def _fill_kiosk(config: KioskConfig) -> None:
    """Everything a working day leaves behind, through the real storage code."""
    setup_logging(config.log_dir)
    log = logging.getLogger("kiosk.demo")
    sealer = open_sealer(config.security, config.data_dir)
    store = open_store(config.database_url)
    audit = open_audit_log(config.data_dir, store, sealer)
    outbox = Outbox(store)
    drafts = DraftStore(store, sealer, timedelta(minutes=30))
    now = datetime.now(UTC)
    for identity, phone in zip(CITIZENS, PHONES, strict=True):
        values = {
            "full_name": identity.full_name,
            "place_of_residence": identity.place_of_residence,
            "phone": phone,
        }
        declaration = json.dumps(values, ensure_ascii=False).encode()
        attachments = [
            Attachment("Tờ khai CT01", "application/json", declaration),
            Attachment("Ảnh chân dung", "image/jpeg", PHOTO + declaration),
        ]
        with store.session() as session:
            write_dossier(
                session,
                sealer,
                outbox,
                identity,
                DossierInput("CT07", "000.00.12.H56", values, attachments, now, None, 20_000),
            )
        drafts.save(identity, DossierDraft(RESIDENCE, dict(values), list(attachments)))
        sealer.seal_file(
            attachment_dir(config.data_dir) / f"{identity.masked_id}.scan", declaration, b"scan"
        )
        # What careless code might log: the masking filter and the identity's repr catch it.
        log.warning("card read for %s (%r), phone %s", identity.id_number, identity, phone)
        try:
            raise ValueError(f"QR rejected: {identity.id_number}|{phone}")
        except ValueError:
            log.exception("QR problem for %s", identity.masked_id)
    services = fake_services()
    engine = JourneyEngine(services)
    SessionRecorder(store, audit).attach(engine)
    runner = HeadlessRunner(engine)
    for event in (ev.ChoseSubmit(), ev.Consented(), ev.ProcedureChosen("CT07")):
        engine.dispatch(event)
        runner.settle()  # the form's prefill runs as the form step's work
    engine.dispatch(ev.Cancelled())
    for handler in logging.getLogger().handlers:
        handler.flush()
    # The store stays open: the WAL file is scanned as it is while the kiosk runs.
    return None


def test_no_personal_data_in_plain_text_anywhere_under_the_data_folder(
    data_dir: Path, store_url: str, store_is_sqlite: bool, store_bytes: Callable[[], bytes]
) -> None:
    # SQLite: the store's default file in the data folder; PostgreSQL: the server's files of the
    # store's database, copied into the folder so the same scan reads them.
    storage = replace(
        KioskConfig().storage,
        data_dir=str(data_dir),
        database_url="" if store_is_sqlite else store_url,
    )
    config = replace(KioskConfig(), storage=storage)
    _fill_kiosk(config)
    if store_is_sqlite:
        assert (data_dir / "kiosk.db-wal").stat().st_size > 0
    else:
        (data_dir / "kiosk.db").write_bytes(store_bytes())
        assert b"001******345" in (data_dir / "kiosk.db").read_bytes()  # the dossiers are there
    files = {p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file()}
    assert {"kiosk.db", "logs/kiosk.log"} <= files
    assert any(f.startswith("attachments/") for f in files)
    secrets: dict[bytes, str] = {}
    for identity, phone in zip(CITIZENS, PHONES, strict=True):
        secrets |= secrets_of(identity, phone)
    secrets |= secrets_of(fake_services().card.read_identity(None, lambda *_: None), "0977111222")
    assert scan(data_dir, secrets) == []
    assert b"001******345" in (data_dir / "logs" / "kiosk.log").read_bytes()  # it did log


def test_the_scan_finds_each_form_of_a_leak(tmp_path: Path) -> None:
    """Control: the scanner is not blind (every encoding of every value is found)."""
    secrets = secrets_of(CITIZENS[1], PHONES[1])
    for index, needle in enumerate(secrets):
        (tmp_path / f"leak{index}").write_bytes(b"..." + needle + b"...")
    hits = scan(tmp_path, secrets)
    assert len(hits) >= len(secrets)
    assert any("name" in h for h in hits) and any("address" in h for h in hits)


def test_the_scan_reads_the_text_of_a_plain_receipt_pdf(tmp_path: Path) -> None:
    """Control: a receipt PDF kept unsealed is found (its text is in compressed streams)."""
    from printing.receipt import receipt_pdf
    from printing.samples import sample_receipt

    citizen = CITIZENS[1]
    receipt = replace(
        sample_receipt(), citizen_name=citizen.full_name, address=citizen.place_of_residence
    )
    pdf = receipt_pdf(receipt)
    (tmp_path / "job.pdf").write_bytes(pdf)
    assert citizen.full_name.encode() not in pdf  # a raw byte scan alone would miss it
    hits = scan(tmp_path, secrets_of(citizen, PHONES[1]))
    assert "job.pdf: name of 079******123" in hits
    assert any(h.startswith("job.pdf: address") for h in hits)


def test_no_personal_data_in_plain_text_after_a_demo_simulation(data_dir: Path) -> None:
    """`kiosk simulate --citizens 5 --data-dir D`, then the same scan over D."""
    from sqlalchemy import func, select

    from kiosk.ops.session_record import attach_recorder
    from kiosk.ops.simulate import simulate
    from kiosk.runtime import open_runtime
    from kiosk.store.models import Dossier

    config = replace(KioskConfig(), storage=replace(KioskConfig().storage, data_dir=str(data_dir)))
    setup_logging(config.log_dir)
    runtime = open_runtime(config, demo=True)
    try:
        simulate(
            runtime.services,
            5,
            1,
            engine_hook=attach_recorder(runtime),
            otp_source=runtime.otp_source,
        )
        with runtime.store.session() as session:
            stored = session.scalar(select(func.count(Dossier.id)))
        assert stored, "the demo simulation stored no dossier: nothing was scanned"
    finally:
        runtime.close()  # the disk at rest, as a thief copies it: no writer still busy
    from devices.card.simulator import chip_photo, demo_citizens

    secrets: dict[bytes, str] = {}
    for person in demo_citizens():
        values = {
            "id number": person.id_number,
            "id number (MRZ part)": person.id_number[3:],
            "name": person.full_name,
            "address": person.place_of_residence,
            "place of origin": person.place_of_origin,
            "father": person.father_name,
            "mother": person.mother_name,
        }
        for label, value in values.items():
            secrets |= {n: f"{label} of {person!r}" for n in needles(value) if value}
        photo = chip_photo(person.photo)[0]
        secrets[photo[len(photo) // 2 : len(photo) // 2 + 32]] = f"chip photo of {person!r}"
    # The print queue keeps every receipt for a reprint: its renderings must all be sealed
    # (the PNG and ESC/POS slips are pictures of text, which no byte scan can read).
    kept = [p for p in (data_dir / "print_queue").rglob("*") if p.is_file()]
    assert any(p.name == "job.pdf.sealed" for p in kept), "no receipt was queued"
    assert all(p.name == "job.json" or p.read_bytes()[:4] == b"MCK1" for p in kept)
    # The local portal stands in for the province's portal, a remote system: what it keeps is
    # the portal's, not the kiosk's (it lives in the demo's data folder only for convenience).
    portal_files = {p for p in data_dir.rglob("local-portal.db*") if p.is_file()}
    assert portal_files, "the demo's local portal kept no database"
    # `prints/` is the demo printer's paper: what a real printer hands the citizen, showing
    # the simulated card's fictional citizens; a real printer keeps no such folder (and the
    # daily purge deletes these files after [security] print_queue_days). The scan sees them
    # (which shows it reads real receipts), and counts them as paper, not as storage.
    hits = scan(data_dir, secrets)
    assert any(h.startswith("prints/") and ".pdf: name of" in h for h in hits)
    kiosk_hits = [h for h in hits if not h.startswith(("local-portal.db", "prints/"))]
    assert kiosk_hits == []
