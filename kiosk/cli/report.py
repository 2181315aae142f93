"""`kiosk report --date YYYY-MM-DD [--out FILE.pdf] [--json] [--data-dir DIR]`: the staff's
daily report.

Counts and medians of one day (Vietnam time) read from the kiosk's store: visits and their
outcomes, dossiers per procedure, the outbox, receipts, time per step, device incidents. No
personal data. `--date` also takes `today` and `yesterday`.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _day(text: str) -> date:
    from kiosk.ops.daily_report import today_in_vietnam

    if text in ("today", "yesterday"):
        return today_in_vietnam() - timedelta(days=text == "yesterday")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--date must be YYYY-MM-DD, today or yesterday, got {text!r}") from None


def _run(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from kiosk.ops.daily_report import daily_report, summarize_day

    day = _day(args.date)
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() != ".pdf":
        raise CliError(f"--out must name a .pdf file, got {args.out!r}")
    config = load_config_from_args(args)
    if args.data_dir:  # as `kiosk simulate --data-dir DIR` left it
        config = replace(config, storage=replace(config.storage, data_dir=args.data_dir))
    store = _open_store(config)
    try:
        names, jobs = _names_and_jobs(config)
        summary = summarize_day(store, day, names, jobs)
    finally:
        store.close()
    report = daily_report(summary, config.office.name, datetime.now(UTC))
    if out is not None:
        from printing.report import report_pdf

        try:
            out.write_bytes(report_pdf(report))
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror}") from None
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
    elif out is not None:
        print(str(out))
    else:
        from printing.report import report_text

        print("\n".join(report_text(report)))
    return 0


def _open_store(config: Any) -> Any:
    from kiosk.store import open_store

    url = config.database_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).is_file():
        raise CliError(f"no kiosk store at {url[len('sqlite:///') :]} (see --config)")
    return open_store(url)


def _names_and_jobs(config: Any) -> tuple[dict[str, str], list[Any]]:
    from kiosk.crypto.errors import CryptoError
    from kiosk.domain.catalogue import CatalogueError, catalogue_for_data_dir
    from kiosk.runtime import open_print_queue

    try:
        names = {p.code: p.name for p in catalogue_for_data_dir(config.data_dir).procedures}
    except CatalogueError as exc:
        raise CliError(f"procedure names: {exc}") from None
    try:
        jobs = open_print_queue(config).jobs()  # states and times only: nothing is opened
    except CryptoError as exc:
        raise CliError(f"cannot open the print queue's keys: {exc}") from None
    return names, jobs


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "report", _run, "the staff's daily report (counts, medians; no personal data)"
    )
    parser.add_argument(
        "--date", default="today", metavar="YYYY-MM-DD", help="the day, Vietnam time (or today)"
    )
    parser.add_argument("--out", metavar="FILE.pdf", help="write the A4 PDF report here")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="the kiosk's data folder (default: from the config)"
    )
