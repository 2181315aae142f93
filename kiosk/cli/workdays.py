"""`kiosk workdays --from "YYYY-MM-DD HH:MM" --days N`: when a dossier received then is due."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _run(args: argparse.Namespace) -> int:
    from kiosk.domain.calendar.workdays import WorkdaysTableError, WorkingCalendar

    try:
        start = datetime.strptime(args.start, "%Y-%m-%d %H:%M")
    except ValueError:
        raise CliError(f'--from must be "YYYY-MM-DD HH:MM", got {args.start!r}') from None
    if args.days < 0:
        raise CliError(f"--days must be 0 or more, got {args.days}")
    config = load_config_from_args(args)
    try:
        calendar = WorkingCalendar.load(config.data_dir)
        due = calendar.add(start, args.days)
    except WorkdaysTableError as exc:
        raise CliError(str(exc)) from None
    except (ValueError, OverflowError) as exc:  # a date past year 9999 or before year 1
        raise CliError(f"cannot compute the date: {exc}") from None
    if args.json:
        skipped = {
            day.isoformat(): name
            for year in range(start.year, due.year + 1)
            for day, name in calendar.holidays(year).items()
            if start.date() <= day <= due.date() and day.weekday() < 5
        }
        print(
            json.dumps(
                {
                    "from": start.isoformat(timespec="minutes"),
                    "days": args.days,
                    "due": due.isoformat(timespec="minutes"),
                    "days_off": skipped,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(due.isoformat(timespec="minutes"))
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "workdays",
        _run,
        "add N working days to a reception time (holidays, Tết, announced swaps, 15:00 rule)",
    )
    parser.add_argument(
        "--from", dest="start", required=True, metavar='"YYYY-MM-DD HH:MM"', help="received at"
    )
    parser.add_argument(
        "--days",
        type=int,
        required=True,
        metavar="N",
        help="legal time in working days (0: same day)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON with the days off skipped")
