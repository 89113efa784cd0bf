"""The SQS side of the worker on Lambda, with Powertools' batch processing.

Each record is one Delivery; a failing record is reported in batchItemFailures
so only it returns to the queue (and, after 5 receives, to the dead-letter queue).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .ports import Delivery

if TYPE_CHECKING:
    from .bootstrap import Services


def process_batch(services: Services, event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    def handle(record: Any) -> None:
        delivery = Delivery.from_dict(json.loads(record.body))
        attempts = int(record.attributes.approximate_receive_count or 1)
        services.worker.process(Delivery(**{**delivery.__dict__, "attempts": attempts}))

    processor = BatchProcessor(event_type=EventType.SQS)
    response = process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
    return dict(response)
