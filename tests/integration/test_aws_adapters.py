"""The AWS adapters against a real moto server over HTTP, on resources made from infra/resources.yaml."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters.aws.clients import AwsClients, RetryPolicy
from chalicelib.adapters.aws.dynamodb import (
    DeliveryDedupe,
    DynamoTable,
    SendClaims,
    SendInProgress,
)
from chalicelib.adapters.aws.observability import Observability
from chalicelib.adapters.aws.ses import SesMailer
from chalicelib.adapters.aws.sns import SnsOwnerAlerter
from chalicelib.adapters.aws.sqs import SqsDeliveryInbox, delivery_from_message, delivery_from_record
from chalicelib.adapters.aws.ssm import SsmSecrets
from chalicelib.domain.state import AbandonedCartSequence
from chalicelib.ports import Delivery, IntakeUnavailable, OutgoingEmail, OwnerAlertMessage

from .moto_fixtures import AwsWorld, _free_port, ses_sent, sns_sms, sns_topic_notifications
from .stack import REGION

pytestmark = pytest.mark.integration

NOW = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


def operations(client: Any) -> list[str]:
    """Record the API operations a client makes from now on."""
    seen: list[str] = []
    client.meta.events.register("before-call", lambda model, **_: seen.append(model.name))
    return seen


def delivery(delivery_id: str | None = None, body: bytes = b'{"id": 1}') -> Delivery:
    return Delivery(
        delivery_id=delivery_id or f"shopify:{uuid.uuid4()}",
        source="shopify",
        topic="checkouts/create",
        body=body,
        received_at=NOW,
        shop="rosies-bakery.myshopify.com",
    )


def inbox(aws: AwsWorld, queue_url: str | None = None, table: str | None = None) -> SqsDeliveryInbox:
    dedupe = DeliveryDedupe(DynamoTable(aws.clients.dynamodb, table or aws.stack.table))
    return SqsDeliveryInbox(aws.clients.sqs, queue_url or aws.stack.queue_url, dedupe)


def receive_all(aws: AwsWorld, url: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    while True:
        got = aws.clients.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, AttributeNames=["All"]
        ).get("Messages", [])
        if not got:
            return messages
        for message in got:
            aws.clients.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        messages += got


# --- clients: botocore retries throttling itself -------------------------------------------------
def test_clients_retry_throttling_with_botocore_standard_mode(aws: AwsWorld) -> None:
    clients = AwsClients(region=REGION, policy=RetryPolicy(max_attempts=4))
    ddb = clients.dynamodb
    assert ddb.meta.config.retries == {"mode": "standard", "total_max_attempts": 4}
    from botocore.awsrequest import AWSResponse, HTTPHeaders

    calls = {"n": 0}

    class Raw:
        def stream(self, **_: Any) -> Any:
            return iter([b""])

    def throttle_twice(request: Any, **_: Any) -> AWSResponse | None:
        calls["n"] += 1
        if calls["n"] <= 2:
            body = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                               "message": "Rate exceeded"}).encode()
            headers = HTTPHeaders()
            headers["x-amzn-ErrorType"] = "ThrottlingException"
            response = AWSResponse(request.url, 400, headers, Raw())
            response._content = body  # type: ignore[attr-defined]
            return response
        return None

    ddb.meta.events.register("before-send.dynamodb.DescribeTable", throttle_twice)
    table = ddb.describe_table(TableName=aws.stack.table)["Table"]
    assert table["TableName"] == aws.stack.table
    assert calls["n"] == 3  # two throttled attempts, retried with backoff, then moto answered


# --- DynamoDB: the due-steps index ----------------------------------------------------------------
def sequence(token: str, due: list[datetime], **kw: Any) -> AbandonedCartSequence:
    return AbandonedCartSequence(
        checkout_token=token, email=kw.pop("email", f"{token}@example.com"), started_at=NOW.isoformat(),
        due=tuple(d.isoformat() for d in due), **kw,
    )


def test_sweeper_query_returns_due_steps_never_cancelled_ones(aws: AwsWorld) -> None:
    from chalicelib.adapters.aws.dynamodb import DynamoScheduler
    from chalicelib.ports import ScheduledStep

    scheduler = DynamoScheduler(DynamoTable(aws.clients.dynamodb, aws.stack.table))
    hour = timedelta(hours=1)

    def plan(key: str, due: datetime, group: str | None = None) -> None:
        scheduler.schedule(ScheduledStep("abandoned_cart", key, due.isoformat(), {"checkout_token": key},
                                         f"{key}@example.com", group or key))

    plan("due", NOW - hour)
    plan("due-other-tz", (NOW - 2 * hour).astimezone(timezone_plus(5)))
    plan("future", NOW + hour)
    plan("cancelled", NOW - hour)
    assert scheduler.cancel("abandoned_cart", group="cancelled") == 1

    seen = operations(aws.clients.dynamodb)
    found = scheduler.claim_due(NOW)
    assert [s.key for s in found] == ["due-other-tz", "due"]  # oldest due first
    assert "Scan" not in seen and "Query" in seen
    assert scheduler.claim_due(NOW) == []  # claimed: nobody else gets them
    for step in found:
        scheduler.complete(step)
    assert [s.key for s in scheduler.claim_due(NOW + 2 * hour)] == ["future"]

def timezone_plus(hours: int) -> Any:
    from datetime import timezone

    return timezone(timedelta(hours=hours))


def test_table_has_ttl_and_sparse_keys_only_indexes(aws: AwsWorld) -> None:
    ddb = aws.clients.dynamodb
    ttl = ddb.describe_time_to_live(TableName=aws.stack.table)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at" and ttl["TimeToLiveStatus"] == "ENABLED"
    indexes = ddb.describe_table(TableName=aws.stack.table)["Table"]["GlobalSecondaryIndexes"]
    assert {i["IndexName"] for i in indexes} == {"due_steps", "by_customer", "by_cart_token", "by_checkout_id",
                                                   "by_customer_id"}
    assert all(i["Projection"]["ProjectionType"] == "KEYS_ONLY" for i in indexes)


# --- SQS inbox ---------------------------------------------------------------------------------------
def test_inbox_queues_once_and_the_body_round_trips(aws: AwsWorld) -> None:
    box = inbox(aws)
    d = delivery(body='{"email": "ana@example.com", "note": "caf\u00e9"}'.encode())
    assert box.accept(d) is True
    for _ in range(4):
        assert box.accept(d) is False
    messages = receive_all(aws, aws.stack.queue_url)
    assert len(messages) == 1
    back = delivery_from_message(messages[0]["Body"], messages[0]["Attributes"]["ApproximateReceiveCount"])
    assert back == replace(d, attempts=1)
    assert json.loads(messages[0]["Body"]) == d.to_dict()  # the body is Delivery.to_dict() JSON
    assert box.dedupe.status(d.delivery_id) == "queued"


def test_large_delivery_is_compressed_and_restored(aws: AwsWorld) -> None:
    body = json.dumps({"line_items": [{"title": f"Sourdough loaf {i}", "sku": f"SKU-{i:06d}"}
                                      for i in range(9000)]}).encode()
    assert len(body) > 256 * 1024
    d = delivery(body=body)
    assert inbox(aws).accept(d) is True
    [message] = receive_all(aws, aws.stack.queue_url)
    assert len(message["Body"]) < 256 * 1024
    record = {"body": message["Body"], "attributes": {"ApproximateReceiveCount": "2"}}
    assert delivery_from_record(record) == replace(d, attempts=2)


def test_queue_failure_refuses_the_delivery_and_leaves_no_dedupe_record(aws: AwsWorld) -> None:
    missing_queue = aws.stack.queue_url + "-gone"
    d = delivery()
    broken = inbox(aws, queue_url=missing_queue)
    with pytest.raises(IntakeUnavailable):
        broken.accept(d)
    assert broken.dedupe.status(d.delivery_id) is None  # never half-stored
    # Shopify retries: accepted this time, exactly once.
    assert inbox(aws).accept(d) is True
    assert inbox(aws).accept(d) is False
    assert len(receive_all(aws, aws.stack.queue_url)) == 1


def test_dedupe_store_unavailable_refuses_the_delivery(aws: AwsWorld) -> None:
    with pytest.raises(IntakeUnavailable):
        inbox(aws, table="no-such-table").accept(delivery())
    # Nothing listens on this port: connection refused, retried, then IntakeUnavailable (503).
    dead = AwsClients(region=REGION, policy=RetryPolicy(max_attempts=2, connect_timeout=0.5, read_timeout=1))
    dead._session = None
    import boto3

    session = boto3.session.Session(region_name=REGION)
    client = session.client("dynamodb", endpoint_url=f"http://127.0.0.1:{_free_port()}",
                            config=dead.policy.botocore_config())
    unreachable = SqsDeliveryInbox(aws.clients.sqs, aws.stack.queue_url, DeliveryDedupe(DynamoTable(client, "x")))
    with pytest.raises(IntakeUnavailable):
        unreachable.accept(delivery())
    assert receive_all(aws, aws.stack.queue_url) == []


def test_stale_pending_record_is_taken_over(aws: AwsWorld) -> None:
    """If removing the dedupe record failed too, the sender's later retry is still accepted."""
    table = DynamoTable(aws.clients.dynamodb, aws.stack.table)
    clock = {"now": NOW}
    dedupe = DeliveryDedupe(table, clock=lambda: clock["now"])
    assert dedupe.claim("shopify:stuck") is True  # writer died before queueing or cleaning up
    assert dedupe.claim("shopify:stuck") is None  # in flight: the route answers 503
    clock["now"] = NOW + timedelta(minutes=2)
    box = SqsDeliveryInbox(aws.clients.sqs, aws.stack.queue_url, dedupe)
    assert box.accept(delivery("shopify:stuck")) is True


def test_poisoned_message_reaches_the_dead_letter_queue_after_5_receives(aws: AwsWorld) -> None:
    d = delivery()
    assert inbox(aws).accept(d) is True
    sqs = aws.clients.sqs
    receives = 0
    for _ in range(10):
        got = sqs.receive_message(QueueUrl=aws.stack.queue_url, VisibilityTimeout=0, AttributeNames=["All"])
        if not got.get("Messages"):
            break
        receives += 1  # the worker fails: the message is not deleted
    assert receives == 5
    [dead] = receive_all(aws, aws.stack.dlq_url)
    assert delivery_from_message(dead["Body"]).delivery_id == d.delivery_id


# --- SES mailer ----------------------------------------------------------------------------------------
def email(key: str, **kw: Any) -> OutgoingEmail:
    fields: dict[str, Any] = {
        "key": key, "to": "ana@example.com", "subject": f"Your basket at Rosie's {key}", "text": "Hello Ana",
        "from_email": "hello@rosiesbakery.example", "from_name": "Rosie at Rosie's Bakery",
        "reply_to": "help@rosiesbakery.example", "kind": "marketing",
    }
    fields.update(kw)
    return OutgoingEmail(**fields)


def mailer(aws: AwsWorld) -> SesMailer:
    claims = SendClaims(DynamoTable(aws.clients.dynamodb, aws.stack.table), "email")
    return SesMailer(aws.clients.sesv2, claims, aws.stack.configuration_set,
                     unsubscribe_url=lambda m: f"https://api.example/unsubscribe?k={m.key}")


def test_duplicate_sends_give_one_email(aws: AwsWorld) -> None:
    key = f"cart:{uuid.uuid4()}:1"
    calls: list[dict[str, Any]] = []
    aws.clients.sesv2.meta.events.register("provide-client-params.sesv2.SendEmail",
                                           lambda params, **_: calls.append(params))
    m = mailer(aws)
    first = m.send(email(key))
    assert [m.send(email(key)) for _ in range(4)] == [first] * 4
    sent = [s for s in ses_sent(aws.url) if key in s["subject"]]
    assert len(sent) == 1 and sent[0]["id"] == first
    assert len(calls) == 1
    params = calls[0]
    headers = {h["Name"]: h["Value"] for h in params["Content"]["Simple"]["Headers"]}
    assert headers["List-Unsubscribe"].startswith(f"<https://api.example/unsubscribe?k={key}>")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Auto-Submitted"] == "auto-generated"
    assert params["ConfigurationSetName"] == aws.stack.configuration_set
    assert params["ReplyToAddresses"] == ["help@rosiesbakery.example"]
    assert "Rosie at Rosie's Bakery" in params["FromEmailAddress"]


def test_acknowledgement_is_auto_replied_without_unsubscribe(aws: AwsWorld) -> None:
    m = mailer(aws)
    params = m.request(email("ack:1", kind="acknowledgement", headers={"X-Warmline-Key": "ack:1"}))
    headers = {h["Name"]: h["Value"] for h in params["Content"]["Simple"]["Headers"]}
    assert headers == {"X-Warmline-Key": "ack:1", "Auto-Submitted": "auto-replied"}


def test_failed_send_releases_the_claim_so_the_retry_sends(aws: AwsWorld) -> None:
    key = f"ack:{uuid.uuid4()}"
    m = mailer(aws)
    unverified = email(key, from_email="someone@unverified.example", kind="service")
    with pytest.raises(aws.clients.sesv2.exceptions.MessageRejected):
        m.send(unverified)
    assert m.claims.table.get(f"SENT#email#{key}", "CLAIM") is None
    message_id = m.send(email(key, kind="service"))
    assert [s["id"] for s in ses_sent(aws.url) if key in s["subject"]] == [message_id]


def test_claim_held_by_a_live_worker_defers_and_a_dead_ones_is_taken_over(aws: AwsWorld) -> None:
    table = DynamoTable(aws.clients.dynamodb, aws.stack.table)
    clock = {"now": NOW}
    claims = SendClaims(table, "email", clock=lambda: clock["now"])
    assert claims.claim("k1") is None
    with pytest.raises(SendInProgress):
        claims.claim("k1")
    clock["now"] = NOW + timedelta(minutes=16)
    assert claims.claim("k1") is None  # the first worker died mid-send
    claims.complete("k1", "msg-1")
    assert claims.claim("k1") == "msg-1"


# --- SNS alerts ------------------------------------------------------------------------------------------
def test_owner_alert_goes_to_topic_and_phones_once(aws: AwsWorld) -> None:
    key = f"alert:{uuid.uuid4()}"
    phones = ("+447700900123", "+15555550123")
    claims = SendClaims(DynamoTable(aws.clients.dynamodb, aws.stack.table), "alert")
    alerter = SnsOwnerAlerter(aws.clients.sns, claims, aws.stack.topic_arn, phones, shop_name="Rosie's Bakery")
    message = OwnerAlertMessage(
        key=key, short_text=f"Upset customer an***@example.com: 'cake arrived smashed' {key}",
        long_text="Ana (an***@example.com) wrote: the cake arrived smashed...\nScore 0.91",
        level="urgent", review_url="https://api.example/review/1",
    )
    first = alerter.alert(message)
    assert alerter.alert(message) == first
    sms = [s for s in sns_sms(aws.url) if key in s["message"]]
    assert sorted(s["phone_number"] for s in sms) == sorted(phones)
    notes = [n for n in sns_topic_notifications(aws.url, aws.stack.topic_arn) if "Score 0.91" in json.dumps(n)]
    assert len(notes) == 1
    assert "https://api.example/review/1" in json.dumps(notes[0])


def test_failed_sms_is_retried_alone(aws: AwsWorld) -> None:
    key = f"alert:{uuid.uuid4()}"
    claims = SendClaims(DynamoTable(aws.clients.dynamodb, aws.stack.table), "alert")
    good = SnsOwnerAlerter(aws.clients.sns, claims, aws.stack.topic_arn, ("+447700900123",))
    message = OwnerAlertMessage(key=key, short_text=key, long_text=key, level="alert", review_url="")
    bad = SnsOwnerAlerter(aws.clients.sns, claims, aws.stack.topic_arn, ("+447700900123", "not-a-phone"))
    with pytest.raises(aws.clients.sns.exceptions.InvalidParameterException):
        bad.alert(message)
    good.alert(message)
    assert len([n for n in sns_topic_notifications(aws.url, aws.stack.topic_arn) if key in json.dumps(n)]) == 1
    assert len([s for s in sns_sms(aws.url) if key in s["message"]]) == 1


def test_a_watch_item_mails_the_topic_never_a_phone_and_needs_no_topic(aws: AwsWorld) -> None:
    claims = SendClaims(DynamoTable(aws.clients.dynamodb, aws.stack.table), "alert")
    key = f"inbox:{uuid.uuid4().hex}"
    watch = OwnerAlertMessage(key=key, short_text=key, long_text=key, level="watch", review_url="")
    SnsOwnerAlerter(aws.clients.sns, claims, aws.stack.topic_arn, ("+447700900123",)).alert(watch)
    assert len([n for n in sns_topic_notifications(aws.url, aws.stack.topic_arn) if key in json.dumps(n)]) == 1
    assert [s for s in sns_sms(aws.url) if key in s["message"]] == []
    # No topic configured: nothing to mail; the item is in the console's inbox, and the delivery must not fail.
    assert SnsOwnerAlerter(aws.clients.sns, claims, None, ("+447700900123",)).alert(watch) == key
    with pytest.raises(ValueError):  # an alert with nowhere to go is still a mistake in the set-up
        SnsOwnerAlerter(aws.clients.sns, claims, None, ()).alert(
            OwnerAlertMessage(key=key + "a", short_text="a", long_text="a", level="alert", review_url=""))


# --- SSM secrets ----------------------------------------------------------------------------------------
def test_secrets_come_from_securestring_parameters_cached(aws: AwsWorld) -> None:
    ssm = aws.clients.ssm
    secret = f"shpss_{uuid.uuid4().hex}"
    ssm.put_parameter(Name="/warmline/dev/shopify_webhook_secret", Type="SecureString", Value=secret, Overwrite=True)
    refs = {
        "shopify_webhook_secret": {"ssm": "/warmline/dev/shopify_webhook_secret"},
        "stripe_webhook_secret": {"ssm": "/warmline/dev/stripe_webhook_secret"},  # still the placeholder
        "inbound_email_token": {"ssm": "/warmline/dev/never_set"},
    }
    secrets = SsmSecrets(ssm, refs, max_age=300)
    seen = operations(ssm)
    assert secrets.get("shopify_webhook_secret") == secret
    assert secrets.get("shopify_webhook_secret") == secret
    assert seen == ["GetParameter"]  # cached by Powertools
    for name in ("stripe_webhook_secret", "inbound_email_token", "unknown"):
        with pytest.raises(KeyError) as info:
            secrets.get(name)
        assert secret not in str(info.value)


# --- observability --------------------------------------------------------------------------------------
def test_logs_mask_pii_and_metrics_are_emf(capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.StringIO()
    obs = Observability(stream=stream)

    class Context:
        aws_request_id = "req-1"
        function_name = "warmline-dev-HandleDeliveries"
        memory_limit_in_mb = 512

    with obs.invocation(Context(), delivery_id="shopify:abc", shop="rosies-bakery.myshopify.com"):
        obs.info("email queued for ana.lovelace@example.com", phone="+447700900123", secret_token="s3cr3t")
        obs.count("EmailsSent")
        obs.suppressed("frequency_cap")
    line = json.loads(stream.getvalue().splitlines()[0])
    assert line["delivery_id"] == "shopify:abc" and line["shop"] == "rosies-bakery.myshopify.com"
    assert line["function_request_id"] == "req-1" and line["cold_start"] is True
    text = stream.getvalue()
    assert "ana.lovelace@example.com" not in text and "+447700900123" not in text and "s3cr3t" not in text
    emf = [json.loads(x) for x in capsys.readouterr().out.splitlines() if "_aws" in x]
    names = {m["Name"] for e in emf for d in e["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert names == {"EmailsSent", "EmailsSuppressed"}
    assert all(d["Namespace"] == "Warmline" for e in emf for d in e["_aws"]["CloudWatchMetrics"])
    assert any(e.get("reason") == "frequency_cap" for e in emf)


def test_sentiment_counter_reports_degraded_readings_and_billed_comprehend_units(
        capsys: pytest.CaptureFixture[str]) -> None:
    from chalicelib.adapters.aws.observability import DegradedSentimentCounter
    from chalicelib.domain.state import SentimentReading

    class Billing:
        billed_units = 0

        def read(self, text: str, language: str | None = None) -> SentimentReading:
            self.billed_units += max(3, -(-len(text) // 100))
            return SentimentReading("NEGATIVE", 0.0, 0.9, 0.1, 0.0)

        def read_many(self, texts: list[str], language: str | None = None) -> list[SentimentReading]:
            self.billed_units += sum(max(3, -(-len(t) // 100)) for t in texts)
            return [SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, degraded=True) for _ in texts]

    counter = DegradedSentimentCounter(Billing(), Observability(stream=io.StringIO()))
    counter.read("x" * 450)  # 5 units
    counter.read_many(["short", "also short"])  # 3 + 3 units, both degraded
    emf = [json.loads(x) for x in capsys.readouterr().out.splitlines() if "_aws" in x]
    values: dict[str, float] = {}
    for entry in emf:
        for directive in entry["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                value = entry[metric["Name"]]
                values[metric["Name"]] = values.get(metric["Name"], 0) + sum(value if isinstance(value, list)
                                                                             else [value])
    assert values == {"ComprehendBilledUnits": 11, "SentimentDegraded": 2}
