from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.config import KioskConfig, parse_config
from kiosk.ops import doctor
from kiosk.ops.doctor import CheckResult, DoctorContext, Status, exit_code, run_checks
from kiosk.records.trust_store import TrustStoreFolder
from kiosk.store.models import Dossier, OutboxEntry
from tests.kiosk.trust_pki import NOW as PKI_NOW
from tests.kiosk.trust_pki import Pki

NOW = PKI_NOW  # certificates in the test PKI are dated from it


def _config(tmp_path: Path, toml: str = "") -> KioskConfig:
    config = parse_config(toml)
    return replace(config, storage=replace(config.storage, data_dir=str(tmp_path / "data")))


@pytest.fixture
def ctx(tmp_path: Path) -> Any:
    context = DoctorContext(_config(tmp_path), now=lambda: NOW)
    yield context
    context.close()


def test_a_clock_in_the_past_fails(tmp_path: Path) -> None:
    ctx = DoctorContext(_config(tmp_path), now=lambda: datetime(2001, 1, 1, tzinfo=UTC))
    assert doctor.check_clock(ctx).status is Status.FAIL


def test_a_clock_minutes_away_from_the_portal_fails(ctx: DoctorContext) -> None:
    ctx.portal_date = NOW + timedelta(minutes=5)
    result = doctor.check_clock(ctx)
    assert result.status is Status.FAIL and "300 s" in result.detail


def test_low_disk_space_fails(ctx: DoctorContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _: type("U", (), {"free": 10**8}))
    assert doctor.check_disk(ctx).status is Status.FAIL


def test_dossier_waiting_for_staff_fails_the_outbox_check(ctx: DoctorContext) -> None:
    with ctx.store().session() as session:
        dossier = Dossier(kiosk_reference="K", procedure_code="P", payload_sealed=b"x")
        session.add(dossier)
        session.flush()
        session.add(
            OutboxEntry(
                dossier_id=dossier.id,
                idempotency_key="k",
                state="needs_staff",
                created_at=NOW - timedelta(hours=3),
            )
        )
    result = doctor.check_outbox(ctx)
    assert result.status is Status.FAIL and "1 unsent" in result.detail


def test_empty_outbox_is_ok(ctx: DoctorContext) -> None:
    assert doctor.check_outbox(ctx).status is Status.OK


def test_empty_trust_store_fails_with_a_real_reader(tmp_path: Path) -> None:
    ctx = DoctorContext(_config(tmp_path, '[devices]\ncard_reader = "pcsc"\n'), now=lambda: NOW)
    result = doctor.check_trust_store(ctx)
    assert result.status is Status.FAIL and "kiosk trust import" in result.remedy


def test_csca_expiring_soon_warns(ctx: DoctorContext) -> None:
    pki = Pki()
    TrustStoreFolder(ctx.config.trust_store).add([pki.csca, pki.other])  # other: 30 days left
    result = doctor.check_trust_store(ctx)
    assert result.status is Status.WARN and "VN in 30 days" in result.detail


def test_an_unusable_file_in_the_trust_store_warns_with_its_count(ctx: DoctorContext) -> None:
    folder = TrustStoreFolder(ctx.config.trust_store)
    folder.add([Pki(now=ctx.now()).csca])
    (folder.folder / "broken.der").write_bytes(b"not a certificate")
    result = doctor.check_trust_store(ctx)
    assert result.status is Status.WARN and "1 file(s) or certificate(s) cannot be used" in (
        result.detail
    )


def test_unreachable_portal_fails(tmp_path: Path) -> None:
    config = _config(tmp_path, '[portal]\nurl = "http://127.0.0.1:9"\ntimeout_s = 1\n')
    assert doctor.check_portal(DoctorContext(config)).status is Status.FAIL


def test_demo_portal_is_reported_as_not_checkable(ctx: DoctorContext) -> None:
    assert doctor.check_portal(ctx).status is Status.UNAVAILABLE


def test_escpos_printer_on_a_missing_port_fails(tmp_path: Path) -> None:
    config = _config(tmp_path, '[devices]\nprinter = "escpos:/dev/does-not-exist"\n')
    result = doctor.check_printer(DoctorContext(config))
    assert result.status is Status.FAIL


def test_system_printer_paper_is_said_to_be_uncheckable(tmp_path: Path) -> None:
    config = _config(tmp_path, '[devices]\nprinter = "system"\n')
    assert doctor.check_printer(DoctorContext(config)).status is Status.UNAVAILABLE


def test_the_simulated_reader_is_ok(ctx: DoctorContext) -> None:
    result = doctor.check_reader(ctx)
    assert (result.status, result.detail) == (Status.OK, "simulated card reader (demo cards)")


def test_a_pn532_on_a_missing_serial_port_fails_naming_the_port(tmp_path: Path) -> None:
    config = _config(tmp_path, '[devices]\ncard_reader = "pn532:/dev/does-not-exist"\n')
    result = doctor.check_reader(DoctorContext(config))
    assert result.status is Status.FAIL
    assert "/dev/does-not-exist" in result.detail and "port name" in result.remedy


def test_an_escpos_printer_low_on_paper_warns(tmp_path: Path) -> None:
    from tests.devices.printer.emulator import PrinterEmulator

    with PrinterEmulator() as emulator:
        emulator.state.paper_near_end = True
        config = _config(tmp_path, f'[devices]\nprinter = "escpos:{emulator.port}"\n')
        result = doctor.check_printer(DoctorContext(config))
    assert (result.status, result.detail) == (Status.WARN, "paper nearly finished")


def test_empty_trust_store_only_warns_with_the_simulated_reader(ctx: DoctorContext) -> None:
    assert doctor.check_trust_store(ctx).status is Status.WARN


def test_broken_audit_log_fails(ctx: DoctorContext) -> None:
    from kiosk.runtime import open_kiosk_audit_log

    log = open_kiosk_audit_log(ctx.config, ctx.store())
    for n in range(3):
        log.append("system", "x", {"n": n})
    with ctx.store().engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_events SET detail = '{}' WHERE id = 2")
    result = doctor.check_audit(ctx)
    assert result.status is Status.FAIL and "entry 2" in result.detail


def test_a_crashing_check_fails_without_hiding_the_others(ctx: DoctorContext) -> None:
    def check_broken(_: DoctorContext) -> CheckResult:
        raise RuntimeError("boom")

    results = run_checks(ctx, [check_broken, doctor.check_disk])
    assert results[0].status is Status.FAIL
    assert results[1].name == "disk" and exit_code(results) == 1


def test_cli_prints_json_with_the_start_of_day_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    code = main(["doctor", "--json", "--only", "disk", "keys"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and [c["name"] for c in report["checks"]] == ["disk", "keys"]
    assert report["start_of_day"]


def test_cli_refuses_an_unknown_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--only", "coffee"]) == 2
