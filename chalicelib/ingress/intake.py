"""The webhook front door: authenticate on raw bytes, reject cheaply, dedupe, queue, answer fast.

HTTP-agnostic (app.py adapts Chalice requests to it), so the same code runs in
Lambda, in `warmline serve` and in tests. No sentiment call and no email send
happen here: only verification, a cheap shape check and one durable write.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..config.model import WarmlineConfig
from ..ports import DecisionLog, Delivery, DeliveryInbox, IntakeUnavailable, SecretSource
from .signatures import SignatureError, verify_basic, verify_shopify, verify_stripe, verify_token
from .translate import SHOPIFY, STRIPE_TYPES, ShapeError, parse_json, translate_shopify, translate_stripe

MAX_BODY_BYTES = 1024 * 1024
log = logging.getLogger("warmline.intake")


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]


def error(status: int, message: str, detail: str = "") -> Reply:
    return Reply(status, {"error": message, "detail": detail})


class Intake:
    def __init__(self, config: WarmlineConfig, secrets: SecretSource, inbox: DeliveryInbox, log: DecisionLog,
                 clock: Callable[[], datetime]) -> None:
        self.config = config
        self.secrets = secrets
        self.inbox = inbox
        self.decision_log = log
        self.clock = clock

    # --- shared steps ------------------------------------------------------------
    def _too_big(self, body: bytes) -> Reply | None:
        if len(body) > MAX_BODY_BYTES:
            return error(413, "payload too large", f"webhooks over {MAX_BODY_BYTES} bytes are refused")
        return None

    def _json(self, body: bytes) -> tuple[Any, Reply | None]:
        try:
            data = parse_json(body)
        except (ValueError, RecursionError):
            return None, error(400, "body is not JSON", "the webhook body must be a JSON document")
        if not isinstance(data, dict):
            return None, error(422, "wrong body type", f"expected a JSON object, got {type(data).__name__}")
        return data, None

    def _queue(self, delivery: Delivery) -> Reply:
        try:
            fresh = self.inbox.accept(delivery)
        except IntakeUnavailable as exc:
            log.error("intake unavailable for %s: %s", delivery.delivery_id, exc)
            return error(503, "temporarily unavailable", "the delivery was not stored; please retry")
        if not fresh:
            return Reply(200, {"status": "duplicate", "delivery": delivery.delivery_id})
        return Reply(200, {"status": "accepted", "delivery": delivery.delivery_id})

    def _ignored(self, source: str, topic: str, why: str, delivery_id: str) -> Reply:
        now = self.clock()
        self.decision_log.record({"at": now.isoformat(), "delivery": delivery_id, "source": source, "topic": topic,
                                  "decision": "Ignore", "outcome": "ignored", "reason": why})
        return Reply(202, {"status": "ignored", "reason": why})

    def _secret(self, name: str) -> str | None:
        try:
            return self.secrets.get(name)
        except KeyError as exc:
            log.error("secret %s unavailable: %s", name, exc)
            return None

    # --- Shopify -------------------------------------------------------------------
    def shopify(self, body: bytes, headers: Mapping[str, str]) -> Reply:
        h = {k.lower(): v for k, v in headers.items()}
        if (big := self._too_big(body)) is not None:
            return big
        if not h.get("x-shopify-hmac-sha256"):
            return error(401, "unauthenticated", "missing X-Shopify-Hmac-Sha256 header")
        secret = self._secret("shopify_webhook_secret")
        if secret is None:
            return error(503, "not configured", "the Shopify webhook secret is not available")
        try:
            verify_shopify(secret, body, h.get("x-shopify-hmac-sha256"))
        except SignatureError as exc:
            return error(401, "unauthenticated", str(exc))
        topic = h.get("x-shopify-topic", "").strip()
        if not topic:
            return error(400, "missing topic", "the X-Shopify-Topic header is required")
        webhook_id = h.get("x-shopify-webhook-id") or h.get("x-shopify-event-id") or ""
        delivery_id = "shopify:" + (webhook_id or hashlib.sha256(topic.encode() + b"\0" + body).hexdigest())
        data, bad = self._json(body)
        if bad is not None:
            return bad
        shop = h.get("x-shopify-shop-domain", "").strip().lower()
        if shop and shop != self.config.shop_domain:
            return self._ignored("shopify", topic, f"webhook for another shop ({shop})", delivery_id)
        if topic not in SHOPIFY:
            return self._ignored("shopify", topic, f"Warmline does not act on Shopify topic {topic!r}", delivery_id)
        now = self.clock()
        try:
            translate_shopify(topic, data, now)
        except ShapeError as exc:
            return error(422, "unexpected payload", f"{topic}: {exc}")
        return self._queue(Delivery(delivery_id, "shopify", topic, body, now, shop=shop or None,
                                    triggered_at=h.get("x-shopify-triggered-at")))

    # --- Stripe ----------------------------------------------------------------------
    def stripe(self, body: bytes, headers: Mapping[str, str]) -> Reply:
        h = {k.lower(): v for k, v in headers.items()}
        if (big := self._too_big(body)) is not None:
            return big
        if not h.get("stripe-signature"):
            return error(401, "unauthenticated", "missing Stripe-Signature header")
        secret = self._secret("stripe_webhook_secret")
        if secret is None:
            return error(503, "not configured", "the Stripe webhook secret is not available")
        now = self.clock()
        try:
            verify_stripe(secret, body, h.get("stripe-signature"), now.timestamp())
        except SignatureError as exc:
            return error(401, "unauthenticated", str(exc))
        data, bad = self._json(body)
        if bad is not None:
            return bad
        event_id = data.get("id")
        event_type = data.get("type")
        if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
            return error(422, "unexpected payload", "a Stripe event needs string \"id\" and \"type\"")
        delivery_id = f"stripe:{event_id}"
        if event_type not in STRIPE_TYPES:
            return self._ignored("stripe", event_type, f"Warmline does not act on Stripe event {event_type!r}",
                                 delivery_id)
        try:
            translate_stripe(data, now)
        except ShapeError as exc:
            return error(422, "unexpected payload", f"{event_type}: {exc}")
        return self._queue(Delivery(delivery_id, "stripe", event_type, body, now))

    # --- inbound email -----------------------------------------------------------------
    def email(self, body: bytes, headers: Mapping[str, str], path_token: str | None) -> Reply:
        h = {k.lower(): v for k, v in headers.items()}
        if (big := self._too_big(body)) is not None:
            return big
        secret = self._secret("inbound_email_token")
        if secret is None:
            return error(503, "not configured", "the inbound email token is not available")
        try:
            if self.config.inbound_email.mode == "basic":
                verify_basic(self.config.inbound_email.basic_username, secret, h.get("authorization"))
            else:
                verify_token(secret, path_token)
        except SignatureError as exc:
            return error(401, "unauthenticated", str(exc))
        data, bad = self._json(body)
        if bad is not None:
            return bad
        if not any(isinstance(data.get(k), (str, dict)) for k in ("From", "FromFull", "RawEmail")):
            return error(422, "unexpected payload", "inbound email JSON needs \"From\", \"FromFull\" or \"RawEmail\"")
        message_id = data.get("MessageID") or data.get("MessageId")
        key = str(message_id) if message_id else hashlib.sha256(body).hexdigest()
        return self._queue(Delivery(f"email:{key}", "email", "inbound", body, self.clock()))

    def ses(self, message: str, sns_message_id: str) -> Reply:
        """An SES receipt notification delivered by SNS (the SNS subscription authenticates it)."""
        body = message.encode("utf-8")
        if (big := self._too_big(body)) is not None:
            return big
        data, bad = self._json(body)
        if bad is not None:
            return bad
        mail = data.get("mail") if isinstance(data.get("mail"), dict) else {}
        key = str(mail.get("messageId") or sns_message_id)
        return self._queue(Delivery(f"ses:{key}", "ses", "inbound", body, self.clock()))
