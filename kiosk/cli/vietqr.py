"""`kiosk vietqr`: build a VietQR payload, or parse and check one (`--parse PAYLOAD --json`)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from kiosk.cli import CliError, add_command


def _run(args: argparse.Namespace) -> int:
    from kiosk.domain import vietqr

    try:
        if args.parse is not None:
            if args.bin or args.account or args.amount is not None or args.purpose or args.card:
                raise CliError("--parse cannot be combined with --bin/--account/--amount/--purpose")
            parsed = vietqr.parse(args.parse)
            fields = {**asdict(parsed), "dynamic": parsed.is_dynamic, "service": parsed.service}
            if args.json:
                print(json.dumps(fields, ensure_ascii=False))
            else:
                for key, value in fields.items():
                    print(f"{key}: {'' if value is None else value}")
            return 0
        if not args.bin or not args.account:
            raise CliError("give --bin and --account to build a payload, or --parse PAYLOAD")
        payload = vietqr.build(
            vietqr.VietQr(
                bank_bin=args.bin,
                account=args.account,
                card=args.card,
                amount=args.amount,
                purpose=args.purpose or "",
            )
        )
    except vietqr.VietQrError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps({"payload": payload}) if args.json else payload)
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "vietqr", _run, "build a VietQR (NAPAS) payment payload, or parse and check one"
    )
    parser.add_argument("--bin", metavar="BIN", help="the bank's 6-digit NAPAS BIN, e.g. 970415")
    parser.add_argument("--account", metavar="ACC", help="beneficiary account (or card) number")
    parser.add_argument("--amount", type=int, metavar="N", help="amount in đồng (makes it dynamic)")
    parser.add_argument(
        "--purpose", metavar="TEXT", help="transfer purpose, ASCII, ≤ 25 characters"
    )
    parser.add_argument("--card", action="store_true", help="ACC is a card number (QRIBFTTC)")
    parser.add_argument("--parse", metavar="PAYLOAD", help="check a payload's lengths and CRC")
    parser.add_argument("--json", action="store_true", help="print JSON")
