"""The kiosk side of the crash test: submits dossiers and syncs them, until killed (SIGKILL by
the test) or done. `python -m tests.kiosk.dossiers.crash_child DATA_DIR PORTAL_URL TOTAL`."""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from kiosk.config import KioskConfig, StorageConfig
from kiosk.crypto import open_sealer
from kiosk.domain.catalogue import load_catalogue
from kiosk.domain.identity import CitizenIdentity
from kiosk.portal.client import PortalClient, RetryPolicy
from kiosk.portal.connect import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from kiosk.records.outbox import Outbox
from kiosk.records.sync import SyncWorker
from kiosk.services.dossiers import KioskDossierService
from kiosk.store import open_store
from kiosk.store.models import Dossier


def citizen() -> CitizenIdentity:
    return CitizenIdentity(
        "001095012345", "Nguyễn Văn An", date(1995, 3, 17), place_of_residence="Thôn 1, Xã A"
    )


class EveryDay:
    def add(self, start, days):
        return start + timedelta(days=days)


def main(data_dir: str, url: str, total: int) -> int:
    config = KioskConfig(storage=StorageConfig(data_dir=data_dir))
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    sealer = open_sealer(config.security, config.data_dir)
    store = open_store(config.database_url)
    outbox = Outbox(store, retry_base=timedelta(milliseconds=20), retry_cap=timedelta(seconds=0.2))
    client = PortalClient(url, client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET,
                          retry=RetryPolicy(attempts=3, base_s=0.01, cap_s=0.05))  # fmt: skip
    sync = SyncWorker(outbox, client, sealer, threads=2, interval_s=0.02).start()
    service = KioskDossierService(
        store, load_catalogue(), outbox, sealer, unit_code="000.00.12.H56",
        working_days=EveryDay(), sync=sync, submit_wait_s=0,
    )  # fmt: skip
    procedure = next(p for p in service.procedures() if p.code == "residence_confirmation")
    print("ready", flush=True)
    while True:
        with store.session() as session:
            stored = session.scalar(select(func.count(Dossier.id)))
        if stored >= total:
            break
        draft = service.prefill(procedure, citizen())
        draft.values.update(content="Thông tin về nơi cư trú", purpose=f"lần {stored}")
        draft.attachments.append(service.capture_document(draft, procedure.document_names[0], None))
        service.submit(draft, citizen())
    while outbox.counts()["accepted"] < total:
        outbox.wake_all()
        sync.wake()
        time.sleep(0.05)
    sync.stop()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
