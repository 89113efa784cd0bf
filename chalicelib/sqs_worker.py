"""The SQS side of the worker on Lambda, with Powertools' batch processing and tracing.

Each record is one Delivery; a failing record is reported in batchItemFailures
so only it returns to the queue (and, after 5 receives, to the dead-letter queue).

Time budget: a record's worst case (botocore's retries against a slow SES or DynamoDB) is
tens of seconds, so the worker takes no new record once less than `MIN_REMAINING_MS` of the
invocation is left: the records it did not start are reported as batch item failures and
come back at once, instead of the function timing out and failing the whole batch.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

from .ports import Delivery

if TYPE_CHECKING:
    from .bootstrap import Services

MIN_REMAINING_MS = 20_000  # the worker's timeout is 60 s (.chalice/config.json); at most a third of it

_tracer: Any = None


class OutOfTime(Exception):
    """Too little of the invocation is left to start this record: it goes back to the queue untouched."""


def tracer() -> Any:
    """Powertools Tracer (X-Ray), built on the worker's first batch, never at import. It turns itself off
    outside Lambda (tests, local mode) and patches boto3 so SES, SNS and DynamoDB calls show as subsegments."""
    global _tracer
    if _tracer is None:
        from aws_lambda_powertools import Tracer

        _tracer = Tracer(service="warmline")
    return _tracer


def remaining_ms(context: Any) -> int | None:
    getter = getattr(context, "get_remaining_time_in_millis", None)
    if getter is None:
        return None
    try:
        return int(getter())
    except Exception:
        return None


def process_batch(services: Services, event: dict[str, Any], context: Any,
                  min_remaining_ms: int | None = None) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    from .adapters.aws.sqs import delivery_from_record

    observability = services.extras.get("observability")
    if min_remaining_ms is None:
        min_remaining_ms = int(services.extras.get("min_remaining_ms", MIN_REMAINING_MS))
        started_with = remaining_ms(context)
        if started_with is not None:  # a shorter function keeps a third of its time in reserve
            min_remaining_ms = min(min_remaining_ms, started_with // 3)
    trace = tracer()
    skipped: list[str] = []

    def handle(record: Any) -> None:
        left = remaining_ms(context)
        if left is not None and left < min_remaining_ms:
            skipped.append(str(record.message_id))
            raise OutOfTime(f"{left} ms left: not started, back to the queue")
        # Bodies over SQS's limit arrive gzipped; delivery_from_record reads both and sets the attempt count.
        delivery: Delivery = delivery_from_record(record.raw_event)
        if observability is not None:
            observability.bind(delivery_id=delivery.delivery_id, shop=delivery.shop)
        with trace.provider.in_subsegment("## delivery") as subsegment:
            subsegment.put_annotation(key="source", value=delivery.source)
            services.worker.process(delivery)

    # One batched sentiment call for the emails in this batch; each record still runs (and fails) on its own.
    readable: list[Delivery] = []
    for raw in event.get("Records", []):
        with suppress(Exception):  # an unreadable record fails alone in its own handler below
            readable.append(delivery_from_record(raw))
    services.worker.prefetch_readings(readable)
    processor = BatchProcessor(event_type=EventType.SQS)
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    def count(failed: int) -> None:
        # Lambda's Errors metric sees only a batch that failed whole: each failed record is counted here
        # (DeliveryFailures, alarmed), and records sent back unstarted for lack of time apart from them.
        if observability is not None:
            if failed:
                observability.count("DeliveryFailures", value=failed)
            if skipped:
                observability.count("DeliveriesDeferred", value=len(skipped))

    try:
        response = process_partial_response(event=event, record_handler=handle, processor=processor,
                                            context=context)
    except BatchProcessingError:
        ids = [str(r.get("messageId")) for r in event.get("Records", [])]
        count(len(ids) - len(skipped))
        if skipped and set(ids) == set(skipped):  # nothing failed: there was no time to start any record
            return {"batchItemFailures": [{"itemIdentifier": i} for i in ids]}
        raise
    else:
        count(len(response.get("batchItemFailures", [])) - len(skipped))
    finally:
        if skipped and observability is not None:
            observability.info("out of time: records returned to the queue unstarted", count=len(skipped))
    return dict(response)
