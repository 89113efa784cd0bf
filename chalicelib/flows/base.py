"""What a flow is: a name, its config (read from its own block of the schema), the events it reacts to,
the kind of email it sends, its templates, and small pure handlers that return decisions.

Nothing here does I/O. A flow never applies consent, quiet hours, the upset pause, the frequency cap or
pilot mode itself: `guardrails.py` applies those once, to every email any flow wants to send.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from ..config.model import WarmlineConfig
from ..domain.decisions import Decision, EmailKind, SaveCustomer
from ..domain.state import CustomerState, Escalation, SentimentReading, World

C = TypeVar("C")
Handler = Callable[[Any, "View", C, datetime], list[Decision]]


@dataclass(frozen=True)
class SequenceLookup:
    """Which cart sequences the worker should load for an event (the cart flow's own records)."""

    checkout_tokens: tuple[str, ...] = ()
    email: str | None = None
    cart_token: str | None = None
    checkout_id: str | None = None


@dataclass(frozen=True)
class Flow[C]:
    """One flow. Listed in `flows/__init__.py`; nothing registers itself at import."""

    name: str  # its key in the config's "flows" block and in scheduled steps
    title: str  # what the owner reads ("shipping note")
    summary: str  # one sentence for `warmline flows` and the README
    config_type: type[C]
    handlers: Mapping[type, Handler[C]]  # domain event type -> handler
    kind: EmailKind | None = None  # None: it only alerts the owner or keeps records
    templates: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # webhook topics the shop must send for this flow
    while_upset: Literal["suppress", "send"] = "suppress"  # its emails to a customer who is upset right now
    always_on: bool = False  # privacy: the law, not a preference
    memory: Callable[[Any], tuple[str, ...]] | None = None  # shop-wide records it reads, by key
    sequences: Callable[[Any], SequenceLookup | None] | None = None

    def reacts_to(self, event: object) -> bool:
        return type(event) in self.handlers

    def handle(self, event: Any, view: View, config: C, now: datetime) -> list[Decision]:
        return self.handlers[type(event)](event, view, config, now)


@dataclass(frozen=True)
class View:
    """What a flow may look at: the world as loaded, the customer as updated by the flows before it."""

    world: World
    config: WarmlineConfig
    reading: SentimentReading | None = None
    escalation: Escalation | None = None
    customer: CustomerState | None = None

    def customer_or_new(self, email: str) -> CustomerState:
        return self.customer if self.customer is not None else CustomerState(email=email)

    def brand(self) -> dict[str, Any]:
        cfg = self.config
        return {"shop_name": cfg.shop_name, "sign_off": cfg.sign_off, "voice": cfg.brand_voice,
                "reply_hours": cfg.reply_promise_hours}

    def after(self, decisions: list[Decision]) -> View:
        """The view a later flow sees: the last customer saved so far."""
        saved = [d.customer for d in decisions if isinstance(d, SaveCustomer)]
        return replace(self, customer=saved[-1]) if saved else self

    def memory(self, flow: str, key: str) -> tuple[dict[str, Any], int]:
        found = self.world.memory.get(f"{flow}:{key}")
        return (dict(found.data), found.version) if found is not None else ({}, 0)

    def local(self, when: datetime) -> datetime:
        return when.astimezone(ZoneInfo(self.config.timezone))


# --- config: a dataclass whose defaults live once, in the flow's block of schema.json --------------------
def build_flow_config[C](cls: type[C], fragment: Mapping[str, Any], data: Mapping[str, Any] | None) -> C:
    """`cls` filled from `data`, and from the schema fragment's defaults for whatever `data` leaves out."""
    return typing.cast(C, _build(cls, fragment, dict(data or {})))


def _build(cls: type[Any], fragment: Mapping[str, Any], data: dict[str, Any]) -> Any:
    properties: Mapping[str, Any] = fragment.get("properties", {})
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        prop = properties.get(f.name)
        if prop is None:
            raise TypeError(f"{cls.__name__}.{f.name} has no property in the flow's schema block")
        if f.name in data:
            raw = data[f.name]
        elif "default" in prop:
            raw = prop["default"]
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: the schema gives no default")
        values[f.name] = _convert(hints[f.name], prop, raw)
    return cls(**values)


def _convert(hint: Any, prop: Mapping[str, Any], raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], _one_of(prop), raw)
    if origin is tuple:
        (item_type, _dots) = typing.get_args(hint)
        return tuple(_convert(item_type, prop.get("items", {}), item) for item in raw)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _build(hint, prop, dict(raw))
    if hint is time:
        hours, minutes = str(raw).split(":")
        return time(int(hours), int(minutes))
    if hint is float:
        return float(raw)
    return raw


def _one_of(prop: Mapping[str, Any]) -> Mapping[str, Any]:
    for option in prop.get("oneOf", ()):
        if option.get("type") == "object":
            return typing.cast(Mapping[str, Any], option)
    return prop


# --- shared small helpers ------------------------------------------------------------------------------
def add_business_days(start: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday) after `start`, in start's own time zone."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
                          "XAF", "XOF", "XPF"})


def money(amount: Decimal | None, currency: str | None) -> str | None:
    """An amount as a customer reads it: 249.00, or 500 for currencies without minor units."""
    if amount is None:
        return None
    return f"{amount:.0f}" if (currency or "").upper() in ZERO_DECIMAL else f"{amount:.2f}"


def ago(since: datetime, now: datetime) -> str:
    hours = (now - since).total_seconds() / 3600
    if hours < 1:
        return "less than an hour"
    return f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"


@dataclass(frozen=True)
class Enabled:
    """The config of a flow that has nothing to set but on/off."""

    enabled: bool


@dataclass(frozen=True)
class EnabledWithTemplate:
    enabled: bool
    template: str


__all__ = [
    "Enabled",
    "EnabledWithTemplate",
    "Flow",
    "SequenceLookup",
    "View",
    "add_business_days",
    "ago",
    "build_flow_config",
]
