"""`kiosk trust import-masterlist FILE [--json]` and `kiosk trust list --json`: the JSON keys are a
contract; a list whose signature is not VALID writes nothing and exits 1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.cli import main
from tests.kiosk.trust_pki import Pki, der, world_csca


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki(now=datetime.now(UTC))  # the command checks the signer against the clock


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["trust", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_masterlist_json_prints_exactly_the_contract(
    tmp_path: Path, pki: Pki, capsys: pytest.CaptureFixture[str]
) -> None:
    vietnam = world_csca(
        "VN", "CSCA ePassport Vietnam", ec.generate_private_key(ec.BrainpoolP512R1())
    )
    _run(capsys, "import", _file(tmp_path, "de.der", der(pki.csca)))
    listed = pki.master_list([pki.csca, vietnam, pki.signer])
    code, out, _ = _run(capsys, "import-masterlist", _file(tmp_path, "ml.ml", listed), "--json")
    assert code == 0
    assert json.loads(out) == {
        "imported": 1,
        "already_present": 1,
        "skipped": [
            {
                "subject": "CN=Master List Signer,C=DE",
                "reason": "not a CA certificate (basicConstraints cA false)",
            }
        ],
        "signature": "VALID",
    }


def test_an_untrusted_signer_exits_1_writes_nothing_and_says_which_fingerprint_to_confirm(
    tmp_path: Path, pki: Pki, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "ml.ml", pki.master_list())
    code, out, err = _run(capsys, "import-masterlist", path, "--json")
    assert (code, json.loads(out)["signature"], json.loads(out)["imported"]) == (
        1,
        "UNTRUSTED_SIGNER",
        0,
    )
    assert "--accept-fingerprint" in err
    assert json.loads(_run(capsys, "list", "--json")[1]) == []


def test_a_file_that_is_no_master_list_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "import-masterlist", _file(tmp_path, "x.ml", b"hello"))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_list_json_gives_country_subject_expiry_key_and_usability(
    tmp_path: Path, pki: Pki, capsys: pytest.CaptureFixture[str]
) -> None:
    vietnam = world_csca(
        "VN", "CSCA ePassport Vietnam", ec.generate_private_key(ec.BrainpoolP512R1())
    )
    _run(capsys, "import", _file(tmp_path, "vn.der", vietnam))
    code, out, _ = _run(capsys, "list", "--json")
    [row] = json.loads(out)
    assert code == 0
    assert {
        k: row[k] for k in ("country", "subject", "key_algorithm", "curve", "usable", "reason")
    } == {
        "country": "VN",
        "subject": "CN=CSCA ePassport Vietnam,C=VN",
        "key_algorithm": "EC",
        "curve": "brainpoolP512r1",
        "usable": True,
        "reason": "",
    }
    assert datetime.fromisoformat(row["not_after"]) > datetime.now(UTC)
