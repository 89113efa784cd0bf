"""Inbound email deliveries (Postmark JSON, SES notifications) into domain events.

One function, ``translate_email``, serves both the intake (which runs it to refuse what the worker
could not process) and the worker (which runs it again on the stored bytes), so "accepted" and
"processable" cannot drift apart. ``ShapeError`` means the payload is not what its source promises.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..domain import events as ev
from .clean import clean_body, clean_text, id_problem, sane_time
from .email_message import InboundEmail, parse_mime, parse_postmark, parse_ses_notification, with_ses_verdicts
from .translate import ShapeError

__all__ = ["message_event", "postmark_shape_problem", "ses_shape_problem", "translate_email"]

_TEXT = {"type": ["string", "null"]}
# What parse_postmark reads, with the types it needs (Postmark sends more; other keys pass untouched).
POSTMARK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "From": _TEXT, "To": _TEXT, "ReplyTo": _TEXT, "Subject": _TEXT, "Date": _TEXT, "TextBody": _TEXT,
        "HtmlBody": _TEXT, "StrippedTextReply": _TEXT, "RawEmail": _TEXT,
        "MessageID": {"type": ["string", "null"], "maxLength": 255},
        "FromFull": {"type": ["object", "null"], "properties": {"Email": _TEXT, "Name": _TEXT}},
        "ToFull": {"type": ["array", "null"], "items": {"type": "object", "properties": {"Email": _TEXT}}},
        "Headers": {"type": ["array", "null"], "items": {
            "type": "object", "required": ["Name", "Value"],
            "properties": {"Name": {"type": "string"}, "Value": {"type": "string"}}}},
    },
    "anyOf": [{"required": ["From"], "properties": {"From": {"type": "string"}}},
              {"required": ["FromFull"], "properties": {"FromFull": {"type": "object"}}},
              {"required": ["RawEmail"], "properties": {"RawEmail": {"type": "string"}}}],
}
_VERDICT = {"type": "object", "properties": {"status": {"type": "string"}}}
# What the worker reads of an SES receipt notification (content, receipt.action, mail.commonHeaders).
SES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "content": {"type": ["string", "null"]},
        "mail": {"type": "object", "properties": {
            "messageId": {"type": "string", "maxLength": 255},
            "commonHeaders": {"type": "object", "properties": {
                "from": {"type": "array", "items": {"type": "string"}},
                "subject": {"type": "string"}, "messageId": {"type": "string", "maxLength": 998}}}}},
        "receipt": {"type": "object", "properties": {
            "action": {"type": "object", "properties": {
                "type": {"type": "string"}, "encoding": {"type": "string"},
                "bucketName": {"type": "string"}, "objectKey": {"type": "string"}}},
            **{f"{k}Verdict": _VERDICT for k in ("spf", "dkim", "dmarc", "spam", "virus")}}},
    },
}


def _problem(schema: dict[str, Any], data: Any, what: str) -> str | None:
    from jsonschema import Draft202012Validator  # loaded with the first email, not at cold start

    error = next(iter(sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))),
                 None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "the body"
    if error.validator == "anyOf" and not error.absolute_path:
        return f"{what} needs \"From\", \"FromFull\" or \"RawEmail\""
    return f"{what} {where}: {error.message[:160]}"


def postmark_shape_problem(payload: Any) -> str | None:
    return _problem(POSTMARK_SCHEMA, payload, "inbound email JSON")


def ses_shape_problem(notification: Any) -> str | None:
    problem = _problem(SES_SCHEMA, notification, "SES notification")
    if problem is None and not notification.get("content"):
        action = (notification.get("receipt") or {}).get("action") or {}
        if action.get("type") == "S3" and not (action.get("bucketName") and action.get("objectKey")):
            return "SES notification: an S3 action needs bucketName and objectKey"
    return problem


def _safe_id(value: str | None) -> str | None:
    if not value:
        return None
    if id_problem(value) is None:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def message_event(parsed: InboundEmail, at: datetime) -> ev.CustomerMessage:
    """The CustomerMessage for a parsed email: every field cleaned, ids safe to key a store with."""
    # Replies go to Reply-To (RFC 5322): contact forms send from a no-reply address on the customer's behalf.
    reply_to = parsed.reply_to
    kind = "customer" if parsed.kind == "no_reply" and reply_to else parsed.kind
    references = tuple(r for r in (_safe_id(x) for x in parsed.references) if r)
    return ev.CustomerMessage(
        message_id=_safe_id(parsed.message_id) or "unknown",
        from_email=(reply_to or parsed.from_email).lower(),
        from_name=clean_text(parsed.from_name, 100),
        subject=clean_text(parsed.subject, 300) or "",
        text=clean_body(parsed.new_text),
        kind=kind,
        occurred_at=sane_time(parsed.date, at) if parsed.date else at,
        trust=parsed.trust,
        trust_detail=clean_text(parsed.trust_detail, 300) or "",
        in_reply_to=_safe_id(parsed.in_reply_to),
        references=references,
        email_problem="" if (reply_to or parsed.from_email) else parsed.from_problem,
    )


def _loads(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ShapeError(f"{what} is not JSON") from exc


def translate_email(source: str, body: bytes, at: datetime,
                    fetch_s3: Callable[[str, str], bytes] | None = None,
                    to_event: Callable[[Any, datetime], ev.CustomerMessage] | None = None) -> ev.DomainEvent:
    """A Postmark ("email") or SES ("ses") delivery as a domain event; ShapeError when it is not one.
    `to_event` makes the event from the parsed email (the worker's, so the console can keep the whole text)."""
    message_event_of = to_event or message_event
    if source == "email":
        payload = _loads(body, "inbound email")
        problem = postmark_shape_problem(payload)
        if problem is not None:
            raise ShapeError(problem)
        return message_event_of(parse_postmark(payload), at)
    notification = _loads(body, "SES notification")
    problem = ses_shape_problem(notification) if isinstance(notification, dict) else "SES notification: not an object"
    if problem is not None:
        raise ShapeError(problem)
    try:
        parsed = parse_ses_notification(notification)
    except ValueError as exc:
        raise ShapeError(str(exc)) from exc
    if parsed is None:
        action = (notification.get("receipt") or {}).get("action") or {}
        if fetch_s3 is None or action.get("type") != "S3":
            return unreadable(notification, action, at)
        parsed = with_ses_verdicts(parse_mime(fetch_s3(action["bucketName"], action["objectKey"])), notification)
    return message_event_of(parsed, at)


def unreadable(notification: dict[str, Any], action: dict[str, Any], at: datetime) -> ev.MessageUnreadable:
    """SES kept the message in S3 (mail over 150 KB, or an S3 receipt rule): tell the owner who wrote."""
    from email.utils import getaddresses

    from .clean import normalize_email

    mail: dict[str, Any] = notification.get("mail") or {}
    common: dict[str, Any] = mail.get("commonHeaders") or {}
    senders = [a for a in (normalize_email(addr)[0] for _name, addr in getaddresses(
        [str(v) for v in common.get("from") or []])) if a]
    where = f"s3://{action.get('bucketName')}/{action.get('objectKey')}" if action.get("type") == "S3" else "nowhere"
    raw_id = str(common.get("messageId") or mail.get("messageId") or "unknown").strip().strip("<>")
    return ev.MessageUnreadable(
        message_id=_safe_id(raw_id) or "unknown",
        from_email=senders[0] if senders else None, subject=clean_text(common.get("subject"), 300) or "",
        why=f"SES delivered only the headers; the message itself is stored at {clean_text(where, 600)}",
        occurred_at=at,
    )
