"""`kiosk doctor [--json] [--no-checklist] [--only NAME ...]`: self-test and start-of-day list."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _doctor(args: argparse.Namespace) -> int:
    from kiosk.ops.doctor import CHECKS, START_OF_DAY, DoctorContext, exit_code, render, run_checks

    config = load_config_from_args(args)
    checks = CHECKS
    if args.only:
        names = {c.__name__.removeprefix("check_"): c for c in CHECKS}
        unknown = [n for n in args.only if n not in names]
        if unknown:
            raise CliError(f"unknown check {unknown[0]!r}; checks: {', '.join(names)}")
        checks = [names[n] for n in args.only]
    ctx = DoctorContext(config)
    try:
        results = run_checks(ctx, checks)
    finally:
        ctx.close()
    if args.json:
        print(
            json.dumps(
                {
                    "checks": [{**r.__dict__, "status": r.status.value} for r in results],
                    "start_of_day": START_OF_DAY,
                    "ok": exit_code(results) == 0,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(render(results, checklist=not args.no_checklist))
    return exit_code(results)


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "doctor",
        _doctor,
        "check reader, camera, printer, clock, disk, portal, outbox, trust store, keys, audit",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-checklist", action="store_true", help="omit the start-of-day list")
    parser.add_argument("--only", nargs="+", metavar="CHECK", help="run only these checks")
