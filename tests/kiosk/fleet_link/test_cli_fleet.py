"""`kiosk fleet check|send` (docs/fleet_link.md §5) and the `[fleet]` table's validation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, parse_config
from tests.kiosk.fleet_link.conftest import KIOSK_ID
from tests.kiosk.fleet_link.fleet_double import RunningFleetDouble


@pytest.fixture
def config_file(tmp_path: Path, double: RunningFleetDouble) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n[fleet]\nurl = "{double.url}"\n'
        f'kiosk_id = "{KIOSK_ID}"\ntoken = "{double.fleet.enroll(KIOSK_ID)}"\n',
        encoding="utf-8",
    )
    return path


def test_fleet_check_prints_one_line_each_and_pins_the_update_key(
    config_file: Path, double: RunningFleetDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fleet", "check", "--config", str(config_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["connection", "ok"],
        ["token", "ok"],
        ["clock", "ok"],
        ["update", "key"],
    ]
    assert "pinned" in lines[3]


def test_fleet_check_reports_a_revoked_token_and_exits_2(
    config_file: Path, double: RunningFleetDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    double.fleet.revoked.update(double.fleet.tokens)
    assert main(["fleet", "check", "--config", str(config_file)]) == 2
    assert capsys.readouterr().out.splitlines()[1].split()[:2] == ["token", "FAIL"]


def test_fleet_check_reports_a_service_that_is_down_and_exits_2(
    config_file: Path, double: RunningFleetDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    double.fleet.down = True
    assert main(["fleet", "check", "--config", str(config_file)]) == 2
    out = capsys.readouterr().out
    assert out.startswith("connection  FAIL") and "503" in out


def test_fleet_check_reports_clock_skew_and_exits_2(
    config_file: Path, double: RunningFleetDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    double.fleet.clock_offset = timedelta(minutes=-10)
    assert main(["fleet", "check", "--config", str(config_file)]) == 2
    clock = capsys.readouterr().out.splitlines()[2]
    assert clock.split()[:2] == ["clock", "FAIL"] and "+600" in clock


def test_fleet_send_sends_the_queue_with_a_heartbeat_and_prints_counts(
    config_file: Path, double: RunningFleetDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fleet", "send", "--config", str(config_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sent ") and "still queued 0" in out
    assert "heartbeat" in double.fleet.kinds_received()


def test_fleet_send_while_the_service_is_down_keeps_the_queue_and_exits_2(
    config_file: Path, double: RunningFleetDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    double.fleet.down = True
    assert main(["fleet", "send", "--config", str(config_file)]) == 2
    assert "stay queued" in capsys.readouterr().err
    double.fleet.down = False
    assert main(["fleet", "send", "--config", str(config_file)]) == 0
    assert double.fleet.kinds_received().count("heartbeat") == 2


def test_fleet_commands_without_a_fleet_url_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fleet", "check"]) == 2
    assert "no [fleet] url" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("interval_s = 1", "interval_s"),
        ("interval_s = 99999", "interval_s"),
        ('update_key = "c2hvcnQ="', "update_key"),
        ('url = "ftp://fleet"', "url"),
        ('token = "has space"', "token"),
    ],
)
def test_a_bad_fleet_value_is_refused_naming_the_key(table: str, key: str) -> None:
    with pytest.raises(ConfigError, match=rf"\[fleet\]\.{key}"):
        parse_config(f"[fleet]\n{table}\n")


def test_a_fleet_url_without_kiosk_id_and_token_is_refused() -> None:
    with pytest.raises(ConfigError, match="kiosk_id and token"):
        parse_config('[fleet]\nurl = "https://fleet.example"\n')


def test_the_fleet_defaults_are_no_fleet_and_a_minute() -> None:
    fleet = parse_config("").fleet
    assert (fleet.url, fleet.interval_s, fleet.update_key) == ("", 60, "")
