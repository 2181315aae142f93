"""The sync worker: sends the outbox to the portal, in background threads.

Each pass claims due entries one at a time (pending → sending, committed), opens the sealed
dossier, submits it with the entry's idempotency key and records the outcome. A pass sends with a
few senders at once (`parallel`, from `[outbox] senders`): a portal stalling on one dossier holds
one sender until the request's deadline (`[portal] deadline_s`), while the others carry on.
- accepted: the portal's dossier code and status go on the dossier;
- refused (HTTP 4xx with a reason): `rejected`, the reason is kept for staff and citizen;
- transient (unreachable, 5xx, timeout, deadline passed) or credentials/TLS trouble: back to
  `pending`, retried
  later with back-off (credentials/TLS also raise a staff alert in `health`);
- repeated malformed answers, a key conflict, or a dossier that no longer opens: `needs_staff`.
On start, entries left in `sending` by a crash go back to `pending` and are sent with the same
key, so the portal sees each dossier once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.config import DEFAULT_SENDERS
from kiosk.crypto import Sealer, SealError
from kiosk.portal.client import PortalClient
from kiosk.portal.errors import (
    PortalAuthError,
    PortalError,
    PortalProtocolError,
    PortalRejected,
    PortalTLSError,
)
from kiosk.records.dossier_record import submission_for
from kiosk.records.outbox import UNSENT, Claim, Outbox

log = logging.getLogger(__name__)

MAX_PROTOCOL_ERRORS = 5  # malformed answers for one entry before a person looks at it
DAMAGED_TEXT = "Dữ liệu hồ sơ lưu trên máy bị hỏng; cán bộ cần kiểm tra."
CONFLICT_TEXT = "Cổng dịch vụ công báo mã gửi hồ sơ bị trùng; cán bộ cần kiểm tra."
PROTOCOL_TEXT = "Cổng dịch vụ công trả lời không đúng quy định nhiều lần; cán bộ cần kiểm tra."


@dataclass
class SyncReport:
    accepted: int = 0
    rejected: int = 0
    needs_staff: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: SyncReport) -> None:
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.needs_staff += other.needs_staff
        self.deferred += other.deferred
        self.errors.extend(other.errors)


class SyncWorker:
    def __init__(
        self,
        outbox: Outbox,
        client: PortalClient,
        box: Sealer,
        *,
        interval_s: float = 5.0,
        threads: int = 1,
        parallel: int = DEFAULT_SENDERS,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.box = box
        self.interval_s = interval_s
        self.threads = max(1, threads)
        self.parallel = max(1, parallel)
        self.health = ""  # staff text while something systemic is wrong (credentials, TLS)
        self._on_change = on_change
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._workers: list[threading.Thread] = []
        self._recovered = False

    # --- one pass ------------------------------------------------------------------------------

    def recover(self) -> int:
        count = self.outbox.recover()
        self._recovered = True
        if count:
            log.warning("sync: %d dossiers were mid-send at the last stop; resending", count)
        return count

    def run_once(self, limit: int | None = None) -> SyncReport:
        """Send every due entry (up to `limit`) with up to `parallel` senders; deferred ones
        wait. Each entry is claimed by one sender only (`Outbox.claim` is atomic)."""
        if not self._recovered:
            self.recover()
        report = SyncReport()
        started = self.outbox.now()  # an entry deferred during this pass waits for the next
        lock = threading.Lock()
        claimed = 0
        failures: list[BaseException] = []

        def next_claim() -> Claim | None:
            nonlocal claimed
            with lock:
                if failures or (limit is not None and claimed >= limit):
                    return None
                claim = self.outbox.claim(due_by=started)
                claimed += claim is not None
                return claim

        def drain(first: Claim | None) -> None:
            try:
                claim = first or next_claim()
                while claim is not None:
                    outcome = self.send(claim)
                    with lock:
                        report.add(outcome)
                    claim = next_claim()
            except BaseException as exc:  # re-raised by run_once once the senders stopped
                with lock:
                    failures.append(exc)

        first = next_claim()
        if first is None:
            return report
        helpers = [
            threading.Thread(target=drain, args=(None,), name="sync-send", daemon=True)
            for _ in range(self.parallel - 1)
        ]
        for helper in helpers:
            helper.start()
        drain(first)
        for helper in helpers:
            helper.join()
        if failures:
            raise failures[0]
        return report

    def send(self, claim: Claim) -> SyncReport:
        """Send one claimed entry and record the outcome."""
        report = SyncReport()
        try:
            with self.outbox.store.session() as session:
                submission = submission_for(session, self.box, claim.dossier_id)
        except SealError as exc:
            self.outbox.mark_needs_staff(claim, DAMAGED_TEXT, str(exc))
            report.needs_staff += 1
            self._notify()
            return report
        try:
            receipt = self.client.submit_dossier(submission, claim.idempotency_key)
        except PortalRejected as exc:
            if exc.http_status == 409:
                self.outbox.mark_needs_staff(claim, CONFLICT_TEXT, exc.staff_text)
                report.needs_staff += 1
            else:
                self.outbox.mark_rejected(claim, exc.reason)
                report.rejected += 1
        except PortalProtocolError as exc:
            if claim.attempts >= MAX_PROTOCOL_ERRORS:
                self.outbox.mark_needs_staff(claim, PROTOCOL_TEXT, exc.staff_text)
                report.needs_staff += 1
            else:
                self.outbox.retry_later(claim, exc.staff_text)
                report.deferred += 1
            report.errors.append(exc.staff_text)
        except (PortalAuthError, PortalTLSError) as exc:
            self.health = exc.staff_text
            self.outbox.retry_later(claim, exc.staff_text)
            report.deferred += 1
            report.errors.append(exc.staff_text)
        except PortalError as exc:
            self.outbox.retry_later(claim, exc.staff_text)
            report.deferred += 1
            report.errors.append(exc.staff_text)
        except Exception as exc:  # keep the worker alive; the entry stays safe in the outbox
            log.exception("sync: unexpected failure sending an outbox entry")
            self.outbox.retry_later(claim, f"{type(exc).__name__}: {exc}")
            report.deferred += 1
            report.errors.append(type(exc).__name__)
        else:
            self.outbox.mark_accepted(claim, receipt.portal_code, receipt.status)
            self.health = ""
            report.accepted += 1
        self._notify()
        return report

    # --- background threads --------------------------------------------------------------------

    def start(self) -> SyncWorker:
        if self._workers:
            return self
        self.recover()
        self._stop.clear()
        for number in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"sync-{number}", daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._workers:
            thread.join(timeout=timeout_s)
        self._workers.clear()

    def wake(self) -> None:
        """Look at the outbox now (a dossier was just committed)."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("sync: pass failed; trying again in %.1f s", self.interval_s)
            self._wake.wait(self.interval_s)
            self._wake.clear()

    # --- waiting for a dossier (the citizen at the screen) --------------------------------------

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()
        if self._on_change is not None:
            self._on_change()

    def wait_for(self, kiosk_reference: str, timeout_s: float) -> tuple[str, str | None, str]:
        """Wait up to `timeout_s` for a dossier to leave pending/sending; its (state, code,
        reason) then, or as it stands at the timeout."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = self.outbox.state_of(kiosk_reference)
            if found is None:
                raise KeyError(kiosk_reference)
            remaining = deadline - time.monotonic()
            if found[0] not in UNSENT or remaining <= 0:
                return found
            with self._changed:
                self._changed.wait(min(remaining, 0.25))
