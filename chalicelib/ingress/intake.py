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
from .clean import id_problem
from .signatures import SignatureError, verify_basic, verify_shopify, verify_stripe, verify_token
from .translate import (
    PRIVACY_TOPICS,
    SHOPIFY,
    STRIPE_TYPES,
    ShapeError,
    parse_json,
    translate_shopify,
    translate_stripe,
)

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

    def _unprocessable(self, what: str, run: Callable[[], Any]) -> tuple[Any, Reply | None]:
        """Run the worker's own translation at the door: what it refuses is a 422 here, never a 500 and
        never a delivery the worker would dead-letter for its shape."""
        try:
            return run(), None
        except ShapeError as exc:
            return None, error(422, "unexpected payload", f"{what[:100]}: {exc}")
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError,
                UnicodeError) as exc:  # a payload shape the translators did not foresee: refuse it, loudly
            log.exception("%s: payload refused by an unexpected %s", what[:100], type(exc).__name__)
            return None, error(422, "unexpected payload",
                               f"{what[:100]}: cannot be processed ({type(exc).__name__})")

    def _refused(self, source: str, topic: str, why: str, delivery_id: str) -> Reply:
        """A signed delivery refused for what it claims (a privacy request that does not add up): 422, logged."""
        try:
            self.decision_log.record({"at": self.clock().isoformat(), "delivery": delivery_id, "source": source,
                                      "topic": topic, "decision": "Refuse", "outcome": "refused", "reason": why})
        except Exception:  # the refusal stands; a lost log line must not turn it into a 500
            log.exception("could not record the refusal of %s", delivery_id)
        return error(422, "refused", why)

    def _privacy_check(self, topic: str, data: dict[str, Any], shop_header: str, delivery_id: str) -> Reply | None:
        """Privacy topics cannot be forged by swapping the (unsigned) topic header onto another signed body:
        the body already passed its exact schema; here the shop must match in the header, the body and,
        for shop/redact, the configured Shopify shop id."""
        mine = self.config.shop_domain
        body_shop = str(data.get("shop_domain", "")).strip().lower()
        if not shop_header:
            return self._refused("shopify", topic, "privacy webhooks must name the shop in "
                                 "X-Shopify-Shop-Domain", delivery_id)
        if body_shop != mine:
            return self._refused("shopify", topic, f"the body's shop_domain is not {mine}", delivery_id)
        configured = self.config.shopify_shop_id
        if configured is not None and data.get("shop_id") != configured:
            return self._refused("shopify", topic, "the body's shop_id is not this shop's (shop.shopify_id)",
                                 delivery_id)
        if topic == "shop/redact" and configured is None:
            return self._refused("shopify", topic, "shop/redact erases every record; it is acted on only when "
                                 "shop.shopify_id is set in the config and matches the request's shop_id "
                                 f"({data.get('shop_id')})", delivery_id)
        return None

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
        webhook_id = (h.get("x-shopify-webhook-id") or h.get("x-shopify-event-id") or "").strip()
        if webhook_id and id_problem(webhook_id) is not None:
            webhook_id = ""  # an odd id header is not worth a refusal: the body's hash dedupes just as well
        delivery_id = "shopify:" + (webhook_id or hashlib.sha256(
            topic.encode("utf-8", "surrogatepass") + b"\0" + body).hexdigest())
        data, bad = self._json(body)
        if bad is not None:
            return bad
        shop = h.get("x-shopify-shop-domain", "").strip().lower()
        if shop and shop != self.config.shop_domain:
            return self._ignored("shopify", topic, f"webhook for another shop ({shop[:100]})", delivery_id)
        if topic not in SHOPIFY:
            return self._ignored("shopify", topic, f"Warmline does not act on Shopify topic {topic[:100]!r}",
                                 delivery_id)
        now = self.clock()
        _event, bad = self._unprocessable(topic, lambda: translate_shopify(topic, data, now))
        if bad is not None:
            return bad
        if topic in PRIVACY_TOPICS and (refusal := self._privacy_check(topic, data, shop, delivery_id)):
            return refusal
        triggered = h.get("x-shopify-triggered-at")
        reply = self._queue(Delivery(delivery_id, "shopify", topic, body, now, shop=shop or None,
                                     triggered_at=triggered if triggered and id_problem(triggered) is None else None))
        if topic in PRIVACY_TOPICS and reply.body.get("status") == "accepted":
            self._record_privacy_request(topic, _event, delivery_id)
        return reply

    def _record_privacy_request(self, topic: str, event: Any, delivery_id: str) -> None:
        """Every privacy request on the record when it arrives (the executor adds what it removed). The entry
        has no customer_ref, so the redact it announces does not erase it; the subject is a hash (customer_ref)."""
        from ..privacy import customer_ref

        email = getattr(event, "email", None)
        entry = {"at": self.clock().isoformat(), "delivery": delivery_id, "source": "shopify", "topic": topic,
                 "decision": "PrivacyRequest", "outcome": "accepted", "shop_id": getattr(event, "shop_id", None),
                 "shopify_customer_id": getattr(event, "customer_id", None),
                 "orders": list(getattr(event, "order_ids", ())),
                 "subject_ref": customer_ref(email) if email else None,
                 "reason": f"Shopify {topic} received and queued"}
        try:
            self.decision_log.record(entry)
        except Exception:  # the delivery is stored; a lost log line must not make Shopify retry it
            log.exception("could not record the %s request %s", topic, delivery_id)

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
        if (problem := id_problem(event_id)) is not None:
            return error(422, "unexpected payload", f"the Stripe event id {problem}")
        delivery_id = f"stripe:{event_id}"
        if event_type not in STRIPE_TYPES:
            return self._ignored("stripe", event_type[:100], f"Warmline does not act on Stripe event "
                                 f"{event_type[:100]!r}", delivery_id)
        _event, bad = self._unprocessable(event_type, lambda: translate_stripe(data, now))
        if bad is not None:
            return bad
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
        now = self.clock()
        _event, bad = self._unprocessable("inbound email", lambda: _translate_email("email", body, now))
        if bad is not None:
            return bad
        message_id = data.get("MessageID") or data.get("MessageId")
        usable = isinstance(message_id, str) and id_problem(message_id) is None
        key = message_id if usable else hashlib.sha256(body).hexdigest()
        return self._queue(Delivery(f"email:{key}", "email", "inbound", body, now))

    def ses(self, message: str, sns_message_id: str) -> Reply:
        """An SES receipt notification delivered by SNS (the SNS subscription authenticates it)."""
        body = message.encode("utf-8", "surrogatepass")  # a raw lone surrogate is kept (and cleaned later), not fatal
        if (big := self._too_big(body)) is not None:
            return big
        data, bad = self._json(body)
        if bad is not None:
            return bad
        now = self.clock()
        # fetch_s3 is left out: the door checks the shape; the worker fetches S3-stored mail later.
        _event, bad = self._unprocessable("SES notification", lambda: _translate_email("ses", body, now))
        if bad is not None:
            return bad
        mail = data.get("mail") if isinstance(data.get("mail"), dict) else {}
        key = str(mail.get("messageId") or sns_message_id)
        if id_problem(key) is not None:
            key = hashlib.sha256(body).hexdigest()
        return self._queue(Delivery(f"ses:{key}", "ses", "inbound", body, now))


def _translate_email(source: str, body: bytes, now: datetime) -> Any:
    from .inbound import translate_email  # the email parser loads with the first email, not at cold start

    return translate_email(source, body, now)
