"""Logging for the kiosk: a rotating file in the log folder, and nothing personal in any line.

`PersonalDataFilter` masks what slips through anyway: 12-digit ID numbers (`001******345`),
9-digit old ID numbers and 10-digit phone numbers, in the message, its arguments and the
traceback. It sits on the handlers, so every logger's records pass through it.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUPS = 7
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_ID_NUMBER = re.compile(r"(?<!\d)(\d{3})(\d{6})(\d{3})(?!\d)")  # 12-digit CCCD number
_PHONE = re.compile(r"(?<!\d)(0\d)(\d{6})(\d{2})(?!\d)")  # 10-digit mobile number
_OLD_ID = re.compile(r"(?<!\d)(\d{2})(\d{5})(\d{2})(?!\d)")  # 9-digit CMND number


def mask_personal(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: m[1] + "******" + m[3], text)
    text = _PHONE.sub(lambda m: m[1] + "******" + m[3], text)
    return _OLD_ID.sub(lambda m: m[1] + "*****" + m[3], text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record so its message and traceback carry masked numbers only."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal(record.stack_info)
        return True


def setup_logging(log_dir: Path | None, verbose: bool = False) -> logging.Handler | None:
    """Root logging: a masked console handler (warnings, or debug with `verbose`) and, with a
    `log_dir`, a rotating file (info and up, 7 × 1 MB). Returns the file handler."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    _install(root, console)
    if log_dir is None:
        return None
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    file_handler = logging.handlers.RotatingFileHandler(
        log_dir / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    _install(root, file_handler)
    return file_handler


def _install(root: logging.Logger, handler: logging.Handler) -> None:
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(PersonalDataFilter())
    handler._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
