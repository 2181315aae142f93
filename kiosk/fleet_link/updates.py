"""Applying the fleet's signed updates (docs/fleet_link.md §3).

An update is fetched, its signature checked against the pinned update key (`[fleet] update_key`,
else the key pinned on first use and kept in the store), its payload validated, then applied:
- catalogue: the procedures.json bytes, validated in full, written to `<data_dir>/procedures.json`
  (temporary file, fsync, rename) and re-sealed;
- trust: a CSCA master list (imported only when its own CMS signature is VALID) or a PEM/DER
  bundle, through `kiosk.records.trust_store` (all or none written).
Every outcome is audited; a refused update leaves the old catalogue / trust store in place and is
not fetched again (until the service announces another one).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.crypto import signed_update
from kiosk.crypto.keyring import write_atomically
from kiosk.crypto.signed_update import KINDS, raw_key_id
from kiosk.fleet_link.client import FleetClient
from kiosk.fleet_link.errors import UpdateRefused
from kiosk.fleet_link.queue import FleetQueue
from kiosk.records.audit import AuditLog

log = logging.getLogger(__name__)
ACTOR = "system:fleet"
PINNED_KEY = "update_key"


def have_state(kind: str) -> str:
    return f"have_{kind}"


def refused_state(kind: str) -> str:
    return f"refused_{kind}"


@dataclass(frozen=True)
class UpdateOutcome:
    kind: str
    sha256: str
    applied: bool
    detail: str


class UpdateApplier:
    def __init__(
        self,
        data_dir: Path,
        trust_folder: Path,
        queue: FleetQueue,
        audit: AuditLog,
        configured_key: str = "",
    ) -> None:
        self.data_dir = data_dir
        self.trust_folder = trust_folder
        self.queue = queue
        self.audit = audit
        self.configured_key = configured_key

    def have(self) -> dict[str, str]:
        """What the kiosk holds, for the sync request's `have`."""
        from kiosk.domain.catalogue import CATALOGUE_FILE_NAME

        catalogue = self.data_dir / CATALOGUE_FILE_NAME
        try:
            current = hashlib.sha256(catalogue.read_bytes()).hexdigest()
        except FileNotFoundError:
            current = self.queue.get_state(have_state("catalogue"))
        return {"catalogue": current, "trust": self.queue.get_state(have_state("trust"))}

    def wanted(self, announced: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The announced updates not held yet and not refused before."""
        have = self.have()
        wanted = []
        for update in announced:
            kind, sha = str(update.get("kind", "")), str(update.get("sha256", "")).lower()
            if kind not in KINDS or not sha or have.get(kind) == sha:
                continue
            if self.queue.get_state(refused_state(kind)) == sha:
                continue
            wanted.append(update)
        return wanted

    def apply_announced(self, client: FleetClient, announced: list[dict[str, Any]]) -> list[Any]:
        outcomes = []
        for update in self.wanted(announced):
            outcomes.append(self.fetch_and_apply(client, update))
        return outcomes

    def fetch_and_apply(self, client: FleetClient, update: dict[str, Any]) -> UpdateOutcome:
        kind, sha = str(update["kind"]), str(update["sha256"]).lower()
        document = client.update(str(update.get("url", "")))  # FleetError: tried again later
        try:
            payload = self._verified_payload(client, kind, sha, document)
            detail = self._apply(kind, payload)
        except UpdateRefused as exc:
            self.queue.set_state(refused_state(kind), sha)
            self.audit.append(
                ACTOR, "fleet_update_refused", {"kind": kind, "sha256": sha, "reason": str(exc)}
            )
            log.error("fleet %s update %s refused: %s", kind, sha[:12], exc)
            return UpdateOutcome(kind, sha, False, str(exc))
        self.queue.set_state(have_state(kind), sha)
        self.audit.append(
            ACTOR, "fleet_update_applied", {"kind": kind, "sha256": sha, "detail": detail}
        )
        log.info("fleet %s update %s applied: %s", kind, sha[:12], detail)
        return UpdateOutcome(kind, sha, True, detail)

    # --- checks ---------------------------------------------------------------------------------

    def _verified_payload(
        self, client: FleetClient, kind: str, sha: str, document: dict[str, Any]
    ) -> bytes:
        if document.get("kind") != kind or str(document.get("sha256", "")).lower() != sha:
            raise UpdateRefused("the update document is not the one announced")
        signer = str(document.get("key_id", ""))
        if not signer or not isinstance(document.get("signature_b64"), str):
            raise UpdateRefused("the update is unsigned or malformed")
        pinned = base64.b64encode(self.public_key(client, signer)).decode("ascii")
        try:
            return signed_update.verify_update(document, pinned, kind).payload
        except signed_update.UpdateRefused as exc:  # one verifier for both ends (docs/fleet.md §4)
            raise UpdateRefused(str(exc)) from None

    def public_key(self, client: FleetClient, signer: str) -> bytes:
        """The pinned update key: configured, else pinned on first use (audited)."""
        pinned = self.configured_key or self.queue.get_state(PINNED_KEY)
        if pinned:
            return base64.b64decode(pinned)
        offered = client.update_key()
        try:
            raw = base64.b64decode(offered, validate=True)
        except (ValueError, binascii.Error):
            raise UpdateRefused("the fleet's update key is not base64") from None
        if len(raw) != 32 or raw_key_id(raw) != signer.lower():
            raise UpdateRefused("the fleet's update key does not match the update's signer")
        self.queue.set_state(PINNED_KEY, offered)
        self.audit.append(ACTOR, "fleet_update_key_pinned", {"key_id": raw_key_id(raw)})
        return raw

    # --- applying -------------------------------------------------------------------------------

    def _apply(self, kind: str, payload: bytes) -> str:
        if kind == "catalogue":
            return self._apply_catalogue(payload)
        return self._apply_trust(payload)

    def _apply_catalogue(self, payload: bytes) -> str:
        from kiosk.domain.catalogue import (
            CATALOGUE_FILE_NAME,
            CatalogueError,
            parse_catalogue,
            seal_path,
        )

        target = self.data_dir / CATALOGUE_FILE_NAME
        try:
            catalogue = parse_catalogue(payload, "fleet update")
        except CatalogueError as exc:
            raise UpdateRefused(f"the catalogue does not validate: {exc}") from None
        # The file first, then its seal: loading in between sees a mismatch and refuses the file
        # rather than using an unsealed one (docs/fleet_link.md §3).
        write_atomically(target, payload, mode=0o644)
        write_atomically(
            seal_path(target), f"{catalogue.sha256}  {target.name}\n".encode("ascii"), mode=0o644
        )
        return f"catalogue {catalogue.version}, {len(catalogue.procedures)} procedures"

    def _apply_trust(self, payload: bytes) -> str:
        from devices.card.trust_store import is_master_list
        from kiosk.records.trust_store import TrustStoreError, TrustStoreFolder

        folder = TrustStoreFolder(self.trust_folder)
        try:
            if is_master_list(payload):
                report = folder.import_master_list(payload)
                if report.signature != "VALID":
                    raise UpdateRefused(
                        f"the master list's own signature is {report.signature}: {report.detail}"
                    )
            else:
                report = folder.import_certificates(payload)
        except TrustStoreError as exc:
            raise UpdateRefused(f"the trust update cannot be imported: {exc}") from None
        return f"{len(report.added)} CSCA added, {report.already_present} already present"
