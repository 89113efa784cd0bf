"""The SQS side of the worker on Lambda, with Powertools' batch processing.

Each record is one Delivery; a failing record is reported in batchItemFailures
so only it returns to the queue (and, after 5 receives, to the dead-letter queue).
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

from .ports import Delivery

if TYPE_CHECKING:
    from .bootstrap import Services


def process_batch(services: Services, event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    from .adapters.aws.sqs import delivery_from_record

    observability = services.extras.get("observability")

    def handle(record: Any) -> None:
        # Bodies over SQS's limit arrive gzipped; delivery_from_record reads both and sets the attempt count.
        delivery: Delivery = delivery_from_record(record.raw_event)
        if observability is not None:
            observability.bind(delivery_id=delivery.delivery_id, shop=delivery.shop)
        services.worker.process(delivery)

    # One batched sentiment call for the emails in this batch; each record still runs (and fails) on its own.
    readable: list[Delivery] = []
    for raw in event.get("Records", []):
        with suppress(Exception):  # an unreadable record fails alone in its own handler below
            readable.append(delivery_from_record(raw))
    services.worker.prefetch_readings(readable)
    processor = BatchProcessor(event_type=EventType.SQS)
    response = process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
    return dict(response)
