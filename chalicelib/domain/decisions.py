"""Decisions: what Warmline has decided to do, as data, each with its reason.

`decide` returns these; the executor carries them out. Because they are data
they can be executed, printed as a dry run, held for approval or explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .state import AbandonedCartSequence, CustomerState, EscalationLevel

EmailKind = Literal["marketing", "service", "acknowledgement"]


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
    | Note
)


def decision_name(decision: Decision) -> str:
    return type(decision).__name__
