"""DossierService, StatusService and AccountService as the journey uses them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.crypto import SealError
from kiosk.domain.catalogue import load_catalogue
from kiosk.domain.forms import FormInvalid
from kiosk.domain.model import NotBuilt, ServiceError
from kiosk.local_portal.server import start_local_portal
from kiosk.records.drafts import DraftStore
from kiosk.records.outbox import OutboxFull
from kiosk.records.sync import SyncWorker
from kiosk.services.accounts import AccountError, KioskAccountService
from kiosk.services.dossiers import DossierRejected, KioskDossierService
from kiosk.services.status import KioskStatusService

from .conftest import add_dossiers, citizen, make_client, soft_limits

NOON = datetime(2026, 1, 5, 5, 0, tzinfo=UTC)  # Monday 12:00 in Vietnam


class EveryDay:
    def add(self, start, days):
        return (start + timedelta(days=days)).replace(hour=17, minute=0, second=0, microsecond=0)


def service(store, sealer, outbox, sync=None, drafts=None, clock=lambda: NOON, wait=5.0):
    return KioskDossierService(
        store, load_catalogue(), outbox, sealer, unit_code="000.00.12.H56",
        working_days=EveryDay(), sync=sync, drafts=drafts, submit_wait_s=wait, clock=clock,
    )  # fmt: skip


def ready_draft(svc, who=None):
    procedure = next(p for p in svc.procedures() if p.code == "residence_confirmation")
    draft = svc.prefill(procedure, who or citizen())
    draft.values.update(content="Thông tin về nơi cư trú", purpose="Nộp hồ sơ xin việc")
    draft.attachments.append(
        svc.capture_document(draft, procedure.document_names[0], lambda f, k: None)
    )
    return draft


@pytest.fixture
def started(worker):
    worker.interval_s = 0.05
    return worker.start()


def test_submit_returns_the_portals_code_when_the_portal_answers(store, sealer, outbox, started):
    svc = service(store, sealer, outbox, started)
    result = svc.submit(ready_draft(svc), citizen())
    assert result.portal_code and not result.queued_offline
    assert result.kiosk_reference.startswith("KIOSK-260105-")
    assert result.due_at.date() == date(2026, 1, 6)


def test_an_invalid_form_says_which_field_and_stores_nothing(store, sealer, outbox):
    svc = service(store, sealer, outbox)
    draft = ready_draft(svc)
    draft.values["purpose"] = ""
    with pytest.raises(FormInvalid) as caught:
        svc.submit(draft, citizen())
    assert [p.key for p in caught.value.problems] == ["purpose"]
    assert "Mục đích sử dụng" in caught.value.problems[0].message
    assert outbox.entries() == []


def test_a_camera_document_needs_the_document_capture_until_it_is_wired(store, sealer, outbox):
    svc = service(store, sealer, outbox)
    procedure = next(p for p in svc.procedures() if p.code == "birth_registration")
    draft = svc.prefill(procedure, citizen())
    with pytest.raises(NotBuilt, match="document capture"):
        svc.capture_document(draft, "Giấy chứng sinh", lambda f, k: None)


def test_originals_for_a_certified_copy_are_sent_to_the_officer_not_photographed(
    store, sealer, outbox
):
    from kiosk.domain.model import ServiceError

    svc = service(store, sealer, outbox)
    procedure = next(p for p in svc.procedures() if p.code == "certified_copy")
    draft = svc.prefill(procedure, citizen())
    with pytest.raises(ServiceError) as caught:
        svc.capture_document(draft, procedure.document_names[0], lambda f, k: None)
    assert caught.value.code == "documents_at_counter"
    assert not isinstance(caught.value, NotBuilt)


def test_a_wired_document_capture_attaches_the_photographed_page(store, sealer, outbox):
    from kiosk.domain.model import Attachment

    svc = service(store, sealer, outbox)
    svc.document_capture = lambda name, progress: Attachment("x", "image/jpeg", b"\xff\xd8page")
    procedure = next(p for p in svc.procedures() if p.code == "birth_registration")
    attachment = svc.capture_document(svc.prefill(procedure, citizen()), "Giấy chứng sinh", None)
    assert (attachment.name, attachment.data) == ("Giấy chứng sinh", b"\xff\xd8page")


def test_the_declaration_document_carries_the_form_values(store, sealer, outbox):
    import json

    svc = service(store, sealer, outbox)
    draft = ready_draft(svc)
    content = json.loads(draft.attachments[0].data)
    values = {f["key"]: f["value"] for f in content["fields"]}
    assert values["purpose"] == "Nộp hồ sơ xin việc" and values["applicant_id"] == "001095012345"


def test_a_required_photo_missing_is_refused(store, sealer, outbox):
    svc = service(store, sealer, outbox)
    procedure = next(p for p in svc.procedures() if p.code == "driving_licence_renewal")
    draft = svc.prefill(procedure, citizen())
    draft.values.update(
        phone="0912345678",
        licence_number="012345678901",
        licence_class="B",
        licence_expiry="01/02/2026",
        health_certificate_date="02/01/2026",
    )
    with pytest.raises(ServiceError) as caught:
        svc.submit(draft, citizen())
    assert caught.value.code == "documents_missing"


def test_past_the_hard_limit_new_dossiers_are_refused_with_a_staff_reason(store, sealer, outbox):
    add_dossiers(store, sealer, outbox, 2)
    full = soft_limits(outbox, soft_limit_count=1, hard_limit_count=2)
    with pytest.raises(OutboxFull, match="hard limit"):
        service(store, sealer, full).submit(ready_draft(service(store, sealer, full)), citizen())
    assert len(full.entries()) == 2


def test_past_the_soft_limit_the_dossier_is_queued_offline_at_once(store, sealer, outbox, started):
    add_dossiers(store, sealer, outbox, 1)
    soft = soft_limits(outbox, soft_limit_count=1)
    svc = service(store, sealer, soft, started, wait=30)
    result = svc.submit(ready_draft(svc), citizen())
    assert result.queued_offline and result.portal_code is None


def test_portal_down_queues_the_dossier_offline_and_keeps_it(store, sealer, outbox, tmp_path):
    portal = start_local_portal(tmp_path / "down.db")
    port = portal.port
    portal.stop()
    client = make_client(f"http://127.0.0.1:{port}")
    sync = SyncWorker(outbox, client, sealer, interval_s=0.05).start()
    try:
        svc = service(store, sealer, outbox, sync, wait=0.5)
        result = svc.submit(ready_draft(svc), citizen())
    finally:
        sync.stop()
        client.close()
    assert result.queued_offline and outbox.state_of(result.kiosk_reference)[0] == "pending"


def test_a_refusal_while_the_citizen_waits_shows_the_portals_reason(
    store, sealer, outbox, portal, started
):
    portal.api.procedure_codes = frozenset()  # this portal handles no procedure at all
    svc = service(store, sealer, outbox, started)
    with pytest.raises(DossierRejected) as caught:
        svc.submit(ready_draft(svc), citizen())
    assert "thủ tục" in caught.value.reason
    assert outbox.state_of(caught.value.kiosk_reference)[0] == "rejected"


def test_a_draft_is_resumed_by_the_same_citizen_only(store, sealer, outbox):
    drafts = DraftStore(store, sealer, timedelta(minutes=30), clock=lambda: NOON)
    svc = service(store, sealer, outbox, drafts=drafts)
    draft = ready_draft(svc)
    svc.save_draft(draft, citizen())
    procedure = draft.procedure
    assert svc.prefill(procedure, citizen()).values["purpose"] == "Nộp hồ sơ xin việc"
    other = citizen("001095099999", "Lê Thị C")
    assert svc.prefill(procedure, other).values["purpose"] == ""


def test_an_expired_draft_is_not_resumed(store, sealer, outbox):
    now = [NOON]
    drafts = DraftStore(store, sealer, timedelta(minutes=30), clock=lambda: now[0])
    svc = service(store, sealer, outbox, drafts=drafts)
    draft = ready_draft(svc)
    svc.save_draft(draft, citizen())
    now[0] = NOON + timedelta(minutes=31)
    assert svc.prefill(draft.procedure, citizen()).values["purpose"] == ""


def test_a_draft_row_moved_to_another_citizen_does_not_open(store, sealer, outbox):
    from sqlalchemy import update

    from kiosk.store.models import DraftRow

    drafts = DraftStore(store, sealer, timedelta(minutes=30), clock=lambda: NOON)
    svc = service(store, sealer, outbox, drafts=drafts)
    draft = ready_draft(svc)
    svc.save_draft(draft, citizen())
    other = citizen("001095099999", "Lê Thị C")
    with store.session() as session:
        session.execute(update(DraftRow).values(id_lookup=sealer.lookup_hash(other.id_number)))
    with pytest.raises(SealError):
        drafts.resume(other, draft.procedure)


def test_status_lookup_by_card_lists_the_citizens_dossiers_with_the_portals_status(
    store, sealer, outbox, portal, client, worker
):
    add_dossiers(store, sealer, outbox, 2)
    add_dossiers(store, sealer, outbox, 1, who=citizen("001095099999", "Lê Thị C"))
    worker.run_once()
    code = outbox.entries()[0].portal_code
    portal.set_status(code, "returned", "Thiếu bản chính")
    statuses = KioskStatusService(store, sealer, load_catalogue(), client).lookup(citizen())
    assert len(statuses) == 2
    assert any(s.status == "Cần bổ sung hồ sơ: Thiếu bản chính" for s in statuses)


def test_status_lookup_by_receipt_reference_works_while_the_portal_is_down(store, sealer, outbox):
    [reference] = add_dossiers(store, sealer, outbox, 1)
    status = KioskStatusService(store, sealer, load_catalogue(), None).lookup_reference(reference)
    assert status is not None and status.reference == reference
    assert "đang chờ gửi" in status.status


def test_account_registration_end_to_end_with_sms_otp(portal, client):
    accounts = KioskAccountService(client, today=lambda: date(2026, 1, 5))
    accounts.request_otp(citizen(), "0912 345 678")
    assert accounts.set_password(citizen(), "Matkhau@2026") == []
    otp = portal.last_otp("0912345678")
    assert accounts.verify_otp(citizen(), "0912345678", otp) == "001******345"


def test_a_wrong_otp_is_a_typed_error_the_citizen_can_act_on(portal, client):
    accounts = KioskAccountService(client, today=lambda: date(2026, 1, 5))
    accounts.request_otp(citizen(), "0912345678")
    wrong = "000000" if portal.last_otp("0912345678") != "000000" else "111111"
    with pytest.raises(AccountError) as caught:
        accounts.verify_otp(citizen(), "0912345678", wrong)
    assert caught.value.code == "otp_invalid"


def test_a_landline_is_refused_before_the_portal_is_asked(client):
    with pytest.raises(AccountError) as caught:
        KioskAccountService(client).request_otp(citizen(), "024 3825 1234")
    assert caught.value.code == "phone_invalid"


def test_a_child_under_14_cannot_register_alone(client):
    child = citizen()
    child.date_of_birth = date(2013, 1, 6)
    with pytest.raises(AccountError) as caught:
        KioskAccountService(client, today=lambda: date(2026, 1, 5)).request_otp(child, "0912345678")
    assert caught.value.code == "account_too_young"


def test_a_citizen_without_a_phone_gets_an_activation_slip(client):
    slip = KioskAccountService(client).register_without_phone(citizen())
    assert slip.masked_username == "001******345" and len(slip.activation_code) == 8
    assert slip.steps


def test_password_rules_list_every_broken_rule_in_vietnamese(client):
    problems = KioskAccountService(client).set_password(citizen(), "abc")
    assert len(problems) == 4 and all("Mật khẩu" in p for p in problems)


def test_demo_mode_opens_the_feature_on_a_local_portal_and_submits(config, store, sealer):
    from kiosk.runtime import connect_portal
    from kiosk.services.dossiers import open_dossier_feature

    client, local = connect_portal(config)
    assert local is not None
    feature = open_dossier_feature(
        store,
        sealer,
        client,
        office=config.office,
        outbox=config.outbox,
        security=config.security,
        data_dir=config.data_dir,
    )
    try:
        assert len(feature.dossiers.procedures()) == 9
        svc = feature.dossiers
        svc.working_days = EveryDay()
        result = svc.submit(ready_draft(svc), citizen())
        assert result.portal_code and local.received()
        feature.accounts.request_otp(citizen(), "0912345678")
        otp = local.last_otp("0912345678")
        assert otp is not None
        assert feature.accounts.verify_otp(citizen(), "0912345678", otp) == "001******345"
    finally:
        feature.close()
        client.close()
        local.stop()
