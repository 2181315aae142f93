"""`kiosk camera verify|scan-qr|capture-doc`: the camera's face match, QR decoding and document
capture, run on image files."""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.cli import CliError, add_command, load_config_from_args


def _image(path: str) -> Any:
    from devices.camera.errors import ImageUnreadable
    from devices.camera.sources import read_image

    try:
        return read_image(path)
    except ImageUnreadable as exc:  # also too many bytes or pixels (ImageTooLarge)
        raise CliError(str(exc)) from None


def _verify(args: argparse.Namespace) -> int:
    from devices.camera.errors import NoFaceFound, SeveralFaces
    from devices.camera.face import DEFAULT_THRESHOLD, DlibFaceModel, only_face

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    landmarks = load_config_from_args(args).devices.face_landmarks  # [devices] face_landmarks
    frames = [(path, _image(path)) for path in (args.image_a, args.image_b)]  # fail fast
    model = DlibFaceModel(threshold=threshold, landmarks=landmarks)
    embeddings = []
    for path, frame in frames:
        try:
            face = only_face(model, frame)
        except (NoFaceFound, SeveralFaces) as exc:
            raise CliError(f"{path}: {exc}") from None
        embeddings.append(model.embed(frame, face))
    score = model.score(embeddings[0], embeddings[1])
    result = {"match": score >= threshold, "score": round(score, 4), "threshold": threshold}
    if args.json:
        print(json.dumps(result))
    else:
        verdict = "same person" if result["match"] else "different people"
        print(f"{verdict}: score {result['score']:.4f} (threshold {threshold})")
    return 0


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def card_qr_fields(text: str) -> dict[str, Any] | None:
    """The card package's parse of a CCCD QR text (`devices.card.qr.parse_qr`), or None while
    that parser is not there."""
    try:
        from devices.card import qr as card_qr  # type: ignore[attr-defined]
    except ImportError:
        return None
    parse = getattr(card_qr, "parse_qr", None)
    if parse is None:
        return None
    from devices.card.errors import CardError

    try:
        parsed = _plain(parse(text))
    except CardError as exc:
        raise CliError(f"the QR code is not an ID card QR: {exc}") from None
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def _scan_qr(args: argparse.Namespace) -> int:
    from devices.camera.qr import DEFAULT_DECODER, make_decoder

    frame = _image(args.image)
    decoder = make_decoder(args.decoder or DEFAULT_DECODER)
    text = decoder.decode(frame)
    if text is None:
        raise CliError(f"{args.image}: no readable QR code")
    fields = card_qr_fields(text)
    if args.json:
        result: dict[str, Any] = {"raw": text, "fields": fields, "decoder": decoder.name}
        if fields is None:
            result["note"] = "card QR parser (devices.card.qr.parse_qr) not available"
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(text)
        for key, value in (fields or {}).items():
            print(f"{key}: {value}")
    return 0


def _capture_doc(args: argparse.Namespace) -> int:
    from devices.camera.document import capture_document, encode_jpeg, pdf_from_jpegs
    from devices.camera.errors import DocumentNotFound

    out = Path(args.out)
    as_pdf = out.suffix.lower() == ".pdf"
    if not as_pdf and out.suffix.lower() not in (".jpg", ".jpeg"):
        raise CliError(f"--out {out}: use a .pdf, .jpg or .jpeg file name")
    if len(args.images) > 1 and not as_pdf:
        raise CliError("several pages need a .pdf output file")
    pages = []
    for path in args.images:
        try:
            page = capture_document(_image(path))
        except DocumentNotFound:
            raise CliError(f"{path}: no page with four clear edges found") from None
        pages.append(encode_jpeg(page, args.quality))
    data = pdf_from_jpegs(pages) if as_pdf else pages[0]
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror}") from None
    if args.json:
        print(json.dumps({"out": str(out), "pages": len(pages), "bytes": len(data)}))
    else:
        print(f"{out}: {len(pages)} page(s), {len(data)} bytes")
    return 0


def _no_action(args: argparse.Namespace) -> int:
    raise CliError("choose an action: verify, scan-qr or capture-doc")


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "camera", _no_action, "camera: face match, QR, documents")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    verify = add_command(
        actions, "verify", _verify, "compare the faces in two images (1:1 face match)"
    )
    verify.add_argument("image_a", metavar="IMAGE_A")
    verify.add_argument("image_b", metavar="IMAGE_B")
    verify.add_argument("--threshold", type=float, default=None, help="score needed for a match")
    verify.add_argument("--json", action="store_true", help="print {match, score, threshold}")

    scan = add_command(actions, "scan-qr", _scan_qr, "decode an ID card's QR code in an image")
    scan.add_argument("image", metavar="IMAGE")
    scan.add_argument("--decoder", choices=("zxing", "opencv"), default="")
    scan.add_argument("--json", action="store_true", help="print {raw, fields, decoder}")

    doc = add_command(
        actions, "capture-doc", _capture_doc, "find, flatten and enhance a paper in photos"
    )
    doc.add_argument("images", metavar="IMAGE", nargs="+", help="one photo per page")
    doc.add_argument("--out", required=True, metavar="FILE", help=".jpg (one page) or .pdf")
    doc.add_argument("--quality", type=int, default=75, choices=range(30, 96), metavar="30-95")
    doc.add_argument("--json", action="store_true", help="print {out, pages, bytes}")
