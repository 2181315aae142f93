"""`python -m bench sealing`: cost of encryption at rest and staff PIN checks.

Prints medians: seal/open of a 2 KB dossier payload and a 1 MB attachment, keyed ID hash,
scrypt PIN check (the lockout's brute-force cost), and a data-key rotation of N sealed rows."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str]) -> int:
    from kiosk.crypto.keyring import open_keyring
    from kiosk.crypto.rotation import rotate_data_key
    from kiosk.crypto.sealer import Sealer
    from kiosk.records.staff import check_secret, hash_secret
    from kiosk.store import open_store
    from kiosk.store.models import Dossier

    rows = int(argv[0]) if argv else 1000
    folder = Path(tempfile.mkdtemp(prefix="bench-sealing-"))
    sealer = Sealer(open_keyring("file", folder / "m.key", folder / "ring.json"))
    payload, attachment = b"x" * 2048, b"y" * 1_000_000
    sealed_payload, sealed_attachment = sealer.seal(payload, b"a"), sealer.seal(attachment, b"a")
    encoded = hash_secret("482913")
    print(f"{'operation':34} {'median ms':>10}")
    for name, action, repeat in [
        ("seal 2 KB payload", lambda: sealer.seal(payload, b"a"), 2000),
        ("open 2 KB payload", lambda: sealer.open(sealed_payload, b"a"), 2000),
        ("seal 1 MB attachment", lambda: sealer.seal(attachment, b"a"), 50),
        ("open 1 MB attachment", lambda: sealer.open(sealed_attachment, b"a"), 50),
        ("keyed ID hash", lambda: sealer.lookup_hash("001095012345"), 2000),
        ("scrypt PIN check (N=2^15)", lambda: check_secret("482913", encoded), 10),
    ]:
        print(f"{name:34} {median_ms(action, repeat):>10.3f}")
    store = open_store(f"sqlite:///{folder / 'kiosk.db'}")
    with store.session() as session:
        for n in range(rows):
            session.add(
                Dossier(
                    kiosk_reference=f"K-{n}",
                    procedure_code="P",
                    payload_sealed=sealer.seal(payload, f"dossier:K-{n}".encode()),
                )
            )
    start = time.perf_counter()
    report = rotate_data_key(sealer, store, None)
    seconds = time.perf_counter() - start
    print(f"{'rotate data key, ' + str(report.values) + ' rows':34} {seconds * 1000:>10.1f}")
    guesses_per_hour = 5 * 4  # 5 tries per 15-minute lockout
    print(
        f"PIN guesses per hour per account under lockout: {guesses_per_hour}; "
        f"a 6-digit PIN space needs {10**6 / guesses_per_hour / 24 / 365:.1f} years"
    )
    store.close()
    return 0
