"""Payload translators: Shopify and Stripe JSON into domain events.

Pure functions. `ShapeError` means the payload is not what its topic promises
(the intake answers 422 and stores nothing). Ids stay exact: `json.loads`
keeps integers as int, and we turn them into strings here; money is parsed
with `parse_float=Decimal` and kept as Decimal.
"""

from __future__ import annotations

import json
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


def _id(data: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ShapeError(f"{key!r} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ShapeError(f"{key!r} must be an integer or a string, not {type(value).__name__}")
    return str(value)


def _str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ShapeError(f"{key!r} must be a string")
    return value.strip() or None


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ShapeError(f"{value!r} is not an amount") from exc


def when(value: Any, fallback: datetime) -> datetime:
    """An ISO-8601 string or a Unix timestamp as an aware datetime; `fallback` when absent or unreadable."""
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return fallback
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return fallback


def _items(data: dict[str, Any]) -> tuple[LineItem, ...]:
    raw = data.get("line_items") or []
    if not isinstance(raw, list):
        raise ShapeError("'line_items' must be a list")
    items = []
    for item in raw:
        if not isinstance(item, dict):
            raise ShapeError("each line item must be an object")
        title = item.get("presentment_title") or item.get("title") or item.get("name") or "item"
        quantity = item.get("quantity", 1)
        items.append(LineItem(
            title=str(title),
            quantity=quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else 1,
            price=_money(item.get("price")),
            variant=item.get("presentment_variant_title") or item.get("variant_title") or None,
        ))
    return tuple(items)


def _first_name(data: dict[str, Any]) -> str | None:
    for source in (data.get("customer"), data.get("billing_address"), data.get("shipping_address"), data):
        if isinstance(source, dict):
            name = source.get("first_name")
            if isinstance(name, str) and name.strip():
                return name.strip()
    return None


def _email(data: dict[str, Any]) -> str | None:
    for key in ("email", "contact_email"):
        value = data.get(key)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    customer = data.get("customer")
    if isinstance(customer, dict):
        value = customer.get("email")
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


# --- Shopify ---------------------------------------------------------------------
def _checkout(data: dict[str, Any], now: datetime) -> DomainEvent:
    token = _id(data, "token")
    assert token is not None
    email = _email(data)
    occurred = when(data.get("updated_at") or data.get("created_at"), now)
    if not email:
        return Ignored("shopify", "checkout", "checkout has no email address yet", occurred)
    name = _str(data, "name")
    return CheckoutStarted(
        checkout_token=token,
        cart_token=_str(data, "cart_token"),
        checkout_id=name.lstrip("#") if name else None,
        email=email,
        first_name=_first_name(data),
        items=_items(data),
        recovery_url=_str(data, "abandoned_checkout_url"),
        total=_money(data.get("total_price")),
        currency=_str(data, "presentment_currency") or _str(data, "currency"),
        accepts_marketing=bool(data.get("buyer_accepts_marketing")),
        occurred_at=occurred,
        completed=bool(data.get("completed_at")),
    )


def _order(data: dict[str, Any], now: datetime, paid: bool) -> OrderPlaced:
    order_id = _id(data, "id")
    assert order_id is not None
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    accepts = data.get("buyer_accepts_marketing")
    return OrderPlaced(
        order_id=order_id,
        order_name=_str(data, "name") or f"#{order_id}",
        email=_email(data),
        first_name=_first_name(data),
        customer_id=_id(customer, "id", required=False) if customer else None,
        checkout_token=_str(data, "checkout_token"),
        cart_token=_str(data, "cart_token"),
        checkout_id=_id(data, "checkout_id", required=False),
        total=_money(data.get("current_total_price") or data.get("total_price")),
        currency=_str(data, "presentment_currency") or _str(data, "currency"),
        items=_items(data),
        financial_status=_str(data, "financial_status"),
        cancelled=bool(data.get("cancelled_at")),
        test=bool(data.get("test")),
        accepts_marketing=accepts if isinstance(accepts, bool) else None,
        occurred_at=when(data.get("processed_at") or data.get("created_at"), now),
        paid=paid,
    )


def _order_ids(values: Any) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise ShapeError("order list must be a list")
    return tuple(str(v) for v in values if isinstance(v, (int, str)) and not isinstance(v, bool))


def _redact_customer(data: dict[str, Any], now: datetime) -> RedactCustomer:
    customer = _obj(data.get("customer"), "'customer'")
    return RedactCustomer(
        email=_email(customer), customer_id=_id(customer, "id", required=False),
        order_ids=_order_ids(data.get("orders_to_redact")), shop_domain=_str(data, "shop_domain") or "",
        occurred_at=now,
    )


def _data_request(data: dict[str, Any], now: datetime) -> DataRequested:
    customer = _obj(data.get("customer"), "'customer'")
    request = data.get("data_request") if isinstance(data.get("data_request"), dict) else {}
    return DataRequested(
        email=_email(customer), customer_id=_id(customer, "id", required=False),
        order_ids=_order_ids(data.get("orders_requested")),
        request_id=_id(request, "id", required=False) if request else None,
        shop_domain=_str(data, "shop_domain") or "", occurred_at=now,
    )


def _consent(data: dict[str, Any], now: datetime) -> DomainEvent:
    consent = _obj(data.get("email_marketing_consent"), "'email_marketing_consent'")
    state = _str(consent, "state") or "unknown"
    email = _str(data, "email_address")
    if not email:
        return Ignored("shopify", "consent", "consent update without an email address", now)
    return ConsentChanged(
        customer_id=_id(data, "customer_id", required=False), email=email.lower(),
        subscribed=state == "subscribed", state=state,
        occurred_at=when(consent.get("consent_updated_at"), now),
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
    # pending/open: handed to the carrier, on its way; success: done. cancelled/error/failure: not shipped.
    if data.get("status") not in ("success", "pending", "open", None):
        return Ignored("shopify", "fulfillment", f"fulfillment status {data.get('status')!r}", now)
    url = _first_of(data, "tracking_url", "tracking_urls")
    return OrderFulfilled(
        order_id=order_id, email=_email(data), occurred_at=when(data.get("created_at") or data.get("updated_at"), now),
        fulfillment_id=_id(data, "id", required=False), tracking_company=_str(data, "tracking_company"),
        tracking_number=_first_of(data, "tracking_number", "tracking_numbers"),
        tracking_url=url if url and url.startswith(("https://", "http://")) else None)


def _fulfillment_event(data: dict[str, Any], now: datetime) -> DomainEvent:
    order_id = _id(data, "order_id")
    assert order_id is not None
    status = _str(data, "status")
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
            currency = currency or _str(tx, "currency")
    return RefundIssued(_id(data, "order_id") or "", _id(data, "id") or "", when(data.get("created_at"), now),
                        amount=amount, currency=currency)


SHOPIFY: dict[str, Callable[[dict[str, Any], datetime], DomainEvent]] = {
    "checkouts/create": _checkout,
    "checkouts/update": _checkout,
    "checkouts/delete": lambda d, now: CheckoutDeleted(_id(d, "id", required=False), _str(d, "cart_token"), now),
    "orders/create": lambda d, now: _order(d, now, paid=False),
    "orders/paid": lambda d, now: _order(d, now, paid=True),
    "orders/fulfilled": lambda d, now: OrderFulfilled(_id(d, "id") or "", _email(d), when(d.get("updated_at"), now)),
    "orders/cancelled": lambda d, now: OrderCancelled(_id(d, "id") or "", _email(d), _str(d, "cancel_reason"),
                                                      when(d.get("cancelled_at"), now)),
    "fulfillments/create": _fulfillment,
    "fulfillments/update": _fulfillment,
    "refunds/create": _refund,
    "fulfillment_events/create": _fulfillment_event,
    "customers/create": lambda d, now: CustomerSeen(_id(d, "id") or "", _email(d), _first_name(d),
                                                    when(d.get("created_at"), now)),
    "customers/update": lambda d, now: CustomerSeen(_id(d, "id") or "", _email(d), _first_name(d),
                                                    when(d.get("updated_at"), now)),
    "customers_email_marketing_consent/update": _consent,
    "customers/data_request": _data_request,
    "customers/redact": _redact_customer,
    "shop/redact": lambda d, now: RedactShop(_str(d, "shop_domain") or "", now),
    "disputes/create": lambda d, now: DisputeOpened(
        _id(d, "id") or "", _id(d, "order_id", required=False), None, _str(d, "reason"), _money(d.get("amount")),
        _str(d, "currency"), when(d.get("initiated_at"), now)),
}

PRIVACY_TOPICS = frozenset({"customers/data_request", "customers/redact", "shop/redact"})


def translate_shopify(topic: str, data: Any, now: datetime) -> DomainEvent:
    handler = SHOPIFY.get(topic)
    if handler is None:
        return Ignored("shopify", topic, f"Warmline does not act on Shopify topic {topic!r}", now)
    return handler(_obj(data, "the body"), now)


# --- Stripe ----------------------------------------------------------------------
ZERO_DECIMAL = frozenset({
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
})


def _stripe_amount(value: Any, currency: str | None) -> Decimal | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if currency and currency.lower() in ZERO_DECIMAL:
        return Decimal(value)
    return Decimal(value) / 100


def _stripe_email(obj: dict[str, Any]) -> str | None:
    for source in (obj, obj.get("billing_details"), obj.get("customer_details"), obj.get("evidence"),
                   (obj.get("last_payment_error") or {}).get("payment_method", {}).get("billing_details")
                   if isinstance(obj.get("last_payment_error"), dict) else None):
        if not isinstance(source, dict):
            continue
        for key in ("customer_email", "receipt_email", "email", "customer_email_address"):
            value = source.get(key)
            if isinstance(value, str) and "@" in value:
                return value.strip().lower()
    return None


def _stripe_name(obj: dict[str, Any]) -> str | None:
    for source in (obj, obj.get("billing_details"), obj.get("customer_details")):
        if isinstance(source, dict):
            for key in ("customer_name", "name"):
                value = source.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
    return None


STRIPE_FAILED = frozenset({"payment_intent.payment_failed", "charge.failed"})
STRIPE_SUCCEEDED = frozenset({"invoice.payment_succeeded", "payment_intent.succeeded", "charge.succeeded"})
STRIPE_INVOICE_SETTLED = {"invoice.paid": "paid", "invoice.voided": "voided",
                          "invoice.marked_uncollectible": "uncollectible"}


def _stripe_ref(value: Any) -> str | None:
    """An id that Stripe may expand into an object."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _invoice_subscription(obj: dict[str, Any]) -> str | None:
    found = _stripe_ref(obj.get("subscription"))
    parent = obj.get("parent")
    if not found and isinstance(parent, dict) and isinstance(parent.get("subscription_details"), dict):
        found = _stripe_ref(parent["subscription_details"].get("subscription"))
    return found


def _stripe_time(value: Any) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ShapeError(f"{value!r} is not a time") from exc
    return None


def _stripe_items(obj: dict[str, Any]) -> tuple[LineItem, ...]:
    lines = obj.get("line_items")
    data = lines.get("data") if isinstance(lines, dict) else None
    items = []
    for line in data if isinstance(data, list) else []:
        if isinstance(line, dict):
            quantity = line.get("quantity")
            items.append(LineItem(title=str(line.get("description") or "item"),
                                  quantity=quantity if isinstance(quantity, int) and quantity > 0 else 1))
    return tuple(items)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _stripe_checkout(event_type: str, obj: dict[str, Any], object_id: str, occurred: datetime) -> DomainEvent:
    currency = _str(obj, "currency")
    total = _stripe_amount(obj.get("amount_total"), currency)
    email = _stripe_email(obj)
    if event_type == "checkout.session.completed":
        return StripeCheckoutCompleted(object_id, email, total, currency.upper() if currency else None, occurred)
    after = _dict(obj.get("after_expiration"))
    recovery = _dict(after.get("recovery"))
    url = _str(recovery, "url") if recovery.get("enabled") else None
    consent = _dict(obj.get("consent"))
    collection = _dict(obj.get("consent_collection"))
    promotions = _str(consent, "promotions")
    if promotions is None and collection.get("promotions") not in (None, "none"):
        promotions = "not_given"  # the session asked and the customer did not opt in
    name = _stripe_name(obj)
    return StripeCheckoutExpired(
        session_id=object_id, email=email, first_name=name.split(" ")[0] if name else None,
        recovery_url=url if url and url.startswith("https://") else None, total=total,
        currency=currency.upper() if currency else None, promotions_consent=promotions, occurred_at=occurred,
        items=_stripe_items(obj))


def _stripe_invoice_failed(obj: dict[str, Any], object_id: str, occurred: datetime) -> DomainEvent:
    currency = _str(obj, "currency")
    attempts = obj.get("attempt_count")
    first = (_stripe_name(obj) or "").split(" ")[0] or None
    return InvoicePaymentFailed(
        invoice_id=object_id, subscription_id=_invoice_subscription(obj), email=_stripe_email(obj),
        customer_name=first, amount=_stripe_amount(obj.get("amount_due"), currency),
        currency=currency.upper() if currency else None,
        attempt_count=attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else 1,
        next_attempt_at=_stripe_time(obj.get("next_payment_attempt")), retry_url=_str(obj, "hosted_invoice_url"),
        occurred_at=occurred, stripe_customer=_stripe_ref(obj.get("customer")))


def translate_stripe(event: Any, now: datetime) -> DomainEvent:
    event = _obj(event, "the body")
    event_type = _str(event, "type") or ""
    data = _obj(event.get("data"), "'data'")
    obj = _obj(data.get("object"), "'data.object'")
    occurred = when(event.get("created"), now)
    object_id = _id(obj, "id", required=False) or _id(event, "id") or ""
    currency = _str(obj, "currency")
    if event_type in STRIPE_FAILED:
        amount_key = "amount_due" if event_type.startswith("invoice") else "amount"
        first = (_stripe_name(obj) or "").split(" ")[0] or None
        return PaymentFailed(
            payment_id=object_id, email=_stripe_email(obj), customer_name=first,
            amount=_stripe_amount(obj.get(amount_key), currency), currency=currency.upper() if currency else None,
            retry_url=_str(obj, "hosted_invoice_url"), occurred_at=occurred,
        )
    if event_type in STRIPE_SUCCEEDED:
        return PaymentSucceeded(payment_id=object_id, email=_stripe_email(obj), occurred_at=occurred)
    if event_type in ("checkout.session.expired", "checkout.session.completed"):
        return _stripe_checkout(event_type, obj, object_id, occurred)
    if event_type == "invoice.payment_failed":
        return _stripe_invoice_failed(obj, object_id, occurred)
    if event_type in STRIPE_INVOICE_SETTLED:
        return InvoiceSettled(object_id, _invoice_subscription(obj), _stripe_email(obj),
                              STRIPE_INVOICE_SETTLED[event_type], occurred)
    if event_type == "customer.subscription.deleted":
        return SubscriptionEnded(object_id, _stripe_ref(obj.get("customer")), occurred)
    if event_type == "customer.subscription.trial_will_end":
        has_method = bool(_stripe_ref(obj.get("default_payment_method")) or _stripe_ref(obj.get("default_source")))
        return TrialEnding(object_id, _stripe_ref(obj.get("customer")), _stripe_email(obj),
                           _stripe_time(obj.get("trial_end")), has_method, occurred)
    if event_type == "charge.dispute.created":
        return DisputeOpened(
            dispute_id=object_id, order_id=_str(obj, "charge"), email=_stripe_email(obj), reason=_str(obj, "reason"),
            amount=_stripe_amount(obj.get("amount"), currency), currency=currency.upper() if currency else None,
            occurred_at=occurred, source="stripe",
        )
    if event_type == "charge.refunded":
        return RefundIssued(order_id=object_id, refund_id=object_id, occurred_at=occurred, email=_stripe_email(obj))
    return Ignored("stripe", event_type or "unknown", f"Warmline does not act on Stripe event {event_type!r}",
                   occurred)


STRIPE_TYPES = STRIPE_FAILED | STRIPE_SUCCEEDED | set(STRIPE_INVOICE_SETTLED) | {
    "charge.dispute.created", "charge.refunded", "checkout.session.expired", "checkout.session.completed",
    "invoice.payment_failed", "customer.subscription.deleted", "customer.subscription.trial_will_end"}

