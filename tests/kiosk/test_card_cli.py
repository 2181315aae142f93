"""`kiosk card read|inspect|mrz|qr` : JSON keys (a contract); bad input exits 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from devices.card.lds import BY_NAME
from devices.card.simulator import ChipFaults, build_profile, demo_citizens, demo_pki
from kiosk.cli import main

CITIZEN = demo_citizens()[0]
DG1_KEYS = {"layout", "document_code", "issuing_state", "document_number", "date_of_birth", "sex",
            "date_of_expiry", "nationality", "surname", "given_names", "optional_data",
            "check_digits", "warnings"}  # fmt: skip
DG13_KEYS = {"id_number", "full_name", "date_of_birth", "sex", "nationality", "ethnicity",
             "religion", "place_of_origin", "place_of_residence", "identifying_features",
             "date_of_issue", "date_of_expiry", "father_name", "mother_name", "spouse_name",
             "old_id_number", "field_16"}  # fmt: skip


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["card", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _write_card(folder: Path, faults: ChipFaults | None = None) -> list[str]:
    profile = build_profile(CITIZEN, demo_pki(), faults=faults or ChipFaults(), label="cli")
    paths = []
    for name in ("COM", "DG1", "DG2", "DG13", "DG14", "DG15", "SOD"):
        path = folder / f"file{len(paths)}.bin"  # names say nothing: tags decide
        path.write_bytes(profile.files[BY_NAME[name].fid])
        paths.append(str(path))
    return paths


def _csca(folder: Path) -> str:
    path = folder / "csca.pem"
    path.write_bytes(demo_pki().csca_certificate.public_bytes(serialization.Encoding.PEM))
    return str(path)


def test_inspect_recognises_files_by_tag_and_reports_the_json_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, "inspect", *_write_card(tmp_path), "--csca", _csca(tmp_path), "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert set(data["dg1"]) == DG1_KEYS and set(data["dg13"]) == DG13_KEYS
    assert data["dg2"] == {"image_format": "jpeg", "width": 384, "height": 480}
    assert data["dg13"]["full_name"] == "Nguyễn Văn An"
    assert data["dg13"]["date_of_birth"] == "1995-03-17"
    assert data["passive_authentication"]["status"] == "VALID"
    assert data["passive_authentication"]["data_groups"]["DG13"] == "OK"


def test_inspect_names_the_tampered_data_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _write_card(tmp_path, ChipFaults(corrupt=("DG2",)))
    code, out, _ = _run(capsys, "inspect", *paths, "--csca", _csca(tmp_path), "--json")
    passive = json.loads(out)["passive_authentication"]
    assert (code, passive["status"], passive["data_groups"]["DG2"]) == (
        0, "DATA_TAMPERED", "MISMATCH",
    )  # fmt: skip


def test_inspect_without_a_csca_says_no_trust_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _ = _run(capsys, "inspect", *_write_card(tmp_path), "--json")
    assert json.loads(out)["passive_authentication"]["status"] == "NO_TRUST_STORE"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x42\x00", "unknown leading tag 42"), (None, "cannot read")],
)
def test_inspect_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "x.bin"
    if content is not None:
        path.write_bytes(content)
    code, _out, err = _run(capsys, "inspect", str(path), "--json")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_inspect_returns_a_chip_dg1_with_a_wrong_composite_digit_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from devices.card.lds.dg1 import encode_dg1

    path = tmp_path / "dg1.bin"
    path.write_bytes(encode_dg1(CITIZEN.mrz_text[:-32] + "1" + CITIZEN.mrz_text[-31:]))
    code, out, _ = _run(capsys, "inspect", str(path), "--json")
    dg1 = json.loads(out)["dg1"]
    assert code == 0 and dg1["document_number"] == "095012345"
    assert dg1["check_digits"] == {
        "document_number": True, "date_of_birth": True, "date_of_expiry": True, "composite": False,
    }  # fmt: skip
    assert dg1["warnings"] == ["wrong check digit for the whole MRZ (composite): '1' (expected 0)"]


def test_inspect_refuses_a_file_over_the_cap_without_reading_it_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "padded.bin"
    with path.open("wb") as file:  # a sparse 20 MB DG1: a valid start, then zeros
        file.write(BY_NAME["DG1"].tag.to_bytes(1, "big") + b"\x84\x01\x31\x2d\x00")
        file.truncate(20_000_000)
    code, _, err = _run(capsys, "inspect", str(path), "--json")
    assert code == 2 and "20,000,000 bytes" in err and len(err.strip().splitlines()) == 1


def test_mrz_prints_the_dg1_fields_and_the_key_seed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "mrz", CITIZEN.mrz_text, "--json")
    data = json.loads(out)
    assert code == 0 and set(data) >= DG1_KEYS
    assert data["key_seed"] == "5D41973A6EE8FDFAF051C6DE3BF511CE"


def test_mrz_with_a_wrong_check_digit_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    text = CITIZEN.mrz_text.replace("9503179", "9503178")
    code, _, err = _run(capsys, "mrz", text, "--json")
    assert code == 2 and "check digit" in err


def test_mrz_reads_a_td2(capsys: pytest.CaptureFixture[str]) -> None:
    td2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"  # 9303-6
    code, out, _ = _run(capsys, "mrz", td2, "--json")
    data = json.loads(out)
    assert (code, data["layout"], data["date_of_birth"]) == (0, "TD2", "1974-08-12")


def test_qr_prints_can_and_computed_expiry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "qr", CITIZEN.qr_text, "--json")
    data = json.loads(out)
    assert (code, data["can"], data["date_of_expiry"]) == (0, "012345", "2035-03-17")


def test_qr_garbage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "qr", "hello", "--json")
    assert code == 2 and "not an ID card QR" in err


def test_read_from_the_simulator_reports_authentication_timings_and_apdus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "face.jpg"
    code, out, _ = _run(
        capsys, "read", "--reader", "simulator", "--qr", CITIZEN.qr_text, "--photo", str(photo),
        "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["access_method"] == "PACE-CAN"
    assert data["passive_authentication"]["status"] == "VALID"
    assert data["active_authentication"]["status"] == "SUCCEEDED"
    assert data["chip_authentication"]["status"] == "SUCCEEDED"
    assert data["apdu_count"] > 10 and data["timings"]["protocol_ms"] > 0
    assert photo.read_bytes()[:2] == b"\xff\xd8"


def test_read_with_a_wrong_can_says_the_details_do_not_match(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(capsys, "read", "--reader", "simulator", "--can", "999999", "--json")
    assert code == 2 and "card_access_denied" in err
