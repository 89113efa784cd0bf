"""The owner's configuration as typed, immutable values (built by `loader.py`).

Pure: no file or environment access here. Defaults mirror `schema.json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any, Literal

SecretRef = dict[str, str]  # {"env": "NAME"} or {"ssm": "/path"} or {"value": "..."} (tests)


@dataclass(frozen=True)
class CartStep:
    delay_hours: float
    template: str


@dataclass(frozen=True)
class AbandonedCartFlow:
    enabled: bool = True
    consent: Literal["unless_unsubscribed", "opted_in_only"] = "unless_unsubscribed"
    steps: tuple[CartStep, ...] = (
        CartStep(1, "cart_reminder_1"),
        CartStep(24, "cart_reminder_2"),
        CartStep(72, "cart_reminder_3"),
    )


@dataclass(frozen=True)
class SimpleFlow:
    enabled: bool = True
    template: str = ""


@dataclass(frozen=True)
class UnhappyCustomerFlow:
    enabled: bool = True
    acknowledge: bool = True
    template: str = "acknowledgement"


@dataclass(frozen=True)
class Flows:
    abandoned_cart: AbandonedCartFlow = AbandonedCartFlow()
    unhappy_customer: UnhappyCustomerFlow = UnhappyCustomerFlow()
    thank_you: SimpleFlow = SimpleFlow(True, "thank_you")
    payment_failed: SimpleFlow = SimpleFlow(True, "payment_failed")


@dataclass(frozen=True)
class Vip:
    lifetime_spend: float = 500.0
    order_count: int = 5


@dataclass(frozen=True)
class EscalationSettings:
    threshold: float = 0.35  # the local model's calibrated threshold (chalicelib/engine/MODEL_CARD.md)
    upset_cooldown_hours: float = 72.0
    vip: Vip = Vip()


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
    flows: Flows = Flows()
    escalation: EscalationSettings = EscalationSettings()
    quiet_hours: QuietHours | None = QuietHours()
    frequency_cap: FrequencyCap = FrequencyCap()
    sentiment: SentimentSettings = SentimentSettings()
    pilot: bool = False
    templates_dir: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
