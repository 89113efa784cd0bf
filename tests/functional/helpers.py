"""Signed requests through the real Chalice routes, on local services in a temp directory."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from chalice.test import Client

import app as app_module
from chalicelib.bootstrap import Services
from chalicelib.ingress.signatures import shopify_hmac, stripe_header
from tests.conftest import TEST_SECRETS, example_config_data, shared_bytes

SAMPLE_SHOP_ID = 954889  # the shop_id of Shopify's privacy samples


def privacy_body(name: str, shop: str = "rosies-bakery") -> bytes:
    """A Shopify privacy sample as Shopify sends it to this shop: the page's literal "{shop}" filled in."""
    return shared_bytes(f"shopify/{name}").replace(b"{shop}", shop.encode())


def shop_with_id(shop_id: int = SAMPLE_SHOP_ID) -> dict[str, Any]:
    """The example config's "shop" section with shop.shopify_id set (shop/redact needs it)."""
    return {**example_config_data()["shop"], "shopify_id": shop_id}


@contextmanager
def client_for(services: Services) -> Iterator[Client]:
    app_module.use(services)
    try:
        with Client(app_module.app) as client:
            yield client
    finally:
        app_module.use(None)


def shopify_headers(body: bytes, topic: str, webhook_id: str | None = None,
                    shop: str = "rosies-bakery.myshopify.com") -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": shopify_hmac(TEST_SECRETS["WARMLINE_SHOPIFY_SECRET"], body),
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-Event-Id": str(uuid.uuid4()),
        "X-Shopify-Triggered-At": "2026-11-18T10:00:00.000000Z",
    }


def post_shopify(client: Client, body: bytes, topic: str, **kwargs: Any) -> Any:
    return client.http.post("/webhooks/shopify", headers=shopify_headers(body, topic, **kwargs), body=body)


def stripe_event(object_data: dict[str, Any], event_type: str, event_id: str | None = None,
                 created: Any = None) -> bytes:
    """A whole Stripe event around a shared object; `created` (a datetime) defaults to the wall clock."""
    inner = object_data if isinstance(object_data.get("object"), dict) else {"object": object_data}
    when = int(created.timestamp()) if created is not None else int(time.time())
    return json.dumps({"id": event_id or f"evt_{uuid.uuid4().hex[:12]}", "object": "event", "type": event_type,
                       "created": when, "data": inner}).encode()


def post_stripe(client: Client, body: bytes, timestamp: int | None = None) -> Any:
    when = timestamp or int(app_module.services().clock().timestamp())
    header = stripe_header(TEST_SECRETS["WARMLINE_STRIPE_SECRET"], body, when)
    return client.http.post("/webhooks/stripe", headers={"Content-Type": "application/json",
                                                         "Stripe-Signature": header}, body=body)


def post_email(client: Client, payload: dict[str, Any] | bytes, token: str | None = None) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.http.post(f"/webhooks/email/{token or TEST_SECRETS['WARMLINE_EMAIL_TOKEN']}",
                            headers={"Content-Type": "application/json"}, body=body)


def body_of(response: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(response.body)
    return data


def outbox(services: Services) -> list[Message]:
    return [message_from_bytes(p.read_bytes()) for p in services.extras["outbox"].messages()]


def queued(services: Services) -> int:
    counts: dict[str, int] = services.extras["queue"].counts()
    return sum(counts.values())


def text_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


# --- flows: the shared sample order made live, time moved by hand, the log read back ---------------------
def live_order(at: Any, **changes: Any) -> bytes:
    """The shared order sample (test, cancelled, voided) as a real paid order placed `at` (a datetime)."""
    from tests.conftest import shared_json

    order = shared_json("shopify/orders_create.json")
    stamp = at.isoformat()
    order.update(cancelled_at=None, financial_status="paid", test=False, processed_at=stamp, created_at=stamp,
                 updated_at=stamp)
    order.update(changes)
    return json.dumps(order).encode()


def tick_at(services: Services, when: Any) -> Any:
    """What `warmline tick --now WHEN` does: run queued deliveries and every step due by then."""
    return services.extras["runner"].run_once(when)


def log_of(services: Services, **match: Any) -> list[dict[str, Any]]:
    return [e for e in services.log.recent(1000) if all(e.get(k) == v for k, v in match.items())]


def subjects(services: Services) -> list[str]:
    return [str(m["Subject"]) for m in outbox(services)]
