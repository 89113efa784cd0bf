"""Runs queued deliveries and due cart steps against the local queue (`tick` and `serve`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...ports import Delivery
from ...worker import Worker
from .sqlite import SqliteDeliveryQueue, worker_id

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
    """Drains the local queue in claimed batches: the batch is claimed in one transaction, marked done in one,
    and its lease is extended while it runs (heartbeat), so a crash elsewhere never waits out a long lease."""

    prune_every = timedelta(minutes=10)

    def __init__(self, queue: SqliteDeliveryQueue, worker: Worker, clock: Callable[[], datetime]) -> None:
        self.queue = queue
        self.worker = worker
        self.clock = clock
        self.owner = worker_id()
        self._pruned_at: float | None = None

    def run_once(self, now: datetime | None = None) -> TickReport:
        fixed = now
        now = now or self.clock()
        report = TickReport()
        reclaimed = self.queue.reclaim_orphans(now)
        if reclaimed:
            log.warning("%d deliveries held by a worker that is gone are claimable again", reclaimed)
        while True:
            batch = self.queue.claim(now, owner=self.owner)
            if not batch:
                break
            self._run_batch(batch, now, fixed, report)
        due = self.worker.run_due_steps(now)
        report.steps = len(due.entries)
        report.errors += due.errors
        report.dead += due.dead
        if self._pruned_at is None or time.monotonic() - self._pruned_at > self.prune_every.total_seconds():
            self.queue.prune(now - DEDUPE_WINDOW)
            self._pruned_at = time.monotonic()
        return report

    def _run_batch(self, batch: list[Delivery], now: datetime, fixed: datetime | None, report: TickReport) -> None:
        self.worker.prefetch_readings(batch)
        done: list[str] = []
        beat = time.monotonic()
        heartbeat = self.queue.lease.total_seconds() / 3
        for index, delivery in enumerate(batch):
            if time.monotonic() - beat > heartbeat:  # still working: keep the rest of the batch ours
                self.queue.extend([d.delivery_id for d in batch[index:]], fixed or self.clock(), self.owner)
                beat = time.monotonic()
            try:
                # Each store write is its own short transaction. One around the whole delivery would hold SQLite's
                # write lock through email rendering and an alert's fsync, and intake's inserts would wait for it.
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
                done.append(delivery.delivery_id)
        self.queue.complete_many(done, now)  # one transaction for the batch
        report.processed += len(done)
