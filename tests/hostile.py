"""Signed mutations of the real fixtures: the payload side of the property tests and of `bench/soak_fuzz.py`.

Plain `random.Random` drives every choice, so the same code serves Hypothesis (which hands in its own
shrinkable Random) and the soak script (a seeded Random). Nothing here imports pytest.

A mutation picks one to three places in a real fixture's JSON and replaces, deletes or adds a value
drawn from what attackers and buggy senders send: out-of-range numbers and timestamps, lone
surrogates, CR/LF and bidi characters in addresses and names, wrong types, deep nesting, huge text.
Most mutations land on a key the translators read, with a value chosen for what that key means.
"""

from __future__ import annotations

import copy
import json
import random
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SECRETS", "Seed", "encode", "load_seeds", "mutate", "signed_request"]

SECRETS = {"shopify": "hush", "stripe": "whsec_test_secret", "email": "inbound-token-for-tests"}
SHOP_DOMAIN = "rosies-bakery.myshopify.com"

STRIPE_OBJECT_TYPES = {
    "charge.json": "charge.failed",
    "dispute.json": "charge.dispute.created",
    "payment_intent.json": "payment_intent.payment_failed",
    "checkout_session.json": "checkout.session.completed",
    "invoice.json": "invoice.payment_failed",
    "refund.json": "charge.refunded",
}


@dataclass(frozen=True)
class Seed:
    """One real fixture, ready to mutate: which route takes it, under which topic or event type."""

    route: str  # "shopify" | "stripe" | "email" | "ses"
    topic: str
    name: str
    doc: Any


def load_seeds(fixtures: Path, routes: tuple[str, ...] = ("shopify", "stripe", "email", "ses")) -> list[Seed]:
    """Every real fixture for the given routes (raises FileNotFoundError when ../shared is missing)."""
    if not fixtures.is_dir():
        raise FileNotFoundError(f"the shared fixtures are missing: expected {fixtures}")
    seeds: list[Seed] = []
    if "shopify" in routes:
        vectors = json.loads((fixtures / "shopify/signature/computed_hmac_vectors.json").read_text())["vectors"]
        for vector in vectors:
            # Privacy samples name the literal "{shop}": fill it in, as Shopify does for a real shop.
            text = (fixtures / "shopify" / vector["file"]).read_text().replace("{shop}", "rosies-bakery")
            seeds.append(Seed("shopify", vector["X-Shopify-Topic"], vector["file"], json.loads(text)))
        for path in sorted((fixtures / "shopify/legacy_variants").glob("*.json")):
            seeds.append(Seed("shopify", "customers/update", path.name, json.loads(path.read_text())))
    if "stripe" in routes:
        for path in sorted((fixtures / "stripe/pay_rails_event_data").glob("*.json")):
            event_type = path.name.removesuffix(".json")
            data = json.loads(path.read_text())
            seeds.append(Seed("stripe", event_type, path.name, _stripe_event(data, event_type)))
        for name, event_type in STRIPE_OBJECT_TYPES.items():
            data = json.loads((fixtures / "stripe/openapi_fixtures" / name).read_text())
            seeds.append(Seed("stripe", event_type, name, _stripe_event({"object": data}, event_type)))
    if "email" in routes:
        for path in sorted((fixtures / "email/postmark").glob("*.json")):
            seeds.append(Seed("email", "inbound", path.name, json.loads(path.read_text())))
    if "ses" in routes:
        for path in sorted((fixtures / "email/ses").glob("*.json")):
            data = json.loads(path.read_text())
            if data.get("Type") == "Notification":  # the SNS HTTP envelope: its Message is the notification
                data = json.loads(data["Message"])
            seeds.append(Seed("ses", "inbound", path.name, data))
    return seeds


def _stripe_event(data: dict[str, Any], event_type: str) -> dict[str, Any]:
    inner = data if isinstance(data.get("object"), dict) else {"object": data}
    return {"id": "evt_seed", "object": "event", "type": event_type, "created": 1763460000, "data": inner}


# --- hostile values ------------------------------------------------------------------------------

_STRINGS: list[Any] = [
    "", " ", "\ud800", "a\udc80b", "\udfff\ud800", "x@example.com\r\nBcc: victim@example.org",
    "jane@example.com\n", "\u202egnp.exe", "Jo\u2066hn\u2069", "\x00", "\x1b[31m", "\u2028", "\ufeff",
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00", "2026-02-30T25:61:00Z", "+275760-09-13T00:00:00Z",
    "1e999999", "NaN", "-Infinity", "-1", "0", "99999999999999999999999", "12.345.67", "<script>alert(1)</script>",
    "{shop}.myshopify.com", "someone-else.myshopify.com", "\U0001f9c1 caf\u00e9 \ufdfd", "\"quoted\"@example.com",
    "a@b", "@example.com", "user@@example.com", "http://evil.example/\r\nX: y", "javascript:alert(1)",
]
_NUMBERS: list[Any] = [
    0, -1, 1, 2**31, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**20, -(10**20), 253402300800, -62135596801,
    1e308, -1e308, 5e-324, 0.5, float("nan"), float("inf"), float("-inf"),
]
_TIME_VALUES: list[Any] = [10**20, -(10**20), 2**63, 253402300800, -62135596801, 1e308, "9999-12-31T23:59:59Z",
                           "0001-01-01T00:00:00", "+275760-09-13T00:00:00Z", "2026-11-18T10:00:00\ud800", -1, 0]
_ID_VALUES: list[Any] = ["\ud800", "tok\udc80", "a" * 5000, "a b", "a\r\nb", "\u202eid", 2**64, -(2**63) - 1, 1.5,
                         True, None, "", [], {}]
_ADDRESS_VALUES: list[Any] = ["x@example.com\r\nBcc: victim@example.org", "jane@example.com\n", "\u202ejane@x.com",
                              "jane\ud800@example.com", "jane@example", "\"q w\"@example.com", "a" * 300 + "@x.com",
                              "JANE@EXAMPLE.COM", 5, None, ["a@example.com"], {"Email": "a@example.com"}]
_NAME_VALUES: list[Any] = ["Jo\ud800hn", "Jo\u202ehn", "John\r\nBcc: x@example.org", "\x00\x07", "\u2066\u2069",
                           "x" * 20000, 7, None, ["John"], {"first": "John"}]
_AMOUNT_VALUES: list[Any] = ["NaN", "Infinity", "1e999999", "-1e30", "1e-999999", "12.3.4", 10**30, 1e308,
                             float("nan"), -5, "0", None, {"amount": 1}]
_SHAPE_VALUES: list[Any] = [None, "x", 5, [], {}, ["x"], [{"Name": 5}], {"status": 7}, "BASE64", "\ud800"]

# Keys whose values the translators read: most mutations land on one of these (a mutation of an unread
# key proves little), with values chosen for what the key means.
_KEY_VALUES: dict[str, list[Any]] = {}
for _key in ("created", "created_at", "updated_at", "processed_at", "cancelled_at", "initiated_at", "completed_at",
             "consent_updated_at", "Date", "date", "timestamp"):
    _KEY_VALUES[_key] = _TIME_VALUES
for _key in ("id", "token", "cart_token", "checkout_token", "checkout_id", "order_id", "name", "MessageID",
             "messageId", "shop_id", "charge", "customer_id", "type"):
    _KEY_VALUES[_key] = _ID_VALUES
for _key in ("email", "customer_email", "receipt_email", "contact_email", "email_address", "Email", "From", "To",
             "ReplyTo", "source", "from"):
    _KEY_VALUES[_key] = _ADDRESS_VALUES
for _key in ("first_name", "title", "presentment_title", "variant_title", "Name", "Subject", "subject",
             "customer_name", "reason", "cancel_reason", "TextBody", "StrippedTextReply", "Value", "currency"):
    _KEY_VALUES[_key] = _NAME_VALUES
for _key in ("price", "total_price", "current_total_price", "amount", "amount_due", "quantity"):
    _KEY_VALUES[_key] = _AMOUNT_VALUES
for _key in ("Headers", "ToFull", "FromFull", "line_items", "customer", "data", "object", "content", "receipt",
             "action", "mail", "commonHeaders", "billing_details", "last_payment_error", "payment_method",
             "email_marketing_consent", "encoding", "orders_to_redact", "data_request", "shop_domain",
             "abandoned_checkout_url", "hosted_invoice_url", "RawEmail", "HtmlBody"):
    _KEY_VALUES[_key] = _SHAPE_VALUES


def _value(rng: random.Random) -> Any:
    kind = rng.randrange(10)
    if kind < 4:
        return rng.choice(_STRINGS)
    if kind < 7:
        return rng.choice(_NUMBERS)
    if kind == 7:
        return rng.choice([None, True, False, [], {}, [None], [1, "a"], {"id": None}])
    if kind == 8:
        nested: Any = rng.choice(_STRINGS)
        for _ in range(rng.randrange(1, 60)):
            nested = [nested] if rng.random() < 0.5 else {"k": nested}
        return nested
    return rng.choice(["x" * rng.randrange(300, 20000), ["item"] * rng.randrange(100, 3000),
                       "\ud800" * rng.randrange(1, 500)])


def _paths(doc: Any, limit: int = 4000) -> list[tuple[Any, ...]]:
    """Paths to every node (root excluded), breadth first, at most `limit`."""
    found: list[tuple[Any, ...]] = []
    queue: list[tuple[tuple[Any, ...], Any]] = [((), doc)]
    while queue and len(found) < limit:
        path, node = queue.pop(0)
        children: list[tuple[Any, Any]] = []
        if isinstance(node, dict):
            children = list(node.items())
        elif isinstance(node, list):
            children = list(enumerate(node))
        for key, child in children:
            found.append((*path, key))
            queue.append(((*path, key), child))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    node = doc
    for key in path[:-1]:
        node = node[key]
    return node


def mutate(doc: Any, rng: random.Random, changes: int | None = None) -> Any:
    """A deep copy of `doc` with 1-3 hostile changes (replace, delete, add a key, or change a type)."""
    out = copy.deepcopy(doc)
    for _ in range(changes or rng.randint(1, 3)):
        paths = _paths(out)
        if not paths:
            return copy.deepcopy(_value(rng))
        read = [p for p in paths if p[-1] in _KEY_VALUES]
        path = rng.choice(read if read and rng.random() < 0.7 else paths)
        parent = _parent(out, path)
        key = path[-1]
        action = rng.randrange(10)
        if action < 6:
            pool = _KEY_VALUES.get(key) if isinstance(key, str) else None
            parent[key] = copy.deepcopy(rng.choice(pool) if pool and rng.random() < 0.7 else _value(rng))
        elif action < 8 and isinstance(parent, dict):
            del parent[key]
        elif action < 9 and isinstance(parent[key], dict):
            parent[key][rng.choice(["email", "id", "first_name", "created_at", "line_items", "extra"])] = \
                copy.deepcopy(_value(rng))
        else:
            current = parent[key]
            parent[key] = [current] if not isinstance(current, list) else {"0": current}
    return out


def encode(doc: Any) -> bytes:
    """JSON the way a sender would send it (lone surrogates escaped as \\udxxx, NaN as the bare word)."""
    return json.dumps(doc, ensure_ascii=True, allow_nan=True).encode("ascii")


# --- signing -------------------------------------------------------------------------------------

def signed_request(seed: Seed, doc: Any, now: float | None = None,
                   secrets: dict[str, str] | None = None) -> tuple[str, dict[str, str], bytes]:
    """(path, headers, body) for one HTTP route, signed as the real sender would (test secrets by default)."""
    from chalicelib.ingress.signatures import shopify_hmac, stripe_header

    keys = secrets or SECRETS
    if seed.route == "stripe" and isinstance(doc, dict) and doc.get("id") == "evt_seed":
        doc = {**doc, "id": f"evt_{uuid.uuid4().hex[:16]}"}  # a fresh event, unless the mutation chose the id
    body = encode(doc)
    headers = {"Content-Type": "application/json"}
    if seed.route == "shopify":
        headers.update({"X-Shopify-Topic": seed.topic, "X-Shopify-Hmac-Sha256": shopify_hmac(keys["shopify"], body),
                        "X-Shopify-Shop-Domain": SHOP_DOMAIN, "X-Shopify-Webhook-Id": str(uuid.uuid4()),
                        "X-Shopify-Triggered-At": "2026-11-18T10:00:00.000000Z"})
        return "/webhooks/shopify", headers, body
    if seed.route == "stripe":
        stamp = int(now if now is not None else time.time())
        headers["Stripe-Signature"] = stripe_header(keys["stripe"], body, stamp)
        return "/webhooks/stripe", headers, body
    if seed.route == "email":
        return f"/webhooks/email/{keys['email']}", headers, body
    raise ValueError(f"route {seed.route!r} has no HTTP path (SES arrives through SNS)")
