"""BAC mutual authentication against ICAO 9303-11 Appendix D.3, driven as a sans-I/O step."""

import pytest

from devices.card.bac import bac
from devices.card.errors import AuthenticationFailed, CardAccessDenied
from tests.devices.card.icao_vectors import h, load

MA = load("bac_vectors")["mutual_authentication"]
MRZ_INFORMATION = load("bac_vectors")["inputs_text"]["mrz_information_ascii"]


def _scripted_random() -> object:
    values = [h(MA["rnd_ifd"]), h(MA["k_ifd"])]
    return lambda n: values.pop(0)


def _run_to_external_authenticate() -> tuple[object, bytes]:
    step = bac(MRZ_INFORMATION, _scripted_random())  # type: ignore[arg-type]
    assert next(step) == h(MA["get_challenge_apdu"])
    command = step.send(h(MA["rnd_ic"]) + b"\x90\x00")
    return step, command


def test_external_authenticate_carries_the_d3_cryptogram_and_mac() -> None:
    _, command = _run_to_external_authenticate()
    assert command == h(MA["external_authenticate_apdu"])


def test_session_keys_and_ssc_match_d3() -> None:
    step, _ = _run_to_external_authenticate()
    with pytest.raises(StopIteration) as done:
        step.send(h(MA["resp_data (e_ic||m_ic)"]) + b"\x90\x00")  # type: ignore[attr-defined]
    sm = done.value.value
    assert (sm.ks_enc, sm.ks_mac, sm.ssc) == (
        h(MA["ks_enc"]),
        h(MA["ks_mac"]),
        h(MA["ssc (last4(rnd_ic)||last4(rnd_ifd))"]),
    )


def test_a_chip_answer_with_a_wrong_mac_is_refused() -> None:
    step, _ = _run_to_external_authenticate()
    answer = bytearray(h(MA["resp_data (e_ic||m_ic)"]))
    answer[-1] ^= 1
    with pytest.raises(AuthenticationFailed):
        step.send(bytes(answer) + b"\x90\x00")  # type: ignore[attr-defined]


def test_wrong_mrz_key_status_6300_is_access_denied() -> None:
    step, _ = _run_to_external_authenticate()
    with pytest.raises(CardAccessDenied):
        step.send(b"\x63\x00")  # type: ignore[attr-defined]
