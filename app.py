"""Warmline's Chalice app: routes and event sources only; the work lives in chalicelib/.

Nothing is built at import time. `services()` wires adapters on first use
(Lambda cold start stays small); `warmline serve` and tests hand in their own.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from chalice.app import Chalice, Rate, Response

if TYPE_CHECKING:
    from chalice.app import SNSEvent, SQSEvent

    from chalicelib.bootstrap import Services
    from chalicelib.ingress.intake import Reply

app = Chalice(app_name="warmline")
app.api.binary_types = []  # webhook bodies arrive as text; we verify their exact bytes

RAW_TYPES = ["application/json", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded",
             "application/*+json"]
# RFC 8058 one-click unsubscribe: mailbox providers POST "List-Unsubscribe=One-Click" as
# multipart/form-data (what the RFC says they SHOULD use) or urlencoded; the body is not needed.
FORM_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded", "text/plain", "application/json",
              "application/octet-stream"]
DELIVERY_QUEUE = "warmline-deliveries"
INBOUND_EMAIL_TOPIC = "warmline-inbound-email"
EMAIL_FEEDBACK_TOPIC = "warmline-email-feedback"

_services: Services | None = None


def use(services: Services | None) -> None:
    """Hand the app ready-made services (CLI serve, tests); None resets to lazy building."""
    global _services
    _services = services


def services() -> Services:
    global _services
    if _services is None:
        from chalicelib.bootstrap import build

        _services = build(environ=_environ())
    return _services


def _environ() -> dict[str, str]:
    """The process environment; on AWS the API function learns its own URL from API Gateway's request
    context (set by API Gateway, never by the client), since the template cannot name the API in the
    function that serves it. The other functions get WARMLINE_API_URL from the template."""
    import os

    env = dict(os.environ)
    request = getattr(app, "current_request", None) if env.get("WARMLINE_MODE") == "aws" else None
    if request is not None and not env.get("WARMLINE_API_URL"):
        context = request.context or {}
        domain, stage = context.get("domainName"), context.get("stage")
        if domain and stage:
            env["WARMLINE_API_URL"] = f"https://{domain}/{stage}"
    return env


@contextmanager
def _invocation(lambda_context: Any = None, **keys: str) -> Iterator[None]:
    """On AWS: Powertools log keys for this invocation, and metrics flushed at the end (even on error).

    Chalice sets `app.lambda_context` only for HTTP requests; event handlers pass their event's context."""
    observability = services().extras.get("observability")
    if observability is None:
        yield
        return
    with observability.invocation(lambda_context or getattr(app, "lambda_context", None), **keys):
        yield


def _reply(reply: Reply) -> Response:
    return Response(body=json.dumps(reply.body), status_code=reply.status,
                    headers={"Content-Type": "application/json"})


def _webhook(accept: Callable[[], Reply], source: str) -> Response:
    """Run one intake; anything unexpected is a JSON 500, so the sender retries and nothing is half-done."""
    with _invocation(source=source):
        try:
            return _reply(accept())
        except Exception as exc:
            logging.getLogger("warmline.app").exception("%s webhook failed", source)
            return Response(body=json.dumps({"error": "internal error", "detail": type(exc).__name__}),
                            status_code=500, headers={"Content-Type": "application/json"})


def _query() -> dict[str, str]:
    request = app.current_request
    assert request is not None
    return dict(request.query_params or {})


def _raw() -> tuple[bytes, dict[str, str]]:
    request = app.current_request
    assert request is not None
    raw = request.raw_body or b""
    return (raw.encode("utf-8") if isinstance(raw, str) else raw), dict(request.headers)


@app.route("/webhooks/shopify", methods=["POST"], content_types=RAW_TYPES)
def shopify_webhook() -> Response:
    body, headers = _raw()
    return _webhook(lambda: services().intake.shopify(body, headers), "shopify")


@app.route("/webhooks/stripe", methods=["POST"], content_types=RAW_TYPES)
def stripe_webhook() -> Response:
    body, headers = _raw()
    return _webhook(lambda: services().intake.stripe(body, headers), "stripe")


@app.route("/webhooks/email", methods=["POST"], content_types=RAW_TYPES)
def email_webhook_basic() -> Response:
    body, headers = _raw()
    return _webhook(lambda: services().intake.email(body, headers, None), "email")


@app.route("/webhooks/email/{token}", methods=["POST"], content_types=RAW_TYPES)
def email_webhook_token(token: str) -> Response:
    body, headers = _raw()
    return _webhook(lambda: services().intake.email(body, headers, token), "email")


@app.route("/health", methods=["GET"])
def health() -> dict[str, str]:
    return {"status": "ok", "mode": services().mode}


@app.route("/unsubscribe", methods=["GET", "POST"], content_types=FORM_TYPES)
def unsubscribe() -> Response:
    from chalicelib.pages import unsubscribe_page

    request = app.current_request
    assert request is not None
    from chalicelib.console import security_headers
    from chalicelib.pages import STYLE

    status, html = unsubscribe_page(services(), request.method, _query())
    return Response(body=html, status_code=status, headers=dict(security_headers(style=STYLE)))


@app.route("/survey", methods=["GET", "POST"], content_types=RAW_TYPES)
def survey() -> Response:
    from urllib.parse import parse_qsl

    from chalicelib.survey_pages import survey_page

    request = app.current_request
    assert request is not None
    body, _headers = _raw()
    form = dict(parse_qsl(body.decode("utf-8", errors="replace"))) if request.method == "POST" else {}
    status, html = survey_page(services(), request.method, _query(), form)
    from chalicelib.console import security_headers
    from chalicelib.pages import STYLE

    return Response(body=html, status_code=status, headers=dict(security_headers(style=STYLE)))


@app.route("/review/{key}", methods=["GET"])
def review(key: str) -> Response:
    from chalicelib.pages import review_page

    status, html, headers = review_page(services(), key, _query().get("t"))
    return Response(body=html, status_code=status, headers=dict(headers))


# --- the owner's console (chalicelib/console): server-rendered pages, sessions, CSRF ---------------
FORM_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain"]  # GETs carry none: json


def _console(page: str) -> Response:
    from http.cookies import CookieError, SimpleCookie
    from urllib.parse import parse_qsl

    from chalicelib.console import ConsoleRequest, handle

    request = app.current_request
    assert request is not None
    headers = {k.lower(): v for k, v in dict(request.headers).items()}
    cookies: dict[str, str] = {}
    try:
        jar: SimpleCookie = SimpleCookie(headers.get("cookie", ""))
        cookies = {name: morsel.value for name, morsel in jar.items()}
    except CookieError:
        pass
    form: dict[str, str] = {}
    if request.method == "POST":
        raw = request.raw_body or b""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        form = dict(parse_qsl(text[:200_000], keep_blank_values=True))
    reply = handle(services(), ConsoleRequest(request.method, page, _query(), form, cookies,
                                              headers.get("x-forwarded-proto") == "https"))
    return Response(body=reply.body, status_code=reply.status, headers=dict(reply.headers))


@app.route("/console", methods=["GET"])
def console_inbox() -> Response:
    return _console("")


@app.route("/console/{page}", methods=["GET", "POST"], content_types=FORM_TYPES)
def console_page(page: str) -> Response:
    return _console(page)


@app.route("/console/{page}/{action}", methods=["GET", "POST"], content_types=FORM_TYPES)
def console_action(page: str, action: str) -> Response:
    return _console(f"{page}/{action}")


@app.route("/exports/{export_id}", methods=["GET"])
def customer_export(export_id: str) -> Response:
    """A Shopify data-request export, for the owner to pass on (signed link from the owner's alert)."""
    from chalicelib.pages import export_json

    status, body = export_json(services(), export_id, _query().get("t"))
    return Response(body=json.dumps(body, indent=2), status_code=status,
                    headers={"Content-Type": "application/json",
                             "Content-Disposition": f'attachment; filename="{export_id}.json"'})


@app.on_sns_message(topic=INBOUND_EMAIL_TOPIC)
def inbound_email_from_ses(event: SNSEvent) -> dict[str, Any]:
    """Amazon SES receiving -> SNS -> here. Failure raises, so Lambda retries the async event."""
    record: dict[str, Any] = event.to_dict()["Records"][0]["Sns"]
    with _invocation(event.context, source="ses"):
        reply = services().intake.ses(event.message, str(record.get("MessageId", "")))
    if reply.status >= 500:
        raise RuntimeError(f"inbound email not stored: {reply.body}")
    return reply.body


@app.on_sns_message(topic=EMAIL_FEEDBACK_TOPIC)
def email_feedback_from_ses(event: SNSEvent) -> dict[str, Any]:
    """SES bounces and complaints (configuration-set event destination) -> addresses marked undeliverable."""
    from chalicelib.adapters.aws.feedback import record_feedback

    with _invocation(event.context, source="ses-feedback"):
        return record_feedback(services(), event.message)


@app.on_sqs_message(queue=DELIVERY_QUEUE, batch_size=10)
def process_deliveries(event: SQSEvent) -> dict[str, Any]:
    """The worker: one bad message never re-runs its neighbours (batchItemFailures)."""
    from chalicelib.sqs_worker import process_batch

    with _invocation(event.context, source="sqs"):
        return process_batch(services(), event.to_dict(), event.context)


@app.schedule(Rate(5, unit=Rate.MINUTES))
def send_due_reminders(event: Any) -> dict[str, int]:
    with _invocation(getattr(event, "context", None), source="schedule"):
        due = services().worker.run_due_steps(services().clock())
        budget = services().extras.get("alert_budget")
        flushed = budget.flush() if budget is not None else 0  # alerts the owner's alert budget held back
        from chalicelib.owner.wiring import owner_services

        owner_services(services()).weekly_digest_if_due()  # Mondays from 08:00 in the shop's time zone, once
    return {"steps": due.done, "retried": due.retried, "dead": due.dead, "decisions": len(due.entries),
            "alerts_flushed": flushed}
