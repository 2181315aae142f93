from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.ops.logging_setup import LOG_FILE, mask_personal, setup_logging


@pytest.fixture
def log_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "logs"
    handler = setup_logging(folder)
    yield folder
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    assert handler is not None


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("citizen 001095012345 read", "citizen 001******345 read"),
        ("phone 0912345678", "phone 09******78"),
        ("old id 123456789.", "old id 12*****89."),
        ("ref K-20260302-0001 at 1234567890123", "ref K-20260302-0001 at 1234567890123"),
    ],
)
def test_numbers_that_identify_a_person_are_masked(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


def test_log_file_has_masked_ids_in_messages_arguments_and_tracebacks(log_dir: Path) -> None:
    log = logging.getLogger("kiosk.test")
    log.warning("read card of %s", "001095012345")
    try:
        raise ValueError("bad QR 001095012345|Nguyễn Văn An")
    except ValueError:
        log.exception("QR failed for 0912345678")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (log_dir / LOG_FILE).read_text(encoding="utf-8")
    assert "001******345" in text and "09******78" in text
    assert "001095012345" not in text and "0912345678" not in text


def test_log_file_rotates(log_dir: Path) -> None:
    log = logging.getLogger("kiosk.test")
    for _ in range(12_000):
        log.info("x" * 100)
    names = sorted(p.name for p in log_dir.iterdir())
    assert names[:2] == [LOG_FILE, f"{LOG_FILE}.1"]
    assert all(p.stat().st_size <= 1_000_200 for p in log_dir.iterdir())
