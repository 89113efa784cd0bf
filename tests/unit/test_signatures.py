"""Signature checks against the shared vectors and against stripe-python's own signing code."""

from __future__ import annotations

import time

import pytest
import stripe

from chalicelib.ingress.signatures import (
    SignatureError,
    shopify_hmac,
    stripe_header,
    verify_basic,
    verify_shopify,
    verify_stripe,
    verify_token,
)
from tests.conftest import shared_bytes, shared_json


def shopify_vectors() -> list[dict[str, str]]:
    data = shared_json("shopify/signature/computed_hmac_vectors.json")
    assert data["secret"] == "hush"
    vectors: list[dict[str, str]] = data["vectors"]
    return vectors


def test_every_shopify_vector_verifies_and_matches_our_hmac() -> None:
    vectors = shopify_vectors()
    assert len(vectors) >= 15
    for vector in vectors:
        body = shared_bytes(f"shopify/{vector['file']}")
        assert shopify_hmac("hush", body) == vector["X-Shopify-Hmac-Sha256"], vector["file"]
        verify_shopify("hush", body, vector["X-Shopify-Hmac-Sha256"])


def test_shopify_rejects_tampering_wrong_secret_and_garbage() -> None:
    vector = shopify_vectors()[0]
    body = shared_bytes(f"shopify/{vector['file']}")
    header = vector["X-Shopify-Hmac-Sha256"]
    with pytest.raises(SignatureError, match="does not match"):
        verify_shopify("hush", body.replace(b"example", b"exampl3", 1), header)
    with pytest.raises(SignatureError, match="does not match"):
        verify_shopify("not-hush", body, header)
    with pytest.raises(SignatureError, match="missing"):
        verify_shopify("hush", body, None)
    with pytest.raises(SignatureError, match="not base64"):
        verify_shopify("hush", body, "%%%not base64%%%")


def test_stripe_vectors_from_stripe_python() -> None:
    data = shared_json("stripe/signature/computed_signature_vectors.json")
    payload = shared_bytes(f"stripe/signature/{data['payload_file']}")
    checked = 0
    for vector in data["vectors"]:
        header = vector["Stripe-Signature"]
        expect_valid = vector.get("expect", "valid") == "valid"
        ts = 1700000000 if "t=1700000000" in header else 12345
        if expect_valid:
            assert verify_stripe("whsec_test_secret", payload, header, now=ts + 10) == ts
        else:
            with pytest.raises(SignatureError):
                verify_stripe("whsec_test_secret", payload, header, now=ts + 10)
        checked += 1
    assert checked == len(data["vectors"]) >= 6


def test_stripe_timestamp_tolerance_is_300_seconds() -> None:
    body = b'{"id": "evt_1", "type": "invoice.payment_failed"}'
    header = stripe_header("whsec_x", body, 1_000_000)
    verify_stripe("whsec_x", body, header, now=1_000_300)
    with pytest.raises(SignatureError, match="300 seconds"):
        verify_stripe("whsec_x", body, header, now=1_000_301)
    with pytest.raises(SignatureError, match="300 seconds"):
        verify_stripe("whsec_x", body, header, now=999_699)


def test_signatures_made_by_the_stripe_library_are_accepted_and_tampered_ones_rejected() -> None:
    secret = "whsec_library_made"
    body = b'{"id": "evt_lib", "object": "event", "type": "invoice.payment_failed"}'
    now = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{now}.{body.decode()}", secret)
    header = f"t={now},v1={signature}"
    # The library's own verifier agrees that this header is valid...
    assert stripe.WebhookSignature.verify_header(body.decode(), header, secret, tolerance=300)
    # ...and so does ours.
    assert verify_stripe(secret, body, header, now=now) == now
    # Several v1 values: one good is enough.
    verify_stripe(secret, body, f"t={now},v1=deadbeef,v1={signature}", now=now)
    tampered = body.replace(b"failed", b"paid!!")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(tampered.decode(), header, secret, tolerance=300)
    with pytest.raises(SignatureError):
        verify_stripe(secret, tampered, header, now=now)


def test_inbound_email_token_and_basic_auth() -> None:
    verify_token("s3cret", "s3cret")
    for bad in (None, "", "s3cre", "s3cret "):
        with pytest.raises(SignatureError):
            verify_token("s3cret", bad)
    import base64

    good = "Basic " + base64.b64encode(b"warmline:s3cret").decode()
    verify_basic("warmline", "s3cret", good)
    for bad in (None, "Bearer x", "Basic ???", "Basic " + base64.b64encode(b"warmline:nope").decode(),
                "Basic " + base64.b64encode(b"other:s3cret").decode()):
        with pytest.raises(SignatureError):
            verify_basic("warmline", "s3cret", bad)
