"""Decisions: what Warmline has decided to do, as data, each with its reason.

`decide` returns these; the executor carries them out. Because they are data
they can be executed, printed as a dry run, held for approval or explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .state import AbandonedCartSequence, CustomerState, EscalationLevel

EmailKind = Literal["marketing", "service", "acknowledgement"]

# Why a message was not sent, as a closed set: metrics use the code, the log keeps the sentence.
SuppressionCode = Literal[
    "flow_off", "no_address", "undeliverable", "unsubscribed", "no_consent", "upset", "frequency_cap",
    "purchased", "already_sent", "not_applicable", "untrusted_sender", "rate_limited", "mail_loop", "automatic_off",
    "other",
]
SUPPRESSION_CODES: tuple[str, ...] = SuppressionCode.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Goodwill:
    """A single-use discount code to create (Shopify Admin API) and offer in the email."""

    code: str
    percent: float | None
    amount: str | None
    currency: str | None
    expires_at: str  # ISO
    customer_id: str | None = None


@dataclass(frozen=True)
class SendEmail:
    """Send one email to a customer. `key` makes the send idempotent."""

    key: str
    to: str
    template: str
    context: dict[str, Any]
    kind: EmailKind
    reason: str
    checkout_token: str | None = None
    step: int | None = None
    flow: str = ""
    unless_purchased_since: str | None = None  # ISO: suppress if the customer ordered since (purchase re-check)
    goodwill: Goodwill | None = None


@dataclass(frozen=True)
class AlertOwner:
    key: str
    customer_email: str | None
    level: EscalationLevel
    headline: str
    excerpt: str
    reasons: tuple[str, ...]
    recent_orders: tuple[str, ...]
    reason: str
    score: float | None = None
    export_id: str | None = None  # a customer data export the owner should send on
    related: tuple[str, ...] = ()  # other customers this alert is about (complaint surges)


@dataclass(frozen=True)
class SaveCustomer:
    customer: CustomerState
    reason: str


@dataclass(frozen=True)
class SaveSequence:
    sequence: AbandonedCartSequence
    reason: str


@dataclass(frozen=True)
class Suppress:
    """A message we chose not to send; recorded so the owner can see why."""

    what: str
    customer_email: str | None
    reason: str
    key: str | None = None
    code: SuppressionCode = "other"
    flow: str = ""


@dataclass(frozen=True)
class HoldForApproval:
    """Pilot mode: the email is kept for the owner to approve or reject."""

    email: SendEmail
    reason: str


@dataclass(frozen=True)
class ForgetCustomer:
    email: str | None
    customer_id: str | None
    order_ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ForgetShop:
    shop_domain: str
    reason: str


@dataclass(frozen=True)
class ExportCustomerData:
    email: str | None
    customer_id: str | None
    request_id: str | None
    reason: str
    export_id: str = ""


@dataclass(frozen=True)
class ScheduleStep:
    """Run `flow`'s step `key` at `due` (an upsert: scheduling the same key again moves it)."""

    flow: str
    key: str
    due: str  # ISO, aware
    data: dict[str, Any]
    reason: str
    email: str | None = None  # whose step it is (privacy: forget and export)
    group: str | None = None  # what CancelSteps matches on (an order, a checkout, an invoice)


@dataclass(frozen=True)
class CancelSteps:
    """Drop `flow`'s pending steps for `group` (or every step of `email`)."""

    flow: str
    reason: str
    group: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SaveMemory:
    """A flow's shop-wide memory (e.g. the complaint-surge window); `version` guards concurrent writers."""

    flow: str
    key: str
    data: dict[str, Any]
    version: int
    reason: str


@dataclass(frozen=True)
class Note:
    """Nothing to do, and why (unknown topic, test order, no email...)."""

    reason: str
    details: dict[str, str] = field(default_factory=dict)


Decision = (
    SendEmail
    | AlertOwner
    | SaveCustomer
    | SaveSequence
    | Suppress
    | HoldForApproval
    | ForgetCustomer
    | ForgetShop
    | ExportCustomerData
    | ScheduleStep
    | CancelSteps
    | SaveMemory
    | Note
)


def decision_name(decision: Decision) -> str:
    return type(decision).__name__
