"""The worker: delivery -> domain event -> state + sentiment -> decide -> execute.

The same `Worker.process` runs from the local queue runner (`warmline tick`,
`warmline serve`) and from the SQS handler on Lambda. It raises on any failure
so the queue retries; it is safe to re-run (see executor.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from .config.model import WarmlineConfig
from .domain import events as ev
from .domain.policies import decide
from .domain.state import SentimentReading, World
from .executor import Executor
from .ingress.translate import parse_json, translate_shopify, translate_stripe, when
from .ports import CustomerStore, Delivery, SentimentAnalyzer

log = logging.getLogger("warmline.worker")


class Worker:
    def __init__(self, config: WarmlineConfig, store: CustomerStore, analyzer: SentimentAnalyzer,
                 executor: Executor, clock: Callable[[], datetime],
                 fetch_s3: Callable[[str, str], bytes] | None = None) -> None:
        self.config = config
        self.store = store
        self.analyzer = analyzer
        self.executor = executor
        self.clock = clock
        self.fetch_s3 = fetch_s3
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

            return translate_email(delivery.source, delivery.body, at, self.fetch_s3)
        return ev.Ignored(delivery.source, delivery.topic, f"unknown source {delivery.source!r}", at)

    @staticmethod
    def _message(parsed: Any, when: datetime) -> ev.CustomerMessage:
        from .ingress.inbound import message_event

        return message_event(parsed, when)

    # --- state ------------------------------------------------------------------------
    def world_for(self, event: ev.DomainEvent) -> World:
        email = ev.event_email(event)
        sequences: dict[str, Any] = {}

        def add(found: list[Any]) -> None:
            for s in found:
                sequences[s.checkout_token] = s

        match event:
            case ev.CheckoutStarted():
                seq = self.store.get_sequence(event.checkout_token)
                add([seq] if seq else [])
            case ev.CheckoutDeleted():
                add(self.store.find_sequences(cart_token=event.cart_token, checkout_id=event.checkout_id))
            case ev.OrderPlaced():
                add(self.store.find_sequences(email=event.email, cart_token=event.cart_token,
                                              checkout_id=event.checkout_id))
                if event.checkout_token:
                    seq = self.store.get_sequence(event.checkout_token)
                    add([seq] if seq else [])
            case ev.CartStepDue():
                seq = self.store.get_sequence(event.checkout_token)
                add([seq] if seq else [])
                email = seq.email if seq else None
            case ev.ConsentChanged():
                add(self.store.find_sequences(email=event.email))
        customer = self.store.get_customer(email) if email else None
        if isinstance(event, ev.CustomerMessage) and customer is not None:
            # A re-run must see the customer as it was before this message.
            customer = replace(customer, contacts=tuple(c for c in customer.contacts
                                                        if c.message_id != event.message_id))
        return World(customer=customer, sequences=tuple(sequences.values()))

    @staticmethod
    def _text(event: ev.CustomerMessage) -> str:
        return event.text.strip() or event.subject

    def reading_for(self, event: ev.DomainEvent) -> SentimentReading | None:
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
    def handle(self, event: ev.DomainEvent, origin: dict[str, str]) -> list[dict[str, Any]]:
        world = self.world_for(event)
        reading = self.reading_for(event)
        decisions = decide(event, world, reading, self.config, self.clock())
        if reading is not None:
            origin = {**origin, "sentiment": reading.label, "negative": f"{reading.negative:.3f}",
                      "engine": reading.engine + (" (degraded)" if reading.degraded else "")}
        return self.executor.execute(decisions, origin)

    def process(self, delivery: Delivery) -> list[dict[str, Any]]:
        event = self._events.pop(delivery.delivery_id, None) or self.translate(delivery)
        return self.handle(event, {"delivery": delivery.delivery_id, "source": delivery.source,
                                   "topic": delivery.topic})

    def run_due_steps(self, now: datetime, limit: int = 100) -> list[dict[str, Any]]:
        """Send (or suppress) every cart reminder due by `now`."""
        entries: list[dict[str, Any]] = []
        for seq in self.store.due_sequences(now, limit):
            step_event = ev.CartStepDue(seq.checkout_token, seq.next_step, now)
            entries += self.handle(step_event, {"delivery": f"step:{seq.checkout_token}:{seq.next_step}",
                                                "source": "schedule", "topic": "cart/step_due"})
        return entries
