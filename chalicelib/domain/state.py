"""What Warmline remembers about a customer and a cart, as plain values.

The store adapters persist these as JSON; `to_dict`/`from_dict` are the only
serialisation, so SQLite and DynamoDB hold the same shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

Consent = Literal["subscribed", "unsubscribed", "unknown"]
SentimentLabel = Literal["POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"]
EscalationLevel = Literal["none", "watch", "alert", "urgent"]

ESCALATION_ORDER: tuple[EscalationLevel, ...] = ("none", "watch", "alert", "urgent")


@dataclass(frozen=True)
class SentimentReading:
    """One reading of how a text feels, whichever engine produced it."""

    label: SentimentLabel
    positive: float
    negative: float
    neutral: float
    mixed: float
    language: str = "en"
    degraded: bool = False
    engine: str = "local"
    # The sentence that reads most upset, when the engine read the text sentence by sentence ("" if not):
    # the owner's alert quotes it (masked) instead of the email's first lines.
    focus: str = ""
    # Whether the message needs a person, by the learned model beside the cues (engine/person.py; English only,
    # for every engine): the level it would raise the message to, its score, and the sentence behind it ("" if the
    # whole text), and P(it cannot wait) by the same model. "none" / 0.0 when the engine has no such reading. With
    # each reading, the words that weighed most in it (lower case, no digits; () when the reading is low).
    person_level: EscalationLevel = "none"
    person: float = 0.0
    person_focus: str = ""
    person_urgent: float = 0.0
    person_words: tuple[str, ...] = ()
    person_urgent_words: tuple[str, ...] = ()

    @property
    def scores(self) -> dict[str, float]:
        return {
            "Positive": self.positive,
            "Negative": self.negative,
            "Neutral": self.neutral,
            "Mixed": self.mixed,
        }


NEUTRAL_READING = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, engine="none")


@dataclass(frozen=True)
class Escalation:
    level: EscalationLevel
    reasons: tuple[str, ...]

    def at_least(self, level: EscalationLevel) -> bool:
        return ESCALATION_ORDER.index(self.level) >= ESCALATION_ORDER.index(level)


@dataclass(frozen=True)
class OrderSummary:
    order_id: str
    name: str
    total: str | None
    currency: str | None
    placed_at: str
    financial_status: str | None = None
    cancelled: bool = False
    refunded: bool = False
    fulfilled: bool = False
    promised_by: str | None = None
    checkout_token: str | None = None
    cart_token: str | None = None
    fulfilled_at: str | None = None
    delivered_at: str | None = None
    source: str = "shopify"  # or "stripe" (a completed Checkout session)


@dataclass(frozen=True)
class ContactSummary:
    """One inbound message, kept without its text (data minimisation)."""

    message_id: str
    at: str
    label: SentimentLabel
    level: EscalationLevel


@dataclass(frozen=True)
class SurveyRecord:
    """One "how did we do?" email: when it went, and the answer if any (score 1-5, optional comment)."""

    order_id: str
    sent_at: str
    score: int | None = None
    comment: str = ""
    answered_at: str | None = None


@dataclass(frozen=True)
class CustomerState:
    email: str
    first_name: str | None = None
    customer_id: str | None = None
    consent: Consent = "unknown"
    orders: tuple[OrderSummary, ...] = ()
    contacts: tuple[ContactSummary, ...] = ()
    open_disputes: tuple[str, ...] = ()
    failed_payments: tuple[str, ...] = ()
    marketing_sent: tuple[str, ...] = ()  # ISO timestamps of marketing emails sent
    upset_until: str | None = None  # ISO: an open negative conversation until then
    acknowledged: tuple[str, ...] = ()  # ISO times of automatic acknowledgements sent (mail-loop limits)
    conversation_alert: str | None = None  # key of the owner alert for the open conversation (one text each)
    surveys: tuple[SurveyRecord, ...] = ()
    open_invoices: tuple[str, ...] = ()  # Stripe invoices in dunning
    stripe_customer: str | None = None
    # ISO: Warmline sends this customer no automatic email at all from then until the owner turns it back on (a
    # customer who may not be safe at home, whose email someone else may read; or the owner's own choice)
    automatic_off: str | None = None
    automatic_off_why: str = ""

    # --- derived facts -------------------------------------------------
    def is_upset(self, now: datetime) -> bool:
        return self.upset_until is not None and datetime.fromisoformat(self.upset_until) > now

    def lifetime_spend(self) -> Decimal:
        total = Decimal(0)
        for order in self.orders:
            if order.total and not order.cancelled and not order.refunded:
                try:
                    total += Decimal(order.total)
                except ArithmeticError:
                    continue
        return total

    def contacts_since(self, since: datetime) -> int:
        return sum(1 for c in self.contacts if datetime.fromisoformat(c.at) >= since)

    def marketing_since(self, since: datetime) -> int:
        return sum(1 for at in self.marketing_sent if datetime.fromisoformat(at) >= since)

    # --- serialisation --------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CustomerState:
        return cls(
            email=data["email"],
            first_name=data.get("first_name"),
            customer_id=data.get("customer_id"),
            consent=data.get("consent", "unknown"),
            orders=tuple(OrderSummary(**o) for o in data.get("orders", ())),
            contacts=tuple(ContactSummary(**c) for c in data.get("contacts", ())),
            open_disputes=tuple(data.get("open_disputes", ())),
            failed_payments=tuple(data.get("failed_payments", ())),
            marketing_sent=tuple(data.get("marketing_sent", ())),
            upset_until=data.get("upset_until"),
            acknowledged=tuple(data.get("acknowledged", ())),
            conversation_alert=data.get("conversation_alert"),
            surveys=tuple(SurveyRecord(**v) for v in data.get("surveys", ())),
            open_invoices=tuple(data.get("open_invoices", ())),
            stripe_customer=data.get("stripe_customer"),
            automatic_off=data.get("automatic_off"),
            automatic_off_why=data.get("automatic_off_why") or "",
        )

    def with_order(self, order: OrderSummary) -> CustomerState:
        others = tuple(o for o in self.orders if o.order_id != order.order_id)
        return replace(self, orders=(*others, order)[-20:])

    def with_contact(self, contact: ContactSummary) -> CustomerState:
        others = tuple(c for c in self.contacts if c.message_id != contact.message_id)
        return replace(self, contacts=(*others, contact)[-20:])

    def order(self, order_id: str) -> OrderSummary | None:
        return next((o for o in self.orders if o.order_id == order_id), None)

    def with_order_changed(self, order_id: str, **changes: Any) -> CustomerState:
        return replace(self, orders=tuple(replace(o, **changes) if o.order_id == order_id else o
                                          for o in self.orders))

    def ordered_since(self, since: str) -> OrderSummary | None:
        """The first live order placed at or after `since` (ISO), from either source."""
        start = datetime.fromisoformat(since)
        return next((o for o in self.orders if not o.cancelled and datetime.fromisoformat(o.placed_at) >= start),
                    None)

    def with_marketing_sent(self, at: datetime, keep: timedelta) -> CustomerState:
        recent = tuple(a for a in self.marketing_sent if datetime.fromisoformat(a) >= at - keep)
        return replace(self, marketing_sent=(*recent, at.isoformat()))


CartStatus = Literal["active", "purchased", "deleted", "finished", "stopped"]


@dataclass(frozen=True)
class CartItem:
    title: str
    quantity: int
    price: str | None = None


@dataclass(frozen=True)
class AbandonedCartSequence:
    """A helpful reminder sequence for one abandoned checkout."""

    checkout_token: str
    email: str
    started_at: str
    due: tuple[str, ...]  # ISO due time of each step, in order
    next_step: int = 0
    status: CartStatus = "active"
    status_reason: str | None = None
    cart_token: str | None = None
    checkout_id: str | None = None
    first_name: str | None = None
    recovery_url: str | None = None
    items: tuple[CartItem, ...] = ()
    total: str | None = None
    currency: str | None = None
    source: str = "shopify"  # or "stripe" (an expired Checkout session)

    @property
    def next_due(self) -> str | None:
        if self.status != "active" or self.next_step >= len(self.due):
            return None
        return self.due[self.next_step]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AbandonedCartSequence:
        fields = dict(data)
        fields["due"] = tuple(fields.get("due", ()))
        fields["items"] = tuple(CartItem(**i) for i in fields.get("items", ()))
        return cls(**fields)


@dataclass(frozen=True)
class Memory:
    """A flow's shop-wide record (not about one customer), with the version it was read at."""

    data: dict[str, Any]
    version: int = 0


@dataclass(frozen=True)
class World:
    """Everything `decide` may look at besides the event: loaded by the worker."""

    customer: CustomerState | None = None
    sequences: tuple[AbandonedCartSequence, ...] = field(default_factory=tuple)
    memory: dict[str, Memory] = field(default_factory=dict)  # "<flow>:<key>" -> Memory
