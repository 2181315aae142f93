"""kiosk.toml validation: defaults serve demo mode; every bad key or value is one clear line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.config import ConfigError, KioskConfig, load_config, parse_config


def test_defaults_serve_demo_mode():
    config = KioskConfig()
    assert config.devices.card_reader == "simulator"
    assert config.devices.camera == "sample"
    assert config.portal.url == ""


def test_a_full_config_is_read_with_its_types(tmp_path):
    file = tmp_path / "kiosk.toml"
    file.write_text(
        '[office]\nname = "UBND xã Tân Hiệp"\nunit_code = "000.00.31.H56"\n'
        '[ui]\nlanguage = "en"\nidle_timeout_s = 60\nfullscreen = false\n'
        '[devices]\ncard_reader = "pn532:/dev/ttyUSB0"\ncamera = 1\nprinter = "escpos:/dev/ttyS0"\n'
        f'[storage]\ndata_dir = "{tmp_path}"\n[portal]\nurl = "https://dvc.example.vn"\n',
        encoding="utf-8",
    )
    config = load_config(file)
    assert config.office.name == "UBND xã Tân Hiệp"
    assert config.ui.idle_timeout_s == 60 and config.ui.fullscreen is False
    assert config.devices.camera == 1
    assert config.database_url == f"sqlite:///{tmp_path / 'kiosk.db'}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ui]\nfoo = 1\n", "unknown key [ui].foo; allowed keys:"),
        ("[nope]\n", "unknown table [nope]"),
        ('[ui]\nidle_timeout_s = "soon"\n', "bad value for [ui].idle_timeout_s: 'soon'"),
        ("[ui]\nidle_timeout_s = 5\n", "allowed: whole seconds from 15 to 3600"),
        ('[ui]\nlanguage = "fr"\n', "bad value for [ui].language: 'fr'; allowed: vi or en"),
        ('[devices]\nprinter = "lpt1"\n', "bad value for [devices].printer: 'lpt1'"),
        ('[devices]\ncard_reader = "nfc"\n', "allowed: simulator, pcsc"),
        ("[ui]\nfullscreen = 1\n", "allowed: true or false"),
        ('[office]\nunit_code = "H56"\n', "a unit code like 000.00.12.H56"),
        ("[ui\n", "is not valid TOML"),
    ],
)
def test_bad_config_names_the_key_the_value_and_what_is_allowed(text, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bad_config_file_exits_2_with_one_line_and_no_traceback(tmp_path):
    file = tmp_path / "kiosk.toml"
    file.write_text("[ui]\nidle_timeout_s = -1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(file), "config", "check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "[ui].idle_timeout_s: -1" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_comes_from_the_environment_when_no_option_is_given(tmp_path, monkeypatch):
    file = tmp_path / "k.toml"
    file.write_text('[ui]\naddress_form = "Anh/Chị"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(file))
    assert load_config().ui.address_form == "Anh/Chị"


def test_missing_config_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("card_reader", "pcsc:ACS ACR1252"),
        ("card_reader", "pn532:rfc2217://10.0.0.7:4001"),
        ("printer", "escpos:COM3@19200"),
        ("printer", "system:EPSON TM-T82"),
        ("printer", "pdf:/srv/prints"),
    ],
)
def test_device_forms_the_registries_know_are_accepted(key, value):
    config = parse_config(f'[devices]\n{key} = "{value}"\n')
    assert getattr(config.devices, key) == value


@pytest.mark.parametrize(
    ("key", "registry"),
    [
        ("card_reader", "devices.card.transports.registry"),
        ("printer", "devices.printer.registry"),
    ],
)
def test_a_refused_device_names_the_forms_its_registry_allows(key, registry):
    import importlib

    allowed_forms = importlib.import_module(registry).describe_allowed()
    with pytest.raises(ConfigError) as caught:
        parse_config(f'[devices]\n{key} = "lpt9"\n')
    assert str(caught.value) == f"bad value for [devices].{key}: 'lpt9'; allowed: {allowed_forms}"


def test_a_card_reader_kind_added_to_the_registry_is_accepted_by_config(monkeypatch):
    from types import SimpleNamespace

    from devices.card.transports import registry

    kind = SimpleNamespace(FORMS=("fake:N",), parse=lambda t: t if t == "fake:1" else None)
    monkeypatch.setattr(registry, "KINDS", (*registry.KINDS, kind))
    assert parse_config('[devices]\ncard_reader = "fake:1"\n').devices.card_reader == "fake:1"
    with pytest.raises(ConfigError, match=r" or fake:N$"):
        parse_config('[devices]\ncard_reader = "fake:"\n')


def test_a_pdf_printer_folder_is_where_prints_go(tmp_path):
    config = parse_config(f'[devices]\nprinter = "pdf:{tmp_path / "out"}"\n')
    assert config.print_dir == tmp_path / "out"


def test_other_printers_leave_prints_in_the_data_folder(tmp_path):
    text = f'[devices]\nprinter = "escpos:COM3"\n[storage]\ndata_dir = "{tmp_path}"\n'
    assert parse_config(text).print_dir == tmp_path / "prints"
