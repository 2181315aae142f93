"""`kiosk keys rotate`: a new data key becomes current, every sealed value in the store and in the
attachment folder is re-wrapped to it, then the old data keys are destroyed.

Crash-safe: the new key is saved before anything is re-wrapped and old keys are removed only after
everything was, so running the rotation again after a crash finishes the job. Sealed values are
found by their format marker in every binary column of the store's tables (so columns added by
later migrations are covered) and in every file of the attachment folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import LargeBinary, select, update

from kiosk.crypto.keyring import write_atomically
from kiosk.crypto.sealer import Sealer, is_sealed, key_id_of
from kiosk.store import Store
from kiosk.store.models import Base


@dataclass(frozen=True)
class RotationReport:
    new_key_id: str
    values: int  # sealed values in the store re-wrapped
    files: int  # sealed files re-wrapped
    retired: tuple[str, ...]  # key ids destroyed


def sealed_columns() -> list[tuple[str, str]]:
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, LargeBinary)
    ]


def rotate_data_key(sealer: Sealer, store: Store, attachment_dir: Path | None) -> RotationReport:
    keyring = sealer.keyring
    new_kid = keyring.add_data_key()
    values = rewrap_store(sealer, store)
    files = rewrap_folder(sealer, attachment_dir) if attachment_dir else 0
    retired = keyring.retire_others()
    return RotationReport(new_kid.hex(), values, files, tuple(k.hex() for k in retired))


def rewrap_store(sealer: Sealer, store: Store) -> int:
    count = 0
    current = sealer.keyring.current
    for table_name, column_name in sealed_columns():
        table = Base.metadata.tables[table_name]
        column = table.c[column_name]
        key = next(iter(table.primary_key.columns))
        with store.session() as session:
            rows = session.execute(select(key, column).where(column.is_not(None))).all()
            for row_key, blob in rows:
                if not is_sealed(blob) or key_id_of(bytes(blob)) == current:
                    continue
                session.execute(
                    update(table).where(key == row_key).values({column: sealer.rewrap(bytes(blob))})
                )
                count += 1
    return count


def rewrap_folder(sealer: Sealer, folder: Path) -> int:
    count = 0
    if not folder.is_dir():
        return 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        with path.open("rb") as handle:
            head = handle.read(8)
        if not is_sealed(head) or key_id_of(head) == sealer.keyring.current:
            continue
        write_atomically(path, sealer.rewrap(path.read_bytes()))
        count += 1
    return count
