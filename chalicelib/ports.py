"""Ports: the interfaces the worker and executor use, with local and AWS adapters behind them.

Every adapter takes its client or path in its constructor and does nothing at
import time. Contract tests (tests/contract/) run the same cases against both
families so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from .domain.decisions import Goodwill, SendEmail
from .domain.state import AbandonedCartSequence, CustomerState, SentimentReading

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Delivery:
    """One verified webhook, exactly as received, waiting to be processed."""

    delivery_id: str  # "<source>:<id>", the dedupe key
    source: str  # "shopify" | "stripe" | "email" | "ses"
    topic: str  # "checkouts/create", "invoice.payment_failed", "inbound"
    body: bytes
    received_at: datetime
    shop: str | None = None
    triggered_at: str | None = None
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "delivery_id": self.delivery_id,
            "source": self.source,
            "topic": self.topic,
            "body": self.body.decode("utf-8", errors="surrogateescape"),
            "received_at": self.received_at.isoformat(),
            "shop": self.shop,
            "triggered_at": self.triggered_at,
            "attempts": self.attempts,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Delivery:
        return cls(
            delivery_id=data["delivery_id"],
            source=data["source"],
            topic=data["topic"],
            body=data["body"].encode("utf-8", errors="surrogateescape"),
            received_at=datetime.fromisoformat(data["received_at"]),
            shop=data.get("shop"),
            triggered_at=data.get("triggered_at"),
            attempts=int(data.get("attempts", 0)),
        )


@dataclass(frozen=True)
class OutgoingEmail:
    """A rendered email, ready for a Mailer."""

    key: str  # idempotency key: the same key is never sent twice
    to: str
    subject: str
    text: str
    from_email: str
    from_name: str
    reply_to: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # List-Unsubscribe, Auto-Submitted...
    kind: str = "service"


@dataclass(frozen=True)
class OwnerAlertMessage:
    """A rendered owner alert: a short text for SMS and a longer one for email/console."""

    key: str
    short_text: str  # <= 300 chars, for a phone
    long_text: str
    level: str
    review_url: str
    data: dict[str, Any] = field(default_factory=dict)


class DuplicateDelivery(Exception):
    """The delivery id was accepted before; the sender is told 200 and nothing is re-queued."""


class IntakeUnavailable(Exception):
    """The queue or dedupe store cannot take the delivery now: answer 503 so the sender retries."""


@runtime_checkable
class DeliveryInbox(Protocol):
    """Intake side of the queue: dedupe and store durably, or raise."""

    def accept(self, delivery: Delivery) -> bool:
        """True if newly queued, False if this delivery id was seen before.

        Raises IntakeUnavailable when it cannot store the delivery durably."""


@runtime_checkable
class CustomerStore(Protocol):
    def get_customer(self, email: str) -> CustomerState | None: ...
    def save_customer(self, customer: CustomerState) -> None: ...
    def get_sequence(self, checkout_token: str) -> AbandonedCartSequence | None: ...
    def save_sequence(self, sequence: AbandonedCartSequence) -> None: ...
    def find_sequences(
        self, *, email: str | None = None, cart_token: str | None = None, checkout_id: str | None = None
    ) -> list[AbandonedCartSequence]: ...
    def find_customer(self, *, order_id: str | None = None, stripe_customer: str | None = None
                      ) -> CustomerState | None:
        """The customer an order or a Stripe customer id belongs to (webhooks that carry no email)."""
    # flows' shop-wide records (complaint-surge window, acknowledgement budget), with optimistic versions
    def get_memory(self, flow: str, key: str) -> tuple[dict[str, Any], int] | None: ...
    def save_memory(self, flow: str, key: str, data: dict[str, Any], version: int) -> None:
        """Write version+1 if the stored version is still `version` (0: new); else raise MemoryConflict."""
    def forget_customer(self, email: str | None, customer_id: str | None) -> int:
        """Delete everything stored about the customer; returns how many records went."""
    def forget_shop(self) -> int: ...
    def export_customer(self, email: str | None, customer_id: str | None) -> dict[str, Any]: ...
    def save_export(self, export_id: str, data: dict[str, Any]) -> None: ...
    def get_export(self, export_id: str) -> dict[str, Any] | None: ...
    # pilot mode: emails held for the owner's approval
    def hold_email(self, email: SendEmail, held_at: datetime) -> None: ...
    def held_emails(self) -> list[dict[str, Any]]: ...
    def release_held(self, key: str) -> SendEmail | None: ...
    # SES feedback: an address that hard-bounced or complained is never mailed again. Stored by
    # customer_ref (no address kept); a privacy redact removes the mark with the rest.
    def mark_undeliverable(self, email: str, kind: str, detail: str, at: datetime) -> bool:
        """kind: "bounce" | "complaint". True if newly marked (the first mark is kept)."""
    def undeliverable(self, email: str) -> str | None:
        """Why the address must not be mailed ("bounce: Permanent/General"), or None."""
    def undeliverable_counts(self, since: datetime) -> dict[str, int]:
        """Addresses marked since `since`, by kind: {"bounce": 2, "complaint": 1} (the owner's week view)."""


@dataclass(frozen=True)
class ScheduledStep:
    """One pending timed step of a flow, as stored in the due index."""

    flow: str
    key: str
    due: str  # ISO, aware
    data: dict[str, Any]
    email: str | None = None
    group: str | None = None
    attempts: int = 0
    claim: str | None = None  # who holds it while it runs
    last_error: str | None = None


@runtime_checkable
class Scheduler(Protocol):
    """One due index for every flow's timed steps (SQLite locally, the due_steps index in DynamoDB).

    `claim_due` hands each due step to exactly one caller (any number of tickers or sweepers may run at
    once); the claim expires after `lease`, so a step whose runner died is due again then."""

    def schedule(self, step: ScheduledStep) -> None:
        """Insert, or move an existing (flow, key) to the new due time and data."""
    def cancel(self, flow: str, *, group: str | None = None, email: str | None = None) -> int: ...
    def claim_due(self, now: datetime, limit: int = 100, lease: timedelta = timedelta(minutes=5)
                  ) -> list[ScheduledStep]: ...
    def complete(self, step: ScheduledStep) -> None:
        """Done: drop the step, unless it was rescheduled while it ran (then the new schedule stands)."""
    def fail(self, step: ScheduledStep, error: str, now: datetime) -> bool:
        """Retry later with backoff; after MAX_ATTEMPTS park it (True), where dead_steps shows it."""
    def pending_steps(self, flow: str | None = None) -> list[ScheduledStep]: ...
    def dead_steps(self) -> list[ScheduledStep]: ...
    def discard_dead_step(self, flow: str, key: str) -> bool: ...
    def retry_dead_step(self, flow: str, key: str, now: datetime) -> bool: ...


class MemoryConflict(Exception):
    """Another worker changed a flow's shop-wide record first: the delivery is retried with the new one."""


@runtime_checkable
class DiscountCodes(Protocol):
    """Creates single-use discount codes in the shop (the Shopify Admin API)."""

    def create(self, goodwill: Goodwill, title: str) -> str:
        """The code, created (idempotent: a code that exists already counts as created); raises on failure."""


@runtime_checkable
class DecisionLog(Protocol):
    def record(self, entry: dict[str, Any]) -> None: ...
    def recent(self, limit: int = 100) -> list[dict[str, Any]]: ...


@runtime_checkable
class Mailer(Protocol):
    def send(self, message: OutgoingEmail) -> str:
        """Send, idempotent on message.key: a repeated key sends nothing and returns the first id."""


@runtime_checkable
class OwnerAlerter(Protocol):
    def alert(self, message: OwnerAlertMessage) -> str:
        """Alert the owner, idempotent on message.key."""


@runtime_checkable
class SentimentAnalyzer(Protocol):
    def read(self, text: str, language: str | None = None) -> SentimentReading: ...
    def read_many(self, texts: Sequence[str], language: str | None = None) -> list[SentimentReading]: ...


@runtime_checkable
class SecretSource(Protocol):
    def get(self, name: str) -> str:
        """The secret named in config.secrets (e.g. "shopify_webhook_secret"); raises KeyError if unset."""


class Clock(Protocol):
    def __call__(self) -> datetime: ...
