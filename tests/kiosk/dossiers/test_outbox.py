"""The outbox: one transaction with the dossier, explicit lifecycle, crash recovery, guardrails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.records.outbox import GuardrailLevel, Outbox, OutboxState
from kiosk.store.models import Attachment, Dossier, OutboxEntry

from .conftest import FAST_RETRY, add_dossiers, citizen, soft_limits


def count(store, model):
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_dossier_attachments_and_outbox_entry_commit_together_or_not_at_all(
    store, sealer, outbox, monkeypatch
):
    def power_cut(session, dossier):
        raise OSError("power cut between the dossier and its outbox entry")

    monkeypatch.setattr(outbox, "enqueue", power_cut)
    with pytest.raises(OSError):
        add_dossiers(store, sealer, outbox, 1)
    assert (count(store, Dossier), count(store, Attachment), count(store, OutboxEntry)) == (0, 0, 0)


def test_a_new_entry_is_pending_with_its_idempotency_key(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 1)
    [row] = outbox.entries()
    assert row.state == "pending" and row.attempts == 0
    with store.session() as session:
        assert len(session.scalar(select(OutboxEntry.idempotency_key))) == 32


def test_claiming_moves_one_entry_to_sending_and_counts_the_attempt(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 2)
    claim = outbox.claim()
    assert claim is not None and claim.attempts == 1
    assert outbox.counts()["sending"] == 1 and outbox.counts()["pending"] == 1


def test_an_entry_waiting_for_its_retry_time_is_not_claimed(store, sealer, outbox):
    slow = Outbox(store, outbox.config, retry_base=timedelta(hours=1), retry_cap=timedelta(hours=1))
    add_dossiers(store, sealer, slow, 1)
    slow.retry_later(slow.claim(), "portal down")
    assert slow.claim() is None and slow.counts()["pending"] == 1


def test_an_entry_left_sending_by_a_crash_goes_back_to_pending_with_the_same_key(
    store, sealer, outbox
):
    add_dossiers(store, sealer, outbox, 1)
    first = outbox.claim()
    assert outbox.recover() == 1
    again = outbox.claim()
    assert again is not None and again.idempotency_key == first.idempotency_key
    assert again.attempts == 2


def test_rejected_entries_keep_the_portals_reason(store, sealer, outbox):
    [reference] = add_dossiers(store, sealer, outbox, 1)
    outbox.mark_rejected(outbox.claim(), "Thiếu giấy chứng sinh")
    assert outbox.state_of(reference) == ("rejected", None, "Thiếu giấy chứng sinh")


def test_staff_can_requeue_a_needs_staff_entry(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 1)
    claim = outbox.claim()
    outbox.mark_needs_staff(claim, "hỏng")
    assert outbox.requeue(claim.entry_id)
    assert outbox.counts()["pending"] == 1
    assert not outbox.requeue(claim.entry_id)


def test_guardrail_is_ok_with_nothing_unsent(outbox):
    assert outbox.guardrail().level is GuardrailLevel.OK


def test_guardrail_turns_soft_past_the_soft_count(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 3)
    guard = soft_limits(outbox, soft_limit_count=3).guardrail()
    assert guard.level is GuardrailLevel.SOFT and guard.unsent == 3


def test_guardrail_turns_hard_past_the_hard_count_and_tells_staff_why(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 3)
    guard = soft_limits(outbox, soft_limit_count=2, hard_limit_count=3).guardrail()
    assert guard.level is GuardrailLevel.HARD
    assert "3 dossiers unsent" in guard.staff_text and "kiosk sync" in guard.staff_text


def test_guardrail_counts_the_age_of_the_oldest_unsent_dossier(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 1)
    later = datetime.now(UTC) + timedelta(hours=73)
    aged = Outbox(store, outbox.config, clock=lambda: later, **FAST_RETRY)
    assert aged.guardrail().level is GuardrailLevel.HARD


def test_accepted_entries_no_longer_count_for_the_guardrail(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 3)
    for _ in range(3):
        outbox.mark_accepted(outbox.claim(), "000.00.12.H56-260105-0001", "received")
    assert soft_limits(outbox, soft_limit_count=1).guardrail().level is GuardrailLevel.OK


def test_the_listing_shows_masked_ids_only(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 1, who=citizen("001095012345"))
    [row] = outbox.entries()
    assert row.masked_id == "001******345"
    assert "001095012345" not in repr(row)


def test_every_state_of_the_lifecycle_is_listed_in_the_counts(outbox):
    assert list(outbox.counts()) == [s.value for s in OutboxState]
