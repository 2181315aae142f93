from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.crypto import (
    KeyringError,
    MachineKeyInsecure,
    MachineKeyMissing,
    SealedDataCorrupt,
    UnknownDataKey,
)
from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.sealer import OVERHEAD, Sealer

PAYLOAD = "001095012345 Nguyễn Văn An, Thôn 1, Xã A".encode()


def test_sealed_value_opens_with_the_same_aad(sealer: Sealer) -> None:
    blob = sealer.seal(PAYLOAD, b"dossier:K-1")
    assert sealer.open(blob, b"dossier:K-1") == PAYLOAD


def test_sealed_value_does_not_contain_the_plaintext(sealer: Sealer) -> None:
    blob = sealer.seal(PAYLOAD, b"dossier:K-1")
    assert b"001095012345" not in blob and "Nguyễn".encode() not in blob
    assert len(blob) == len(PAYLOAD) + OVERHEAD


def test_sealing_twice_gives_different_bytes(sealer: Sealer) -> None:
    assert sealer.seal(PAYLOAD, b"a") != sealer.seal(PAYLOAD, b"a")


def test_value_sealed_for_one_dossier_does_not_open_as_another(sealer: Sealer) -> None:
    blob = sealer.seal(PAYLOAD, b"dossier:K-1")
    with pytest.raises(SealedDataCorrupt):
        sealer.open(blob, b"dossier:K-2")


@pytest.mark.parametrize("position", [0, 5, 20, 80, 90, -1])
def test_any_flipped_byte_is_refused(sealer: Sealer, position: int) -> None:
    blob = bytearray(sealer.seal(PAYLOAD, b"x"))
    blob[position] ^= 0x01
    with pytest.raises((SealedDataCorrupt, UnknownDataKey)):
        sealer.open(bytes(blob), b"x")


def test_truncated_value_is_refused(sealer: Sealer) -> None:
    with pytest.raises(SealedDataCorrupt):
        sealer.open(sealer.seal(PAYLOAD, b"x")[:50], b"x")


def test_keyring_reopens_with_the_same_keys(key_paths: tuple[Path, Path], sealer: Sealer) -> None:
    blob = sealer.seal(PAYLOAD, b"x")
    again = Sealer(open_keyring("file", *key_paths))
    assert again.open(blob, b"x") == PAYLOAD
    assert again.lookup_hash("001095012345") == sealer.lookup_hash("001095012345")


def test_machine_key_file_is_owner_only(key_paths: tuple[Path, Path], sealer: Sealer) -> None:
    mode = stat.S_IMODE(key_paths[0].stat().st_mode)
    assert mode == 0o600


def test_machine_key_readable_by_others_is_refused(
    key_paths: tuple[Path, Path], sealer: Sealer
) -> None:
    os.chmod(key_paths[0], 0o644)
    with pytest.raises(MachineKeyInsecure, match="chmod 600"):
        open_keyring("file", *key_paths)


def test_missing_machine_key_is_an_error_not_a_fresh_start(
    key_paths: tuple[Path, Path], sealer: Sealer
) -> None:
    key_paths[0].unlink()
    with pytest.raises(MachineKeyMissing):
        open_keyring("file", *key_paths)
    assert not key_paths[0].exists()


def test_keyring_does_not_open_with_another_machine_key(
    key_paths: tuple[Path, Path], sealer: Sealer
) -> None:
    key_paths[0].write_bytes(os.urandom(32))
    with pytest.raises(KeyringError):
        open_keyring("file", *key_paths)


def test_keyring_file_holds_no_raw_key(key_paths: tuple[Path, Path], sealer: Sealer) -> None:
    text = key_paths[1].read_bytes()
    assert sealer.keyring.current_key not in text
    assert sealer.keyring.current_key.hex().encode() not in text


def test_lookup_hash_ignores_spaces_and_differs_per_id(sealer: Sealer) -> None:
    assert sealer.lookup_hash("001 095 012345") == sealer.lookup_hash("001095012345")
    assert sealer.lookup_hash("001095012345") != sealer.lookup_hash("001095012346")
    assert len(sealer.lookup_hash("001095012345")) == 64


def test_lookup_hash_differs_between_kiosks(tmp_path: Path, sealer: Sealer) -> None:
    other = Sealer(open_keyring("file", tmp_path / "o" / "m.key", tmp_path / "o" / "k.json"))
    assert other.lookup_hash("001095012345") != sealer.lookup_hash("001095012345")


def test_sealed_file_round_trips(tmp_path: Path, sealer: Sealer) -> None:
    path = tmp_path / "attachments" / "a.bin"
    sealer.seal_file(path, PAYLOAD, b"att:1")
    assert b"001095012345" not in path.read_bytes()
    assert sealer.open_file(path, b"att:1") == PAYLOAD
