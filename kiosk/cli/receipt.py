"""`kiosk receipt`: render a sample receipt, slip or report; list and reprint the print queue.

kiosk receipt --sample [--kind KIND] [--format pdf|escpos|png] --out FILE
kiosk receipt --list [--json]
kiosk receipt --reprint JOB_ID --staff NAME   (the staff member's PIN on standard input)

A reprint needs a staff member with the reprint permission, checked in the core
(`StaffDirectory.authenticate`, then `perform`, which calls `require` and audits the reprint);
the CLI has no PIN pad, so the PIN is the first line of standard input, or asked at a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args
from kiosk.cli.staff import staff_refusal

A4_KINDS = ("receipt", "kiosk-reference", "ct04", "report")
SLIP_KINDS = ("receipt", "kiosk-reference", "ct04", "activation", "offline", "ticket")


def _sample_bytes(kind: str, fmt: str) -> bytes:
    from printing import samples

    if fmt == "pdf":
        if kind not in A4_KINDS:
            raise CliError(f"--kind {kind} is a thermal slip: use --format png or escpos")
        if kind == "report":
            from printing.report import report_pdf

            return report_pdf(samples.sample_report())
        from printing.receipt import receipt_pdf

        return receipt_pdf(_sample_receipt(kind))
    if kind not in SLIP_KINDS:
        raise CliError(f"--kind {kind} is an A4 document: use --format pdf")
    from printing import slip

    if kind == "activation":
        image = slip.activation_slip(samples.sample_activation()).image
    elif kind == "offline":
        image = slip.offline_slip(samples.sample_offline()).image
    elif kind == "ticket":
        image = slip.queue_ticket(samples.sample_ticket()).image
    else:
        image = slip.receipt_slip(_sample_receipt(kind)).image
    if fmt == "escpos":
        from printing.escpos import encode

        return encode(image)
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _sample_receipt(kind: str) -> Any:
    from printing import samples
    from printing.model import FORM_CT04

    if kind == "ct04":
        return samples.sample_receipt(form=FORM_CT04)
    return samples.sample_receipt(kiosk_reference=kind == "kiosk-reference")


def _run(args: argparse.Namespace) -> int:
    if args.list or args.reprint:
        return _queue(args)
    if not args.sample:
        raise CliError("give --sample (with --out FILE), --list or --reprint JOB_ID")
    if not args.out:
        raise CliError("--sample needs --out FILE")
    data = _sample_bytes(args.kind, args.format)
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror}") from None
    print(str(out))
    return 0


def _queue(args: argparse.Namespace) -> int:
    from kiosk.crypto.errors import CryptoError
    from kiosk.runtime import open_print_queue

    config = load_config_from_args(args)
    try:
        queue = open_print_queue(config)  # the jobs are sealed: the kiosk's keyring opens them
    except CryptoError as exc:
        raise CliError(f"cannot open the print queue's keys: {exc}") from None
    if args.list:
        jobs = queue.jobs()
        if args.json:
            rows = [
                {"job_id": j.job_id, "name": j.name, "kind": j.kind, "state": j.state,
                 "reason": j.reason, "created_at": j.created_at.isoformat(), "attempts": j.attempts}
                for j in jobs
            ]  # fmt: skip
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for j in jobs:
                print(f"{j.job_id}  {j.state:<8} {j.reason or '-':<18} {j.kind:<10} {j.name}")
        return 0
    from devices.printer.errors import PrinterError
    from devices.printer.queue import JobForgotten, UnknownJob
    from kiosk.domain.model import NotBuilt
    from kiosk.services.printing import printer_for

    _staff_may_reprint(config, args.staff, args.reprint)
    try:
        where = queue.send(
            args.reprint, printer_for(config.devices.printer, config.print_dir)
        ).where
    except UnknownJob:
        raise CliError(f"no print job {args.reprint!r} (see kiosk receipt --list)") from None
    except JobForgotten:
        raise CliError(
            f"print job {args.reprint!r} is not printed: its citizen was forgotten "
            "(kiosk retention forget) and the receipt erased"
        ) from None
    except (PrinterError, NotBuilt) as exc:
        raise CliError(f"not printed: {exc}") from None
    except CryptoError as exc:
        raise CliError(f"print job {args.reprint!r} cannot be opened: {exc}") from None
    print(where)
    return 0


def _read_pin(username: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    return getpass.getpass(f"PIN of {username}: ")


def _staff_may_reprint(config: Any, username: str | None, job_id: str) -> None:
    """`username` is a staff member with the reprint permission and the PIN is theirs (the
    reprint is audited under their name), or CliError; refusals are audited and wrong PINs count
    towards the account's lockout."""
    from kiosk.records.staff import NotPermitted, Permission, StaffError
    from kiosk.runtime import open_staff_directory
    from kiosk.store import open_store

    if not username:
        raise CliError("--reprint needs --staff NAME (the staff member's PIN on standard input)")
    pin = _read_pin(username)
    if not pin:
        raise CliError(f"no PIN for {username}: give it on the first line of standard input")
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(config.database_url)
    try:
        directory = open_staff_directory(config, store)
        try:
            user = directory.authenticate(username, pin)
            directory.perform(user, Permission.REPRINT_RECEIPT, "receipt_reprint", {"job": job_id})
        except NotPermitted:
            raise CliError(f"{username} may not reprint receipts; nothing was printed") from None
        except StaffError as exc:
            raise CliError(
                f"not confirmed: {staff_refusal(exc, username)}; nothing was printed"
            ) from None
    finally:
        store.close()


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "receipt", _run, "render a sample receipt/slip/report, or reprint a kept job"
    )
    parser.add_argument("--sample", action="store_true", help="render the built-in sample")
    parser.add_argument(
        "--kind",
        choices=sorted(set(A4_KINDS) | set(SLIP_KINDS)),
        default="receipt",
        help="which sample (default: receipt)",
    )
    parser.add_argument(
        "--format",
        choices=("pdf", "escpos", "png"),
        default="pdf",
        help="pdf: the A4 document; png / escpos: the 80 mm thermal slip",
    )
    parser.add_argument("--out", metavar="FILE", help="where to write the rendering")
    parser.add_argument("--list", action="store_true", help="list the print queue")
    parser.add_argument(
        "--reprint", metavar="JOB_ID", help="print a kept job again (needs --staff NAME)"
    )
    parser.add_argument(
        "--staff",
        metavar="NAME",
        help="with --reprint: a staff member allowed to reprint (the PIN on standard input)",
    )
    parser.add_argument("--json", action="store_true", help="with --list: print JSON")
