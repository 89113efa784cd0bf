"""The worker: delivery -> domain event -> state + sentiment -> decide -> execute.

The same `Worker.process` runs from the local queue runner (`warmline tick`,
`warmline serve`) and from the SQS handler on Lambda. It raises on any failure
so the queue retries; it is safe to re-run (see executor.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .config.model import WarmlineConfig
from .domain import events as ev
from .domain.cues import without_products
from .domain.state import Memory, SentimentReading, World
from .executor import Executor
from .flows import decide, memory_keys, sequence_lookups
from .ingress.translate import parse_json, translate_shopify, translate_stripe, when
from .ports import CustomerStore, Delivery, ScheduledStep, Scheduler, SentimentAnalyzer

log = logging.getLogger("warmline.worker")


class Worker:
    def __init__(self, config: WarmlineConfig, store: CustomerStore, analyzer: SentimentAnalyzer,
                 executor: Executor, clock: Callable[[], datetime],
                 fetch_s3: Callable[[str, str], bytes] | None = None, scheduler: Scheduler | None = None) -> None:
        self.config = config
        self.store = store
        self.analyzer = analyzer
        self.executor = executor
        self.clock = clock
        self.fetch_s3 = fetch_s3
        self.scheduler = scheduler
        self._readings: dict[str, SentimentReading] = {}  # prefetched for the batch in hand, by message id
        self._events: dict[str, ev.DomainEvent] = {}  # translated while prefetching, by delivery id

    # --- translation ----------------------------------------------------------------
    def translate(self, delivery: Delivery) -> ev.DomainEvent:
        # Facts without a timestamp of their own happened when the sender says it fired the webhook.
        at = when(delivery.triggered_at, delivery.received_at)
        if delivery.source == "shopify":
            return translate_shopify(delivery.topic, parse_json(delivery.body), at)
        if delivery.source == "stripe":
            return translate_stripe(parse_json(delivery.body), at)
        if delivery.source in ("email", "ses"):
            from .ingress.inbound import translate_email  # the same translation the intake ran at the door

            return translate_email(delivery.source, delivery.body, at, self.fetch_s3, self._message)
        return ev.Ignored(delivery.source, delivery.topic, f"unknown source {delivery.source!r}", at)

    @staticmethod
    def _message(parsed: Any, when: datetime) -> ev.CustomerMessage:
        from .ingress.inbound import message_event

        return message_event(parsed, when)

    # --- state ------------------------------------------------------------------------
    def world_for(self, event: ev.DomainEvent) -> World:
        """What the flows for `event` need: the customer, their cart sequences, the flows' shop-wide records."""
        email = ev.event_email(event)
        sequences: dict[str, Any] = {}
        for lookup in sequence_lookups(event):
            for token in lookup.checkout_tokens:
                seq = self.store.get_sequence(token)
                if seq is not None:
                    sequences[seq.checkout_token] = seq
            if lookup.email or lookup.cart_token or lookup.checkout_id:
                for seq in self.store.find_sequences(email=lookup.email, cart_token=lookup.cart_token,
                                                     checkout_id=lookup.checkout_id):
                    sequences[seq.checkout_token] = seq
        if isinstance(event, ev.StepDue) and not email:
            email = event.email or next((s.email for s in sequences.values()), None)
        customer = None
        order_id = getattr(event, "order_id", None)
        if order_id and not isinstance(event, ev.OrderPlaced):
            # An order's own customer is the truth: a fulfillment or refund may carry another address, or none.
            customer = self.store.find_customer(order_id=str(order_id))
        if customer is None and email:
            customer = self.store.get_customer(email)
        stripe_customer = getattr(event, "stripe_customer", None)
        if customer is None and not email and stripe_customer:  # subscription events carry no email
            customer = self.store.find_customer(stripe_customer=stripe_customer)
        if isinstance(event, ev.CustomerMessage) and customer is not None:
            # A re-run must see the customer as it was before this message.
            customer = replace(customer, contacts=tuple(c for c in customer.contacts
                                                        if c.message_id != event.message_id))
        memory: dict[str, Memory] = {}
        for flow, key in memory_keys(event):
            found = self.store.get_memory(flow, key)
            if found is not None:
                memory[f"{flow}:{key}"] = Memory(found[0], found[1])
        return World(customer=customer, sequences=tuple(sequences.values()), memory=memory)

    def _readable(self, text: str) -> str:
        """What the engine reads: the shop's own product names as plain "item" ("Two Mouldy Old Dough loaves,
        please" names a loaf, it does not complain). Escalation masks them for the cues the same way."""
        return without_products(text, self.config.escalation.product_names)

    def _text(self, event: ev.CustomerMessage) -> str:
        return self._readable(event.text.strip() or event.subject)

    def reading_for(self, event: ev.DomainEvent) -> SentimentReading | None:
        if isinstance(event, ev.SurveyAnswered) and event.comment.strip():
            return self.analyzer.read(self._readable(event.comment), self.config.sentiment.language)
        if isinstance(event, ev.CustomerMessage) and event.kind == "customer":
            cached = self._readings.pop(event.message_id, None)
            return cached or self.analyzer.read(self._text(event), self.config.sentiment.language)
        return None

    def prefetch_readings(self, deliveries: list[Delivery]) -> int:
        """Read the feelings of every customer email in a batch with one batched call (Comprehend takes 25
        a call). Best effort: any failure leaves the readings to be taken one by one."""
        self._readings.clear()
        self._events.clear()
        messages: list[ev.CustomerMessage] = []
        for delivery in deliveries:
            if delivery.source not in ("email", "ses"):
                continue
            try:
                event = self.translate(delivery)
            except Exception:  # the delivery's own run reports it
                continue
            self._events[delivery.delivery_id] = event  # parsed once: process() reuses it
            if isinstance(event, ev.CustomerMessage) and event.kind == "customer":
                messages.append(event)
        if len(messages) < 2:
            return 0
        try:
            readings = self.analyzer.read_many([self._text(m) for m in messages], self.config.sentiment.language)
        except Exception as exc:
            log.warning("batched sentiment failed, reading one by one: %s", type(exc).__name__)
            return 0
        self._readings = {m.message_id: r for m, r in zip(messages, readings, strict=True)}
        return len(self._readings)

    # --- the whole step ------------------------------------------------------------------
    def handle(self, event: ev.DomainEvent, origin: dict[str, str], now: datetime | None = None
               ) -> list[dict[str, Any]]:
        world = self.world_for(event)
        reading = self.reading_for(event)
        decisions = decide(event, world, reading, self.config, now or self.clock())
        if reading is not None:
            origin = {**origin, "sentiment": reading.label, "negative": f"{reading.negative:.3f}",
                      "engine": reading.engine + (" (degraded)" if reading.degraded else "")}
        return self.executor.execute(decisions, origin)

    def process(self, delivery: Delivery) -> list[dict[str, Any]]:
        event = self._events.pop(delivery.delivery_id, None) or self.translate(delivery)
        return self.handle(event, {"delivery": delivery.delivery_id, "source": delivery.source,
                                   "topic": delivery.topic})

    def run_due_steps(self, now: datetime, limit: int = 100) -> DueReport:
        """Run every flow step due by `now`. Each step is claimed by exactly one runner and isolated from the
        others: one customer's bad data is retried with backoff and, in the end, parked in the dead letters
        (`warmline dead-letters`), while the rest of the sweep goes on."""
        report = DueReport()
        if self.scheduler is None:
            return report
        while True:
            steps = self.scheduler.claim_due(now, limit)
            if not steps:
                return report
            for step in steps:
                self._run_step(step, now, report)
            if len(steps) < limit:
                return report

    def _run_step(self, step: ScheduledStep, now: datetime, report: DueReport) -> None:
        assert self.scheduler is not None
        event = ev.StepDue(step.flow, step.key, step.data, now, email=step.email, group=step.group)
        try:
            report.entries += self.handle(event, {"delivery": f"step:{step.flow}:{step.key}", "source": "schedule",
                                                  "topic": f"{step.flow}/step_due"}, now)
        except Exception as exc:  # this step only: record, back off, park in the end
            message = f"{type(exc).__name__}: {exc}"
            log.warning("step %s/%s failed (attempt %d): %s", step.flow, step.key, step.attempts, message)
            if self.scheduler.fail(step, message, now):
                report.dead += 1
            else:
                report.retried += 1
            report.errors.append(f"{step.flow}/{step.key}: {message}")
        else:
            self.scheduler.complete(step)
            report.done += 1


@dataclass
class DueReport:
    done: int = 0
    retried: int = 0
    dead: int = 0
    entries: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

