"""The owner services on the moto-backed AWS stack: the same actions as on the laptop.

held -> approve sends through SES; `warmline --stage dev held` lists the held email from DynamoDB;
a personal reply goes through SES threaded; the console's sessions and the alert budget live in the
table; dead letters are read from and retried onto the real (moto) SQS queues.
"""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import redirect_stdout
from typing import Any

import pytest
from chalice.test import Client

import app as warmline_app
from chalicelib.adapters.aws.observability import Observability
from chalicelib.bootstrap import Services, build
from chalicelib.cli import main
from chalicelib.config.loader import load_data
from chalicelib.owner.services import Actor
from chalicelib.owner.wiring import console_auth, owner_services
from tests.conftest import EXAMPLE_CONFIG, Clock, example_config_data

from .moto_fixtures import AwsWorld, ses_sent
from .stack import REGION
from .test_aws_end_to_end import EMAIL_TOKEN, START, drain, upset_email

pytestmark = pytest.mark.integration
OWNER = Actor("rosie", "test")
API_URL = "https://owner123.execute-api.eu-west-1.amazonaws.com/api"  # the stack output ApiUrl


def stack_env(aws: AwsWorld) -> dict[str, str]:
    return {"WARMLINE_STAGE": "dev", "AWS_REGION": REGION, "WARMLINE_TABLE": aws.stack.table,
            "WARMLINE_QUEUE_URL": aws.stack.queue_url, "WARMLINE_ALERTS_TOPIC_ARN": aws.stack.topic_arn,
            "WARMLINE_SES_CONFIGURATION_SET": aws.stack.configuration_set, "WARMLINE_API_URL": API_URL}


@pytest.fixture
def pilot(aws: AwsWorld) -> Iterator[tuple[Client, Services, Clock]]:
    for name, value in (("shopify_webhook_secret", "shpss_owner"), ("stripe_webhook_secret", "whsec_owner"),
                        ("inbound_email_token", EMAIL_TOKEN), ("link_signing_key", "owner-link-key-0123456789")):
        aws.clients.ssm.put_parameter(Name=f"/warmline/dev/{name}", Type="SecureString", Value=value, Overwrite=True)
    clock = Clock(START)
    config = load_data(example_config_data(quiet_hours=None, pilot=True), EXAMPLE_CONFIG.parent)
    services = build(config, mode="aws", clock=clock, environ={"WARMLINE_MODE": "aws", **stack_env(aws)},
                     overrides={"clients": aws.clients, "intake_clients": aws.clients,
                                "observability": Observability(stream=io.StringIO())})
    warmline_app.use(services)
    try:
        with Client(warmline_app.app) as client:
            yield client, services, clock
    finally:
        warmline_app.use(None)


def send_upset(client: Client, aws: AwsWorld, sender: str, message_id: str | None = None) -> None:
    payload = upset_email(sender)
    if message_id:
        payload["Headers"] = [{"Name": "Message-ID", "Value": f"<{message_id}>"}]
    response = client.http.post(f"/webhooks/email/{EMAIL_TOKEN}", body=json.dumps(payload).encode(),
                                headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.body
    assert drain(client, aws) == []


def sent_to(url: str, address: str) -> list[dict[str, Any]]:
    return [m for m in ses_sent(url) if address in json.dumps(m)]


def cli(aws: AwsWorld, *argv: str) -> tuple[int, str]:
    saved = {k: os.environ.get(k) for k in stack_env(aws)}
    os.environ.update(stack_env(aws))
    out = io.StringIO()
    try:
        with redirect_stdout(out):
            code = main([*argv, "--config", str(EXAMPLE_CONFIG)])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue()


def test_held_then_approved_sends_through_ses_and_the_cli_reaches_the_stage(
        pilot: tuple[Client, Services, Clock], aws: AwsWorld) -> None:
    client, services, _clock = pilot
    sender = f"ana.{uuid.uuid4().hex[:8]}@example.com"
    send_upset(client, aws, sender)
    assert sent_to(aws.url, sender) == []  # pilot mode: held
    code, out = cli(aws, "--stage", "dev", "held")
    assert code == 0, out
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert line["to"] == sender and line["key"].startswith("ack:")
    owner = owner_services(services)
    result = owner.approve(line["key"], OWNER, "aws-approve-1")
    assert result["outcome"] == "sent" and owner.approve(line["key"], OWNER, "aws-approve-1")["repeated"]
    assert len(sent_to(aws.url, sender)) == 1 and services.store.held_emails() == []
    code, out = cli(aws, "held", "--stage", "dev")
    assert code == 0 and out.strip() == ""
    code, out = cli(aws, "--stage", "dev", "log", "--limit", "50")
    assert any(json.loads(x).get("decision") == "ApproveHeld" and json.loads(x).get("by") == "rosie"
               for x in out.splitlines())


def test_a_personal_reply_goes_through_ses_threaded_and_the_inbox_lives_in_dynamodb(
        pilot: tuple[Client, Services, Clock], aws: AwsWorld) -> None:
    client, services, _clock = pilot
    sender = f"ben.{uuid.uuid4().hex[:8]}@example.com"
    send_upset(client, aws, sender, message_id="ben-1@mail.example")
    owner = owner_services(services)
    (row,) = [r for r in owner.attention() if r.kind == "message"]
    assert row.email == sender and row.level in ("alert", "urgent")
    item = owner.item(row.key)
    assert "smashed" in item["text"] and item["suggested_reply"]
    mailer: Any = services.mailer
    requests: list[dict[str, Any]] = []
    real_send = mailer.send

    def spy(message: Any) -> str:  # what SES is asked (moto keeps no headers)
        requests.append(mailer.request(message))
        return str(real_send(message))

    mailer.send = spy
    owner.reply(row.key, "Ben, I'm so sorry about the cake. A new one is on its way today.", OWNER, "r-1")
    owner.reply(row.key, "Ben, I'm so sorry about the cake. A new one is on its way today.", OWNER, "r-1")
    (mail,) = sent_to(aws.url, sender)
    raw = json.dumps(mail)
    assert "A new one is on its way" in raw and "automated" not in raw
    (request,) = requests
    assert "<ben-1@mail.example>" in json.dumps(request) and "In-Reply-To" in json.dumps(request)
    assert [r for r in owner.attention() if r.kind == "message"] == []
    # sessions on DynamoDB: a link works once
    auth = console_auth(services)
    url = auth.signin_url()
    from urllib.parse import parse_qs, urlparse

    q = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    session = auth.exchange(q["u"], q["n"], q["t"])
    assert session is not None and auth.session(session) is not None
    assert auth.exchange(q["u"], q["n"], q["t"]) is None
    assert auth.revoke(session) and auth.session(session) is None
    # a Shopify redact request removes the customer's desk records with the rest (the by_customer index)
    from chalicelib.domain.decisions import ForgetCustomer

    assert owner.recent_messages()
    services.executor.execute([ForgetCustomer(sender, None, (), "customers/redact")], {})
    assert owner.recent_messages() == [] and owner.attention() == []


def test_automatic_emails_turned_off_from_the_cli_hold_on_dynamodb_and_stop_even_a_held_acknowledgement(
        pilot: tuple[Client, Services, Clock], aws: AwsWorld) -> None:
    client, services, _clock = pilot
    sender = f"cat.{uuid.uuid4().hex[:8]}@example.com"
    code, out = cli(aws, "--stage", "dev", "automatic", sender, "off", "--why", "asked by phone")
    assert code == 0 and out.startswith("Off since ") and "asked by phone" in out, out
    customer = services.store.get_customer(sender)  # read back from the DynamoDB table
    assert customer is not None and customer.automatic_off and "asked by phone" in customer.automatic_off_why
    send_upset(client, aws, sender)
    assert services.store.held_emails() == [] and sent_to(aws.url, sender) == []  # not even held for approval
    code, out = cli(aws, "--stage", "dev", "log", "--limit", "50")
    logged = [json.loads(x) for x in out.splitlines()]
    assert any(e.get("decision") == "Suppress" and e.get("code") == "automatic_off" for e in logged)
    assert any(e.get("decision") == "AutomaticEmails" and e.get("outcome") == "off" for e in logged)
    code, out = cli(aws, "--stage", "dev", "automatic", sender, "on")
    assert code == 0 and out.startswith("On: "), out
    customer = services.store.get_customer(sender)
    assert customer is not None and customer.automatic_off is None


def test_dead_letters_are_listed_and_retried_from_the_sqs_dead_letter_queue(
        pilot: tuple[Client, Services, Clock], aws: AwsWorld) -> None:
    _client, services, _clock = pilot
    from chalicelib.adapters.aws.sqs import delivery_message
    from chalicelib.ports import Delivery

    dlq = aws.stack.dlq_url
    body = delivery_message(Delivery("shopify:dead-1", "shopify", "orders/create", b"{}", START))
    aws.clients.sqs.send_message(QueueUrl=dlq, MessageBody=body)
    owner = owner_services(services)
    assert [d["delivery_id"] for d in owner.dead_letter_list()] == ["shopify:dead-1"]
    owner.retry_dead_letter("shopify:dead-1", OWNER)
    got = aws.clients.sqs.receive_message(QueueUrl=aws.stack.queue_url, MaxNumberOfMessages=10,
                                          WaitTimeSeconds=0).get("Messages", [])
    assert any("shopify:dead-1" in m["Body"] for m in got)


def test_the_stage_is_found_from_the_stacks_outputs(pilot: tuple[Client, Services, Clock], aws: AwsWorld) -> None:
    """`--stage qa` with no table or queue in the environment: the names come from warmline-qa's outputs."""
    outputs = {"StateTableName": aws.stack.table, "DeliveryQueueUrl": aws.stack.queue_url,
               "AlertsTopicArn": aws.stack.topic_arn, "EmailConfigurationSetName": aws.stack.configuration_set,
               "ApiUrl": API_URL}
    name = f"warmline-qa{uuid.uuid4().hex[:6]}"
    marker = {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x", "Name": f"/{name}/m"}}
    template = {"Resources": {"Marker": marker}, "Outputs": {k: {"Value": v} for k, v in outputs.items()}}
    aws.clients.client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))
    aws.clients.ssm.put_parameter(Name=f"/warmline/{name.removeprefix('warmline-')}/link_signing_key",
                                  Type="SecureString", Value="qa-link-key-0123456789", Overwrite=True)
    saved = {k: os.environ.pop(k, None) for k in stack_env(aws)}
    os.environ["AWS_REGION"] = REGION
    out = io.StringIO()
    try:
        with redirect_stdout(out):
            code = main(["--stage", name.removeprefix("warmline-"), "console-link", "--config", str(EXAMPLE_CONFIG)])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert code == 0 and f"{API_URL}/console/signin?u=owner" in out.getvalue()
