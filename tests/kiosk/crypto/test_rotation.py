from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.crypto import UnknownDataKey
from kiosk.crypto.keyring import open_keyring
from kiosk.crypto.rotation import rotate_data_key, sealed_columns
from kiosk.crypto.sealer import Sealer, key_id_of
from kiosk.store import open_store
from kiosk.store.models import Attachment, Dossier

PAYLOAD = "Nguyễn Văn An 001095012345".encode()


def _store_with_dossier(store_url: str, sealer: Sealer) -> tuple[object, bytes]:
    store = open_store(store_url)
    blob = sealer.seal(PAYLOAD, b"dossier:K-1")
    with store.session() as session:
        dossier = Dossier(kiosk_reference="K-1", procedure_code="P", payload_sealed=blob)
        dossier.attachments.append(
            Attachment(
                name="a",
                content_type="image/jpeg",
                size=1,
                sha256="0" * 64,
                data_sealed=sealer.seal(b"jpeg", b"att:K-1/a"),
            )
        )
        session.add(dossier)
    return store, blob


def test_rotation_covers_dossier_payloads_and_attachment_data() -> None:
    assert {("dossiers", "payload_sealed"), ("attachments", "data_sealed")} <= set(sealed_columns())


def test_rotation_rewraps_everything_and_destroys_the_old_key(
    tmp_path: Path, store_url: str, sealer: Sealer, key_paths: tuple[Path, Path]
) -> None:
    store, old_blob = _store_with_dossier(store_url, sealer)
    folder = tmp_path / "attachments"
    sealer.seal_file(folder / "x.bin", b"scan", b"att:file")
    old_kid = sealer.keyring.current

    report = rotate_data_key(sealer, store, folder)

    assert (report.values, report.files, report.retired) == (2, 1, (old_kid.hex(),))
    reopened = Sealer(open_keyring("file", *key_paths))
    assert list(reopened.keyring.data_keys) == [reopened.keyring.current] != [old_kid]
    with store.session() as session:
        dossier = session.query(Dossier).one()
        assert key_id_of(dossier.payload_sealed) == reopened.keyring.current
        assert reopened.open(dossier.payload_sealed, b"dossier:K-1") == PAYLOAD
        assert reopened.open(dossier.attachments[0].data_sealed or b"", b"att:K-1/a") == b"jpeg"
    assert reopened.open_file(folder / "x.bin", b"att:file") == b"scan"
    with pytest.raises(UnknownDataKey):
        reopened.open(old_blob, b"dossier:K-1")


def test_rotation_keeps_lookup_hashes(store_url: str, sealer: Sealer) -> None:
    store, _ = _store_with_dossier(store_url, sealer)
    before = sealer.lookup_hash("001095012345")
    rotate_data_key(sealer, store, None)
    assert sealer.lookup_hash("001095012345") == before


def test_rotation_after_a_crash_finishes_with_old_keys_still_present(
    tmp_path: Path, store_url: str, sealer: Sealer
) -> None:
    store, _ = _store_with_dossier(store_url, sealer)
    sealer.keyring.add_data_key()  # crashed right after saving the new key
    report = rotate_data_key(sealer, store, None)
    assert report.values == 2 and len(report.retired) == 2
