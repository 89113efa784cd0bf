"""Powertools Logger (JSON, no PII) and Metrics (CloudWatch EMF) for the Lambda functions.

Chalice's decorators do not take Powertools' handler decorators, so app.py wraps
each handler body in `observability.invocation(app.lambda_context)`: it tags the
logs with the request and flushes anything pending when the handler ends, even on
error. Counters are written at once as their own EMF line, so none is lost if a
handler raises.

    with obs.invocation(app.lambda_context, delivery_id=d.delivery_id, shop=d.shop):
        ...
        obs.count(EMAILS_SENT)

Powertools is imported when an Observability is built (bootstrap, aws mode), never
at module import.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

from ...privacy import mask_pii

NAMESPACE = "Warmline"
SERVICE = "warmline"

DELIVERIES_ACCEPTED = "DeliveriesAccepted"
DUPLICATE_DELIVERIES = "DuplicateDeliveries"
ALERTS_SENT = "AlertsSent"
EMAILS_SENT = "EmailsSent"
EMAILS_SUPPRESSED = "EmailsSuppressed"  # dimensions "reason" (a ReasonCode) and "flow"
EMAILS_HELD = "EmailsHeld"  # pilot mode
COMPREHEND_UNITS = "ComprehendBilledUnits"
SENTIMENT_DEGRADED = "SentimentDegraded"
DELIVERY_FAILURES = "DeliveryFailures"  # records the worker reported failed (they return to the queue)
DELIVERIES_DEFERRED = "DeliveriesDeferred"  # records sent back unstarted: too little time left
METRIC_NAMES = (DELIVERIES_ACCEPTED, DUPLICATE_DELIVERIES, ALERTS_SENT, EMAILS_SENT, EMAILS_SUPPRESSED,
                EMAILS_HELD, SENTIMENT_DEGRADED, DELIVERY_FAILURES, DELIVERIES_DEFERRED)

_SECRET_WORDS = ("secret", "token", "password", "signature", "authorization", "hmac")


def scrub(value: Any) -> Any:
    """Mask emails, card and phone numbers anywhere in a log value; redact secret-looking keys."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, Mapping):
        return {
            str(k): ("[redacted]" if any(w in str(k).lower() for w in _SECRET_WORDS) else scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set):
        return [scrub(v) for v in value]
    return value


class PiiFilter(logging.Filter):
    """Masks personal data in every record that reaches the JSON handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            try:
                record.msg = record.getMessage()
            except (TypeError, ValueError):
                record.msg = str(record.msg)
            record.args = None
        if isinstance(record.msg, str):
            record.msg = mask_pii(record.msg)
        return True


class DegradedSentimentCounter:
    """A SentimentAnalyzer that counts SentimentDegraded for every fallback reading, and the Comprehend
    units each call billed (ComprehendBilledUnits), so the owner's cost shows in CloudWatch."""

    def __init__(self, analyzer: Any, observability: Observability) -> None:
        self.analyzer = analyzer
        self.observability = observability
        self.engine = getattr(analyzer, "engine", "unknown")

    def _billed(self) -> int:
        return int(getattr(self.analyzer, "billed_units", 0) or 0)

    def _count_units(self, before: int) -> None:
        spent = self._billed() - before
        if spent > 0:
            self.observability.count(COMPREHEND_UNITS, value=spent)

    def read(self, text: str, language: str | None = None) -> Any:
        before = self._billed()
        reading = self.analyzer.read(text, language)
        self._count_units(before)
        if getattr(reading, "degraded", False):
            self.observability.count(SENTIMENT_DEGRADED)
        return reading

    def read_many(self, texts: Any, language: str | None = None) -> list[Any]:
        before = self._billed()
        readings = list(self.analyzer.read_many(texts, language))
        self._count_units(before)
        degraded = sum(1 for r in readings if getattr(r, "degraded", False))
        if degraded:
            self.observability.count(SENTIMENT_DEGRADED, value=degraded)
        return readings

    def __getattr__(self, name: str) -> Any:
        return getattr(self.analyzer, name)


def _dimension(value: str) -> str:
    """CloudWatch dimension values: short, printable, bounded cardinality."""
    clean = re.sub(r"[^A-Za-z0-9_.:/-]+", "_", value.strip())[:64]
    return clean or "unknown"


class Observability:
    def __init__(self, service: str = SERVICE, namespace: str = NAMESPACE, stream: IO[str] | None = None) -> None:
        from aws_lambda_powertools import Logger, Metrics

        handler = logging.StreamHandler(stream) if stream is not None else None
        self.logger = Logger(service=service, logger_handler=handler, use_rfc3339=True)
        if handler is not None and handler.formatter is None:
            # A second Logger for the same service (tests build several) skips Powertools' set-up and
            # leaves the handler it was given without a formatter: give it one and attach it.
            from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

            handler.setFormatter(LambdaPowertoolsFormatter(use_rfc3339=True))
            target = logging.getLogger(service)
            for old in list(target.handlers):
                target.removeHandler(old)
            target.addHandler(handler)
        # Warmline's own modules log to "warmline.*" with the standard library; those lines
        # reach Powertools' JSON handler through the "warmline" logger, masked on the way.
        for registered in logging.getLogger(service).handlers:
            if not any(isinstance(f, PiiFilter) for f in registered.filters):
                registered.addFilter(PiiFilter())
        self.metrics = Metrics(namespace=namespace, service=service)
        self.namespace = namespace
        self.service = service
        self._stream = stream
        self._cold = True

    # --- logging ---------------------------------------------------------------
    def bind(self, *, delivery_id: str | None = None, shop: str | None = None, **keys: Any) -> None:
        """Keys carried by every following log line of this invocation."""
        fields = {k: scrub(v) for k, v in keys.items() if v is not None}
        # Delivery ids and shop domains identify webhooks, not people: kept as they are.
        fields.update({k: v for k, v in (("delivery_id", delivery_id), ("shop", shop)) if v is not None})
        self.logger.append_keys(**fields)

    def info(self, message: str, **fields: Any) -> None:
        self.logger.info(scrub(message), extra=scrub(fields))

    def warning(self, message: str, **fields: Any) -> None:
        self.logger.warning(scrub(message), extra=scrub(fields))

    def error(self, message: str, *, exc_info: bool = False, **fields: Any) -> None:
        self.logger.error(scrub(message), extra=scrub(fields), exc_info=exc_info)

    # --- metrics ---------------------------------------------------------------
    def count(self, name: str, value: int = 1, **dimensions: str) -> None:
        """Emit one counter as its own EMF line, at once.

        Immediate lines cost a little log volume and cannot be lost when a handler forgets
        to flush or raises; a shop's traffic makes the volume negligible."""
        self._emit(name, value, dimensions)

    def _emit(self, name: str, value: int, dimensions: Mapping[str, str]) -> None:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,63}", name):
            raise ValueError(f"bad metric name {name!r}")
        from aws_lambda_powertools.metrics import MetricUnit, single_metric

        from ...domain.reason_codes import DIMENSION_VALUES

        bounded: dict[str, str] = {}
        for key, dim in dimensions.items():
            allowed = DIMENSION_VALUES.get(key)
            if allowed is None:  # a dimension without a closed set is never emitted (a metric must not fail work)
                self.logger.warning("metric dimension dropped: no closed set", extra={"metric": name, "dimension": key})
                continue
            if dim not in allowed:
                self.logger.warning("metric dimension value outside its set, counted as other",
                                    extra={"metric": name, "dimension": key, "value": scrub(dim)[:80]})
                dim = "other"
            bounded[key] = dim
        dimensions = bounded
        with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace=self.namespace,
                           default_dimensions={"service": self.service}) as metric:
            for key, dim in dimensions.items():
                metric.add_dimension(name=key, value=_dimension(dim))

    def metric_sink(self, name: str, reason: str | None = None, *, flow: str | None = None,
                    kind: str | None = None) -> None:
        """The Executor's `metrics` callback. Dimensions come only from the closed sets in
        domain/reason_codes.py (every value is a billed metric); free reason text goes to the log."""
        from ...domain.reason_codes import flow_code, kind_code, reason_code

        dimensions: dict[str, str] = {}
        if reason:
            code = reason_code(reason)
            dimensions["reason"] = code.value
            if code.value != reason:
                self.info("metric reason", metric=name, reason=reason, reason_code=code.value)
        if flow:
            dimensions["flow"] = flow_code(flow).value
        if kind:
            dimensions["kind"] = kind_code(kind).value
        self._emit(name, 1, dimensions)

    def suppressed(self, reason: str) -> None:
        self.metric_sink(EMAILS_SUPPRESSED, reason)

    def flush(self) -> None:
        """Write metrics added straight to `self.metrics` (count() emits at once)."""
        if self.metrics.metric_set:
            self.metrics.flush_metrics()

    # --- one Lambda invocation ------------------------------------------------------
    def start(self, lambda_context: Any | None, **keys: Any) -> None:
        self.logger.clear_state()
        context_keys: dict[str, Any] = {"cold_start": self._cold}
        self._cold = False
        if lambda_context is not None:
            for attr, key in (("aws_request_id", "function_request_id"), ("function_name", "function_name"),
                              ("memory_limit_in_mb", "function_memory_size")):
                value = getattr(lambda_context, attr, None)
                if value is not None:
                    context_keys[key] = value
        self.logger.append_keys(**context_keys)
        self.bind(**keys)

    @contextmanager
    def invocation(self, lambda_context: Any | None = None, **keys: Any) -> Iterator[Observability]:
        """Tag logs with the Lambda request and flush metrics at the end, even when the body raises."""
        self.start(lambda_context, **keys)
        try:
            yield self
        finally:
            try:
                self.flush()
            finally:
                if self._stream is None:
                    sys.stdout.flush()
