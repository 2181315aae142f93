"""`kiosk camera verify | scan-qr | capture-doc`, run in-process."""

import json

import cv2
import numpy as np
import pytest

from devices.camera.sample_scenes import document_page
from devices.camera.synthetic import EXAMPLE_QR_TEXT, Pose, card_image, place, qr_centre
from kiosk.cli import main
from tests.devices.camera.conftest import FACES, face_photo


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["camera", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_prints_match_score_and_threshold_as_json(capsys):
    code, out, _ = _run(
        capsys, "verify", str(FACES / "obama.jpg"), str(FACES / "obama2.jpg"), "--json"
    )
    result = json.loads(out)
    assert code == 0 and set(result) == {"match", "score", "threshold"}
    assert result["match"] is True and result["score"] >= result["threshold"]


def test_verify_of_two_different_people_exits_0_with_no_match(capsys):
    code, out, _ = _run(
        capsys, "verify", str(FACES / "obama.jpg"), str(FACES / "biden.jpg"), "--json"
    )
    assert code == 0 and json.loads(out)["match"] is False


def test_verify_exits_2_naming_the_image_that_has_no_face(capsys, tmp_path):
    blank = tmp_path / "wall.png"
    cv2.imwrite(str(blank), np.full((300, 300, 3), 128, np.uint8))
    code, out, err = _run(capsys, "verify", str(FACES / "obama.jpg"), str(blank), "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(blank) in err and "no face" in err


def test_verify_exits_2_when_an_image_shows_several_faces(capsys, tmp_path):
    obama, other = face_photo("obama.jpg"), face_photo("obama2.jpg")
    other = cv2.resize(other, (other.shape[1] * obama.shape[0] // other.shape[0], obama.shape[0]))
    pair = tmp_path / "pair.jpg"
    cv2.imwrite(str(pair), np.hstack([obama, other]))
    code, _, err = _run(capsys, "verify", str(pair), str(FACES / "obama.jpg"))
    assert code == 2 and str(pair) in err and "faces" in err


def test_verify_exits_2_for_a_file_that_is_not_an_image(capsys, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    code, _, err = _run(capsys, "verify", str(text), str(FACES / "obama.jpg"))
    assert code == 2 and "not a readable image" in err


def test_scan_qr_prints_the_raw_card_text(capsys, tmp_path):
    image = tmp_path / "card.png"
    cv2.imwrite(str(image), place(card_image(EXAMPLE_QR_TEXT), Pose(1.5, 4, anchor=qr_centre())))
    code, out, _ = _run(capsys, "scan-qr", str(image), "--json")
    result = json.loads(out)
    assert code == 0 and result["raw"] == EXAMPLE_QR_TEXT and result["decoder"] == "zxing"


def test_scan_qr_parses_the_card_fields_with_the_card_package(capsys, tmp_path):
    pytest.importorskip("devices.card.qr", reason="the card package's QR parser is not there yet")
    image = tmp_path / "card.png"
    cv2.imwrite(str(image), place(card_image(EXAMPLE_QR_TEXT), Pose(1.5, 4, anchor=qr_centre())))
    _, out, _ = _run(capsys, "scan-qr", str(image), "--json")
    fields = json.loads(out)["fields"]
    assert fields["id_number"] == "001095012345" and fields["full_name"] == "Nguyễn Văn An"


def test_scan_qr_exits_2_when_the_image_has_no_qr(capsys, tmp_path):
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 200, 3), 255, np.uint8))
    code, _, err = _run(capsys, "scan-qr", str(blank), "--json")
    assert code == 2 and "no readable QR code" in err


def test_capture_doc_writes_one_pdf_page_per_photo(capsys, tmp_path):
    photo = tmp_path / "page.jpg"
    cv2.imwrite(str(photo), place(document_page(), Pose(0.4, -6, 0.1), background=(50, 55, 60)))
    out_file = tmp_path / "dossier.pdf"
    code, out, _ = _run(
        capsys, "capture-doc", str(photo), str(photo), "--out", str(out_file), "--json"
    )
    assert code == 0 and json.loads(out)["pages"] == 2
    assert out_file.read_bytes().startswith(b"%PDF") and b"/Count 2" in out_file.read_bytes()


def test_capture_doc_writes_a_jpeg_for_one_page(capsys, tmp_path):
    photo = tmp_path / "page.jpg"
    cv2.imwrite(str(photo), place(document_page(), Pose(0.4, -6, 0.1), background=(50, 55, 60)))
    out_file = tmp_path / "page-out.jpg"
    assert _run(capsys, "capture-doc", str(photo), "--out", str(out_file))[0] == 0
    assert out_file.read_bytes()[:2] == b"\xff\xd8"


def test_capture_doc_refuses_several_pages_into_one_jpeg(capsys, tmp_path):
    code, _, err = _run(capsys, "capture-doc", "a.jpg", "b.jpg", "--out", str(tmp_path / "x.jpg"))
    assert code == 2 and "several pages need a .pdf" in err
