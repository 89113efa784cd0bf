"""Complaint surge: when, within a rolling window, many of the unhappy messages share a topic (late or
missing orders, damage, careless deliveries, the website, refunds, payments, quality, health or safety,
ingredients that don't match the label, orders customers say they didn't place), the owner gets one alert
naming it and the customers, then no more alerts for that topic until the window has passed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..domain import events as ev
from ..domain.cues import find_cues, without_products
from ..domain.decisions import AlertOwner, Decision, SaveMemory
from ..privacy import customer_ref
from .base import Flow, View

NAME = "complaint_surge"
TOPICS: dict[str, str] = {  # topic -> how the owner reads it
    "late": "late or missing deliveries",
    "damaged": "damaged or wrong items",
    "delivery": "careless or wrong deliveries",
    "website": "the website, links or discount codes",  # a broken checkout stops every customer
    "refund": "refunds and cancellations",
    "payment": "payment problems",
    "quality": "quality",
    "safety": "health or safety problems",  # several at once may be one batch: the owner should know now
    "ingredients": "ingredients that don't match the label",  # the same: one batch made with the wrong thing
    "not_placed": "orders they say they didn't place",  # several at once: stolen cards tried at the checkout
}
CUE_TOPICS = {"late": "late", "damage": "damaged", "wrong_item": "damaged", "delivery": "delivery", "refund": "refund",
              "website": "website", "cancel": "refund", "ingredients": "ingredients",
              "cancelled": "refund", "billing": "payment", "safety": "safety", "not_their_order": "not_placed"}
_QUALITY = re.compile(r"\b(stale|mou?ldy|tasteless|poor quality|bad quality|quality (?:has|was|is)|"
                      r"undercooked|burnt|off taste|went off|fell apart|cheaply made)\b", re.I)


@dataclass(frozen=True)
class Config:
    enabled: bool
    window_hours: float
    min_customers: int
    share: float


def topics_of(text: str) -> tuple[str, ...]:
    found = {CUE_TOPICS[c.kind] for c in find_cues(text) if c.kind in CUE_TOPICS}
    if _QUALITY.search(text):
        found.add("quality")
    return tuple(sorted(found))


def _when_words(times: list[datetime], view: View, now: datetime) -> str:
    first = view.local(min(times))
    local_now = view.local(now)
    since = "today" if first.date() == local_now.date() else (
        "since yesterday" if (local_now.date() - first.date()).days == 1 else f"since {first:%A}")
    morning = sum(1 for t in times if view.local(t).date() == local_now.date() and view.local(t).hour < 12)
    if local_now.hour < 12 and morning and since != "today":
        return f"{since}, {morning} of them this morning"
    today = sum(1 for t in times if view.local(t).date() == local_now.date())
    return f"{since}, {today} of them today" if today and since != "today" else since


def message(event: ev.CustomerMessage, view: View, config: Config, now: datetime) -> list[Decision]:
    escalation = view.escalation
    if event.kind != "customer" or view.reading is None or escalation is None or not event.from_email:
        return []
    negative = view.reading.label == "NEGATIVE" or escalation.at_least("alert")
    if not negative or event.trust in ("fail", "spam", "virus"):
        return []
    topics = topics_of(without_products(event.text, view.config.escalation.product_names))
    memory, version = view.memory(NAME, "window")
    start = now - timedelta(hours=config.window_hours)
    kept = [m for m in memory.get("messages", []) if datetime.fromisoformat(m["at"]) > start
            and m["message_id"] != event.message_id]
    kept.append({"at": now.isoformat(), "message_id": event.message_id, "who": customer_ref(event.from_email),
                 "email": event.from_email, "topics": list(topics)})
    held: dict[str, str] = {t: until for t, until in dict(memory.get("held_until", {})).items()
                            if datetime.fromisoformat(until) > now}
    out: list[Decision] = []
    for topic in topics:
        if topic in held:
            continue
        about = [m for m in kept if topic in m["topics"]]
        customers = {m["who"] for m in about}
        if len(customers) < config.min_customers or len(about) / len(kept) < config.share:
            continue
        held[topic] = (now + timedelta(hours=config.window_hours)).isoformat()
        emails = tuple(dict.fromkeys(m["email"] for m in about))
        when = _when_words([datetime.fromisoformat(m["at"]) for m in about], view, now)
        headline = f"{len(customers)} customers wrote about {TOPICS[topic]} {when}"
        out.append(AlertOwner(
            key=f"surge:{topic}:{now:%Y%m%d%H%M}", customer_email=None, level="urgent", headline=headline,
            excerpt="", reasons=(f"{len(about)} of the {len(kept)} unhappy messages in the last "
                                 f"{config.window_hours:g} hours are about {TOPICS[topic]}",
                                 "something may be wrong upstream (a courier, a batch, a payment page)"),
            recent_orders=(), related=emails,
            reason=f"complaint surge: {TOPICS[topic]} crossed {config.share:.0%} of unhappy messages; further "
                   f"alerts for it are held for {config.window_hours:g} hours"))
    out.append(SaveMemory(NAME, "window", {"messages": kept, "held_until": held}, version,
                          "the unhappy message counted in the complaint-surge window"))
    return out


def memory(event: Any) -> tuple[str, ...]:
    return ("window",) if isinstance(event, ev.CustomerMessage) and event.kind == "customer" else ()


FLOW: Flow[Config] = Flow(
    name=NAME, title="complaint-surge alerts",
    summary=("One alert when many unhappy customers write about the same thing (late deliveries, damage, the website, "
             "ingredients that don't match the label, orders customers say they didn't place, ...)."),
    config_type=Config, topics=("inbound email (SES or Postmark)",), memory=memory,
    handlers={ev.CustomerMessage: message},
)
