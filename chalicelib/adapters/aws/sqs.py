"""SQS intake: dedupe in DynamoDB, then put the delivery on the queue, or refuse it whole.

`accept` never leaves a delivery half-stored: if the queue refuses it after the
dedupe record was written, the record is removed and IntakeUnavailable tells the
route to answer 503, so Shopify or Stripe retries and is accepted again.
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from ...ports import Delivery, IntakeUnavailable
from .dynamodb import DeliveryDedupe

log = logging.getLogger("warmline.aws")

# SQS takes 256 KiB per message everywhere; bigger bodies (Shopify allows 1 MiB
# webhooks) are gzipped, which shrinks JSON 5-10x.
COMPRESS_ABOVE = 200 * 1024
MAX_MESSAGE_BYTES = 256 * 1024


def delivery_message(delivery: Delivery) -> str:
    """The SQS message body: Delivery.to_dict() as JSON, gzipped in an envelope when large."""
    plain = json.dumps(delivery.to_dict(), ensure_ascii=False, separators=(",", ":"))
    if len(plain.encode("utf-8", errors="surrogateescape")) <= COMPRESS_ABOVE:
        return plain
    packed = gzip.compress(plain.encode("utf-8", errors="surrogateescape"), mtime=0)
    return json.dumps({"warmline_gzip_b64": base64.b64encode(packed).decode("ascii")})


def delivery_from_message(body: str, receive_count: int | str | None = None) -> Delivery:
    """Turn an SQS message body (from `delivery_message`) back into a Delivery.

    `receive_count` is SQS's ApproximateReceiveCount; it becomes `attempts`."""
    data: dict[str, Any] = json.loads(body)
    if "warmline_gzip_b64" in data:
        raw = gzip.decompress(base64.b64decode(data["warmline_gzip_b64"]))
        data = json.loads(raw.decode("utf-8", errors="surrogateescape"))
    if receive_count is not None:
        data["attempts"] = int(receive_count)
    return Delivery.from_dict(data)


def delivery_from_record(record: Any) -> Delivery:
    """A Chalice SQSRecord (or the raw Lambda record dict) as a Delivery."""
    raw: Mapping[str, Any] = record.to_dict() if hasattr(record, "to_dict") else record
    attributes = raw.get("attributes") or {}
    return delivery_from_message(str(raw["body"]), attributes.get("ApproximateReceiveCount"))


class SqsDeliveryInbox:
    """DeliveryInbox on DynamoDB (dedupe, conditional put + TTL) and SQS (durable queue)."""

    def __init__(self, sqs_client: Any, queue_url: str, dedupe: DeliveryDedupe,
                 count: Callable[[str], None] | None = None) -> None:
        self.sqs = sqs_client
        self.queue_url = queue_url
        self.dedupe = dedupe
        self.count = count  # DeliveriesAccepted / DuplicateDeliveries

    def accept(self, delivery: Delivery) -> bool:
        accepted = self._accept(delivery)
        if self.count is not None:
            self.count("DeliveriesAccepted" if accepted else "DuplicateDeliveries")
        return accepted

    def _accept(self, delivery: Delivery) -> bool:
        body = delivery_message(delivery)
        if len(body.encode("utf-8", errors="surrogateescape")) > MAX_MESSAGE_BYTES:
            raise IntakeUnavailable("delivery too large for the queue even when compressed")
        try:
            claimed = self.dedupe.claim(delivery.delivery_id)
        except Exception as exc:
            raise IntakeUnavailable(f"dedupe store unavailable ({type(exc).__name__})") from exc
        if claimed is False:
            return False
        if claimed is None:
            # The same delivery is being queued right now by another request: let the sender retry.
            raise IntakeUnavailable("the same delivery is being accepted concurrently")
        try:
            response = self.sqs.send_message(
                QueueUrl=self.queue_url,
                MessageBody=body,
                MessageAttributes={
                    "source": {"DataType": "String", "StringValue": delivery.source},
                    "topic": {"DataType": "String", "StringValue": delivery.topic or "-"},
                },
            )
        except Exception as exc:
            try:
                self.dedupe.release(delivery.delivery_id)
            except Exception:
                # The pending record expires from the dedupe's point of view after its lease,
                # so the sender's retry is still accepted; nothing is lost.
                log.warning("could not remove the dedupe record after a queue failure", exc_info=True)
            raise IntakeUnavailable(f"queue unavailable ({type(exc).__name__})") from exc
        try:
            self.dedupe.mark_queued(delivery.delivery_id, str(response.get("MessageId", "")))
        except Exception:
            # Queued already: answering 503 now would only cause a second copy. The pending
            # record may let a late retry enqueue again; the worker's send claims absorb it.
            log.warning("queued, but could not mark the dedupe record as queued", exc_info=True)
        return True
