"""Domain events: normalised facts about a shop, translated from webhook payloads.

Pure data. Nothing here knows about HTTP, Shopify JSON or AWS. Ids are kept as
strings because Shopify ids exceed 2**53 and must never pass through a float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LineItem:
    title: str
    quantity: int
    price: Decimal | None = None
    variant: str | None = None


@dataclass(frozen=True)
class CheckoutStarted:
    """checkouts/create or checkouts/update with an email address."""

    checkout_token: str
    cart_token: str | None
    checkout_id: str | None
    email: str
    first_name: str | None
    items: tuple[LineItem, ...]
    recovery_url: str | None
    total: Decimal | None
    currency: str | None
    accepts_marketing: bool
    occurred_at: datetime
    completed: bool = False


@dataclass(frozen=True)
class CheckoutDeleted:
    checkout_id: str | None
    cart_token: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class OrderPlaced:
    """orders/create and orders/paid (the topic says which; the body does not)."""

    order_id: str
    order_name: str
    email: str | None
    first_name: str | None
    customer_id: str | None
    checkout_token: str | None
    cart_token: str | None
    checkout_id: str | None
    total: Decimal | None
    currency: str | None
    items: tuple[LineItem, ...]
    financial_status: str | None
    cancelled: bool
    test: bool
    accepts_marketing: bool | None
    occurred_at: datetime
    paid: bool = False
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class OrderFulfilled:
    order_id: str
    email: str | None
    occurred_at: datetime
    fulfillment_id: str | None = None
    tracking_company: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class OrderCancelled:
    order_id: str
    email: str | None
    reason: str | None
    occurred_at: datetime
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class RefundIssued:
    order_id: str
    refund_id: str
    occurred_at: datetime
    email: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class DisputeOpened:
    dispute_id: str
    order_id: str | None
    email: str | None
    reason: str | None
    amount: Decimal | None
    currency: str | None
    occurred_at: datetime
    source: str = "shopify"
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class PaymentFailed:
    """Stripe invoice.payment_failed / payment_intent.payment_failed / charge.failed."""

    payment_id: str
    email: str | None
    customer_name: str | None
    amount: Decimal | None
    currency: str | None
    retry_url: str | None
    occurred_at: datetime
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class PaymentSucceeded:
    payment_id: str
    email: str | None
    occurred_at: datetime
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class CustomerSeen:
    """customers/create: we learn a name for an email address."""

    customer_id: str
    email: str | None
    first_name: str | None
    occurred_at: datetime
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class ConsentChanged:
    """customers_email_marketing_consent/update."""

    customer_id: str | None
    email: str
    subscribed: bool
    state: str
    occurred_at: datetime


@dataclass(frozen=True)
class CustomerMessage:
    """An inbound email from a customer (already classified and stripped)."""

    message_id: str
    from_email: str
    from_name: str | None
    subject: str
    text: str
    kind: str  # "customer" | "bounce" | "complaint" | "auto_reply" | "bulk" | "no_reply"
    occurred_at: datetime
    # How far the sender is authenticated, from the receiving service's verdicts (SES receipt, Postmark's
    # spam headers, Authentication-Results): "pass" | "fail" | "spam" | "virus" | "unknown". A "fail",
    # "spam" or "virus" message must never be answered automatically.
    trust: str = "unknown"
    trust_detail: str = ""  # the verdicts it came from, e.g. "ses: spf=PASS dkim=PASS dmarc=PASS spam=PASS virus=PASS"
    in_reply_to: str | None = None  # Message-ID (without <>) this message answers, e.g. one of our acknowledgements
    references: tuple[str, ...] = ()  # the References header's Message-IDs (without <>), oldest first
    email_problem: str = ""  # why `from_email` is "" when the message named an unusable sender address


@dataclass(frozen=True)
class MessageUnreadable:
    """An inbound email whose content Warmline cannot reach (SES stored it in S3): a person must read it."""

    message_id: str
    from_email: str | None
    subject: str
    why: str
    occurred_at: datetime


@dataclass(frozen=True)
class RedactCustomer:
    email: str | None
    customer_id: str | None
    order_ids: tuple[str, ...]
    shop_domain: str
    occurred_at: datetime
    shop_id: str | None = None
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class RedactShop:
    shop_domain: str
    occurred_at: datetime
    shop_id: str | None = None


@dataclass(frozen=True)
class DataRequested:
    email: str | None
    customer_id: str | None
    order_ids: tuple[str, ...]
    request_id: str | None
    shop_domain: str
    occurred_at: datetime
    shop_id: str | None = None
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class StepDue:
    """A scheduled step fell due (the ticker or the sweeper claimed it): routed to the flow that owns it."""

    flow: str
    key: str
    data: dict[str, Any]
    occurred_at: datetime
    email: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class OrderDelivered:
    """The carrier says the parcel arrived (fulfillment_events/create with status delivered)."""

    order_id: str
    fulfillment_id: str | None
    occurred_at: datetime
    email: str | None = None


@dataclass(frozen=True)
class StripeCheckoutExpired:
    """A Stripe Checkout session expired unpaid; Stripe may offer a recovery link."""

    session_id: str
    email: str | None
    first_name: str | None
    recovery_url: str | None
    total: Decimal | None
    currency: str | None
    promotions_consent: str | None  # "opt_in" | "opt_out" | None when the session did not ask
    occurred_at: datetime
    items: tuple[LineItem, ...] = ()
    email_problem: str = ""


@dataclass(frozen=True)
class StripeCheckoutCompleted:
    session_id: str
    email: str | None
    total: Decimal | None
    currency: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class InvoicePaymentFailed:
    """A subscription invoice failed; Stripe retries on its own schedule (`next_attempt_at`)."""

    invoice_id: str
    subscription_id: str | None
    email: str | None
    customer_name: str | None
    amount: Decimal | None
    currency: str | None
    attempt_count: int
    next_attempt_at: datetime | None
    retry_url: str | None
    occurred_at: datetime
    stripe_customer: str | None = None
    email_problem: str = ""  # why `email` is None when the payload named an unusable address


@dataclass(frozen=True)
class InvoiceSettled:
    """invoice.paid / invoice.voided / invoice.marked_uncollectible: dunning for it ends."""

    invoice_id: str
    subscription_id: str | None
    email: str | None
    outcome: str  # "paid" | "voided" | "uncollectible"
    occurred_at: datetime


@dataclass(frozen=True)
class SubscriptionEnded:
    subscription_id: str
    stripe_customer: str | None  # subscription events carry no email, only Stripe's customer id
    occurred_at: datetime
    email: str | None = None


@dataclass(frozen=True)
class TrialEnding:
    subscription_id: str
    stripe_customer: str | None
    email: str | None
    trial_end: datetime | None
    has_payment_method: bool
    occurred_at: datetime


@dataclass(frozen=True)
class SurveyAnswered:
    """A customer clicked a score in a "how did we do?" email, or added a comment."""

    order_id: str
    email: str
    score: int | None
    comment: str
    occurred_at: datetime


@dataclass(frozen=True)
class Ignored:
    """A delivery we accept but do not act on (unknown topic, test ping...)."""

    source: str
    kind: str
    why: str
    occurred_at: datetime
    extra: dict[str, str] = field(default_factory=dict)


DomainEvent = (
    CheckoutStarted
    | CheckoutDeleted
    | OrderPlaced
    | OrderFulfilled
    | OrderCancelled
    | RefundIssued
    | DisputeOpened
    | PaymentFailed
    | PaymentSucceeded
    | CustomerSeen
    | ConsentChanged
    | CustomerMessage
    | MessageUnreadable
    | RedactCustomer
    | RedactShop
    | DataRequested
    | StepDue
    | OrderDelivered
    | StripeCheckoutExpired
    | StripeCheckoutCompleted
    | InvoicePaymentFailed
    | InvoiceSettled
    | SubscriptionEnded
    | TrialEnding
    | SurveyAnswered
    | Ignored
)


def event_email(event: DomainEvent) -> str | None:
    """The customer email an event is about, lower-cased, if it names one."""
    for attr in ("email", "from_email"):
        value = getattr(event, attr, None)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return None
