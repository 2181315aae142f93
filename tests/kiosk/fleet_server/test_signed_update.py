"""The signed-update format both ends share (kiosk/crypto/signed_update.py, docs/fleet.md §4)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.crypto.signed_update import (
    UpdateRefused,
    public_key_b64,
    sign_update,
    signed_bytes,
    verify_update,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PINNED = public_key_b64(KEY.public_key())
PAYLOAD = b'{"format": 1}'


def test_a_signed_update_verifies_with_the_pinned_key_and_gives_its_payload():
    verified = verify_update(sign_update(KEY, "catalogue", PAYLOAD), PINNED, "catalogue")
    assert (verified.payload, verified.sha256) == (PAYLOAD, hashlib.sha256(PAYLOAD).hexdigest())


def test_the_signature_covers_the_domain_the_kind_the_digest_and_the_payload():
    document = sign_update(KEY, "trust", PAYLOAD)
    message = b"kiosk-fleet-update-v1\ntrust\n" + document["sha256"].encode() + b"\n" + PAYLOAD
    assert signed_bytes("trust", document["sha256"], PAYLOAD) == message
    KEY.public_key().verify(base64.b64decode(document["signature_b64"]), message)


def test_the_key_id_is_the_sha256_of_the_raw_public_key():
    raw = base64.b64decode(PINNED)
    assert sign_update(KEY, "trust", PAYLOAD)["key_id"] == hashlib.sha256(raw).hexdigest()


def _tampered_payload(document):
    document["payload_b64"] = base64.b64encode(PAYLOAD + b" ").decode()


def _tampered_payload_and_digest(document):
    payload = PAYLOAD.replace(b"1", b"2")
    document["payload_b64"] = base64.b64encode(payload).decode()
    document["sha256"] = hashlib.sha256(payload).hexdigest()


def _kind_swapped(document):
    document["kind"] = "trust"


def _signature_cut(document):
    document["signature_b64"] = base64.b64encode(b"\0" * 64).decode()


def _no_signature(document):
    del document["signature_b64"]


@pytest.mark.parametrize(
    "tamper",
    [_tampered_payload, _tampered_payload_and_digest, _kind_swapped, _signature_cut, _no_signature],
)
def test_a_tampered_or_unsigned_update_is_refused(tamper):
    document = sign_update(KEY, "catalogue", PAYLOAD)
    tamper(document)
    with pytest.raises(UpdateRefused):
        verify_update(document, PINNED)


def test_an_update_signed_by_another_key_is_refused_even_when_it_names_that_key():
    other = Ed25519PrivateKey.generate()
    with pytest.raises(UpdateRefused, match="another key"):
        verify_update(sign_update(other, "catalogue", PAYLOAD), PINNED)


def test_an_update_of_another_kind_than_expected_is_refused():
    with pytest.raises(UpdateRefused):
        verify_update(sign_update(KEY, "trust", PAYLOAD), PINNED, "catalogue")


def test_the_refusal_has_a_stable_code():
    assert UpdateRefused.code == "fleet_update_refused"
