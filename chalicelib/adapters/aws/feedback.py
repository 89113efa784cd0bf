"""SES bounces and complaints -> addresses Warmline never mails again.

The stack's configuration set publishes `bounce` and `complaint` events to the feedback topic
(SES event publishing; the older identity notifications have the same shape under
"notificationType"), which invokes `email_feedback_from_ses`. A permanent bounce or any
complaint marks the recipient undeliverable in the store; the executor then suppresses every
later email to it with that reason. Transient bounces (mailbox full, greylisting) are not marked:
SES retried them already and the next email may well arrive.

Marking is idempotent (the first mark is kept), so Lambda's retries and SNS's duplicates are
harmless; a failure raises, Lambda retries twice, then the event goes to the event dead-letter queue.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from ...privacy import mask_email

if TYPE_CHECKING:
    from ...bootstrap import Services

log = logging.getLogger("warmline.aws.feedback")


def undeliverable_recipients(notification: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(address, kind, detail) for each recipient the notice says never to mail again."""
    event_type = str(notification.get("eventType") or notification.get("notificationType") or "")
    found: list[tuple[str, str, str]] = []
    if event_type == "Bounce":
        bounce = notification.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []
        detail = f"{bounce.get('bounceType')}/{bounce.get('bounceSubType') or 'General'}"
        for recipient in bounce.get("bouncedRecipients") or []:
            found.append((str(recipient.get("emailAddress") or ""), "bounce", detail))
    elif event_type == "Complaint":
        complaint = notification.get("complaint") or {}
        detail = str(complaint.get("complaintFeedbackType") or "complaint")
        for recipient in complaint.get("complainedRecipients") or []:
            found.append((str(recipient.get("emailAddress") or ""), "complaint", detail))
    return [(addr.strip().lower(), kind, detail[:60]) for addr, kind, detail in found if "@" in addr]


def record_feedback(services: Services, message: str) -> dict[str, Any]:
    try:
        notification = json.loads(message)
    except json.JSONDecodeError:
        log.warning("SES feedback notice is not JSON; ignored")
        return {"marked": 0, "ignored": "not json"}
    if not isinstance(notification, dict):
        return {"marked": 0, "ignored": "not an object"}
    now = services.clock()
    marked = 0
    recipients = undeliverable_recipients(notification)
    for address, kind, detail in recipients:
        if services.store.mark_undeliverable(address, kind, detail, now):
            marked += 1
            log.info("address marked undeliverable: %s (%s: %s)", mask_email(address), kind, detail)
    return {"marked": marked, "recipients": len(recipients)}
