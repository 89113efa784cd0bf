"""The owner's configuration as typed, immutable values (built by `loader.py`).

Pure: no file or environment access here. Defaults mirror `schema.json`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any, Literal

SecretRef = dict[str, str]  # {"env": "NAME"} or {"ssm": "/path"} or {"value": "..."} (tests)


class FlowSettings(Mapping[str, Any]):
    """Each flow's own settings, by flow name (built by the loader from the flow's block of the schema)."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values = dict(values or {})

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:  # config.flows.abandoned_cart reads as well as ["abandoned_cart"]
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FlowSettings) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values)))


@dataclass(frozen=True)
class Vip:
    lifetime_spend: float = 500.0
    order_count: int = 5


@dataclass(frozen=True)
class EscalationSettings:
    threshold: float = 0.5  # the local model's calibrated threshold (chalicelib/engine/MODEL_CARD.md)
    upset_cooldown_hours: float = 72.0
    vip: Vip = Vip()
    # the shop's products whose names sound like a complaint ("Broken Biscuit Bag"): read as products, not problems
    product_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(8, 0)

    def contains(self, t: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end


@dataclass(frozen=True)
class FrequencyCap:
    max_marketing_emails: int = 3
    per_days: int = 7


@dataclass(frozen=True)
class SentimentSettings:
    engine: Literal["local", "comprehend"] = "local"
    language: str | None = None


@dataclass(frozen=True)
class InboundEmailAuth:
    mode: Literal["path_token", "basic"] = "path_token"
    basic_username: str = "warmline"


@dataclass(frozen=True)
class WarmlineConfig:
    shop_name: str
    shop_domain: str
    sender_email: str
    sender_name: str
    timezone: str = "UTC"
    brand_voice: Literal["warm", "playful", "formal"] = "warm"
    sign_off: str = ""
    reply_promise_hours: int = 24
    dispatch_within_days: int | None = None
    postal_address: str = ""
    reply_to: str | None = None
    owner_name: str = ""
    owner_phones: tuple[str, ...] = ()
    owner_email: str | None = None
    review_base_url: str = "http://127.0.0.1:8000"
    secrets: dict[str, SecretRef] = field(default_factory=dict)
    inbound_email: InboundEmailAuth = InboundEmailAuth()
    flows: FlowSettings = field(default_factory=FlowSettings)
    escalation: EscalationSettings = EscalationSettings()
    quiet_hours: QuietHours | None = QuietHours()
    frequency_cap: FrequencyCap = FrequencyCap()
    sentiment: SentimentSettings = SentimentSettings()
    pilot: bool = False
    templates_dir: str | None = None
    shopify_shop_id: int | None = None  # shop.shopify_id: shop/redact is acted on only when it names this shop
    # aws: only on AWS (docs/aws.md)
    log_retention_days: int = 30
    sms_sender_id: str | None = None
    sms_origination_number: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
