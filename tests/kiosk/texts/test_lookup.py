"""Reading the catalogue: forms of address, values, fallback to Vietnamese."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk import texts
from kiosk.texts import Catalogue


def _catalogue(tmp_path: Path, vi: str, **others: str) -> Catalogue:
    (tmp_path / "vi.toml").write_text(vi, encoding="utf-8")
    for language, body in others.items():
        (tmp_path / f"{language}.toml").write_text(body, encoding="utf-8")
    return Catalogue.load(tmp_path)


def test_a_text_is_read_by_its_table_path_and_language():
    assert texts.get("button.agree", "vi") == "Đồng ý"
    assert texts.get("button.agree", "en") == "I agree"


def test_you_becomes_the_configured_form_of_address_capitalised_at_a_sentence_start():
    assert texts.get("step.goodbye.title", "vi", "anh/chị") == "Cảm ơn anh/chị!"
    assert texts.get("phrase.more_time", "vi", "anh/chị") == "Anh/chị cần thêm thời gian không?"


def test_named_placeholders_are_filled_from_the_values(tmp_path):
    catalogue = _catalogue(tmp_path, '[phrase]\nfee = "Lệ phí là {amount}."\n')
    assert catalogue.get("phrase.fee", "vi", amount="20.000 đồng") == "Lệ phí là 20.000 đồng."


def test_a_placeholder_without_a_value_stays_visible_and_is_logged(tmp_path, caplog):
    catalogue = _catalogue(tmp_path, '[phrase]\nfee = "Lệ phí là {amount}."\n')
    with caplog.at_level(logging.ERROR):
        assert catalogue.get("phrase.fee", "vi") == "Lệ phí là {amount}."
    assert "amount" in caplog.text


def test_a_key_missing_in_a_language_falls_back_to_vietnamese_and_is_logged_once(tmp_path, caplog):
    catalogue = _catalogue(
        tmp_path, '[button]\nyes = "Đúng"\nno = "Sai"\n', fr='[button]\nyes = "Oui"\n'
    )
    with caplog.at_level(logging.WARNING):
        assert catalogue.get("button.yes", "fr") == "Oui"
        assert catalogue.get("button.no", "fr") == "Sai"
        assert catalogue.get("button.no", "fr") == "Sai"
    assert [r.getMessage() for r in caplog.records] == [
        "text button.no has no 'fr' version: said in vi"
    ]


def test_staff_texts_are_read_in_the_source_language_whatever_the_citizens_language(tmp_path):
    catalogue = _catalogue(
        tmp_path,
        '[error.x]\ncitizen = "Lỗi."\nstaff = "Xem nhật ký."\n',
        en='[error.x]\ncitizen = "Error."\n',
    )
    assert catalogue.get("error.x.staff", "en") == "Xem nhật ký."


def test_a_key_the_source_lacks_is_an_error():
    with pytest.raises(KeyError):
        texts.get("button.no_such_button", "vi")


def test_a_new_language_is_found_from_its_data_file_alone(tmp_path):
    catalogue = _catalogue(tmp_path, '[button]\nyes = "Đúng"\n', km='[button]\nyes = "បាទ"\n')
    assert catalogue.languages() == ("vi", "km")
    assert catalogue.get("button.yes", "km") == "បាទ"


def test_an_error_is_said_in_the_citizens_language_with_the_form_of_address():
    from kiosk.texts.errors import said

    assert said("device_unplugged", "remedy", "vi", "Bác") == "Bác vui lòng chờ cán bộ kiểm tra."
    assert said("device_unplugged", "citizen", "en") == "A device of the machine is disconnected."


def test_an_unknown_error_code_is_said_as_the_internal_error():
    from kiosk.texts.errors import said

    assert (
        said("no_such_code", "citizen") == said("internal", "citizen") == "Máy gặp trục trặc nhỏ."
    )
