"""Keep what the owner needs to answer a customer: the worker, plus a record on the owner's desk.

`RecordingWorker.handle` runs the worker's step unchanged, then records each customer message
(its text, sender and thread ids, and whether Warmline flagged it) and each owner alert as a
desk item. Recording is idempotent by key, so a retried delivery refreshes the same item; an item
the owner has handled stays handled.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..domain import events as ev
from ..privacy import customer_ref
from ..worker import Worker
from .desk import Desk
from .services import record_item


class RecordingWorker(Worker):
    desk: Desk

    def attach(self, desk: Desk) -> RecordingWorker:
        self.desk = desk
        self._full: dict[str, tuple[str, tuple[str, ...]]] = {}
        return self

    def _message(self, parsed: Any, when: Any) -> ev.CustomerMessage:  # type: ignore[override]
        event = Worker._message(parsed, when)
        parent = getattr(parsed, "in_reply_to", None)
        refs = (str(parent),) if isinstance(parent, str) and parent else ()
        self._full[event.message_id] = (str(getattr(parsed, "full_text", "") or ""), refs)
        if len(self._full) > 200:  # only the batch in hand is needed
            self._full.pop(next(iter(self._full)))
        return event

    def _recovered(self, event: ev.OrderPlaced) -> None:
        _cart_recovered(self, event)

    def handle(self, event: ev.DomainEvent, origin: dict[str, str], now: datetime | None = None
               ) -> list[dict[str, Any]]:
        entries = super().handle(event, origin, now)
        self.record(event, entries)
        return entries

    def record(self, event: ev.DomainEvent, entries: list[dict[str, Any]]) -> None:
        if isinstance(event, ev.OrderPlaced) and any(e.get("status") == "purchased" for e in entries):
            self._recovered(event)
        alerts = [e for e in entries if e.get("outcome") == "alerted" and e.get("key")]
        at = self.clock().isoformat()
        if isinstance(event, ev.CustomerMessage) and event.kind == "customer":
            full, refs = self._full.pop(event.message_id, ("", ()))
            # the customer's own alert (a complaint surge the message completes is an item of its own)
            own = [a for a in alerts if not str(a["key"]).startswith("surge:")]
            alert = own[0] if own else None
            key = str(alert["key"]) if alert else f"message:{event.message_id}"
            record_item(self.desk, key, {
                "kind": "message", "flagged": alert is not None, "status": "open" if alert else "quiet",
                "level": alert.get("level", "alert") if alert else "none",
                "reasons": list(alert.get("reasons") or []) if alert else [],
                "why": alert.get("reason", "") if alert else "not flagged",
                "email": event.from_email, "name": event.from_name or "", "subject": event.subject,
                "text": event.text, "full_text": full if full.strip() != event.text.strip() else "",
                "message_id": event.message_id, "references": list(refs), "at": at,
                "sentiment": origin_value(entries, "sentiment"), "negative": origin_value(entries, "negative"),
                "received_at": event.occurred_at.isoformat(),
            })
            alerts = [a for a in alerts if a is not alert]
        for alert in alerts:  # disputes, data requests, unreadable mail, complaint surges...
            email = None if str(alert["key"]).startswith("surge:") else ev.event_email(event)
            record_item(self.desk, str(alert["key"]), {
                "kind": "alert", "flagged": True, "status": "open", "level": alert.get("level", "alert"),
                "reasons": list(alert.get("reasons") or []), "why": alert.get("reason", ""),
                "email": email or "", "name": "", "subject": getattr(event, "subject", "") or "",
                "headline": alert.get("reason", ""), "text": "", "message_id": getattr(event, "message_id", ""),
                "at": at, "export_id": alert.get("export_id"), "related": list(alert.get("related") or []),
            })


def origin_value(entries: list[dict[str, Any]], name: str) -> str | None:
    for entry in entries:
        if name in entry:
            return str(entry[name])
    return None


def _cart_recovered(worker: RecordingWorker, event: ev.OrderPlaced) -> None:
    """A cart bought after at least one reminder went out: the week's "carts recovered" (with the order's value)."""
    found = {s.checkout_token: s for s in worker.store.find_sequences(
        email=event.email, cart_token=event.cart_token, checkout_id=event.checkout_id)}
    if event.checkout_token:
        seq = worker.store.get_sequence(event.checkout_token)
        if seq is not None:
            found[seq.checkout_token] = seq
    for seq in found.values():
        if seq.status == "purchased" and seq.next_step > 0:
            worker.desk.put("recovered", seq.checkout_token, {
                "at": worker.clock().isoformat(), "order": event.order_name,
                "total": str(event.total) if event.total is not None else None, "currency": event.currency,
                "reminders": seq.next_step}, who=customer_ref(seq.email), ttl=timedelta(days=400))
