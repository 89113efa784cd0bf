"""Webhook authentication on the raw request bytes, in constant time.

Written with `hmac` rather than the vendors' SDKs: the checks are a few lines,
the SDKs would add megabytes to the Lambda package and cold start, and the
tests prove the result against the shared vectors and against stripe-python's
own signing code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

STRIPE_TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    """The request is not authentic; the message is safe to show the sender."""


def shopify_hmac(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_shopify(secret: str, body: bytes, header: str | None) -> None:
    if not header:
        raise SignatureError("missing X-Shopify-Hmac-Sha256 header")
    try:
        given = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("X-Shopify-Hmac-Sha256 is not base64") from exc
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    if not hmac.compare_digest(given, expected):
        raise SignatureError("X-Shopify-Hmac-Sha256 does not match the body")


def stripe_signature(secret: str, body: bytes, timestamp: int) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def stripe_header(secret: str, body: bytes, timestamp: int) -> str:
    return f"t={timestamp},v1={stripe_signature(secret, body, timestamp)}"


def verify_stripe(secret: str, body: bytes, header: str | None, now: float,
                  tolerance: int = STRIPE_TOLERANCE_SECONDS) -> int:
    """Check a Stripe-Signature header; returns its timestamp."""
    if not header:
        raise SignatureError("missing Stripe-Signature header")
    timestamp: int | None = None
    candidates: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError as exc:
                raise SignatureError("Stripe-Signature timestamp is not a number") from exc
        elif key == "v1":
            candidates.append(value)
    if timestamp is None:
        raise SignatureError("Stripe-Signature has no timestamp")
    if not candidates:
        raise SignatureError("Stripe-Signature has no v1 signature")
    expected = stripe_signature(secret, body, timestamp)
    if not any(hmac.compare_digest(expected.encode(), c.encode("utf-8", "replace")) for c in candidates):
        raise SignatureError("Stripe-Signature does not match the body")
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"Stripe-Signature timestamp is more than {tolerance} seconds from now")
    return timestamp


def verify_token(expected: str, given: str | None) -> None:
    if not given:
        raise SignatureError("missing inbound email token")
    if not hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "replace")):
        raise SignatureError("wrong inbound email token")


def verify_basic(username: str, password: str, header: str | None) -> None:
    if not header or not header.lower().startswith("basic "):
        raise SignatureError("missing HTTP Basic credentials")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise SignatureError("malformed HTTP Basic credentials") from exc
    user, _, pwd = decoded.partition(":")
    ok_user = hmac.compare_digest(user.encode(), username.encode())
    ok_pwd = hmac.compare_digest(pwd.encode(), password.encode())
    if not (ok_user and ok_pwd):
        raise SignatureError("wrong HTTP Basic credentials")
