"""kiosk.toml URLs: refused at load time with one line, before any command uses them."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError, parse_config

REFUSED = [
    ("portal", "url", "http://127.0.0.1:70000", "port past 65535 (RFC 3986 §3.2.3, 16 bits)"),
    ("portal", "url", "http://127.0.0.1:0/", "port 0"),
    ("portal", "url", "http://127.0.0.1:80x/", "port not a number"),
    ("portal", "url", "http://127.0.0.1\\u0000:8080/", "NUL"),
    ("portal", "url", "http://portal\\n.example.vn/", "newline"),
    ("portal", "url", "http://portal .example.vn/", "space in the host"),
    ("portal", "url", "https:///v1", "no host"),
    ("storage", "database_url", "kiosk.db", "a file name, not a URL"),
    ("storage", "database_url", "sqlite:///data/kiosk\\u0000.db", "NUL"),
    ("storage", "database_url", "postgresql://kiosk@db:99999/kiosk", "port past 65535"),
]

ACCEPTED = [
    ("portal", "url", "https://dichvucong.example.vn"),
    ("portal", "url", "http://127.0.0.1:8080/base"),
    ("storage", "database_url", "sqlite:///C:/Program Data/kiosk/kiosk.db"),
    ("storage", "database_url", "sqlite:///file:/var/lib/kiosk/kiosk.db?mode=ro&uri=true"),
    ("storage", "database_url", "postgresql+psycopg://kiosk:secret@db.example.vn:5432/kiosk"),
]


@pytest.mark.parametrize(("table", "key", "value", "why"), REFUSED)
def test_a_url_that_cannot_work_is_refused_with_one_line_naming_the_key(table, key, value, why):
    with pytest.raises(ConfigError) as refused:
        parse_config(f'[{table}]\n{key} = "{value}"\n')
    message = str(refused.value)
    assert f"[{table}].{key}" in message, why
    assert "\n" not in message and "\x00" not in message


@pytest.mark.parametrize(("table", "key", "value"), ACCEPTED)
def test_a_usable_url_is_accepted(table, key, value):
    config = parse_config(f'[{table}]\n{key} = "{value}"\n')
    assert getattr(getattr(config, table), key) == value
