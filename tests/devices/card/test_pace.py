"""PACE ECDH generic mapping: ICAO 9303-11 Appendix G.1 (brainpoolP256r1, AES-128)."""

from collections.abc import Generator

import pytest

from devices.card.access_key import CanKey, MrzKey, pace_password
from devices.card.ec import STANDARDIZED_CURVES
from devices.card.errors import AuthenticationFailed, CardAccessDenied
from devices.card.pace import mapped_generator, pace
from devices.card.secure_messaging import SecureMessaging
from devices.card.security_infos import parse_security_infos
from tests.devices.card.icao_vectors import h, load

PACE = load("pace_vectors")
G1 = PACE["G1_ecdh_gm"]
APDUS = G1["apdus"]
CURVE = STANDARDIZED_CURVES[13]
KEY = MrzKey(G1["document_number_ascii"], G1["date_of_birth_ascii"], G1["date_of_expiry_ascii"])


def _step() -> Generator[bytes, bytes, SecureMessaging]:
    info = parse_security_infos(h(G1["ef_cardaccess"])).pace[0]
    keys = [h(G1["sk_map_pcd"]), h(G1["sk_pcd (ephemeral)"])]
    return pace(KEY, info, lambda n: keys.pop(0))


def test_card_access_advertises_ecdh_gm_aes128_on_parameter_13() -> None:
    info = parse_security_infos(h(G1["ef_cardaccess"])).pace[0]
    assert (info.mapping, info.cipher, info.parameter_id, info.version) == (
        "ECDH-GM", "AES128", 13, 2,
    )  # fmt: skip


def test_mrz_password_is_sha1_of_the_mrz_information_g1() -> None:
    assert pace_password(KEY) == (h(G1["k_pi_seed (SHA1(MRZ information))"]), 1)


def test_can_password_is_the_can_digits() -> None:
    assert pace_password(CanKey("123456")) == (b"123456", 2)


def test_generic_mapping_gives_the_g1_generator() -> None:
    h_point = CURVE.decode_point(h(G1["shared_secret_h"]))
    mapped = mapped_generator(CURVE, h(G1["decrypted_nonce_s"]), h_point)
    assert CURVE.encode_point(mapped) == h(G1["mapped_generator"])


@pytest.mark.parametrize(
    ("response", "next_command"),
    [
        (None, "mse_set_at (as in Doc 9303 / dmrtd / Kotlin test)"),
        ("9000", "ga1_cmd"),
        ("ga1_resp", "ga2_cmd"),
        ("ga2_resp", "ga3_cmd"),
        ("ga3_resp", "ga4_cmd"),
    ],
)
def test_each_pace_command_matches_g1(response: str | None, next_command: str) -> None:
    step = _step()
    command = next(step)
    order = ["9000", "ga1_resp", "ga2_resp", "ga3_resp"]
    for name in order[: order.index(response) + 1] if response else []:
        command = step.send(h(name) if name == "9000" else h(APDUS[name]))
    assert command == h(APDUS[next_command])


def _finish(last: bytes) -> SecureMessaging:
    step = _step()
    next(step)
    step.send(h("9000"))
    for name in ("ga1_resp", "ga2_resp", "ga3_resp"):
        step.send(h(APDUS[name]))
    with pytest.raises(StopIteration) as done:
        step.send(last)
    sm: SecureMessaging = done.value.value
    return sm


def test_session_keys_match_g1_and_ssc_starts_at_zero() -> None:
    sm = _finish(h(APDUS["ga4_resp"]))
    assert (sm.ks_enc, sm.ks_mac, sm.ssc) == (h(G1["ks_enc"]), h(G1["ks_mac"]), bytes(16))


def test_a_wrong_chip_token_fails_authentication() -> None:
    forged = bytearray(h(APDUS["ga4_resp"]))
    forged[-3] ^= 0x40
    with pytest.raises(AuthenticationFailed):
        _finish(bytes(forged))


def test_a_wrong_password_answer_6300_is_access_denied() -> None:
    with pytest.raises(CardAccessDenied):
        _finish(h("6300"))
