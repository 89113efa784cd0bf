"""SES v2 Mailer: customer email, sent once per key.

A "send claim" in DynamoDB is taken before calling SES: an existing, completed
claim means the email went already (its message id is returned, nothing is sent);
a send error removes the claim and re-raises so the queue retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from email.utils import formataddr
from typing import Any

from ...ports import OutgoingEmail
from .dynamodb import SendClaims

log = logging.getLogger("warmline.aws")

# Headers SES sets itself or refuses in Content.Simple.Headers.
_RESERVED = frozenset(
    {"from", "to", "cc", "bcc", "subject", "reply-to", "return-path", "sender", "date", "message-id",
     "mime-version", "content-type", "content-transfer-encoding", "content-disposition"}
)

UnsubscribeUrl = Callable[[OutgoingEmail], str | None]


def email_headers(message: OutgoingEmail, unsubscribe_url: UnsubscribeUrl | None = None) -> dict[str, str]:
    """The extra headers of one email: the message's own, plus the ones the law and RFCs ask for."""
    headers = {name: value for name, value in message.headers.items() if name.lower() not in _RESERVED}
    lower = {name.lower() for name in headers}
    if "auto-submitted" not in lower:
        # RFC 3834: an automatic reply to a customer's message is "auto-replied";
        # everything else Warmline sends on its own is "auto-generated".
        headers["Auto-Submitted"] = "auto-replied" if message.kind == "acknowledgement" else "auto-generated"
    if message.kind == "marketing" and "list-unsubscribe" not in lower:
        url = unsubscribe_url(message) if unsubscribe_url is not None else None
        targets = []
        if url:
            targets.append(f"<{url}>")
        if message.reply_to:
            targets.append(f"<mailto:{message.reply_to}?subject=unsubscribe>")
        if targets:
            headers["List-Unsubscribe"] = ", ".join(targets)
            lower.add("list-unsubscribe")
    if (
        message.kind == "marketing"
        and "list-unsubscribe-post" not in lower
        and "https://" in next((v for k, v in headers.items() if k.lower() == "list-unsubscribe"), "")
    ):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058 one-click
    return headers


class SesMailer:
    """Mailer on SES v2 `SendEmail` with simple content and a configuration set."""

    def __init__(
        self,
        sesv2_client: Any,
        claims: SendClaims,
        configuration_set: str | None = None,
        unsubscribe_url: UnsubscribeUrl | None = None,
    ) -> None:
        self.ses = sesv2_client
        self.claims = claims
        self.configuration_set = configuration_set
        self.unsubscribe_url = unsubscribe_url

    def request(self, message: OutgoingEmail) -> dict[str, Any]:
        """The SendEmail parameters for one message (also used by tests and dry runs)."""
        headers = email_headers(message, self.unsubscribe_url)
        params: dict[str, Any] = {
            "FromEmailAddress": formataddr((message.from_name, message.from_email), charset="utf-8"),
            "Destination": {"ToAddresses": [message.to]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": message.text, "Charset": "UTF-8"}},
                    "Headers": [{"Name": name, "Value": value} for name, value in headers.items()],
                }
            },
            "EmailTags": [{"Name": "kind", "Value": message.kind}],
        }
        if message.reply_to:
            params["ReplyToAddresses"] = [message.reply_to]
        if self.configuration_set:
            params["ConfigurationSetName"] = self.configuration_set
        return params

    def send(self, message: OutgoingEmail) -> str:
        params = self.request(message)
        earlier = self.claims.claim(message.key)
        if earlier is not None:
            return earlier
        try:
            response = self.ses.send_email(**params)
        except BaseException:
            self.claims.release_quietly(message.key)
            raise
        message_id = str(response["MessageId"])
        try:
            self.claims.complete(message.key, message_id)
        except Exception:
            # Sent already: raising would make the queue send it again once the claim's lease ends.
            log.warning("email sent but its claim could not be completed", exc_info=True)
        return message_id
