"""A kiosk process for the end-to-end test: the real runtime (demo devices) with its fleet link
thread, as `kiosk run --demo` opens it, minus the screens. Subcommands:

- `help CONFIG`: a citizen presses "Gọi cán bộ" at the face check; prints the help id, then waits
  (the link syncing every 2 s) until the counter's answer reaches the help desk and prints it.
- `rewrite-audit CONFIG`: someone holding this kiosk's keys drops the end of its audit log and
  writes new entries (locally nothing shows; the fleet's copy of the anchor does).

Prints one JSON object per line on stdout.
"""

from __future__ import annotations

import json
import sys
import time

from kiosk.config import load_config


def _help(config_path: str, wait_s: float = 60) -> int:
    from kiosk.runtime import open_runtime

    runtime = open_runtime(load_config(config_path), demo=True)
    try:
        desk = runtime.help_desk
        raised = desk.raise_request("face_check", 6, "Kiểm tra khuôn mặt", "citizen")
        print(json.dumps({"help_id": raised.help_id}), flush=True)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            now = desk.get(raised.help_id)
            if now.state != "waiting":
                print(json.dumps({"state": now.state, "by": now.acknowledged_by}), flush=True)
                return 0
            time.sleep(0.2)
        print(json.dumps({"state": "waiting", "by": ""}), flush=True)
        return 1
    finally:
        runtime.close()


def _rewrite_audit(config_path: str) -> int:
    from sqlalchemy import delete, func, select

    from kiosk.records.audit_anchor import open_anchor
    from kiosk.runtime import open_kiosk_audit_log, open_kiosk_sealer
    from kiosk.store import open_store
    from kiosk.store.models import AuditEvent

    config = load_config(config_path)
    sealer = open_kiosk_sealer(config)
    store = open_store(config.database_url)
    try:
        anchor = open_anchor(config.data_dir, sealer)
        previous = anchor.read()
        with store.session() as session:
            before = session.scalar(select(func.max(AuditEvent.id))) or 0
            session.execute(delete(AuditEvent).where(AuditEvent.id > 2))
            kept = session.get(AuditEvent, 2)
            assert kept is not None
            kept_hash = kept.hash
        # The local anchor re-signed at the cut with the kiosk's own key, then new entries.
        anchor.record(2, kept_hash, previous.keyed_from if previous else None)
        log = open_kiosk_audit_log(config, store, sealer)
        for n in range(3):
            log.append("system", "rewritten_entry", {"n": str(n)})
        verdict = log.verify()
        print(json.dumps({"entries_before": before, "verifies_locally": verdict.ok}))
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    action, path = sys.argv[1], sys.argv[2]
    sys.exit(_help(path) if action == "help" else _rewrite_audit(path))
