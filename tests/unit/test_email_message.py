"""Inbound email parsing: shared real fixtures, one constructed message per class, and a property test."""

from __future__ import annotations

import base64
import json
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.ingress.email_message import (
    InboundEmail,
    extract_new_text,
    html_to_text,
    parse_mime,
    parse_postmark,
    parse_ses_notification,
    unwrap_sns_envelope,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
EMAIL_FIXTURES = SHARED / "fixtures" / "email"


def fixture(relative: str) -> Path:
    path = EMAIL_FIXTURES / relative
    if not path.is_file():
        pytest.fail(
            f"Shared email fixture {path} is missing: the tests expect the shared/ folder beside this "
            "checkout (../shared/fixtures/email).",
            pytrace=False,
        )
    return path


def load_json(relative: str) -> dict[str, Any]:
    data = json.loads(fixture(relative).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def mime(headers: str, body: str | bytes) -> bytes:
    """Join header lines and a body with CRLF, as they travel."""
    head = "\r\n".join(textwrap.dedent(headers).strip("\n").splitlines()).encode()
    payload = body.encode() if isinstance(body, str) else body
    return head + b"\r\n\r\n" + payload.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


# ---------------------------------------------------------------------------------------------
# Shared fixtures (real payloads)
# ---------------------------------------------------------------------------------------------

ANYMAIL_PACIFIC = timezone(timedelta(hours=-7))


def assert_anymail_message(msg: InboundEmail) -> None:
    assert msg.from_email == "from@example.org"  # the From header, not the envelope-from@ source
    assert msg.from_name == "Sender, Inc."
    assert msg.to == ("inbound@example.com", "someone-else@example.org")
    assert msg.subject == "Test inbound message"
    assert msg.full_text == "It's a body\u2026"  # quoted-printable UTF-8 ellipsis
    assert msg.new_text == "It's a body\u2026"
    assert msg.message_id == "CAEPk3RKsi@mail.example.org"
    assert msg.date == datetime(2018, 3, 30, 10, 21, 50, tzinfo=ANYMAIL_PACIFIC)
    assert msg.kind == "customer"
    assert msg.in_reply_to is None


def assert_aws_docs_message(msg: InboundEmail) -> None:
    assert msg.from_email == "sender@example.com"
    assert msg.from_name is None
    assert msg.to == ("recipient@example.com",)
    assert msg.subject == "Example subject"
    assert msg.full_text == "Example content"
    assert msg.new_text == "Example content"
    assert msg.message_id == "61967230-7A45-4A9D-BEC9-87CBCF2211C9@example.com"
    assert msg.date == datetime(2015, 9, 11, 20, 32, 32, tzinfo=UTC)
    assert msg.kind == "customer"


def test_ses_raw_mime_fixture() -> None:
    assert_anymail_message(parse_mime(fixture("ses/anymail_TEST_MIME_MESSAGE.eml").read_bytes()))


def test_aws_docs_raw_mime_fixture() -> None:
    assert_aws_docs_message(parse_mime(fixture("ses/aws_docs_ses_received_sns_action_content.eml").read_bytes()))


@pytest.mark.parametrize(
    "name", ["anymail_ses_received_event_sns_action_utf8.json", "anymail_ses_received_event_sns_action_base64.json"]
)
def test_ses_notification_fixtures_utf8_and_base64(name: str) -> None:
    msg = parse_ses_notification(load_json(f"ses/{name}"))
    assert msg is not None
    assert_anymail_message(msg)


@pytest.mark.parametrize(
    "name", ["anymail_sns_notification_envelope_utf8.json", "anymail_sns_notification_envelope_base64.json"]
)
def test_sns_envelope_fixtures(name: str) -> None:
    inner = unwrap_sns_envelope(load_json(f"ses/{name}"))
    assert inner["notificationType"] == "Received"
    assert inner["mail"]["source"] == "envelope-from@example.org"
    msg = parse_ses_notification(inner)
    assert msg is not None
    assert_anymail_message(msg)


def test_aws_docs_sns_action_notification_without_declared_encoding() -> None:
    notification = load_json("ses/aws_docs_ses_received_sns_action_notification.json")
    assert "encoding" not in notification["receipt"]["action"]
    msg = parse_ses_notification(notification)
    assert msg is not None
    assert_aws_docs_message(msg)


def test_aws_docs_s3_action_has_no_content_so_caller_fetches_it() -> None:
    notification = load_json("ses/aws_docs_ses_received_alert_notification_s3_action.json")
    assert notification["receipt"]["action"]["type"] == "S3"
    assert parse_ses_notification(notification) is None


def test_postmark_fixture_uses_parsed_fields_and_stripped_reply() -> None:
    msg = parse_postmark(load_json("postmark/postmark-inbound-test-payload.json"))
    assert msg.from_email == "support@postmarkapp.com"
    assert msg.from_name == "Postmarkapp Support"
    assert msg.to == ("mailbox+samplehash@inbound.postmarkapp.com",)
    assert msg.subject == "Test subject"
    assert msg.full_text == "This is a test text body."
    assert msg.new_text == "This is the reply text"  # Postmark's own StrippedTextReply
    assert msg.message_id == "postmark:00000000-0000-0000-0000-000000000000"
    assert msg.date == datetime(2023, 5, 5, 17, 44, 33, tzinfo=timezone(timedelta(hours=-4)))
    assert msg.reply_to == "replyto@example.com"
    assert msg.kind == "customer"


def test_postmark_fixture_with_raw_email_prefers_the_raw_message() -> None:
    msg = parse_postmark(load_json("postmark/postmark-inbound-test-payload-with-raw.json"))
    assert msg.from_email == "support@postmarkapp.com"
    assert msg.from_name == "Postmarkapp Support"
    assert msg.to == ("mailbox+samplehash@inbound.postmarkapp.com",)
    assert msg.subject == "Test subject"
    assert msg.full_text == "This is a test text body."
    assert msg.new_text == "This is a test text body."
    # The raw message has no Message-ID or Date header: Postmark's id and date fill in.
    assert msg.message_id == "postmark:00000000-0000-0000-0000-000000000000"
    assert msg.date == datetime(2023, 5, 5, 17, 41, 16, tzinfo=timezone(timedelta(hours=-4)))


def test_postmark_html_only_and_auto_submitted_header() -> None:
    payload = {
        "FromFull": {"Email": "Jane@Example.com", "Name": "Jane"},
        "Subject": "Order",
        "TextBody": "",
        "HtmlBody": "<p>Where is <b>my order</b>?</p><blockquote>old text</blockquote>",
        "Headers": [{"Name": "Auto-Submitted", "Value": "auto-replied"}],
        "MessageID": "abc",
    }
    msg = parse_postmark(payload)
    assert msg.from_email == "jane@example.com"
    assert msg.new_text == "Where is my order?"
    assert msg.kind == "auto_reply"
    assert msg.kind_reason == "Auto-Submitted: auto-replied header"


# ---------------------------------------------------------------------------------------------
# SNS envelope errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"Type": "SubscriptionConfirmation", "Message": "{}"}, "SubscriptionConfirmation"),
        ({"Type": "Notification"}, "no Message"),
        ({"Type": "Notification", "Message": "not json"}, "not valid JSON"),
        ({"Type": "Notification", "Message": "[1, 2]"}, "not an object"),
        ({"Message": "{}"}, "not an SNS notification"),
    ],
)
def test_unwrap_sns_envelope_rejects_malformed_bodies_with_a_sentence(body: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        unwrap_sns_envelope(body)


def test_ses_notification_with_bad_encoding_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown content encoding"):
        parse_ses_notification({"receipt": {"action": {"encoding": "ROT13"}}, "content": "x"})


def test_ses_notification_without_message_id_uses_ses_id() -> None:
    raw = mime("From: a@b.example\nSubject: hi", "hello")
    msg = parse_ses_notification(
        {
            "mail": {"messageId": "ses-123"},
            "receipt": {"action": {"type": "SNS", "encoding": "BASE64"}},
            "content": base64.b64encode(raw).decode(),
        }
    )
    assert msg is not None
    assert msg.message_id == "ses:ses-123"


# ---------------------------------------------------------------------------------------------
# Classification: one constructed message per class
# ---------------------------------------------------------------------------------------------

DSN_BOUNCE = mime(
    """
    From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>
    To: shop@bakery.example
    Subject: Undelivered Mail Returned to Sender
    Message-ID: <dsn-1@mx.example.net>
    Auto-Submitted: auto-replied
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=delivery-status; boundary="b1"
    """,
    """--b1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.
I'm sorry to have to inform you that your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; gone@customer.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b1
Content-Type: message/rfc822

From: shop@bakery.example
To: gone@customer.example
Subject: Your cart is waiting

Hello!
--b1--
""",
)

ARF_COMPLAINT = mime(
    """
    From: <staff@hotmail.example>
    To: abuse@bakery.example
    Subject: complaint about message from 192.0.2.1
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=feedback-report; boundary="arf"
    """,
    """--arf
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for an email message received from IP 192.0.2.1.

--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1

--arf
Content-Type: message/rfc822

From: shop@bakery.example
Subject: Fresh bread

Buy bread.
--arf--
""",
)


def test_dsn_bounce() -> None:
    msg = parse_mime(DSN_BOUNCE)
    assert msg.kind == "bounce"
    assert msg.kind_reason == "multipart/report delivery status notification"
    assert msg.from_email == "mailer-daemon@mx.example.net"
    assert "could not be delivered" in msg.full_text
    assert "Final-Recipient" not in msg.full_text  # machine-readable parts are not text
    assert "Your cart is waiting" not in msg.full_text  # the returned message is not the body


def test_mailer_daemon_bounce_without_multipart_report() -> None:
    raw = mime(
        """
        From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
        To: shop@bakery.example
        Subject: failure notice
        """,
        "Hi. This is the qmail-send program.\nI'm afraid I wasn't able to deliver your message.\n"
        "<gone@customer.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n",
    )
    msg = parse_mime(raw)
    assert msg.kind == "bounce"
    assert msg.kind_reason == "sent by mailer-daemon with delivery-failure wording"


def test_arf_complaint() -> None:
    msg = parse_mime(ARF_COMPLAINT)
    assert msg.kind == "complaint"
    assert msg.kind_reason == "multipart/report feedback-report (ARF spam complaint)"
    assert msg.new_text.startswith("This is an email abuse report")


def test_out_of_office_with_auto_submitted() -> None:
    raw = mime(
        """
        From: Jane Doe <jane@customer.example>
        To: shop@bakery.example
        Subject: Automatic reply: Your order #1001
        Auto-Submitted: auto-replied
        X-Auto-Response-Suppress: All
        Content-Type: text/plain; charset=utf-8
        """,
        "I am out of the office until Monday.",
    )
    msg = parse_mime(raw)
    assert msg.kind == "auto_reply"
    assert msg.kind_reason == "Auto-Submitted: auto-replied header"
    assert msg.headers["Auto-Submitted"] == "auto-replied"


@pytest.mark.parametrize(
    ("header", "subject", "reason"),
    [
        ("X-Autoreply: yes", "Re: Order", "X-Autoreply header"),
        ("X-Autorespond: Thanks", "Re: Order", "X-Autorespond header"),
        ("X-Mailer: Foo", "Out of Office: back Monday", "auto-reply subject ('Out of Office')"),
        ("X-Mailer: Foo", "Abwesenheitsnotiz: Bestellung", "auto-reply subject ('Abwesenheitsnotiz')"),
        ("X-Mailer: Foo", "Réponse automatique : Commande", "auto-reply subject ('Réponse automatique')"),
        ("Return-Path: <>", "Re: Order", "Return-Path: <> (null sender: machine-generated mail)"),
    ],
)
def test_other_auto_reply_signals(header: str, subject: str, reason: str) -> None:
    raw = mime(f"From: jane@customer.example\nSubject: {subject}\n{header}", "Away.").replace(
        subject.encode(), subject.encode("utf-8")
    )
    msg = parse_mime(raw)
    assert (msg.kind, msg.kind_reason) == ("auto_reply", reason)


def test_auto_submitted_no_is_a_person() -> None:
    raw = mime("From: jane@customer.example\nSubject: Order\nAuto-Submitted: no", "Where is my order?")
    assert parse_mime(raw).kind == "customer"


def test_read_receipt_report_is_never_answered() -> None:
    raw = mime(
        """
        From: jane@customer.example
        Subject: Read: Your order
        Content-Type: multipart/report; report-type=disposition-notification; boundary="m"
        """,
        "--m\nContent-Type: text/plain\n\nYour message was read.\n--m--\n",
    )
    msg = parse_mime(raw)
    assert msg.kind == "auto_reply"
    assert "disposition-notification" in msg.kind_reason


def test_list_mail() -> None:
    raw = mime(
        """
        From: Baking Club <club@lists.example.org>
        To: baking@lists.example.org
        Subject: [baking] Sourdough tips
        List-Id: Baking Club <baking.lists.example.org>
        Precedence: list
        """,
        "Feed your starter twice a day.",
    )
    msg = parse_mime(raw)
    assert msg.kind == "bulk"
    assert msg.kind_reason == "Precedence: list header"
    assert msg.headers["List-Id"] == "Baking Club <baking.lists.example.org>"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("List-Id: <news.shop.example>", "List-Id header (mailing list)"),
        ("List-Unsubscribe: <mailto:unsub@shop.example>", "List-Unsubscribe header (newsletter or bulk mail)"),
        ("Precedence: bulk", "Precedence: bulk header"),
        ("Precedence: junk", "Precedence: junk header"),
    ],
)
def test_other_bulk_signals(header: str, reason: str) -> None:
    msg = parse_mime(mime(f"From: news@shop.example\nSubject: Sale\n{header}", "Sale!"))
    assert (msg.kind, msg.kind_reason) == ("bulk", reason)


@pytest.mark.parametrize(
    "sender", ["no-reply@shop.example", "noreply@shop.example", "donotreply@x.example", "do-not-reply@x.example",
               "no_reply+123@x.example", "Mailer-Daemon@x.example", "postmaster@x.example"],
)  # fmt: skip
def test_no_reply_senders(sender: str) -> None:
    msg = parse_mime(mime(f"From: Robot <{sender}>\nSubject: Your receipt", "Thanks for your payment."))
    assert msg.kind == "no_reply"
    assert msg.kind_reason.startswith("no-reply sender (")
    assert msg.from_email == sender.lower()


def test_contact_form_no_reply_keeps_reply_to_for_the_owner() -> None:
    raw = mime(
        "From: Website <no-reply@bakery.example>\nReply-To: Jane <jane@customer.example>\nSubject: Contact form",
        "My cake arrived broken.",
    )
    msg = parse_mime(raw)
    assert msg.kind == "no_reply"
    assert msg.reply_to == "jane@customer.example"


def test_customer_message_is_customer() -> None:
    raw = mime("From: Jane <jane@customer.example>\nSubject: Where is my order?", "It's been 3 weeks.")
    msg = parse_mime(raw)
    assert msg.kind == "customer"
    assert msg.kind_reason == "no machine-mail signals: a person wrote this"


# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------


def test_rfc2047_subject_and_name_utf8() -> None:
    raw = mime(
        """
        From: =?UTF-8?Q?Jos=C3=A9_Mart=C3=ADnez?= <Jose@Example.ES>
        To: shop@bakery.example
        Subject: =?UTF-8?B?wqFNaSBwZWRpZG8gbm8gaGEgbGxlZ2FkbyEg8J+YoQ==?=
        """,
        "Hola",
    )
    msg = parse_mime(raw)
    assert msg.subject == "¡Mi pedido no ha llegado! 😡"
    assert msg.from_name == "José Martínez"
    assert msg.from_email == "jose@example.es"


def test_rfc2047_subject_iso_8859_1_split_over_words() -> None:
    raw = mime(
        "From: a@b.example\nSubject: =?ISO-8859-1?Q?Commande_ab=EEm=E9e?=\n =?iso-8859-1?q?_et_en_retard?=",
        "x",
    )
    assert parse_mime(raw).subject == "Commande abîmée et en retard"


def test_rfc2047_unknown_charset_does_not_raise() -> None:
    raw = mime("From: a@b.example\nSubject: =?x-klingon?Q?Caf=C3=A9?= ok", "x")
    msg = parse_mime(raw)
    assert "ok" in msg.subject


def test_quoted_printable_body() -> None:
    raw = mime(
        """
        From: a@b.example
        Subject: qp
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable
        """,
        "Le g=C3=A2teau est arriv=C3=A9 =C3=A9cras=C3=A9, c'est une longue ligne qui =\ncontinue ici.",
    )
    assert parse_mime(raw).full_text == "Le gâteau est arrivé écrasé, c'est une longue ligne qui continue ici."


def test_base64_latin1_body() -> None:
    body = base64.encodebytes("Größe falsch, bitte Rückerstattung.".encode("iso-8859-1")).decode()
    raw = mime(
        "From: a@b.example\nSubject: b64\nContent-Type: text/plain; charset=iso-8859-1\n"
        "Content-Transfer-Encoding: base64",
        body,
    )
    assert parse_mime(raw).full_text == "Größe falsch, bitte Rückerstattung."


def test_html_only_body() -> None:
    raw = mime(
        "From: a@b.example\nSubject: html\nContent-Type: text/html; charset=utf-8",
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<p>My order&nbsp;#1001 is <b>late</b> &amp; I&#39;m upset.</p><div>Please help.</div>"
        '<div class="gmail_signature">Jane<br>+44 20 7946 0958</div>'
        '<div class="gmail_quote">On Mon, 1 Jan 2024 at 10:00, Shop &lt;shop@bakery.example&gt; wrote:<br>'
        "<blockquote>Your order has shipped!</blockquote></div></body></html>",
    )
    msg = parse_mime(raw)
    assert msg.new_text == "My order #1001 is late & I'm upset.\nPlease help."
    assert "> Your order has shipped!" in msg.full_text
    assert "p{color" not in msg.full_text


def test_html_to_text_quotes_blockquotes() -> None:
    assert html_to_text("<p>new</p><blockquote><p>old</p><blockquote>older</blockquote></blockquote>") == (
        "new\n> old\n> > older"
    )


def test_multipart_alternative_prefers_plain() -> None:
    raw = mime(
        'From: a@b.example\nSubject: alt\nContent-Type: multipart/alternative; boundary="x"',
        "--x\nContent-Type: text/plain\n\nplain words\n--x\nContent-Type: text/html\n\n<p>html words</p>\n--x--\n",
    )
    assert parse_mime(raw).full_text == "plain words"


def test_attachments_are_not_body_text() -> None:
    raw = mime(
        'From: a@b.example\nSubject: att\nContent-Type: multipart/mixed; boundary="x"',
        "--x\nContent-Type: text/plain\n\nSee the photo.\n--x\nContent-Type: text/plain\n"
        'Content-Disposition: attachment; filename="log.txt"\n\nsecret log\n--x--\n',
    )
    assert parse_mime(raw).full_text == "See the photo."


def test_broken_multipart_missing_closing_boundary_and_lying_charset() -> None:
    raw = mime(
        'From: a@b.example\nSubject: broken\nContent-Type: multipart/mixed; boundary="zzz"',
        b"--zzz\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n\n"
        + "Die Torte ist kaputt angekommen. Entt\u00e4uscht!".encode()
        + b"\n--zzz\nContent-Type: text/plain; charset=x-made-up\n\n"
        + "Zweiter Teil: gr\u00fc\u00dfe".encode()
        + b"\n",  # no closing --zzz--
    )
    msg = parse_mime(raw)
    assert "Die Torte ist kaputt angekommen. Enttäuscht!" in msg.full_text
    assert "Zweiter Teil: grüße" in msg.full_text
    assert msg.kind == "customer"


def test_multipart_without_boundary_parameter_is_salvaged() -> None:
    raw = mime(
        "From: a@b.example\nSubject: nob\nContent-Type: multipart/alternative",
        "This is a multi-part message in MIME format.\n--abc\nContent-Type: text/plain; charset=utf-8\n\n"
        "The box was empty.\n--abc\nContent-Type: text/html\n\n<p>The box was empty.</p>\n--abc--\n",
    )
    assert parse_mime(raw).full_text == "The box was empty."


def test_truncated_base64_still_yields_text() -> None:
    encoded = base64.b64encode(b"Please refund my order, it never arrived at all.").decode()
    raw = mime(
        'From: a@b.example\nSubject: t\nContent-Type: multipart/mixed; boundary="q"',
        f"--q\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n{encoded[:-7]}",
    )
    assert parse_mime(raw).full_text.startswith("Please refund my order, it never arrived")


def test_windows_1252_body_with_utf8_declared() -> None:
    raw = mime(
        "From: a@b.example\nSubject: cp\nContent-Type: text/plain; charset=utf-8",
        "It\u2019s \u201cbroken\u201d".encode("cp1252"),
    )
    assert parse_mime(raw).full_text == "It\u2019s \u201cbroken\u201d"


def test_unencoded_8bit_headers() -> None:
    raw = "From: Zoë <zoe@example.com>\r\nSubject: Où est ma commande ?\r\n\r\nBonjour".encode()
    msg = parse_mime(raw)
    assert msg.subject == "Où est ma commande ?"
    assert msg.from_name == "Zoë"


def test_missing_message_id_gets_stable_hash_and_bad_date_is_none() -> None:
    raw = mime("From: a@b.example\nSubject: x\nDate: yesterday-ish", "hello")
    first, second = parse_mime(raw), parse_mime(raw)
    assert first.message_id == second.message_id
    assert first.message_id.startswith("sha256:") and len(first.message_id) == 7 + 64
    assert first.date is None


def test_in_reply_to_and_naive_date() -> None:
    raw = mime(
        "From: a@b.example\nSubject: x\nIn-Reply-To: <abc@shop.example>\nDate: Tue, 2 Jan 2024 10:00:00 -0000",
        "x",
    )
    msg = parse_mime(raw)
    assert msg.in_reply_to == "abc@shop.example"
    assert msg.date == datetime(2024, 1, 2, 10, 0, tzinfo=UTC)


def test_no_from_header() -> None:
    msg = parse_mime(b"Subject: nobody\r\n\r\nhello")
    assert msg.from_email == ""
    assert msg.from_name is None
    assert msg.new_text == "hello"


# ---------------------------------------------------------------------------------------------
# Reply stripping
# ---------------------------------------------------------------------------------------------


def test_english_reply_with_quoted_history() -> None:
    text = (
        "Still nothing. Where is my order?\n\n"
        "On Mon, Jan 1, 2024 at 10:00 AM Bakery <shop@bakery.example>\nwrote:\n"
        "> Your order #1001 has shipped.\n> Thanks for shopping!\n"
    )
    assert extract_new_text(text) == "Still nothing. Where is my order?"


def test_french_reply_header() -> None:
    text = (
        "Le colis est arrivé abîmé.\n\n"
        "Le lun. 1 janv. 2024 à 10:00, Boulangerie <shop@bakery.example> a écrit :\n"
        "> Votre commande est partie.\n"
    )
    assert extract_new_text(text) == "Le colis est arrivé abîmé."


def test_german_reply_header() -> None:
    text = (
        "Ich warte immer noch auf meine Bestellung.\n\n"
        "Am 01.01.2024 um 10:00 schrieb Bäckerei <shop@bakery.example>:\n"
        "> Ihre Bestellung wurde versandt.\n"
    )
    assert extract_new_text(text) == "Ich warte immer noch auf meine Bestellung."


def test_spanish_reply_header() -> None:
    text = "No ha llegado nada.\n\nEl lun, 1 ene 2024 a las 10:00, Tienda (<t@x.example>) escribió:\n> Enviado.\n"
    assert extract_new_text(text) == "No ha llegado nada."


def test_outlook_style_reply() -> None:
    text = (
        "I want a full refund immediately.\r\n\r\n"
        "________________________________\r\n"
        "From: Bakery <shop@bakery.example>\r\n"
        "Sent: Monday, January 1, 2024 10:00 AM\r\n"
        "To: Jane Doe <jane@customer.example>\r\n"
        "Subject: Your order\r\n\r\n"
        "Your order has shipped.\r\n"
    )
    assert extract_new_text(text) == "I want a full refund immediately."


def test_outlook_header_block_without_rule_and_in_german() -> None:
    text = "Das ist das dritte Mal!\n\nVon: Shop <s@x.example>\nGesendet: Montag, 1. Januar 2024\nAn: ich\n\nalt"
    assert extract_new_text(text) == "Das ist das dritte Mal!"


def test_original_message_and_forwarded() -> None:
    assert extract_new_text("See below.\n-----Original Message-----\nFrom: x\nold") == "See below."
    assert extract_new_text("FYI\n\nBegin forwarded message:\n\nFrom: x\nold") == "FYI"
    assert extract_new_text("fwd\n---------- Forwarded message ---------\nFrom: x\nold") == "fwd"


def test_signatures() -> None:
    assert extract_new_text("The cake was lovely!\n\nSent from my iPhone") == "The cake was lovely!"
    assert extract_new_text("Broken again.\n-- \nJane Doe\nCEO, Example Ltd\n+1 555 123 4567") == "Broken again."
    assert extract_new_text("Kaputt.\n\nVon meinem iPhone gesendet") == "Kaputt."
    assert extract_new_text("Where is it?\n\nThanks,\nJane\n") == "Where is it?"
    assert extract_new_text("Where is it?\n\nMit freundlichen Grüßen\nHans Müller") == "Where is it?"


LEGAL_FOOTER = (
    "This email and any attachments are confidential and may be legally privileged. If you are not the intended"
    " recipient, please notify us and delete it. Any unauthorised use may be unlawful. We will never ask you to change"
    " bank details by email; such a request may be fraud."
)


@pytest.mark.parametrize(
    "footer",
    [
        LEGAL_FOOTER,
        "DISCLAIMER: The company accepts no liability for viruses. Report phishing to it@example.com.",
        "CONFIDENTIALITY NOTICE - this message may contain privileged information.",
        "The information contained in this e-mail is intended only for the named recipient.",
        "If you have received this email in error, please tell us at once. Fraud warning: check bank details.",
        "Please consider the environment before printing this email.",
    ],
)
def test_a_legal_footer_is_not_the_senders_words(footer: str) -> None:
    """A company's footer is boilerplate full of complaint words ("fraud", "unlawful"): it ends the new text, with
    the signature above it kept, once the sender has written something."""
    text = f"Thanks, Saturday is fine.\n\nJane Smith\nSmith & Partners LLP\n{footer}\nMore footer."
    assert extract_new_text(text) == "Thanks, Saturday is fine.\n\nJane Smith\nSmith & Partners LLP"
    assert extract_new_text(footer) == footer  # nothing above it: not taken for a footer


def test_a_mail_gateways_external_sender_banner_is_dropped_wherever_it_is() -> None:
    banner = ("CAUTION: This email originated from outside of the organisation. Do not click links or open\n"
              "attachments unless you recognise the sender. Report phishing with the button.")
    assert extract_new_text(f"{banner}\n\nWhere is my order?") == "Where is my order?"
    assert extract_new_text("[EXTERNAL] This email came from an external sender.\nWhere is my order?") == (
        "Where is my order?")
    assert extract_new_text(f"Where is my order?\n\n{banner}") == "Where is my order?"
    assert extract_new_text(f"{banner}\nThe link you sent doesn't work.") == "The link you sent doesn't work."


@pytest.mark.parametrize(
    "text",
    [
        "The box was damaged.\nThis message is intended for the owner, not the courier: please read it.",
        "Hi!\nThis message is from outside the UK, sorry for my English. The parcel is late.",
        "Where is it?\nThe contents of the box were crushed, and the message on the card was smudged.",
    ],
)
def test_the_senders_own_words_about_messages_are_kept(text: str) -> None:
    assert extract_new_text(text) == text


def test_closing_alone_is_kept() -> None:
    assert extract_new_text("Thank you!") == "Thank you!"


def test_inline_reply_below_quote_is_kept() -> None:
    text = "On 1 Jan 2024, Shop <s@x.example> wrote:\n> When would you like delivery?\nSaturday please.\n"
    assert extract_new_text(text) == "Saturday please."


def test_prose_that_looks_like_an_attribution_is_kept() -> None:
    text = "On Monday I wrote:\nplease cancel. Nobody answered."
    assert extract_new_text(text) == text


def test_dash_lists_are_not_signatures() -> None:
    text = "Missing items:\n- 2 croissants\n- 1 baguette"
    assert extract_new_text(text) == text


def test_reply_email_end_to_end_shrinks_the_text() -> None:
    raw = mime(
        "From: Jane <jane@customer.example>\nSubject: Re: Your order\nIn-Reply-To: <o1@bakery.example>",
        "This is the third time I ask. Where is my refund?\n\n"
        "On Tue, 2 Jan 2024 at 09:00, Bakery <shop@bakery.example> wrote:\n"
        + "".join(f"> line {n} of the long history we sent earlier\n" for n in range(40)),
    )
    msg = parse_mime(raw)
    assert msg.new_text == "This is the third time I ask. Where is my refund?"
    assert len(msg.full_text) > 10 * len(msg.new_text)


# ---------------------------------------------------------------------------------------------
# Never raises
# ---------------------------------------------------------------------------------------------

HEADER_LINES = st.sampled_from(
    [
        b"From: =?utf-8?b?broken",
        b"From: <>",
        b"From: a@b.example",
        b"Subject: =?x-unknown?q?=FF?=",
        b"Content-Type: multipart/mixed; boundary=b",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b",
        b"Content-Type: text/html; charset=utf-16",
        b"Content-Type: text/plain; charset=zlib",
        b"Content-Transfer-Encoding: base64",
        b"Content-Transfer-Encoding: quoted-printable",
        b"Date: Mon, 99 Foo 2024 99:99:99 +9999",
        b"Message-ID: <<>>",
        b"Auto-Submitted: ;;",
        b"To: ,,,@,",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_parse_mime_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    msg = parse_mime(raw)
    assert isinstance(msg, InboundEmail)
    assert msg.kind in {"customer", "bounce", "complaint", "auto_reply", "bulk", "no_reply"}
    json.dumps([msg.new_text, msg.full_text, msg.subject, msg.from_name, msg.headers])  # all encodable


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(HEADER_LINES, max_size=6), st.binary(max_size=1000), st.sampled_from([b"\r\n", b"\n"]))
def test_parse_mime_never_raises_on_mime_shaped_bytes(headers: list[bytes], body: bytes, eol: bytes) -> None:
    raw = eol.join(headers) + eol + eol + b"--b" + eol + body + eol + b"--b"
    msg = parse_mime(raw)
    json.dumps([msg.new_text, msg.full_text, msg.subject, msg.from_name, msg.headers])


def test_postmark_raw_email_with_lone_surrogate_does_not_raise() -> None:
    msg = parse_postmark(
        {"RawEmail": "From: a@b.example\r\nSubject: s\ud800\r\n\r\nbody \ud800 text", "MessageID": "m1"}
    )
    assert msg.from_email == "a@b.example"
    assert "body" in msg.new_text
    json.dumps([msg.subject, msg.new_text])


def test_html_to_text_survives_broken_markup() -> None:
    assert html_to_text("<div><p>Box <b>crushed<p>again</div></span></blockquote>&amp") == "Box crushed\nagain\n&"
