from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.sealer import Sealer


@pytest.fixture
def key_paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "secret" / "machine.key", tmp_path / "data" / "keys" / "keyring.json"


@pytest.fixture
def sealer(key_paths: tuple[Path, Path]) -> Sealer:
    return Sealer(open_keyring("file", *key_paths))
