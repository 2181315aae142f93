"""PACE DH generic mapping, integrated mapping and chip authentication mapping on the worked
examples of ICAO Doc 9303-11 Appendix G.2, H.1, H.2 and I.1 (vectors/pace_worked_examples.json)."""

from __future__ import annotations

from typing import Any

import pytest

from devices.card.access_key import CanKey, MrzKey, pace_password
from devices.card.asn1 import der_set
from devices.card.pace import (
    PaceOutcome,
    PaceParameters,
    auth_token,
    cam_iv,
    decrypt_chip_authentication_data,
    key_from_password,
    pace_session,
)
from devices.card.pace_mapping import DhPaceGroup, EcGroup, pseudo_random
from devices.card.security_infos import parse_security_infos
from tests.devices.card.icao_vectors import h, load

EXAMPLES = load("pace_worked_examples")
G2, H1, H2, I1 = (EXAMPLES[k] for k in ("G2_dh_gm", "H1_ecdh_im", "H2_dh_im", "I1_ecdh_cam"))
CAN = CanKey("123456")  # Appendix H's Kπ is KDFπ of this CAN (see vectors/PROVENANCE.md)


def _mrz(example: dict[str, Any]) -> MrzKey:
    return MrzKey(
        example["document_number_ascii"],
        example["date_of_birth_ascii"],
        example["date_of_expiry_ascii"],
    )


def _params(example: dict[str, Any]) -> PaceParameters:
    return PaceParameters.from_info(parse_security_infos(der_set(h(example["pace_info"]))).pace[0])


@pytest.mark.parametrize(
    ("example", "mapping", "parameter_id"),
    [
        (G2, "DH-GM", 0),  # Appendix G.2 PACEInfo
        (H1, "ECDH-IM", 13),  # Appendix H.1 (PACEInfo built from the OID the tokens cover)
        (H2, "DH-IM", 0),  # Appendix H.2
        (I1, "ECDH-CAM", 13),  # Appendix I.1 PACEInfo
    ],
)
def test_pace_info_of_each_example_selects_its_mapping(
    example: dict[str, Any], mapping: str, parameter_id: int
) -> None:
    params = _params(example)
    assert (params.mapping, params.cipher, params.parameter_id) == (mapping, "AES128", parameter_id)


@pytest.mark.parametrize(
    ("example", "key"),
    [(G2, _mrz(G2)), (H1, CAN), (H2, CAN), (I1, _mrz(I1))],
)
def test_password_key_k_pi_matches_each_example(
    example: dict[str, Any], key: MrzKey | CanKey
) -> None:
    assert key_from_password(pace_password(key)[0], "AES128") == h(example["k_pi"])


def test_mrz_password_of_i1_is_sha1_of_the_mrz_information() -> None:
    assert pace_password(_mrz(I1))[0] == h(I1["k_mrz"])


# --- integrated mapping: R_p and the mapped generator (Appendix H.1, H.2) ---


@pytest.mark.parametrize("example", [H1, H2], ids=["H.1", "H.2"])
def test_pseudo_random_function_matches_the_example(example: dict[str, Any]) -> None:
    group = _params(example).group
    value = pseudo_random(
        h(example["decrypted_nonce_s"]), h(example["nonce_t"]), "AES128", group.modulus
    )
    assert value == int.from_bytes(h(example["pseudo_random_r_mod_p"]), "big")
    assert int.from_bytes(h(example["pseudo_random_r"]), "big") % group.modulus == value


def test_point_encoding_gives_the_h1_mapped_generator() -> None:
    group = _params(H1).group
    mapped = group.integrated_map(int.from_bytes(h(H1["pseudo_random_r_mod_p"]), "big"))
    assert isinstance(mapped, EcGroup)
    assert mapped.curve.encode_point(mapped.generator) == h(H1["mapped_generator"])


def test_dh_integrated_mapping_gives_the_h2_mapped_generator() -> None:
    group = _params(H2).group
    mapped = group.integrated_map(int.from_bytes(h(H2["pseudo_random_r_mod_p"]), "big"))
    assert isinstance(mapped, DhPaceGroup)
    assert mapped.generator == int.from_bytes(h(H2["mapped_generator"]), "big")


@pytest.mark.parametrize("example", [H1, H2], ids=["H.1", "H.2"])
def test_key_agreement_on_the_mapped_generator_matches_the_example(example: dict[str, Any]) -> None:
    params = _params(example)
    mapped = params.group.integrated_map(int.from_bytes(h(example["pseudo_random_r_mod_p"]), "big"))
    sk_ifd, sk_ic = (int.from_bytes(h(example[k]), "big") for k in ("sk_ifd", "sk_ic"))
    assert mapped.public(sk_ifd) == h(example["pk_ifd"])
    assert mapped.public(sk_ic) == h(example["pk_ic"])
    assert mapped.agree(sk_ifd, h(example["pk_ic"])) == h(example["shared_secret_k"])


@pytest.mark.parametrize("example", [G2, H1, H2, I1], ids=["G.2", "H.1", "H.2", "I.1"])
def test_authentication_tokens_match_the_example(example: dict[str, Any]) -> None:
    params = _params(example)
    ks_mac = h(example["ks_mac"])
    assert auth_token(params, ks_mac, h(example["pk_ic"])) == h(example["t_ifd"])
    assert auth_token(params, ks_mac, h(example["pk_ifd"])) == h(example["t_ic"])


# --- whole exchanges, reader side ---


def _run(
    key: MrzKey | CanKey, example: dict[str, Any], randoms: list[bytes], responses: list[bytes]
) -> tuple[list[bytes], PaceOutcome]:
    info = parse_security_infos(der_set(h(example["pace_info"]))).pace[0]
    pending = list(randoms)
    step = pace_session(key, info, lambda n: pending.pop(0))
    commands = [next(step)]
    try:
        for response in responses:
            commands.append(step.send(response))
    except StopIteration as done:
        return commands, done.value
    raise AssertionError("PACE did not finish")


def _apdus(example: dict[str, Any]) -> tuple[list[bytes], list[bytes]]:
    apdus = example["apdus"]
    names = ["mse_set_at", "ga1", "ga2", "ga3", "ga4"]
    commands = [h(apdus["mse_set_at"])] + [h(apdus[f"{n}_cmd"]) for n in names[1:]]
    responses = [h(apdus["mse_set_at_resp"])] + [h(apdus[f"{n}_resp"]) for n in names[1:]]
    return commands, responses


@pytest.mark.parametrize(("example", "name"), [(G2, "G.2"), (I1, "I.1")])
def test_every_command_of_the_exchange_matches_the_example(
    example: dict[str, Any], name: str
) -> None:
    expected, responses = _apdus(example)
    randoms = [h(example["sk_map_ifd"]), h(example["sk_ifd"])]
    commands, outcome = _run(_mrz(example), example, randoms, responses)
    assert commands == expected
    assert (outcome.sm.ks_enc, outcome.sm.ks_mac) == (h(example["ks_enc"]), h(example["ks_mac"]))


@pytest.mark.parametrize("example", [H1, H2], ids=["H.1", "H.2"])
def test_integrated_mapping_exchange_sends_t_in_clear_and_reaches_the_example_keys(
    example: dict[str, Any],
) -> None:
    params = _params(example)
    # H.2's SK_IFD is written as a 1024-bit number; the key is used modulo the group order q
    sk_ifd = int.from_bytes(h(example["sk_ifd"]), "big") % params.group.order
    randoms = [h(example["nonce_t"]), sk_ifd.to_bytes(params.group.order_byte_length, "big")]
    z = h(example["encrypted_nonce_z"])
    pk_ic = h(example["pk_ic"])
    responses = [
        h("9000"),
        bytes((0x7C, len(z) + 2, 0x80, len(z))) + z + h("9000"),
        h("7C009000"),
        _template(0x84, pk_ic),
        _template(0x86, h(example["t_ic"])),
    ]
    commands, outcome = _run(CAN, example, randoms, responses)
    assert h(example["nonce_t"]) in commands[2]
    assert h(example["pk_ifd"]) in commands[3]
    assert h(example["t_ifd"]) in commands[4]
    assert (outcome.sm.ks_enc, outcome.sm.ks_mac) == (h(example["ks_enc"]), h(example["ks_mac"]))


def _template(tag: int, value: bytes) -> bytes:
    from devices.card.tlv import encode_tlv

    return encode_tlv(0x7C, encode_tlv(tag, value)) + h("9000")


# --- chip authentication mapping (Appendix I.1) ---


def _cam_outcome() -> PaceOutcome:
    _, responses = _apdus(I1)
    _, outcome = _run(_mrz(I1), I1, [h(I1["sk_map_ifd"]), h(I1["sk_ifd"])], responses)
    return outcome


def _chip_key() -> tuple[int, int]:
    info = parse_security_infos(der_set(h(I1["chip_authentication_public_key_info"])))
    key = info.chip_authentication_keys[0]
    assert key.key_id == 13
    return _params(I1).curve.decode_point(key.public_key)


def test_cam_iv_is_the_encryption_of_all_ones_under_ks_enc() -> None:
    assert cam_iv(h(I1["ks_enc"])) == h(I1["cam_iv"])


def test_encrypted_chip_authentication_data_decrypts_to_the_i1_value() -> None:
    value = decrypt_chip_authentication_data(h(I1["ks_enc"]), h(I1["encrypted_ca_data"]))
    assert value == int.from_bytes(h(I1["decrypted_ca_data"]), "big")


def test_cam_exchange_proves_the_chip_holds_the_card_security_key() -> None:
    evidence = _cam_outcome().cam
    assert evidence is not None
    assert evidence.ca_data == int.from_bytes(h(I1["decrypted_ca_data"]), "big")
    assert evidence.proves(_chip_key())


def test_cam_evidence_does_not_prove_another_key() -> None:
    evidence = _cam_outcome().cam
    assert evidence is not None
    other = evidence.curve.multiply(2, _chip_key())
    assert other is not None and not evidence.proves(other)
