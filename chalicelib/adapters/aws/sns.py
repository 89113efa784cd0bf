"""SNS owner alerts: the alerts topic (email subscriptions, long text) and direct SMS.

Each channel of an alert (the topic, each phone) is claimed separately in
DynamoDB, so a retry after a failed SMS re-sends only what did not go out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ...ports import OwnerAlertMessage
from .dynamodb import SendClaims

log = logging.getLogger("warmline.aws")

SMS_LIMIT = 306  # two GSM-7 segments (see sms.py)


def topic_subject(message: OwnerAlertMessage, shop_name: str) -> str:
    """SNS subjects: ASCII, one line, under 100 characters."""
    text = f"Warmline {message.level.upper()}: {shop_name} - {message.short_text}"
    text = " ".join(text.split())
    text = text.encode("ascii", errors="replace").decode("ascii")
    return text if len(text) < 100 else text[:96] + "..."


def sms_text(message: OwnerAlertMessage) -> str:
    """The text message: GSM-7 only, at most two segments, the review link kept whole at the end."""
    from .sms import fit

    text = " ".join(message.short_text.split())
    link = message.review_url
    if not link:
        return fit(text)
    if text.endswith(link):
        return fit(text[: -len(link)], link)
    # The renderer cut the short text at a fixed length, maybe inside the link: put the whole link back.
    for size in range(len(link) - 1, 7, -1):
        if text.endswith(link[:size]):
            return fit(text[:-size], link)
    return fit(text + " ", link) if link not in text else fit(text)


class SnsOwnerAlerter:
    """OwnerAlerter on SNS: Publish to the alerts topic and `PhoneNumber=` SMS to each phone."""

    def __init__(
        self,
        sns_client: Any,
        claims: SendClaims,
        topic_arn: str | None,
        phones: Sequence[str] = (),
        shop_name: str = "your shop",
        sender_id: str | None = None,
        origination_number: str | None = None,
    ) -> None:
        self.sns = sns_client
        self.claims = claims
        self.topic_arn = topic_arn
        self.phones = tuple(phones)
        self.shop_name = shop_name
        self.sender_id = sender_id
        self.origination_number = origination_number

    def _channels(self, message: OwnerAlertMessage) -> list[tuple[str, dict[str, Any]]]:
        channels: list[tuple[str, dict[str, Any]]] = []
        if self.topic_arn:
            body = message.long_text
            if message.review_url and message.review_url not in body:
                body += f"\n\nReview: {message.review_url}"
            channels.append(
                (
                    f"{message.key}#topic",
                    {
                        "TopicArn": self.topic_arn,
                        "Subject": topic_subject(message, self.shop_name),
                        "Message": body,
                        # "warmline": the phones' subscriptions filter these out (they get the short text
                        # directly below) and receive only CloudWatch alarms from the topic.
                        "MessageAttributes": {"level": {"DataType": "String", "StringValue": message.level},
                                              "warmline": {"DataType": "String", "StringValue": "alert"}},
                    },
                )
            )
        for phone in self.phones if message.level != "watch" else ():  # "watch": worth a look, not a text
            attributes: dict[str, Any] = {
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            }
            if self.sender_id:
                attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": self.sender_id}
            if self.origination_number:
                attributes["AWS.MM.SMS.OriginationNumber"] = {"DataType": "String",
                                                              "StringValue": self.origination_number}
            channels.append(
                (
                    f"{message.key}#sms:{phone}",
                    {"PhoneNumber": phone, "Message": sms_text(message), "MessageAttributes": attributes},
                )
            )
        if not channels and message.level != "watch":
            raise ValueError("no alert channel: set the alerts topic or at least one owner phone")
        return channels  # a "watch" with no topic to mail: the console's inbox has it, nothing to send

    def alert(self, message: OwnerAlertMessage) -> str:
        ids: list[str] = []
        for claim_key, params in self._channels(message):
            earlier = self.claims.claim(claim_key)
            if earlier is not None:
                ids.append(earlier)
                continue
            try:
                response = self.sns.publish(**params)
            except BaseException:
                self.claims.release_quietly(claim_key)
                raise
            message_id = str(response["MessageId"])
            try:
                self.claims.complete(claim_key, message_id)
            except Exception:  # published already: raising would publish it again (see SesMailer.send)
                log.warning("alert published but its claim could not be completed", exc_info=True)
            ids.append(message_id)
        return ids[0] if ids else message.key
