"""What the session recorder keeps of a visit: the session, the consent answer, the receipt."""

from __future__ import annotations

import threading

from sqlalchemy import select

from kiosk.journey import events as ev
from kiosk.journey.engine import HeadlessRunner, JourneyEngine
from kiosk.ops.session_record import CONSENT_TEXT_VERSION, SerialWriter, SessionRecorder
from kiosk.records.audit import AuditLog
from kiosk.store import open_store
from kiosk.store.models import Consent, KioskSession, Receipt
from tests.fakes import fake_services
from tests.sample_session import RESIDENCE


def test_a_submitted_dossier_leaves_a_session_a_consent_and_a_receipt_record(tmp_path, store_url):
    store = open_store(store_url)
    engine = JourneyEngine(fake_services())
    SessionRecorder(store, AuditLog(store)).attach(engine)
    runner = HeadlessRunner(engine)
    answers = [
        ev.ChoseSubmit(),
        ev.Consented(),
        ev.ProcedureChosen(RESIDENCE.code),
        ev.Confirmed(),  # what it takes: chosen
        ev.Confirmed(),  # the chip's card (the chip filled every field)
        ev.Confirmed(),  # review
        ev.Confirmed(),  # done
        ev.Finished(),  # goodbye
    ]
    for answer in answers:
        assert engine.dispatch(answer)
        runner.settle()
    with store.session() as session:
        visit = session.scalars(select(KioskSession)).one()
        consent = session.scalars(select(Consent)).one()
        receipt = session.scalars(select(Receipt)).one()
    assert (visit.journey, visit.outcome) == ("submit", "completed")
    assert (consent.answer, consent.text_version) == (True, CONSENT_TEXT_VERSION)
    assert (receipt.state, receipt.location) == ("printed", "/tmp/receipt.pdf")


def test_the_running_kiosks_recorder_writes_on_its_writer_thread_in_order(tmp_path, store_url):
    store = open_store(store_url)
    audit = AuditLog(store)
    writer_threads: set[int] = set()
    real_append = audit.append

    def append(*args, **kwargs):
        writer_threads.add(threading.get_ident())
        return real_append(*args, **kwargs)

    audit.append = append  # type: ignore[method-assign]
    writer = SerialWriter()
    engine = JourneyEngine(fake_services())
    SessionRecorder(store, audit, writer).attach(engine)
    runner = HeadlessRunner(engine)
    for answer in (ev.ChoseStatus(), ev.Consented()):
        assert engine.dispatch(answer)
        runner.settle()
    assert engine.dispatch(ev.Cancelled())
    writer.flush()
    writer.close()
    assert writer_threads and threading.get_ident() not in writer_threads
    with store.session() as session:
        visit = session.scalars(select(KioskSession)).one()
        consent = session.scalars(select(Consent)).one()
    assert (visit.journey, consent.answer) == ("status", True)
    assert visit.ended_at is not None  # the close was written after the session row
    assert audit.verify().ok
