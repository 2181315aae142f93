"""Where the machine key lives, and whether a copy of the data folder's disk carries it.

`kiosk keys status` shows this (custody `fleet`: the key is only at the fleet service, see
docs/fleet_link.md §4) and `kiosk doctor` warns when a production kiosk keeps its key in
a plain file: whoever copies the disk then opens every dossier.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CUSTODIES = ("file", "tpm2", "dpapi", "fleet")


@dataclass(frozen=True)
class Custody:
    kind: str  # file | tpm2 | dpapi | fleet
    location: str  # where the key itself is, in words
    key_file: str  # the key (file) or its TPM-sealed object (tpm2); "" for dpapi
    beside_data: bool  # a copy of the data folder's disk yields the key

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "location": self.location,
            "key_file": self.key_file,
            "beside_data": self.beside_data,
        }


def describe(kind: str, key_file: Path, data_dir: Path, fleet_url: str = "") -> Custody:
    if kind == "fleet":
        return Custody(
            kind,
            f"released at each start by the fleet service {fleet_url} (nothing on this disk)",
            "",
            beside_data=False,
        )
    if kind == "tpm2":
        return Custody(
            kind,
            "sealed to this PC's TPM 2.0 (the file holds only the sealed object)",
            str(key_file),
            beside_data=False,
        )
    if kind == "dpapi":
        return Custody(kind, "Windows DPAPI, bound to this machine", "", beside_data=False)
    return Custody(
        kind, f"plain key file {key_file}", str(key_file), _same_disk(key_file, data_dir)
    )


def _same_disk(key_file: Path, data_dir: Path) -> bool:
    """In the data folder, or on the same file system (a disk image carries both)."""
    key_file, data_dir = key_file.resolve(), data_dir.resolve()
    if key_file.is_relative_to(data_dir):
        return True
    try:
        return os.stat(_existing(key_file)).st_dev == os.stat(_existing(data_dir)).st_dev
    except OSError:
        return True  # cannot tell: assume the worst


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
