"""Runs queued deliveries and due cart steps against the local queue (`tick` and `serve`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...worker import Worker
from .sqlite import SqliteDeliveryQueue

log = logging.getLogger("warmline.runner")
DEDUPE_WINDOW = timedelta(days=7)  # longer than any sender retries a webhook


@dataclass
class TickReport:
    processed: int = 0
    retried: int = 0
    dead: int = 0
    steps: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"processed {self.processed} deliveries, {self.retried} to retry, {self.dead} dead-lettered, "
                f"{self.steps} reminder decisions")
        return text + ("".join(f"\n  error: {e}" for e in self.errors) if self.errors else "")


class LocalRunner:
    def __init__(self, queue: SqliteDeliveryQueue, worker: Worker, clock: Callable[[], datetime]) -> None:
        self.queue = queue
        self.worker = worker
        self.clock = clock

    def run_once(self, now: datetime | None = None) -> TickReport:
        now = now or self.clock()
        report = TickReport()
        while True:
            batch = self.queue.claim(now)
            if not batch:
                break
            self.worker.prefetch_readings(batch)
            for delivery in batch:
                try:
                    self.worker.process(delivery)
                except Exception as exc:  # any failure: keep the delivery, retry later, dead-letter in the end
                    message = f"{type(exc).__name__}: {exc}"
                    log.warning("delivery %s failed (attempt %d): %s", delivery.delivery_id, delivery.attempts,
                                message)
                    report.errors.append(f"{delivery.delivery_id}: {message}")
                    if self.queue.fail(delivery.delivery_id, message, now):
                        report.dead += 1
                    else:
                        report.retried += 1
                else:
                    self.queue.complete(delivery.delivery_id, now)
                    report.processed += 1
        due = self.worker.run_due_steps(now)
        report.steps = len(due.entries)
        report.errors += due.errors
        report.dead += due.dead
        self.queue.prune(now - DEDUPE_WINDOW)
        return report
