"""The real Chalice app in aws mode against moto: intake route -> SQS -> worker -> SES / SNS.

Webhooks go through chalice.test.Client's HTTP routes; the queue is drained from
the real (moto) SQS queue into the app's @on_sqs_message handler, deleting what the
handler did not report in batchItemFailures, exactly as Lambda's event source mapping
does; the sweeper is the app's @schedule handler.
"""

from __future__ import annotations

import copy
import io
import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from chalice.test import Client

import app as warmline_app
from chalicelib.adapters.aws.observability import Observability
from chalicelib.bootstrap import Services, build
from chalicelib.config.loader import load_data
from chalicelib.engine.local import sentences
from chalicelib.ingress.signatures import shopify_hmac
from tests.conftest import EXAMPLE_CONFIG, Clock, example_config_data, shared_json

from .moto_fixtures import AwsWorld, ses_sent, sns_sms, sns_topic_notifications
from .stack import ACCOUNT, REGION

pytestmark = pytest.mark.integration

SHOPIFY_SECRET = "shpss_e2e_secret"
EMAIL_TOKEN = "inbound-e2e-token"
START = datetime.fromisoformat("2021-12-31T19:05:00-05:00")  # five minutes after the fixture's checkout


API_URL = "https://e2e123.execute-api.eu-west-1.amazonaws.com/api"


def aws_services(world: AwsWorld, clock: Clock, **config_changes: Any) -> Services:
    """The app as deployed: secrets written the way `make secrets` writes them, the template's environment."""
    from chalicelib.adapters.aws.preflight import put_secrets

    config = load_data(example_config_data(quiet_hours=None, **config_changes), EXAMPLE_CONFIG.parent)
    put_secrets(world.clients.ssm, config, "dev", {"shopify_webhook_secret": SHOPIFY_SECRET,
                                                 "stripe_webhook_secret": "whsec_e2e",
                                                 "inbound_email_token": EMAIL_TOKEN,
                                                 "link_signing_key": "link-key-e2e-0123456789"})
    env = world.stack.environment(API_URL)
    services = build(config, mode="aws", clock=clock, environ=env,
                     overrides={"clients": world.clients, "intake_clients": world.clients,
                                "observability": Observability(stream=io.StringIO())})
    # chalice.test's Lambda context says 3 s are left from the start (Lambda: 60 s); moto calls are slow enough
    # that a batch could use 2 s here. The cut-off itself is tested in test_aws_operations.py.
    services.extras["min_remaining_ms"] = 0
    return services


@pytest.fixture
def client(aws: AwsWorld) -> Iterator[tuple[Client, Services, Clock]]:
    clock = Clock(START)
    services = aws_services(aws, clock)
    warmline_app.use(services)
    try:
        with Client(warmline_app.app) as test_client:
            yield test_client, services, clock
    finally:
        warmline_app.use(None)


def post_shopify(client: Client, topic: str, payload: dict[str, Any], webhook_id: str) -> Any:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json", "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": "rosies-bakery.myshopify.com",
        "X-Shopify-Hmac-Sha256": shopify_hmac(SHOPIFY_SECRET, body),
        "X-Shopify-Webhook-Id": webhook_id, "X-Shopify-Event-Id": str(uuid.uuid4()),
        "X-Shopify-Triggered-At": START.isoformat(),
    }
    return client.http.post("/webhooks/shopify", headers=headers, body=body)


def upset_email(sender: str) -> dict[str, Any]:
    payload: dict[str, Any] = copy.deepcopy(shared_json("email/postmark/postmark-inbound-test-payload.json"))
    payload.update({
        "From": sender, "FromName": "Ana Customer", "FromFull": {"Email": sender, "Name": "Ana Customer"},
        "Subject": "My daughter's birthday cake arrived smashed",
        "TextBody": ("This is absolutely unacceptable. The cake arrived completely smashed and the birthday "
                     "is ruined. I am furious and I want a refund today. Nobody answers the phone."),
        "HtmlBody": "", "StrippedTextReply": "", "MessageID": str(uuid.uuid4()), "Headers": [], "ReplyTo": "",
        "Date": START.strftime("%a, %d %b %Y %H:%M:%S %z"),
    })
    return payload


def drain(client: Client, aws: AwsWorld) -> list[str]:
    """Run the worker over the queue as Lambda would; returns the message ids it reported failed."""
    failed: list[str] = []
    sqs = aws.clients.sqs
    while True:
        got = sqs.receive_message(QueueUrl=aws.stack.queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30,
                                  AttributeNames=["All"]).get("Messages", [])
        if not got:
            return failed
        event = {"Records": [{
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
            "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
            "eventSource": "aws:sqs", "awsRegion": REGION,
            "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{aws.stack.queue_url.rsplit('/', 1)[1]}",
        } for m in got]}
        try:
            response = client.lambda_.invoke("process_deliveries", event)
            failures = {f["itemIdentifier"] for f in response.payload.get("batchItemFailures", [])}
        except BatchProcessingError:  # every record failed: the invocation fails, all come back
            failures = {m["MessageId"] for m in got}
        failed += sorted(failures)
        for m in got:
            if m["MessageId"] not in failures:
                sqs.delete_message(QueueUrl=aws.stack.queue_url, ReceiptHandle=m["ReceiptHandle"])
            else:
                sqs.change_message_visibility(QueueUrl=aws.stack.queue_url, ReceiptHandle=m["ReceiptHandle"],
                                              VisibilityTimeout=0)
        if failures:
            return failed


def test_upset_email_alerts_the_owner_and_acknowledges_once(client: tuple[Client, Services, Clock],
                                                           aws: AwsWorld) -> None:
    test_client, services, _clock = client
    sender = f"ana.{uuid.uuid4().hex[:8]}@example.com"
    payload = json.dumps(upset_email(sender)).encode()
    for _ in range(3):  # the provider retries the same message
        response = test_client.http.post(f"/webhooks/email/{EMAIL_TOKEN}", body=payload,
                                         headers={"Content-Type": "application/json"})
        assert response.status_code == 200, response.body
    assert drain(test_client, aws) == []

    to_ana = [m for m in ses_sent(aws.url) if sender in json.dumps(m["destinations"])]
    assert len(to_ana) == 1  # one acknowledgement, whatever the retries
    assert "Rosie" in to_ana[0]["source"]
    sms = [s for s in sns_sms(aws.url) if s["phone_number"] == "+447911123456"]
    alerts = [n for n in sns_topic_notifications(aws.url, aws.stack.topic_arn)]
    assert len(alerts) == 1 and sms, "the owner is alerted by the topic and by text"
    # Their most upset sentence (as the engine reads it), in short.
    body = json.loads(payload)["TextBody"]
    assert any(sentence[:20] in json.dumps(alerts) for sentence in sentences(body))
    kinds = [e["decision"] for e in services.log.recent()]
    assert "AlertOwner" in kinds and "SendEmail" in kinds


def test_checkout_sequence_sends_due_step_and_never_a_cancelled_one(client: tuple[Client, Services, Clock],
                                                                   aws: AwsWorld) -> None:
    test_client, services, clock = client
    checkout = shared_json("shopify/checkouts_create.json")
    kept = {**checkout, "token": f"keep{uuid.uuid4().hex[:8]}", "cart_token": uuid.uuid4().hex, "name": "#1001",
            "email": f"kim.{uuid.uuid4().hex[:6]}@example.com"}
    cancelled = {**checkout, "token": f"gone{uuid.uuid4().hex[:8]}", "cart_token": uuid.uuid4().hex, "name": "#1002",
                 "email": f"lee.{uuid.uuid4().hex[:6]}@example.com"}
    for payload in (kept, cancelled):
        webhook_id = str(uuid.uuid4())
        for _ in range(2):  # a duplicate delivery is acknowledged and not queued again
            assert post_shopify(test_client, "checkouts/create", payload, webhook_id).status_code == 200
    deleted = {"id": 1002, "cart_token": cancelled["cart_token"]}
    assert post_shopify(test_client, "checkouts/delete", deleted, str(uuid.uuid4())).status_code == 200
    assert drain(test_client, aws) == []
    assert services.store.get_sequence(kept["token"]) is not None

    clock.advance(hours=2)
    tick = test_client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                resources=[])
    for _ in range(2):  # the sweeper runs again before the next step: nothing more is sent
        test_client.lambda_.invoke("send_due_reminders", tick)
    sent = ses_sent(aws.url)
    assert len([m for m in sent if kept["email"] in json.dumps(m["destinations"])]) == 1
    assert not [m for m in sent if cancelled["email"] in json.dumps(m["destinations"])]
    assert services.store.get_sequence(cancelled["token"]).status != "active"  # type: ignore[union-attr]


def test_a_poisoned_delivery_is_reported_alone_and_ends_in_the_dead_letter_queue(
        client: tuple[Client, Services, Clock], aws: AwsWorld) -> None:
    test_client, _services, _clock = client
    sqs = aws.clients.sqs
    poison = {"delivery_id": "shopify:poison", "source": "shopify", "topic": "checkouts/create",
              "body": "{not json", "received_at": START.isoformat(), "shop": None, "triggered_at": None,
              "attempts": 0}
    sqs.send_message(QueueUrl=aws.stack.queue_url, MessageBody=json.dumps(poison))
    for attempt in range(1, 6):
        failed = drain(test_client, aws)
        assert len(failed) == 1, f"receive {attempt}: the poisoned message is reported failed"
    assert sqs.receive_message(QueueUrl=aws.stack.queue_url, VisibilityTimeout=0).get("Messages") is None
    dead = sqs.receive_message(QueueUrl=aws.stack.dlq_url).get("Messages", [])
    assert [json.loads(m["Body"])["delivery_id"] for m in dead] == ["shopify:poison"]


def test_intake_answers_503_and_stores_nothing_when_the_queue_is_down(client: tuple[Client, Services, Clock],
                                                                      aws: AwsWorld) -> None:
    test_client, services, _clock = client
    inbox: Any = services.inbox
    inbox.queue_url = aws.stack.queue_url + "-missing"
    webhook_id = str(uuid.uuid4())
    response = post_shopify(test_client, "checkouts/create", shared_json("shopify/checkouts_create.json"), webhook_id)
    assert response.status_code == 503
    assert json.loads(response.body)["error"]
    assert inbox.dedupe.status(f"shopify:{webhook_id}") is None
    inbox.queue_url = aws.stack.queue_url  # SQS is back: Shopify's retry is accepted
    response = post_shopify(test_client, "checkouts/create", shared_json("shopify/checkouts_create.json"), webhook_id)
    assert response.status_code == 200



def test_comprehend_engine_is_wired_with_a_single_attempt_client_and_the_local_fallback(aws: AwsWorld) -> None:
    """The adapter's own retry loop is the only one: botocore must not retry Comprehend underneath it."""
    from chalicelib.adapters.aws.comprehend import ComprehendAnalyzer
    from chalicelib.engine.local import LocalSentimentAnalyzer

    env = {"WARMLINE_MODE": "aws", "AWS_REGION": REGION, "WARMLINE_TABLE": aws.stack.table,
           "WARMLINE_QUEUE_URL": aws.stack.queue_url, "WARMLINE_API_URL": API_URL}
    config = load_data(example_config_data(sentiment={"engine": "comprehend", "language": "en"}),
                       EXAMPLE_CONFIG.parent)
    services = build(config, mode="aws", environ=env,
                     overrides={"clients": aws.clients, "intake_clients": aws.clients,
                                "observability": Observability(stream=io.StringIO())})
    inner = services.analyzer.analyzer  # type: ignore[attr-defined]  # inside the degraded-reading counter
    assert isinstance(inner, ComprehendAnalyzer) and isinstance(inner._fallback, LocalSentimentAnalyzer)
    client = inner._client._clients.client("comprehend")
    assert client.meta.config.retries["total_max_attempts"] == 1
