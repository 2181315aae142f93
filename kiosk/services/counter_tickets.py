"""`CounterTickets` for the journey: a queue number for a procedure done at the counter, taken
from the store's day count, printed on the slip printer and announced to staff as a help request
(reason `counter_ticket`) so the officer knows someone is waiting (docs/domain.md §6).

Wiring (`kiosk.runtime`):

    tickets = KioskCounterTickets(TicketBook(store), config.office, printer=device,
                                  help_desk=help_desk)

A printer that fails, or a help desk that cannot store the request, does not take the number away:
it stays on the screen (and the failure is logged), the citizen can still show it at the counter.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import datetime

from devices.printer.base import ESCPOS, PNG, Printer, PrintJob
from devices.printer.errors import PrinterError
from kiosk.config import OfficeConfig
from kiosk.domain.calendar.vietnam_time import VIETNAM
from kiosk.domain.model import Procedure
from kiosk.records.help_requests import HelpDesk
from kiosk.records.queue_tickets import TicketBook
from kiosk.services.interfaces import CounterTicket
from printing.model import QueueTicket

log = logging.getLogger(__name__)

REASON = "counter_ticket"  # the help request's reason: a citizen waits for the counter
STEP = "counter_ticket"


def ticket_slip(ticket: QueueTicket, formats: frozenset[str]) -> PrintJob:
    """The ticket as the slip printer takes it (PNG raster and / or ESC/POS)."""
    from printing.slip import queue_ticket

    image = queue_ticket(ticket).image
    png = escpos = None
    if PNG in formats:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        png = buffer.getvalue()
    if ESCPOS in formats:
        from printing.escpos import encode

        escpos = encode(image)
    return PrintJob(f"so-{ticket.number}", "ticket", png=png, escpos=escpos)


class KioskCounterTickets:
    def __init__(
        self,
        book: TicketBook,
        office: OfficeConfig,
        *,
        printer: Printer | None = None,
        help_desk: HelpDesk | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(VIETNAM),
    ) -> None:
        self.book = book
        self.office = office
        self.printer = printer
        self.help_desk = help_desk
        self.clock = clock

    def issue(self, procedure: Procedure) -> CounterTicket:
        now = self.clock().astimezone(VIETNAM)
        number = f"{self.book.take(now.date()):03d}"
        bring = tuple(d.name for d in procedure.documents if d.source != "form")
        data = QueueTicket(
            office_name=self.office.name,
            number=number,
            service=procedure.display_name,
            issued_at=now.replace(tzinfo=None),
            bring=bring,
            counter=self.office.fee_counter,
        )
        return CounterTicket(number, self._print(data), self._tell_staff(data))

    def _print(self, data: QueueTicket) -> bool:
        if self.printer is None or not {PNG, ESCPOS} & self.printer.formats:
            log.warning("ticket %s not printed: no slip printer", data.number)
            return False
        try:
            self.printer.print_job(ticket_slip(data, self.printer.formats))
        except PrinterError as exc:
            log.warning("ticket %s not printed: %s", data.number, exc.code)
            return False
        return True

    def _tell_staff(self, data: QueueTicket) -> bool:
        if self.help_desk is None:
            return False
        title = f"Số {data.number}: {data.service}"
        try:
            self.help_desk.raise_request(STEP, 0, title[:200], REASON)
        except Exception as exc:  # the number is still on screen and on paper
            log.error("ticket %s: help request not stored: %s", data.number, exc)
            return False
        return True
