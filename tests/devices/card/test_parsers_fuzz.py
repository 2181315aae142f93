"""Every parser of card data raises only the package's typed errors (`CardError`) on random and
mutated bytes — never IndexError, ValueError, UnicodeDecodeError or a crash."""

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.card.apdu import CommandAPDU, ResponseAPDU
from devices.card.document import build_document
from devices.card.errors import CardError
from devices.card.lds import BY_NAME
from devices.card.lds.com import parse_com
from devices.card.lds.dg1 import parse_dg1
from devices.card.lds.dg2 import parse_dg2
from devices.card.lds.dg13 import parse_dg13
from devices.card.lds.dg14 import parse_dg14
from devices.card.lds.dg15 import parse_dg15
from devices.card.lds.sod import parse_sod
from devices.card.mrz import parse_mrz
from devices.card.passive_auth import passive_authentication
from devices.card.qr import parse_qr
from devices.card.security_infos import parse_security_infos
from devices.card.tlv import iter_tlv
from devices.card.trust_store import certificates_in
from tests.devices.card.simulated_cards import CITIZEN, profile, trust

PARSERS: dict[str, tuple[Callable[[bytes], Any], str]] = {
    "COM": (parse_com, "COM"),
    "DG1": (parse_dg1, "DG1"),
    "DG2": (parse_dg2, "DG2"),
    "DG13": (parse_dg13, "DG13"),
    "DG14": (parse_dg14, "DG14"),
    "DG15": (parse_dg15, "DG15"),
    "SOD": (parse_sod, "SOD"),
}
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sample(name: str) -> bytes:
    content = profile().files[BY_NAME[name].fid]
    return content[:3000] if name == "DG2" else content  # a cut DG2 keeps the run fast


def check_only_typed_errors(parser: Callable[[bytes], Any], data: bytes) -> None:
    with contextlib.suppress(CardError):  # typed errors are the allowed outcome
        parser(data)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        else:
            del data[at]
    return bytes(data)


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=st.binary(max_size=300))
def test_parsers_raise_only_typed_errors_on_random_bytes(name: str, data: bytes) -> None:
    check_only_typed_errors(PARSERS[name][0], bytes((BY_NAME[name].tag,)) + data)


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=st.data())
def test_parsers_raise_only_typed_errors_on_mutated_files(name: str, data: st.DataObject) -> None:
    check_only_typed_errors(PARSERS[name][0], data.draw(mutated(_sample(name))))


@FUZZ
@given(data=st.binary(max_size=200))
def test_tlv_apdu_and_security_infos_raise_only_typed_errors(data: bytes) -> None:
    check_only_typed_errors(lambda d: list(iter_tlv(d)), data)
    check_only_typed_errors(CommandAPDU.decode, data)
    check_only_typed_errors(ResponseAPDU.decode, data)
    check_only_typed_errors(parse_security_infos, b"\x31" + data)
    check_only_typed_errors(certificates_in, data)


@FUZZ
@given(text=st.text(alphabet=st.characters(max_codepoint=0x1EFF), max_size=120))
def test_mrz_and_qr_parsers_raise_only_typed_errors(text: str) -> None:
    check_only_typed_errors(parse_mrz, text)  # type: ignore[arg-type]
    check_only_typed_errors(parse_qr, text)  # type: ignore[arg-type]


@FUZZ
@given(text=st.data())
def test_mutated_qr_and_mrz_text_raise_only_typed_errors(text: st.DataObject) -> None:
    qr = text.draw(mutated(CITIZEN.qr_text.encode())).decode("utf-8", "replace")
    mrz = text.draw(mutated(CITIZEN.mrz_text.encode())).decode("ascii", "replace")
    check_only_typed_errors(parse_qr, qr)  # type: ignore[arg-type]
    check_only_typed_errors(parse_mrz, mrz)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_passive_authentication_of_a_mutated_sod_reports_a_status(data: st.DataObject) -> None:
    card = profile()
    sod = data.draw(mutated(card.files[BY_NAME["SOD"].fid]))
    groups = {"DG1": card.files[0x0101]}
    result = passive_authentication(sod, groups, trust())
    assert result.status.value in {
        "VALID",
        "DATA_TAMPERED",
        "SIGNATURE_INVALID",
        "NOT_IN_SOD",
        "UNTRUSTED_CSCA",
    }
    build_document({"SOD": sod, **groups}, trust())
