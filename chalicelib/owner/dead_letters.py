"""Dead letters on both stacks: the local queue's table, or the SQS dead-letter queue."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any


class LocalDeadLetters:
    def __init__(self, queue: Any) -> None:
        self.queue = queue  # adapters.local.sqlite.SqliteDeliveryQueue

    def list(self) -> list[dict[str, Any]]:
        letters: list[dict[str, Any]] = self.queue.dead_letters()
        return letters

    def retry(self, delivery_id: str, now: datetime) -> bool:
        return bool(self.queue.retry_dead_letter(delivery_id, now))

    def discard(self, delivery_id: str) -> bool:
        db = self.queue.db
        with db.transaction() as conn:
            gone = conn.execute("DELETE FROM dead_letters WHERE delivery_id = ?", (delivery_id,)).rowcount
            if gone:  # the id stays as done: a late retry from the sender is still a duplicate
                conn.execute("UPDATE deliveries SET status = 'done', body = X'', done_at = received_at"
                             " WHERE delivery_id = ?", (delivery_id,))
        return bool(gone)


class SqsDeadLetters:
    """The delivery queue's redrive target, found from the queue's RedrivePolicy (no extra setting)."""

    def __init__(self, sqs: Any, queue_url: str) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self._dlq: str | None = None

    @property
    def dlq_url(self) -> str:
        if self._dlq is None:
            attrs = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["RedrivePolicy"])
            policy = json.loads(attrs.get("Attributes", {}).get("RedrivePolicy") or "{}")
            arn = str(policy.get("deadLetterTargetArn") or "")
            if not arn:
                raise LookupError("the delivery queue has no dead-letter queue")
            name, account = arn.rsplit(":", 1)[-1], arn.split(":")[4]
            self._dlq = self.sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        return self._dlq

    def _receive(self, keep: str | None = None) -> list[dict[str, Any]]:
        """Every dead letter (up to 100), made visible again at once except the one named `keep`
        (the caller deletes or moves that one with its receipt handle)."""
        found: dict[str, dict[str, Any]] = {}
        for _ in range(10):
            response = self.sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=30,
                                                AttributeNames=["All"], WaitTimeSeconds=0)
            messages = response.get("Messages", [])
            if not messages:
                break
            for message in messages:
                found.setdefault(message["MessageId"], message)
        for message in found.values():
            if keep is None or self._describe(message)["delivery_id"] != keep:
                self.sqs.change_message_visibility(QueueUrl=self.dlq_url, ReceiptHandle=message["ReceiptHandle"],
                                                   VisibilityTimeout=0)
        return list(found.values())

    @staticmethod
    def _describe(message: dict[str, Any]) -> dict[str, Any]:
        from ..adapters.aws.sqs import delivery_from_message

        attrs = message.get("Attributes", {})
        try:
            delivery = delivery_from_message(message["Body"], attrs.get("ApproximateReceiveCount"))
            return {"delivery_id": delivery.delivery_id, "source": delivery.source, "topic": delivery.topic,
                    "received_at": delivery.received_at.isoformat(), "attempts": delivery.attempts}
        except Exception:
            return {"delivery_id": message["MessageId"], "source": "?", "topic": "?", "error": "unreadable body"}

    def list(self) -> list[dict[str, Any]]:
        return [self._describe(m) for m in self._receive()]

    def _find(self, delivery_id: str) -> dict[str, Any] | None:
        for message in self._receive(keep=delivery_id):
            if self._describe(message)["delivery_id"] == delivery_id:
                return message
        return None

    def retry(self, delivery_id: str, now: datetime) -> bool:
        message = self._find(delivery_id)
        if message is None:
            return False
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=message["Body"])  # send first, then delete
        self.sqs.delete_message(QueueUrl=self.dlq_url, ReceiptHandle=message["ReceiptHandle"])
        return True

    def discard(self, delivery_id: str) -> bool:
        message = self._find(delivery_id)
        if message is None:
            return False
        self.sqs.delete_message(QueueUrl=self.dlq_url, ReceiptHandle=message["ReceiptHandle"])
        return True


class WithParkedSteps:
    """Failed deliveries and parked timed steps in one list: a step's id is `step:<flow>:<key>`."""

    PREFIX = "step:"

    def __init__(self, deliveries: Any, scheduler: Any) -> None:
        self.deliveries = deliveries
        self.scheduler = scheduler  # ports.Scheduler

    def list(self) -> list[dict[str, Any]]:
        from ..privacy import mask_email

        letters: list[dict[str, Any]] = list(self.deliveries.list())
        for step in self.scheduler.dead_steps():
            letters.append({"delivery_id": f"{self.PREFIX}{step.flow}:{step.key}", "source": "schedule",
                            "topic": f"{step.flow}/step_due", "attempts": step.attempts, "error": step.last_error,
                            "customer": mask_email(step.email) if step.email else None})
        return letters

    def _step(self, letter_id: str) -> tuple[str, str] | None:
        if not letter_id.startswith(self.PREFIX):
            return None
        flow, _sep, key = letter_id[len(self.PREFIX):].partition(":")
        return flow, key

    def retry(self, letter_id: str, now: datetime) -> bool:
        step = self._step(letter_id)
        if step is None:
            return bool(self.deliveries.retry(letter_id, now))
        return bool(self.scheduler.retry_dead_step(step[0], step[1], now))

    def discard(self, letter_id: str) -> bool:
        step = self._step(letter_id)
        if step is None:
            return bool(self.deliveries.discard(letter_id))
        return bool(self.scheduler.discard_dead_step(step[0], step[1]))
