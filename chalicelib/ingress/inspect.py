"""What Warmline makes of one email file: the core of ``warmline inspect-email FILE.eml``.

The CLI adds the sentiment reading; this module only parses, classifies and masks.
"""

from __future__ import annotations

from typing import Any

from chalicelib.ingress.email_message import parse_mime
from chalicelib.privacy import mask_email

__all__ = ["inspect_email"]


def inspect_email(raw: bytes) -> dict[str, Any]:
    """Classification, masked sender, subject, the new text and the sender's trust of a raw RFC 5322 message.

    ``stripped_chars`` is how many characters reply/signature stripping removed from the text
    body: the characters that will not be sent to (and billed by) a sentiment service.
    """
    message = parse_mime(raw)
    return {
        "kind": message.kind,
        "kind_reason": message.kind_reason,
        "from": mask_email(message.from_email),
        "subject": message.subject,
        "new_text": message.new_text,
        "stripped_chars": len(message.full_text) - len(message.new_text),
        "trust": message.trust,  # from Authentication-Results / spam headers in the file, "unknown" without
        "trust_detail": message.trust_detail,
    }
