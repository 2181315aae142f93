"""Queue tickets for the counter (kiosk.services.counter_tickets): the day's count kept in the
store, a slip on the printer, a help request for the officer (docs/domain.md §6)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from devices.printer.base import PrintJob, PrintResult
from devices.printer.errors import PaperOut, PrinterError
from kiosk.config import KioskConfig
from kiosk.domain.model import DocumentSpec, FeeRule, Procedure
from kiosk.records.help_requests import HelpDesk, HelpState
from kiosk.records.queue_tickets import TicketBook
from kiosk.services.counter_tickets import KioskCounterTickets
from kiosk.store import Store, open_store

COPY = Procedure(
    "certified_copy", "Chứng thực bản sao từ bản chính", "UBND xã", FeeRule("free"), 0,
    documents=(DocumentSpec("original", "Bản chính giấy tờ", source="counter"),
               DocumentSpec("form", "Tờ khai", source="form")),
    plain_name="Chứng thực bản sao", counter_reason="Cán bộ cần xem bản chính.",
)  # fmt: skip
MORNING = datetime(2026, 4, 23, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam


class _Slips:
    formats = frozenset({"png", "escpos"})

    def __init__(self, error: PrinterError | None = None) -> None:
        self.error = error
        self.jobs: list[PrintJob] = []

    def print_job(self, job: PrintJob) -> PrintResult:
        if self.error is not None:
            raise self.error
        self.jobs.append(job)
        return PrintResult("slips")


@pytest.fixture
def store(tmp_path: Path):
    opened = open_store(f"sqlite:///{tmp_path / 'kiosk.db'}")
    yield opened
    opened.close()


def _tickets(store: Store, at: datetime = MORNING, printer=None, desk=None):
    return KioskCounterTickets(
        TicketBook(store), KioskConfig().office, printer=printer, help_desk=desk, clock=lambda: at
    )


def test_numbers_go_on_after_a_restart_instead_of_starting_again_at_001(store):
    assert [_tickets(store).issue(COPY).number for _ in range(2)] == ["001", "002"]
    assert _tickets(store).issue(COPY).number == "003"  # a new service over the same store


def test_the_count_starts_again_on_the_next_vietnam_day(store):
    _tickets(store).issue(COPY)
    after_midnight_in_vietnam = datetime(2026, 4, 23, 17, 30, tzinfo=UTC)  # 00:30 on the 24th
    assert _tickets(store, after_midnight_in_vietnam).issue(COPY).number == "001"
    assert _tickets(store).issue(COPY).number == "002"  # the 23rd's count is its own


def test_the_ticket_is_printed_with_number_procedure_papers_and_counter(store):
    from printing.slip import queue_ticket

    slips = _Slips()
    ticket = _tickets(store, printer=slips).issue(COPY)
    assert ticket.printed and [job.kind for job in slips.jobs] == ["ticket"]
    assert Image.open(io.BytesIO(slips.jobs[0].png or b"")).width == 576
    from printing.model import QueueTicket

    said = queue_ticket(
        QueueTicket("UBND xã Demo", "001", "Chứng thực bản sao", datetime(2026, 4, 23, 9, 0),
                    bring=("Bản chính giấy tờ",), counter="Quầy Một cửa")
    ).texts  # fmt: skip
    assert "001" in said and "Chứng thực bản sao" in said and "• Bản chính giấy tờ" in said
    assert "Khi nghe gọi số 001, mời ông/bà đến Quầy Một cửa." in said


def test_the_officer_is_told_someone_waits_with_the_number(store):
    desk = HelpDesk(store)
    ticket = _tickets(store, desk=desk).issue(COPY)
    (request,) = desk.open_requests()
    assert ticket.staff_told and request.reason == "counter_ticket"
    assert request.step_title == "Số 001: Chứng thực bản sao" and request.state is HelpState.WAITING


def test_a_printer_without_paper_still_gives_the_number(store):
    ticket = _tickets(store, printer=_Slips(PaperOut("no paper"))).issue(COPY)
    assert (ticket.number, ticket.printed) == ("001", False)
