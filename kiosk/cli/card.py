"""`kiosk card read|inspect|mrz|qr`: read a chip, check LDS files offline, parse an MRZ or a QR."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _emit(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for inner, item in value.items():
                print(f"  {inner}: {'' if item is None else item}")
        else:
            print(f"{key}: {'' if value is None else value}")


def _trust_store(paths: list[str] | None, args: argparse.Namespace) -> Any:
    from devices.card.trust_store import TrustStore, load_trust_store

    if not paths:
        return load_trust_store(load_config_from_args(args).trust_store)
    store = TrustStore()
    for path in paths:
        if not Path(path).exists():
            raise CliError(f"--csca {path}: no such file or folder")
        loaded = load_trust_store(path)
        store.certificates.extend(loaded.certificates)
        store.skipped.extend(loaded.skipped)
        store.refused.extend(loaded.refused)  # CSCAs only the lenient parser reads
    return store


# --- read ---------------------------------------------------------------------------------------


def _access_keys(args: argparse.Namespace, simulated: bool) -> Any:
    from devices.card.access_key import AccessKeys, CanKey, MrzKey
    from devices.card.mrz import parse_mrz
    from devices.card.qr import parse_qr

    given = [k for k in ("can", "mrz", "qr") if getattr(args, k)]
    if len(given) > 1:
        raise CliError("give only one of --can, --mrz, --qr")
    if args.can:
        return AccessKeys(can=CanKey(args.can))
    if args.mrz:
        mrz = parse_mrz(args.mrz)
        return AccessKeys(mrz=MrzKey(mrz.document_number, mrz.date_of_birth, mrz.date_of_expiry))
    if args.qr:
        return parse_qr(args.qr).access_keys()
    if simulated:
        from devices.card.simulator import demo_citizens

        return parse_qr(demo_citizens()[0].qr_text).access_keys()
    raise CliError("give the access key: --can N, --mrz TEXT or --qr TEXT")


def _read(args: argparse.Namespace) -> int:
    from devices.card.document import (
        build_document,
        document_json,
        settled_chip_authentication,
    )
    from devices.card.errors import CardError
    from devices.card.reader import ChipReader
    from devices.card.transports.registry import parse_spec

    spec = args.reader or load_config_from_args(args).devices.card_reader
    try:
        reader = parse_spec(spec)
        keys = _access_keys(args, reader.simulated)
        store = _trust_store(args.csca, args)
        if reader.simulated and not args.csca:
            from devices.card.simulator import demo_pki

            store.certificates.append(demo_pki().csca_certificate)  # the demo card's CSCA
        transport = reader.open()
        try:
            result = ChipReader(transport).read(keys)
        finally:
            transport.disconnect()
        document = build_document(result.files, store, card_security=result.card_security)
    except CardError as exc:
        raise CliError(f"{exc.code}: {exc}") from None
    if args.photo:
        if document.face is None:
            raise CliError("the card has no readable face image (DG2)")
        try:
            Path(args.photo).write_bytes(document.face.image)
        except OSError as exc:
            raise CliError(f"cannot write {args.photo}: {exc.strerror}") from None
    stats = result.stats
    output = {
        "reader": spec,
        "access_method": result.access_method,
        **document_json(document),
        "active_authentication": result.active_authentication.as_json(),
        "chip_authentication": settled_chip_authentication(
            document, result.chip_authentication
        ).as_json(),
        "timings": {
            "access_ms": round(stats.access_s * 1000, 1),
            "files_ms": round(stats.files_s * 1000, 1),
            "protocol_ms": round(stats.protocol_s * 1000, 1),
            "link_ms": round(stats.link_s * 1000, 1),
        },
        "apdu_count": stats.apdus,
        "resumes": stats.resumes,
        "files": {name: len(content) for name, content in result.files.items()},
    }
    _emit(output, args.json)
    return 0


# --- inspect ------------------------------------------------------------------------------------


def _inspect(args: argparse.Namespace) -> int:
    from devices.card.document import build_document, document_json
    from devices.card.errors import CardError
    from devices.card.lds import MAX_FILE_BYTES, check_file_size, identify

    named: dict[str, bytes] = {}
    for path in args.files:
        try:
            with Path(path).open("rb") as file:  # never more than the cap in memory
                content = file.read(MAX_FILE_BYTES + 1)
                size = len(content) if len(content) <= MAX_FILE_BYTES else file.seek(0, 2)
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            check_file_size(size)
            name = identify(content).name
        except CardError as exc:
            raise CliError(f"{path}: {exc}") from None
        if name in named:
            raise CliError(f"{path}: a second {name} file")
        named[name] = content
    try:
        document = build_document(named, _trust_store(args.csca, args))
    except CardError as exc:
        raise CliError(str(exc)) from None
    if len(named) == 1 and document.problems:
        name, problem = next(iter(document.problems.items()))
        raise CliError(f"{args.files[0]}: {name} does not parse: {problem}")
    _emit(document_json(document), args.json)
    return 0


# --- mrz / qr -----------------------------------------------------------------------------------


def _mrz(args: argparse.Namespace) -> int:
    from devices.card import compute_key_seed
    from devices.card.document import dg1_json
    from devices.card.errors import CardError
    from devices.card.mrz import parse_mrz

    text = args.text.replace("\\n", "\n")
    try:
        mrz = parse_mrz(text)
    except CardError as exc:
        raise CliError(str(exc)) from None
    output = {
        **dg1_json(mrz),
        "id_number": mrz.full_id_number,
        "mrz_information": mrz.mrz_information,
        "key_seed": compute_key_seed(mrz.mrz_information).hex().upper(),
    }
    _emit(output, args.json)
    return 0


def _qr(args: argparse.Namespace) -> int:
    from devices.card.errors import CardError
    from devices.card.qr import parse_qr

    try:
        qr = parse_qr(args.text)
        key = qr.mrz_key
    except CardError as exc:
        raise CliError(str(exc)) from None
    expiry = qr.date_of_expiry
    output = {
        "layout": qr.layout,
        "id_number": qr.id_number,
        "old_id_number": qr.old_id_number,
        "full_name": qr.full_name,
        "date_of_birth": qr.date_of_birth.isoformat(),
        "sex": qr.sex,
        "place_of_residence": qr.place_of_residence,
        "date_of_issue": qr.date_of_issue.isoformat() if qr.date_of_issue else None,
        "date_of_expiry": expiry.isoformat() if expiry else None,
        "valid_for_life": qr.date_of_issue is not None and expiry is None,
        "can": qr.can,
        "mrz_information": key.information if key else None,
    }
    _emit(output, args.json)
    return 0


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "card", lambda a: _usage(parser), "read or check a chip ID card"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    read = add_command(actions, "read", _read, "read and verify the chip on a reader")
    read.add_argument(
        "--reader",
        metavar="SPEC",
        help="as [devices] card_reader, e.g. pn532:PORT (default: config)",
    )
    keys = read.add_mutually_exclusive_group()
    keys.add_argument("--can", metavar="N", help="card access number (last 6 digits of the ID)")
    keys.add_argument("--mrz", metavar="TEXT", help="the MRZ, three lines separated by newlines")
    keys.add_argument("--qr", metavar="TEXT", help="the text of the card's QR code")
    read.add_argument("--photo", metavar="FILE", help="write the chip photo (DG2 image) here")
    read.add_argument(
        "--csca", metavar="PATH", action="append", help="CSCA certificate / master list / folder"
    )
    read.add_argument("--json", action="store_true", help="print JSON")

    inspect = add_command(actions, "inspect", _inspect, "parse LDS files and run passive auth")
    inspect.add_argument("files", nargs="+", metavar="FILE", help="EF.COM, DG1…DG16, EF.SOD")
    inspect.add_argument(
        "--csca", metavar="PATH", action="append", help="CSCA certificate / master list / folder"
    )
    inspect.add_argument("--json", action="store_true", help="print JSON")

    mrz = add_command(actions, "mrz", _mrz, "parse an MRZ (TD1, TD2 or TD3) and check its digits")
    mrz.add_argument("text", metavar="TEXT", help="the MRZ lines separated by newlines")
    mrz.add_argument("--json", action="store_true", help="print JSON")

    qr = add_command(actions, "qr", _qr, "parse the ID card's QR text")
    qr.add_argument("text", metavar="TEXT", help="the QR code's text")
    qr.add_argument("--json", action="store_true", help="print JSON")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
