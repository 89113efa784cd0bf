"""Payload translators: Shopify and Stripe JSON into domain events.

Pure functions. `ShapeError` means the payload is not what its topic promises
(the intake answers 422 and stores nothing). Ids stay exact: `json.loads`
keeps integers as int, and we turn them into strings here; money is parsed
with `parse_float=Decimal` and kept as Decimal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..domain.events import (
    CheckoutDeleted,
    CheckoutStarted,
    ConsentChanged,
    CustomerSeen,
    DataRequested,
    DisputeOpened,
    DomainEvent,
    Ignored,
    InvoicePaymentFailed,
    InvoiceSettled,
    LineItem,
    OrderCancelled,
    OrderDelivered,
    OrderFulfilled,
    OrderPlaced,
    PaymentFailed,
    PaymentSucceeded,
    RedactCustomer,
    RedactShop,
    RefundIssued,
    StripeCheckoutCompleted,
    StripeCheckoutExpired,
    SubscriptionEnded,
    TrialEnding,
)
from .clean import clean_text, id_problem, money_problem, normalize_email, safe_url, sane_time


class ShapeError(ValueError):
    """The payload does not have the shape its topic promises."""


def parse_json(body: bytes) -> Any:
    """JSON with exact integers and Decimal money; raises ValueError when it is not JSON."""
    return json.loads(body, parse_float=Decimal)


# --- small typed readers -------------------------------------------------------
def _obj(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ShapeError(f"{what} must be a JSON object")
    return data


MAX_ITEMS = 100  # line items kept on an event: enough for any email, bounded for every store
MAX_INT = 2**63 - 1  # Shopify ids are 64-bit; anything bigger is not an id


def _id(data: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ShapeError(f"{key!r} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ShapeError(f"{key!r} must be an integer or a string, not {type(value).__name__}")
    if isinstance(value, int):
        if not -MAX_INT <= value <= MAX_INT:
            raise ShapeError(f"{key!r} is out of range")
        return str(value)
    problem = id_problem(value)
    if problem is not None:
        raise ShapeError(f"{key!r} {problem}")
    return value


def _token(data: dict[str, Any], key: str) -> str | None:
    """An optional id-like string (cart token, order name): refused when odd, None when absent."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ShapeError(f"{key!r} must be a string")
    value = value.strip()
    problem = id_problem(value)
    if problem is not None:
        raise ShapeError(f"{key!r} {problem}")
    return value or None


def _str(data: dict[str, Any], key: str, max_chars: int = 200) -> str | None:
    """Optional human text (a reason, a status): cleaned, never refused for its characters."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ShapeError(f"{key!r} must be a string")
    return clean_text(value, max_chars)


def _currency(data: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{3}", value.strip()):
            return value.strip().upper()
    return None


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise ShapeError(f"{type(value).__name__} is not an amount")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError) as exc:
        raise ShapeError(f"{str(value)[:40]!r} is not an amount") from exc
    problem = money_problem(amount)
    if problem is not None:
        raise ShapeError(f"the amount {problem}")
    return amount


def when(value: Any, fallback: datetime) -> datetime:
    """An ISO-8601 string or a Unix timestamp as an aware datetime; `fallback` when absent, unreadable
    or outside 1970 .. a day after `fallback` (a year-9999 date would overflow the first sum)."""
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return fallback
        return sane_time(parsed, fallback)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return sane_time(datetime.fromtimestamp(value, UTC), fallback)
        except (OverflowError, OSError, ValueError):
            return fallback
    return fallback


def _items(data: dict[str, Any]) -> tuple[LineItem, ...]:
    raw = data.get("line_items") or []
    if not isinstance(raw, list):
        raise ShapeError("'line_items' must be a list")
    items: list[LineItem] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ShapeError("each line item must be an object")
        if len(items) >= MAX_ITEMS:
            continue  # still check every item's shape; keep the first MAX_ITEMS
        title = next((t for t in (clean_text(item.get(k)) for k in ("presentment_title", "title", "name")) if t),
                     "item")
        quantity = item.get("quantity", 1)
        ok_quantity = isinstance(quantity, int) and not isinstance(quantity, bool) and 0 < quantity <= 100_000
        variant = next((v for v in (clean_text(item.get(k)) for k in ("presentment_variant_title", "variant_title"))
                        if v), None)
        items.append(LineItem(
            title=title,
            quantity=quantity if ok_quantity else 1,
            price=_money(item.get("price")),
            variant=variant,
        ))
    return tuple(items)


def _first_name(data: dict[str, Any]) -> str | None:
    for source in (data.get("customer"), data.get("billing_address"), data.get("shipping_address"), data):
        if isinstance(source, dict):
            name = clean_text(source.get("first_name"), 60) if isinstance(source.get("first_name"), str) else None
            if name:
                return name
    return None


def _email_of(data: dict[str, Any]) -> tuple[str | None, str]:
    """The customer's address from a Shopify object, or None and why not."""
    candidates: list[Any] = [data.get("email"), data.get("contact_email")]
    customer = data.get("customer")
    if isinstance(customer, dict):
        candidates.append(customer.get("email"))
    for value in candidates:
        if value is None or value == "":
            continue
        return normalize_email(value)  # the first address given decides: a poisoned one is never skipped over
    return None, "no email address"


def _email(data: dict[str, Any]) -> str | None:
    return _email_of(data)[0]


def _problem(address: str | None, why: str) -> str:
    return "" if address else why


# --- Shopify ---------------------------------------------------------------------
# Keys only an order carries. The topic header is outside Shopify's HMAC: a captured order body re-sent as
# checkouts/create would start cart reminders for something already bought, so such a body is refused.
ORDER_ONLY_KEYS = ("financial_status", "order_number", "confirmation_number", "checkout_token")


def _checkout(data: dict[str, Any], now: datetime) -> DomainEvent:
    if order_keys := [k for k in ORDER_ONLY_KEYS if k in data]:
        raise ShapeError(f"a checkout has no {', '.join(order_keys)} (is this an order signed for another topic?)")
    token = _id(data, "token")
    assert token is not None
    email, why = _email_of(data)
    occurred = when(data.get("updated_at") or data.get("created_at"), now)
    name = _token(data, "name")
    cart_token = _token(data, "cart_token")
    items = _items(data)
    total = _money(data.get("total_price"))
    if not email:
        reason = "checkout has no email address yet" if why == "no email address" else \
            f"checkout's customer cannot be written to: {why}"
        return Ignored("shopify", "checkout", reason, occurred)
    return CheckoutStarted(
        checkout_token=token,
        cart_token=cart_token,
        checkout_id=name.lstrip("#") or None if name else None,
        email=email,
        first_name=_first_name(data),
        items=items,
        recovery_url=safe_url(data.get("abandoned_checkout_url")),
        total=total,
        currency=_currency(data, "presentment_currency", "currency"),
        accepts_marketing=data.get("buyer_accepts_marketing") is True,
        occurred_at=occurred,
        completed=bool(data.get("completed_at")),
    )


def _order(data: dict[str, Any], now: datetime, paid: bool) -> OrderPlaced:
    order_id = _id(data, "id")
    assert order_id is not None
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    accepts = data.get("buyer_accepts_marketing")
    email, why = _email_of(data)
    return OrderPlaced(
        order_id=order_id,
        order_name=_str(data, "name", 60) or f"#{order_id}",
        email=email,
        first_name=_first_name(data),
        customer_id=_id(customer, "id", required=False) if customer else None,
        checkout_token=_token(data, "checkout_token"),
        cart_token=_token(data, "cart_token"),
        checkout_id=_id(data, "checkout_id", required=False),
        total=_money(data.get("current_total_price") or data.get("total_price")),
        currency=_currency(data, "presentment_currency", "currency"),
        items=_items(data),
        financial_status=_str(data, "financial_status", 40),
        cancelled=bool(data.get("cancelled_at")),
        test=data.get("test") is True,
        accepts_marketing=accepts if isinstance(accepts, bool) else None,
        occurred_at=when(data.get("processed_at") or data.get("created_at"), now),
        paid=paid,
        email_problem=_problem(email, why),
    )


def _order_ids(values: Any) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise ShapeError("order list must be a list")
    return tuple(_id({"order": v}, "order") or "" for v in values)


# Privacy topics: exact shapes (Shopify's compliance webhooks, API 2026-07). The topic header is not
# covered by the HMAC, so a body signed for another topic must never pass as one of these: every key
# is required, no other key is allowed, and the types are exact (an order or checkout body fails).
_SHOP_DOMAIN = {"type": "string", "minLength": 1, "maxLength": 255}  # intake matches it to the config
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
_PRIVACY_CUSTOMER = {
    "type": "object", "additionalProperties": False, "required": ["id"],
    "properties": {"id": _ID, "email": {"type": ["string", "null"], "maxLength": 320},
                   "phone": {"type": ["string", "null"], "maxLength": 64}},
}
PRIVACY_SCHEMAS: dict[str, dict[str, Any]] = {
    "shop/redact": {
        "type": "object", "additionalProperties": False, "required": ["shop_id", "shop_domain"],
        "properties": {"shop_id": _ID, "shop_domain": _SHOP_DOMAIN},
    },
    "customers/redact": {
        "type": "object", "additionalProperties": False,
        "required": ["shop_id", "shop_domain", "customer", "orders_to_redact"],
        "properties": {"shop_id": _ID, "shop_domain": _SHOP_DOMAIN, "customer": _PRIVACY_CUSTOMER,
                       "orders_to_redact": {"type": "array", "items": _ID, "maxItems": 10_000}},
    },
    "customers/data_request": {
        "type": "object", "additionalProperties": False,
        "required": ["shop_id", "shop_domain", "customer", "orders_requested", "data_request"],
        "properties": {"shop_id": _ID, "shop_domain": _SHOP_DOMAIN, "customer": _PRIVACY_CUSTOMER,
                       "orders_requested": {"type": "array", "items": _ID, "maxItems": 10_000},
                       "data_request": {"type": "object", "additionalProperties": False, "required": ["id"],
                                        "properties": {"id": _ID}}},
    },
}


def privacy_shape_problem(topic: str, data: Any) -> str | None:
    """Why a body is not exactly the shape of privacy topic `topic` (None when it is)."""
    from jsonschema import Draft202012Validator  # imported on first privacy webhook, not at cold start

    schema = PRIVACY_SCHEMAS[topic]
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    where = "/".join(str(p) for p in first.absolute_path) or "the body"
    if first.validator == "additionalProperties":
        return f"{where}: unexpected keys for {topic} (is this a body signed for another topic?)"
    return f"{where}: {first.message[:200]}"


def _privacy(topic: str, data: dict[str, Any]) -> None:
    problem = privacy_shape_problem(topic, data)
    if problem is not None:
        raise ShapeError(problem)


def _redact_customer(data: dict[str, Any], now: datetime) -> RedactCustomer:
    _privacy("customers/redact", data)
    customer = _obj(data.get("customer"), "'customer'")
    email, why = normalize_email(customer.get("email")) if customer.get("email") else (None, "no email address")
    return RedactCustomer(
        email=email, customer_id=_id(customer, "id", required=False),
        order_ids=_order_ids(data.get("orders_to_redact")), shop_domain=str(data["shop_domain"]),
        occurred_at=now, shop_id=str(data["shop_id"]), email_problem=_problem(email, why),
    )


def _data_request(data: dict[str, Any], now: datetime) -> DataRequested:
    _privacy("customers/data_request", data)
    customer = _obj(data.get("customer"), "'customer'")
    request = _obj(data.get("data_request"), "'data_request'")
    email, why = normalize_email(customer.get("email")) if customer.get("email") else (None, "no email address")
    return DataRequested(
        email=email, customer_id=_id(customer, "id", required=False),
        order_ids=_order_ids(data.get("orders_requested")),
        request_id=_id(request, "id", required=False),
        shop_domain=str(data["shop_domain"]), occurred_at=now, shop_id=str(data["shop_id"]),
        email_problem=_problem(email, why),
    )


def _redact_shop(data: dict[str, Any], now: datetime) -> RedactShop:
    _privacy("shop/redact", data)
    return RedactShop(str(data["shop_domain"]), now, shop_id=str(data["shop_id"]))


def _consent(data: dict[str, Any], now: datetime) -> DomainEvent:
    consent = _obj(data.get("email_marketing_consent"), "'email_marketing_consent'")
    state = _str(consent, "state", 40) or "unknown"
    raw_email = data.get("email_address")
    if raw_email is not None and not isinstance(raw_email, str):
        raise ShapeError("'email_address' must be a string")
    email, why = normalize_email(raw_email)
    customer_id = _id(data, "customer_id", required=False)
    occurred = when(consent.get("consent_updated_at"), now)
    if not email:
        reason = "consent update without an email address" if why == "no email address" else \
            f"consent update for an address that cannot be used: {why}"
        return Ignored("shopify", "consent", reason, occurred)
    return ConsentChanged(
        customer_id=customer_id, email=email,
        subscribed=state == "subscribed", state=state,
        occurred_at=occurred,
    )


def _first_of(data: dict[str, Any], single: str, many: str) -> str | None:
    value = _str(data, single)
    if value:
        return value
    values = data.get(many)
    if isinstance(values, list):
        return next((v.strip() for v in values if isinstance(v, str) and v.strip()), None)
    return None


def _fulfillment(data: dict[str, Any], now: datetime) -> DomainEvent:
    order_id = _id(data, "order_id")
    assert order_id is not None
    status = data.get("status")
    email, why = _email_of(data)
    # pending/open: handed to the carrier, on its way; success: done. cancelled/error/failure: not shipped.
    if status not in ("success", "pending", "open", None):
        return Ignored("shopify", "fulfillment", f"fulfillment status {clean_text(str(status), 40)!r}", now)
    url = safe_url(_first_of(data, "tracking_url", "tracking_urls"))
    return OrderFulfilled(
        order_id=order_id, email=email, occurred_at=when(data.get("created_at") or data.get("updated_at"), now),
        email_problem=_problem(email, why), fulfillment_id=_id(data, "id", required=False),
        tracking_company=_str(data, "tracking_company", 60),
        tracking_number=_first_of(data, "tracking_number", "tracking_numbers"), tracking_url=url)


def _fulfillment_event(data: dict[str, Any], now: datetime) -> DomainEvent:
    order_id = _id(data, "order_id")
    assert order_id is not None
    status = _str(data, "status", 40)
    if status != "delivered":
        return Ignored("shopify", "fulfillment_event", f"carrier status {status!r}", now)
    return OrderDelivered(order_id=order_id, fulfillment_id=_id(data, "fulfillment_id", required=False),
                          occurred_at=when(data.get("happened_at") or data.get("created_at"), now))


def _refund(data: dict[str, Any], now: datetime) -> DomainEvent:
    amount = Decimal(0)
    currency = None
    transactions = data.get("transactions") or []
    if not isinstance(transactions, list):
        raise ShapeError("'transactions' must be a list")
    for tx in transactions:
        if isinstance(tx, dict) and tx.get("kind") == "refund" and tx.get("status") == "success":
            amount += _money(tx.get("amount")) or Decimal(0)
            currency = currency or _currency(tx, "currency")
    return RefundIssued(_id(data, "order_id") or "", _id(data, "id") or "", when(data.get("created_at"), now),
                        amount=amount, currency=currency)


def _order_fulfilled(data: dict[str, Any], now: datetime) -> OrderFulfilled:
    order_id = _id(data, "id") or ""
    email, why = _email_of(data)
    return OrderFulfilled(order_id, email, when(data.get("updated_at"), now), email_problem=_problem(email, why))


def _order_cancelled(data: dict[str, Any], now: datetime) -> OrderCancelled:
    order_id = _id(data, "id") or ""
    email, why = _email_of(data)
    return OrderCancelled(order_id, email, _str(data, "cancel_reason", 60), when(data.get("cancelled_at"), now),
                          email_problem=_problem(email, why))


def _customer_seen(data: dict[str, Any], now: datetime, stamp: str) -> CustomerSeen:
    customer_id = _id(data, "id") or ""
    email, why = _email_of(data)
    return CustomerSeen(customer_id, email, _first_name(data), when(data.get(stamp), now),
                        email_problem=_problem(email, why))


def _dispute(data: dict[str, Any], now: datetime) -> DisputeOpened:
    return DisputeOpened(
        _id(data, "id") or "", _id(data, "order_id", required=False), None, _str(data, "reason", 60),
        _money(data.get("amount")), _currency(data, "currency"), when(data.get("initiated_at"), now))


SHOPIFY: dict[str, Callable[[dict[str, Any], datetime], DomainEvent]] = {
    "checkouts/create": _checkout,
    "checkouts/update": _checkout,
    "checkouts/delete": lambda d, now: CheckoutDeleted(_id(d, "id", required=False), _token(d, "cart_token"), now),
    "orders/create": lambda d, now: _order(d, now, paid=False),
    "orders/paid": lambda d, now: _order(d, now, paid=True),
    "orders/fulfilled": _order_fulfilled,
    "orders/cancelled": _order_cancelled,
    "fulfillments/create": _fulfillment,
    "fulfillments/update": _fulfillment,
    "refunds/create": _refund,
    "fulfillment_events/create": _fulfillment_event,
    "customers/create": lambda d, now: _customer_seen(d, now, "created_at"),
    "customers/update": lambda d, now: _customer_seen(d, now, "updated_at"),
    "customers_email_marketing_consent/update": _consent,
    "customers/data_request": _data_request,
    "customers/redact": _redact_customer,
    "shop/redact": _redact_shop,
    "disputes/create": _dispute,
}

PRIVACY_TOPICS = frozenset(PRIVACY_SCHEMAS)


def translate_shopify(topic: str, data: Any, now: datetime) -> DomainEvent:
    handler = SHOPIFY.get(topic)
    if handler is None:
        return Ignored("shopify", topic, f"Warmline does not act on Shopify topic {topic!r}", now)
    return handler(_obj(data, "the body"), now)


# --- Stripe ----------------------------------------------------------------------
ZERO_DECIMAL = frozenset({
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
})


MAX_MINOR_UNITS = 10**14


def _stripe_amount(value: Any, currency: str | None) -> Decimal | None:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_MINOR_UNITS:
        return None
    if currency and currency.lower() in ZERO_DECIMAL:
        return Decimal(value)
    return Decimal(value) / 100


def _stripe_sources(obj: dict[str, Any]) -> list[Any]:
    sources = [obj, obj.get("billing_details"), obj.get("customer_details"), obj.get("evidence")]
    error = obj.get("last_payment_error")
    method = error.get("payment_method") if isinstance(error, dict) else None
    if isinstance(method, dict):  # a payment method may arrive expanded (an object) or as its id (a string)
        sources.append(method.get("billing_details"))
    return sources


def _stripe_email_of(obj: dict[str, Any]) -> tuple[str | None, str]:
    for source in _stripe_sources(obj):
        if not isinstance(source, dict):
            continue
        for key in ("customer_email", "receipt_email", "email", "customer_email_address"):
            value = source.get(key)
            if value is None or value == "":
                continue
            return normalize_email(value)  # the first address given decides, as for Shopify
    return None, "no email address"


def _stripe_email(obj: dict[str, Any]) -> str | None:
    return _stripe_email_of(obj)[0]


def _stripe_name(obj: dict[str, Any]) -> str | None:
    for source in (obj, obj.get("billing_details"), obj.get("customer_details")):
        if isinstance(source, dict):
            for key in ("customer_name", "name"):
                value = source.get(key)
                name = clean_text(value, 100) if isinstance(value, str) else None
                if name:
                    return name
    return None


STRIPE_FAILED = frozenset({"payment_intent.payment_failed", "charge.failed"})
STRIPE_SUCCEEDED = frozenset({"invoice.payment_succeeded", "payment_intent.succeeded", "charge.succeeded"})
STRIPE_INVOICE_SETTLED = {"invoice.paid": "paid", "invoice.voided": "voided",
                          "invoice.marked_uncollectible": "uncollectible"}


def _stripe_ref(value: Any) -> str | None:
    """An id that Stripe may expand into an object (checked like every other id)."""
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value:
        return None
    if id_problem(value):
        raise ShapeError(f"{clean_text(value, 40)!r} is not a Stripe id")
    return value


def _invoice_subscription(obj: dict[str, Any]) -> str | None:
    found = _stripe_ref(obj.get("subscription"))
    parent = obj.get("parent")
    if not found and isinstance(parent, dict) and isinstance(parent.get("subscription_details"), dict):
        found = _stripe_ref(parent["subscription_details"].get("subscription"))
    return found


def _stripe_time(value: Any) -> datetime | None:
    """A future time Stripe plans (next retry, trial end): None when absent, refused when it is not a time."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            parsed = datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ShapeError(f"{value!r} is not a time") from exc
        if parsed.year > 2100:
            raise ShapeError(f"{value!r} is not a time Stripe would plan")
        return parsed
    return None


def _stripe_items(obj: dict[str, Any]) -> tuple[LineItem, ...]:
    lines = obj.get("line_items")
    data = lines.get("data") if isinstance(lines, dict) else None
    items = []
    for line in (data if isinstance(data, list) else [])[:MAX_ITEMS]:
        if isinstance(line, dict):
            quantity = line.get("quantity")
            title = clean_text(line.get("description"), 200) if isinstance(line.get("description"), str) else None
            items.append(LineItem(title=title or "item",
                                  quantity=quantity if isinstance(quantity, int) and 0 < quantity < 10_000 else 1))
    return tuple(items)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _stripe_checkout(event_type: str, obj: dict[str, Any], object_id: str, occurred: datetime) -> DomainEvent:
    currency = _currency(obj, "currency")
    total = _stripe_amount(obj.get("amount_total"), currency)
    email, why = _stripe_email_of(obj)
    if event_type == "checkout.session.completed":
        return StripeCheckoutCompleted(object_id, email, total, currency, occurred)
    after = _dict(obj.get("after_expiration"))
    recovery = _dict(after.get("recovery"))
    url = safe_url(recovery.get("url")) if recovery.get("enabled") else None
    consent = _dict(obj.get("consent"))
    collection = _dict(obj.get("consent_collection"))
    promotions = _str(consent, "promotions", 20)
    if promotions is None and collection.get("promotions") not in (None, "none"):
        promotions = "not_given"  # the session asked and the customer did not opt in
    name = _stripe_name(obj)
    return StripeCheckoutExpired(
        session_id=object_id, email=email, first_name=name.split(" ")[0] if name else None,
        recovery_url=url if url and url.startswith("https://") else None, total=total, currency=currency,
        promotions_consent=promotions, occurred_at=occurred, items=_stripe_items(obj),
        email_problem=_problem(email, why))


def _stripe_invoice_failed(obj: dict[str, Any], object_id: str, occurred: datetime) -> DomainEvent:
    currency = _currency(obj, "currency")
    attempts = obj.get("attempt_count")
    first = (_stripe_name(obj) or "").split(" ")[0] or None
    email, why = _stripe_email_of(obj)
    return InvoicePaymentFailed(
        invoice_id=object_id, subscription_id=_invoice_subscription(obj), email=email,
        customer_name=first, amount=_stripe_amount(obj.get("amount_due"), currency), currency=currency,
        attempt_count=attempts if isinstance(attempts, int) and not isinstance(attempts, bool) and attempts > 0
        else 1, next_attempt_at=_stripe_time(obj.get("next_payment_attempt")),
        retry_url=safe_url(obj.get("hosted_invoice_url")), occurred_at=occurred,
        stripe_customer=_stripe_ref(obj.get("customer")), email_problem=_problem(email, why))

def translate_stripe(event: Any, now: datetime) -> DomainEvent:
    event = _obj(event, "the body")
    event_type = _str(event, "type") or ""
    data = _obj(event.get("data"), "'data'")
    obj = _obj(data.get("object"), "'data.object'")
    occurred = when(event.get("created"), now)
    object_id = _id(obj, "id", required=False) or _id(event, "id") or ""
    currency = _currency(obj, "currency")
    email, why = _stripe_email_of(obj)
    email_problem = _problem(email, why)
    if event_type in STRIPE_FAILED:
        amount_key = "amount"
        first = (_stripe_name(obj) or "").split(" ")[0] or None
        return PaymentFailed(
            payment_id=object_id, email=email, customer_name=first,
            amount=_stripe_amount(obj.get(amount_key), currency), currency=currency,
            retry_url=safe_url(obj.get("hosted_invoice_url")), occurred_at=occurred, email_problem=email_problem,
        )
    if event_type in STRIPE_SUCCEEDED:
        return PaymentSucceeded(payment_id=object_id, email=email, occurred_at=occurred, email_problem=email_problem)
    if event_type in ("checkout.session.expired", "checkout.session.completed"):
        return _stripe_checkout(event_type, obj, object_id, occurred)
    if event_type == "invoice.payment_failed":
        return _stripe_invoice_failed(obj, object_id, occurred)
    if event_type in STRIPE_INVOICE_SETTLED:
        return InvoiceSettled(object_id, _invoice_subscription(obj), email, STRIPE_INVOICE_SETTLED[event_type],
                              occurred)
    if event_type == "customer.subscription.deleted":
        return SubscriptionEnded(object_id, _stripe_ref(obj.get("customer")), occurred)
    if event_type == "customer.subscription.trial_will_end":
        has_method = bool(_stripe_ref(obj.get("default_payment_method")) or _stripe_ref(obj.get("default_source")))
        return TrialEnding(object_id, _stripe_ref(obj.get("customer")), email, _stripe_time(obj.get("trial_end")),
                           has_method, occurred)
    if event_type == "charge.dispute.created":
        charge = obj.get("charge")
        return DisputeOpened(
            dispute_id=object_id, order_id=_token(obj, "charge") if isinstance(charge, str) else None, email=email,
            reason=_str(obj, "reason", 60), amount=_stripe_amount(obj.get("amount"), currency), currency=currency,
            occurred_at=occurred, source="stripe", email_problem=email_problem,
        )
    if event_type == "charge.refunded":
        return RefundIssued(order_id=object_id, refund_id=object_id, occurred_at=occurred, email=email,
                            email_problem=email_problem)
    return Ignored("stripe", event_type or "unknown", f"Warmline does not act on Stripe event {event_type!r}",
                   occurred)


STRIPE_TYPES = STRIPE_FAILED | STRIPE_SUCCEEDED | set(STRIPE_INVOICE_SETTLED) | {
    "charge.dispute.created", "charge.refunded", "checkout.session.expired", "checkout.session.completed",
    "invoice.payment_failed", "customer.subscription.deleted", "customer.subscription.trial_will_end"}

