"""Inbound trust on CustomerMessage: SES verdicts, Postmark's spam headers, Authentication-Results, threading.

Every case starts from the real SES and Postmark fixtures in ../shared/fixtures/email.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.events import CustomerMessage
from chalicelib.ingress.email_message import judge_trust, parse_mime
from chalicelib.ingress.inbound import translate_email
from chalicelib.ingress.translate import ShapeError
from tests.conftest import shared_bytes, shared_json

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def ses_notification(name: str = "anymail_ses_received_event_sns_action_utf8.json") -> dict[str, Any]:
    data: dict[str, Any] = shared_json(f"email/ses/{name}")
    return data


def from_ses(notification: dict[str, Any]) -> CustomerMessage:
    event = translate_email("ses", json.dumps(notification).encode(), NOW)
    assert isinstance(event, CustomerMessage)
    return event


def postmark(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = shared_json("email/postmark/postmark-inbound-test-payload.json")
    payload.update(changes)
    return payload


def from_postmark(payload: dict[str, Any]) -> CustomerMessage:
    event = translate_email("email", json.dumps(payload).encode(), NOW)
    assert isinstance(event, CustomerMessage)
    return event


def test_the_ses_samples_pass_with_their_verdicts_named() -> None:
    event = from_ses(ses_notification())
    assert event.trust == "pass"
    assert event.trust_detail == "ses: spf=pass dkim=pass dmarc=pass spam=pass virus=pass"
    docs = from_ses(ses_notification("aws_docs_ses_received_sns_action_notification.json"))
    assert docs.trust == "pass"  # no DMARC verdict in the AWS docs sample: SPF and DKIM both pass
    assert "dmarc" not in docs.trust_detail


def test_the_base64_ses_sample_is_marked_spam_by_its_receipt() -> None:
    # django-anymail's BASE64 sample carries only spamVerdict FAIL: exactly what must not be answered.
    event = from_ses(ses_notification("anymail_ses_received_event_sns_action_base64.json"))
    assert (event.trust, event.trust_detail) == ("spam", "ses: spam=fail")


def test_the_sns_envelope_sample_carries_the_same_verdicts() -> None:
    inner = json.loads(shared_json("email/ses/anymail_sns_notification_envelope_utf8.json")["Message"])
    assert from_ses(inner).trust == "pass"


@pytest.mark.parametrize("verdicts,trust", [
    ({"virusVerdict": "FAIL"}, "virus"),
    ({"spamVerdict": "FAIL"}, "spam"),
    ({"virusVerdict": "FAIL", "spamVerdict": "FAIL", "dmarcVerdict": "FAIL"}, "virus"),
    ({"dmarcVerdict": "FAIL"}, "fail"),
    ({"spfVerdict": "FAIL", "dkimVerdict": "FAIL", "dmarcVerdict": "FAIL"}, "fail"),
    ({"spfVerdict": "FAIL", "dkimVerdict": "GRAY", "dmarcVerdict": "GRAY"}, "fail"),
    ({"spfVerdict": "PASS", "dkimVerdict": "GRAY", "dmarcVerdict": "GRAY"}, "unknown"),
    ({"spfVerdict": "PROCESSING_FAILED", "dkimVerdict": "PROCESSING_FAILED",
      "dmarcVerdict": "PROCESSING_FAILED"}, "unknown"),
    ({"spfVerdict": "FAIL", "dkimVerdict": "PASS", "dmarcVerdict": "PASS"}, "pass"),
])
def test_ses_verdicts_decide_the_trust(verdicts: dict[str, str], trust: str) -> None:
    notification = copy.deepcopy(ses_notification())
    for key, status in verdicts.items():
        notification["receipt"][key] = {"status": status}
    assert from_ses(notification).trust == trust


def test_ses_verdicts_outrank_headers_the_sender_wrote() -> None:
    notification = copy.deepcopy(ses_notification())
    notification["receipt"]["dmarcVerdict"] = {"status": "FAIL"}
    notification["content"] = ("Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass\r\n"
                               + notification["content"])
    assert from_ses(notification).trust == "fail"


def test_the_postmark_samples_have_no_verdicts_so_trust_is_unknown() -> None:
    event = from_postmark(postmark())
    assert (event.trust, event.trust_detail) == ("unknown", "")
    raw = from_postmark(shared_json("email/postmark/postmark-inbound-test-payload-with-raw.json"))
    assert raw.trust == "unknown"


@pytest.mark.parametrize("headers,trust", [
    ([{"Name": "X-Spam-Status", "Value": "Yes"}, {"Name": "X-Spam-Score", "Value": "7.2"}], "spam"),
    ([{"Name": "X-Spam-Status", "Value": "No"}, {"Name": "X-Spam-Score", "Value": "5.1"}], "spam"),
    ([{"Name": "X-Spam-Status", "Value": "No"}, {"Name": "X-Spam-Score", "Value": "-0.1"}], "unknown"),
    ([{"Name": "Received-SPF", "Value": "Fail (sender not authorized) identity=mailfrom"}], "fail"),
    ([{"Name": "Authentication-Results", "Value": "mx.example; spf=pass smtp.mailfrom=x; dkim=pass; dmarc=pass"}],
     "pass"),
    # A sender's own "pass" sits below the receiver's verdict and does not count; its "fail" would.
    ([{"Name": "Authentication-Results", "Value": "mx.example; dmarc=fail header.from=bank.example"},
      {"Name": "Authentication-Results", "Value": "forged.example; dmarc=pass"}], "fail"),
    ([{"Name": "Authentication-Results", "Value": "mx.example; spf=none; dkim=none; dmarc=none"},
      {"Name": "Authentication-Results", "Value": "forged.example; spf=pass; dkim=pass; dmarc=pass"}], "unknown"),
])
def test_postmark_spam_headers_and_authentication_results(headers: list[dict[str, str]], trust: str) -> None:
    event = from_postmark(postmark(Headers=headers))
    assert event.trust == trust
    assert event.trust_detail.startswith("headers:")


def test_postmark_spam_headers_apply_to_its_raw_email_too() -> None:
    payload = shared_json("email/postmark/postmark-inbound-test-payload-with-raw.json")
    payload["Headers"] = [{"Name": "X-Spam-Status", "Value": "Yes, score=9.9"}]
    assert from_postmark(payload).trust == "spam"


def test_authentication_results_in_mime() -> None:
    raw = shared_bytes("email/ses/aws_docs_ses_received_sns_action_content.eml")
    assert parse_mime(raw).trust == "unknown"
    signed = b"Authentication-Results: mx.example; spf=pass; dkim=pass; dmarc=pass\r\n" + raw
    assert parse_mime(signed).trust == "pass"
    failed = b"Authentication-Results: mx.example; spf=fail; dkim=none\r\n" + raw
    assert parse_mime(failed).trust == "fail"


def test_in_reply_to_and_references_reach_the_event() -> None:
    headers = [{"Name": "In-Reply-To", "Value": "<ack-1@warmline.rosiesbakery.example>"},
               {"Name": "References", "Value": "<first@x.example>\r\n <ack-1@warmline.rosiesbakery.example>"}]
    event = from_postmark(postmark(Headers=headers))
    assert event.in_reply_to == "ack-1@warmline.rosiesbakery.example"
    assert event.references == ("first@x.example", "ack-1@warmline.rosiesbakery.example")
    plain = from_ses(ses_notification())
    assert plain.in_reply_to is None and plain.references == ()
    raw = shared_bytes("email/ses/anymail_TEST_MIME_MESSAGE.eml")
    threaded = parse_mime(b"In-Reply-To: <a@b.example>\r\nReferences: <z@b.example> <a@b.example>\r\n" + raw)
    assert threaded.in_reply_to == "a@b.example" and threaded.references == ("z@b.example", "a@b.example")


def test_a_sender_address_we_cannot_use_is_empty_with_a_reason() -> None:
    event = from_postmark(postmark(FromFull={"Email": "a@example.com\r\nBcc: b@example.org", "Name": "A"},
                                   From="a@example.com\r\nBcc: b@example.org", ReplyTo=""))
    assert event.from_email == "" and "line break" in event.email_problem
    fine = from_postmark(postmark(ReplyTo=""))
    assert fine.from_email == "support@postmarkapp.com" and fine.email_problem == ""
    bad_reply_to = from_postmark(postmark(ReplyTo="x@example.com\u202e"))
    assert bad_reply_to.from_email == "support@postmarkapp.com"  # an unusable Reply-To is not used


def test_names_and_subjects_are_cleaned() -> None:
    event = from_postmark(postmark(FromFull={"Email": "jo@example.com", "Name": "Jo\u202e\ud800"},
                                   Subject="Hi\u202e\r\nBcc: x", TextBody="Hello\u202e\ud800\r\nthere"))
    assert event.from_name == "Jo\ufffd" and event.subject == "Hi Bcc: x"
    assert "\u202e" not in event.text and "\ud800" not in event.text


def test_an_s3_action_without_its_bucket_is_refused() -> None:
    notification = copy.deepcopy(ses_notification("aws_docs_ses_received_alert_notification_s3_action.json"))
    del notification["receipt"]["action"]["bucketName"]
    with pytest.raises(ShapeError):
        translate_email("ses", json.dumps(notification).encode(), NOW)


def test_judge_trust_detail_lists_verdicts_in_a_fixed_order() -> None:
    assert judge_trust({"virus": "pass", "spf": "pass"}, "x") == ("unknown", "x: spf=pass virus=pass")
    assert judge_trust({}, "x") == ("unknown", "")
