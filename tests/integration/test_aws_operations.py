"""Issue 10: Warmline on AWS, ready for a real shop. One test (or a few) per numbered defect.

Everything AWS runs against the moto server on 127.0.0.1 with resources made from
infra/resources.yaml; the real Chalice app is driven through chalice.test.Client.
"""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml  # type: ignore[import-untyped]
from chalice.test import Client

import app as warmline_app
from chalicelib.adapters.aws.observability import Observability
from chalicelib.adapters.aws.preflight import (
    PreflightProblem,
    doctor,
    link_base_problems,
    put_secrets,
    secret_problems,
)
from chalicelib.adapters.aws.sms import is_gsm7, segments
from chalicelib.adapters.aws.sns import SnsOwnerAlerter, sms_text
from chalicelib.adapters.aws.wiring import AwsSettingsMissing
from chalicelib.bootstrap import build
from chalicelib.cli import main
from chalicelib.config.loader import load_data
from chalicelib.domain.decisions import AlertOwner, SendEmail, Suppress
from chalicelib.domain.reason_codes import DIMENSION_VALUES, ReasonCode, reason_code
from chalicelib.ports import OwnerAlertMessage
from tests.conftest import EXAMPLE_CONFIG, ROOT, TEST_SECRETS, Clock, example_config_data, shared_bytes, shared_json

from .moto_fixtures import AwsWorld, new_stack, ses_sent
from .stack import ACCOUNT, REGION
from .test_aws_end_to_end import API_URL, START, aws_services, drain

pytestmark = pytest.mark.integration

RESOURCES = ROOT / "infra" / "resources.yaml"


@pytest.fixture
def app_client(aws: AwsWorld) -> Any:
    clock = Clock(START)
    services = aws_services(aws, clock)
    warmline_app.use(services)
    try:
        with Client(warmline_app.app) as test_client:
            yield test_client, services, clock
    finally:
        warmline_app.use(None)


def owner_with(**changes: Any) -> dict[str, Any]:
    owner: dict[str, Any] = dict(example_config_data()["owner"])
    owner.update(changes)
    return owner


def template() -> dict[str, Any]:
    from cfnlint.decode import decode  # type: ignore[import-untyped]

    decoded, _ = decode(str(RESOURCES))
    plain: dict[str, Any] = json.loads(json.dumps(decoded))
    return plain


# --- 1. links ---------------------------------------------------------------------------------------
def marketing_email(to: str) -> SendEmail:
    return SendEmail(key=f"cart:{uuid.uuid4().hex[:8]}:0", to=to, template="cart_reminder_1", kind="marketing",
                     context={"shop_name": "Rosie's Bakery", "first_name": "Kim", "items": [], "recovery_url": "",
                              "step": 1, "steps": 3, "sign_off": "Rosie", "brand_voice": "warm"},
                     reason="test")


def test_links_on_aws_use_the_stacks_api_url_unless_the_owner_names_a_domain(aws: AwsWorld) -> None:
    services = aws_services(aws, Clock(START))
    email = services.executor.renderer.email(marketing_email("kim@example.com"))
    assert email.headers["List-Unsubscribe"].startswith(f"<{API_URL}/unsubscribe?")
    assert f"Unsubscribe: {API_URL}/unsubscribe?" in email.text
    assert services.links.review_url("k").startswith(f"{API_URL}/review/")
    assert "127.0.0.1" not in email.text

    custom = aws_services(aws, Clock(START), owner=owner_with(review_base_url="https://help.rosiesbakery.example/"))
    assert custom.links.unsubscribe_url("kim@example.com").startswith("https://help.rosiesbakery.example/unsubscribe?")

    env = {k: v for k, v in aws.stack.environment().items() if k != "WARMLINE_API_URL"}
    config = load_data(example_config_data(), EXAMPLE_CONFIG.parent)
    with pytest.raises(AwsSettingsMissing, match="WARMLINE_API_URL"):
        build(config, mode="aws", environ=env, overrides={"clients": aws.clients, "intake_clients": aws.clients,
                                                          "observability": Observability(stream=io.StringIO())})


def test_the_api_function_learns_its_url_from_api_gateways_request_context(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalice.app import Request

    event = {"multiValueQueryStringParameters": None, "headers": {"host": "evil.example"}, "pathParameters": None,
             "requestContext": {"httpMethod": "GET", "resourcePath": "/health", "stage": "api",
                                "domainName": "abc123.execute-api.eu-west-1.amazonaws.com"},
             "body": None, "stageVariables": None}
    monkeypatch.setenv("WARMLINE_MODE", "aws")
    monkeypatch.delenv("WARMLINE_API_URL", raising=False)
    monkeypatch.setattr(warmline_app.app, "current_request", Request(event), raising=False)
    assert warmline_app._environ()["WARMLINE_API_URL"] == "https://abc123.execute-api.eu-west-1.amazonaws.com/api"
    monkeypatch.setenv("WARMLINE_API_URL", "https://from-template.example/api")  # the template's value wins
    assert warmline_app._environ()["WARMLINE_API_URL"] == "https://from-template.example/api"


@pytest.mark.parametrize("base, ok", [
    ("http://127.0.0.1:8000", False), ("https://localhost/x", False), ("https://10.0.0.5", False),
    ("http://help.rosiesbakery.example", False), ("https://help.rosiesbakery.example", True), (None, True),
])
def test_validate_for_a_stage_refuses_a_loopback_or_plain_http_base(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                    base: str | None, ok: bool) -> None:
    owner = owner_with(review_base_url=base) if base else {k: v for k, v in owner_with().items()
                                                            if k != "review_base_url"}
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(example_config_data(owner=owner)))
    assert main(["validate", str(path)]) == 0  # fine on a laptop
    assert main(["validate", "--stage", "dev", str(path)]) == (0 if ok else 1)
    if not ok:
        assert "review_base_url" in capsys.readouterr().err
    config = load_data(example_config_data(owner=owner), EXAMPLE_CONFIG.parent)
    assert bool(link_base_problems(config, "prod")) is (not ok)


def test_make_package_validates_for_the_stage() -> None:
    makefile = (ROOT / "Makefile").read_text()
    package = makefile.split("\npackage:", 1)[1].split("\n\n", 1)[0]
    assert "warmline validate --stage $(STAGE)" in package


# --- 2. one-click unsubscribe (RFC 8058) ----------------------------------------------------------
MULTIPART = ("multipart/form-data; boundary=----warmline",
             b"------warmline\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
             b"------warmline--\r\n")
URLENCODED = ("application/x-www-form-urlencoded", b"List-Unsubscribe=One-Click")


def test_one_click_unsubscribe_accepts_multipart_and_urlencoded_posts(tmp_path: Path) -> None:
    from tests.conftest import make_services

    services = make_services(tmp_path, Clock(START))
    warmline_app.use(services)
    try:
        with Client(warmline_app.app) as client:
            for who, (content_type, body) in (("multi@example.com", MULTIPART), ("url@example.com", URLENCODED)):
                path = services.links.unsubscribe_url(who).removeprefix(services.links.base_url)
                response = client.http.post(path, body=body, headers={"Content-Type": content_type})
                assert response.status_code == 200, (content_type, response.status_code)
                customer = services.store.get_customer(who)
                assert customer is not None and customer.consent == "unsubscribed"
    finally:
        warmline_app.use(None)


def test_one_click_unsubscribe_through_a_real_warmline_serve(tmp_path: Path) -> None:
    import socket

    from tests.conftest import make_services

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "shop.json"
    config.write_text(json.dumps(example_config_data(quiet_hours=None)))
    data_dir = tmp_path / "data"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("WARMLINE_")}, **TEST_SECRETS}
    proc = subprocess.Popen([sys.executable, "-m", "chalicelib.cli", "serve", "--config", str(config), "--data-dir",
                             str(data_dir), "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"warmline serve did not start: {proc.communicate()[0]}")
                time.sleep(0.1)
        # The same config, data dir and secrets: the links the server signs.
        # Links expire: sign them with the server's own (wall) clock.
        services = make_services(tmp_path, Clock(datetime.now(UTC)))
        assert services.data_dir == data_dir
        for who, (content_type, body) in (("multi@example.com", MULTIPART), ("url@example.com", URLENCODED)):
            path = services.links.unsubscribe_url(who).removeprefix(services.links.base_url)
            response = requests.post(url + path, data=body, headers={"Content-Type": content_type}, timeout=10)
            assert response.status_code == 200, (content_type, response.status_code, response.text[:200])
            customer = services.store.get_customer(who)
            assert customer is not None and customer.consent == "unsubscribed"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- 3. inbound email: S3, and no silent loss -------------------------------------------------------
def s3_notification(bucket: str, key: str) -> dict[str, Any]:
    fixture = "email/ses/aws_docs_ses_received_alert_notification_s3_action.json"
    notification: dict[str, Any] = copy.deepcopy(shared_json(fixture))
    notification["receipt"]["action"].update({"bucketName": bucket, "objectKey": key})
    notification["mail"]["messageId"] = uuid.uuid4().hex
    return notification


def test_a_message_ses_stored_in_s3_is_read_from_the_bucket_and_handled(app_client: Any, aws: AwsWorld) -> None:
    test_client, services, _clock = app_client
    key = f"inbound/{uuid.uuid4().hex}"
    raw = shared_bytes("email/ses/aws_docs_ses_received_sns_action_content.eml")
    s3 = aws.clients.client("s3")
    with pytest.raises(Exception, match=r"Forbidden|AccessDenied"):  # the bucket policy refuses plain HTTP...
        s3.put_object(Bucket=aws.stack.inbound_bucket, Key=key, Body=raw)
    s3.delete_bucket_policy(Bucket=aws.stack.inbound_bucket)  # ...and moto speaks only HTTP (SES uses TLS)
    s3.put_object(Bucket=aws.stack.inbound_bucket, Key=key, Body=raw)
    event = test_client.events.generate_sns_event(message=json.dumps(s3_notification(aws.stack.inbound_bucket, key)))
    test_client.lambda_.invoke("inbound_email_from_ses", event)
    assert drain(test_client, aws) == []
    entries = [e for e in services.log.recent() if e.get("source") == "ses"]
    assert entries, "the worker handled the message"
    assert not [e for e in entries if "could not read" in json.dumps(e)], "read from S3, not reported unreadable"


def test_the_worker_reads_only_from_the_stacks_inbound_bucket(aws: AwsWorld) -> None:
    services = aws_services(aws, Clock(START))
    other = f"other-{uuid.uuid4().hex[:8]}"
    aws.clients.client("s3").create_bucket(Bucket=other, CreateBucketConfiguration={"LocationConstraint": REGION})
    aws.clients.client("s3").put_object(Bucket=other, Key="inbound/x", Body=b"From: a@b.c\r\n\r\nhi")
    assert services.worker.fetch_s3 is not None
    with pytest.raises(PermissionError):
        services.worker.fetch_s3(other, "inbound/x")
    with pytest.raises(PermissionError):
        services.worker.fetch_s3(aws.stack.inbound_bucket, "elsewhere/x")


def invoke_async_like_lambda(client: Client, function: str, logical: str, event: dict[str, Any],
                             aws: AwsWorld) -> int:
    """Lambda's asynchronous invocation as the template configures it: the first try, then
    EventInvokeConfig.MaximumRetryAttempts retries, then an on-failure destination record (the
    documented shape: requestContext, requestPayload, responsePayload) on the configured queue."""
    config = template()["Resources"][logical]["Properties"]["EventInvokeConfig"]
    destination = config["DestinationConfig"]["OnFailure"]
    assert destination["Type"] == "SQS"
    queue_logical = destination["Destination"]["Fn::GetAtt"][0]
    attempts, error = 0, None
    for _ in range(1 + int(config["MaximumRetryAttempts"])):
        attempts += 1
        try:
            client.lambda_.invoke(function, event)
            return attempts
        except Exception as exc:  # the function failed: Lambda retries
            error = exc
    assert error is not None
    record = {
        "version": "1.0", "timestamp": "2021-12-31T19:05:00.000Z",
        "requestContext": {"requestId": str(uuid.uuid4()), "condition": "RetriesExhausted",
                           "approximateInvokeCount": attempts,
                           "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function}:$LATEST"},
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorMessage": str(error), "errorType": type(error).__name__},
    }
    aws.clients.sqs.send_message(QueueUrl=aws.stack.physical[queue_logical], MessageBody=json.dumps(record))
    return attempts


def test_an_inbound_email_failing_three_times_lands_in_the_event_dead_letter_queue_with_its_error(
        app_client: Any, aws: AwsWorld) -> None:
    test_client, services, _clock = app_client
    inbox: Any = services.inbox
    notification = s3_notification(aws.stack.inbound_bucket, f"inbound/{uuid.uuid4().hex}")
    event = test_client.events.generate_sns_event(message=json.dumps(notification))
    inbox.queue_url = aws.stack.queue_url + "-missing"  # the queue is down: the function raises each time
    assert invoke_async_like_lambda(test_client, "inbound_email_from_ses", "InboundEmailFromSes", event, aws) == 3
    dead = aws.clients.sqs.receive_message(QueueUrl=aws.stack.event_dlq_url, WaitTimeSeconds=0).get("Messages", [])
    assert len(dead) == 1
    record = json.loads(dead[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert "inbound email not stored" in record["responsePayload"]["errorMessage"]
    assert json.loads(record["requestPayload"]["Records"][0]["Sns"]["Message"]) == notification

    inbox.queue_url = aws.stack.queue_url  # fixed: the documented redrive (publish the message again) works
    replay = test_client.events.generate_sns_event(message=record["requestPayload"]["Records"][0]["Sns"]["Message"])
    assert invoke_async_like_lambda(test_client, "inbound_email_from_ses", "InboundEmailFromSes", replay, aws) == 1
    policy = json.loads((ROOT / ".chalice" / "policy-inbound.json").read_text())
    assert any(s["Action"] == ["sqs:SendMessage"] and s["Resource"] == {"Fn::GetAtt": ["EventDeadLetterQueue", "Arn"]}
               for s in policy["Statement"])


# --- 4. metric cardinality -----------------------------------------------------------------------------
POLICY_REASONS = {
    "the customer unsubscribed from marketing email": ReasonCode.UNSUBSCRIBED,
    "the customer did not accept marketing, and the config asks for opt-in": ReasonCode.NO_CONSENT,
    "the customer already bought (order #1001)": ReasonCode.PURCHASED,
    "the order is cancelled": ReasonCode.NOT_APPLICABLE,
    "the customer is upset right now; a person should write first": ReasonCode.UPSET,
    "the customer has an open unhappy conversation; a person should reply, not marketing": ReasonCode.UPSET,
    "frequency cap: already 3 marketing email(s) in 7 days": ReasonCode.FREQUENCY_CAP,
    "already acknowledged this customer in the last 12 hours": ReasonCode.MAIL_LOOP,
    "abandoned-cart reminders were turned off": ReasonCode.FLOW_OFF,
    "something nobody planned for, order #99812": ReasonCode.OTHER,
}


def emf_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            lines.append(json.loads(line))
    return lines


def test_every_metric_dimension_comes_from_a_closed_set(app_client: Any, aws: AwsWorld,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    test_client, services, _clock = app_client
    capsys.readouterr()
    decisions: list[Any] = [Suppress(f"abandoned-cart reminder {i}", f"c{i}@example.com", text, code=code.value,
                                     flow="abandoned_cart") for i, (text, code) in enumerate(POLICY_REASONS.items())]
    decisions.append(marketing_email(f"kim.{uuid.uuid4().hex[:6]}@example.com"))
    services.executor.execute(decisions, {"delivery": "metrics-test"})
    # and the real paths: an upset email through the API and the worker
    from .test_aws_end_to_end import EMAIL_TOKEN, upset_email

    body = json.dumps(upset_email(f"ana.{uuid.uuid4().hex[:6]}@example.com")).encode()
    assert test_client.http.post(f"/webhooks/email/{EMAIL_TOKEN}", body=body,
                                 headers={"Content-Type": "application/json"}).status_code == 200
    assert drain(test_client, aws) == []
    lines = emf_lines(capsys.readouterr().out)
    names = {m["Name"] for line in lines for d in line["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert {"EmailsSuppressed", "EmailsSent", "AlertsSent", "DeliveriesAccepted"} <= names
    seen: dict[str, set[str]] = {}
    for line in lines:
        for directive in line["_aws"]["CloudWatchMetrics"]:
            for dimension_set in directive["Dimensions"]:
                for dimension in dimension_set:
                    seen.setdefault(dimension, set()).add(line[dimension])
    for dimension, values in seen.items():
        assert dimension in DIMENSION_VALUES, f"dimension {dimension} has no closed set"
        assert values <= DIMENSION_VALUES[dimension], (dimension, values - DIMENSION_VALUES[dimension])
    assert {"purchased", "other", "upset"} <= seen["reason"]
    assert not any("#" in v for values in seen.values() for v in values)  # no order name in any dimension


def test_reason_texts_map_to_codes_and_unknown_values_count_as_other(capsys: pytest.CaptureFixture[str]) -> None:
    for text, code in POLICY_REASONS.items():
        assert reason_code(text) is code, text
    assert reason_code(ReasonCode.MAIL_LOOP) is ReasonCode.MAIL_LOOP
    from chalicelib.domain.decisions import SUPPRESSION_CODES
    from chalicelib.domain.reason_codes import Flow as FlowCode
    from chalicelib.flows import FLOWS

    assert {c.value for c in ReasonCode} == set(SUPPRESSION_CODES)  # the flows' codes are the metrics' codes
    assert {c.value for c in FlowCode} == {f.name for f in FLOWS} | {"other"}
    assert reason_code("undeliverable") is ReasonCode.UNDELIVERABLE
    observability = Observability(stream=io.StringIO())
    observability.count("EmailsSuppressed", reason="the customer already bought (order #1001)", shop="x.example")
    line = emf_lines(capsys.readouterr().out)[-1]
    assert line["reason"] == "other" and "shop" not in line  # never the text, never an unbounded dimension


# --- 5. secrets -------------------------------------------------------------------------------------------
def config_with_own_paths(prefix: str) -> Any:
    secrets = {name: {"ssm": f"{prefix}/{name}"} for name in
               ("shopify_webhook_secret", "stripe_webhook_secret", "inbound_email_token", "link_signing_key")}
    return load_data(example_config_data(secrets=secrets), EXAMPLE_CONFIG.parent)


def test_the_template_creates_no_secret_parameters() -> None:
    resources = template()["Resources"]
    assert not [n for n, r in resources.items() if r.get("Type") == "AWS::SSM::Parameter"]


def test_secrets_are_written_as_secure_strings_idempotently_on_a_fresh_and_a_recreated_stack(
        aws: AwsWorld, aws_clients: Any, moto_url: str) -> None:
    prefix = f"/warmline-test/{uuid.uuid4().hex[:8]}"
    config = config_with_own_paths(prefix)
    ssm = aws.clients.ssm
    assert len(secret_problems(ssm, config, "dev")) == 4  # a fresh account: deploy would refuse
    values = {"shopify_webhook_secret": "shpss_1", "stripe_webhook_secret": "whsec_1"}
    first = put_secrets(ssm, config, "dev", values)
    assert [o.outcome for o in first] == ["created", "created", "generated", "generated"]
    for outcome in first:
        parameter = ssm.get_parameter(Name=outcome.path, WithDecryption=True)["Parameter"]
        assert parameter["Type"] == "SecureString" and parameter["Version"] == 1
    assert secret_problems(ssm, config, "dev") == []

    again = put_secrets(ssm, config, "dev", values)  # the same values: nothing written
    assert [o.outcome for o in again] == ["unchanged", "unchanged", "kept", "kept"]
    assert ssm.get_parameter(Name=f"{prefix}/shopify_webhook_secret")["Parameter"]["Version"] == 1

    new_stack(aws_clients, moto_url)  # the stack deleted and created again: no parameter in its way
    rotated = put_secrets(ssm, config, "dev", {**values, "stripe_webhook_secret": "whsec_2"})
    assert [o.outcome for o in rotated] == ["unchanged", "updated", "kept", "kept"]
    stripe = ssm.get_parameter(Name=f"{prefix}/stripe_webhook_secret", WithDecryption=True)["Parameter"]
    assert stripe["Value"] == "whsec_2" and stripe["Version"] == 2 and stripe["Type"] == "SecureString"

    key = aws.clients.client("kms").create_key(Description="owner's key")["KeyMetadata"]["KeyId"]
    moved = put_secrets(ssm, config, "dev", values | {"stripe_webhook_secret": "whsec_2"}, kms_key_id=key)
    assert [o.outcome for o in moved][:2] == ["updated", "updated"]
    name_filter = {"Key": "Name", "Values": [f"{prefix}/shopify_webhook_secret"]}
    described = ssm.describe_parameters(ParameterFilters=[name_filter])
    assert described["Parameters"][0]["KeyId"] == key


def test_an_old_templates_placeholder_is_replaced_and_a_real_string_is_refused(aws: AwsWorld) -> None:
    prefix = f"/warmline-test/{uuid.uuid4().hex[:8]}"
    config = config_with_own_paths(prefix)
    ssm = aws.clients.ssm
    ssm.put_parameter(Name=f"{prefix}/shopify_webhook_secret", Type="String", Value="placeholder")
    ssm.put_parameter(Name=f"{prefix}/stripe_webhook_secret", Type="String", Value="whsec_typed_in_by_hand")
    problems = secret_problems(ssm, config, "dev")
    assert any("not a SecureString" in p for p in problems)
    with pytest.raises(PreflightProblem, match="delete-parameter"):
        put_secrets(ssm, config, "dev", {"shopify_webhook_secret": "shpss_1"})
    ssm.delete_parameter(Name=f"{prefix}/stripe_webhook_secret")
    outcomes = put_secrets(ssm, config, "dev", {"shopify_webhook_secret": "shpss_1", "stripe_webhook_secret": "w"})
    assert outcomes[0].outcome == "created"
    assert ssm.get_parameter(Name=f"{prefix}/shopify_webhook_secret")["Parameter"]["Type"] == "SecureString"


def test_secrets_check_refuses_in_one_sentence_and_put_reads_the_environment(
        aws: AwsWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = f"/warmline-test/{uuid.uuid4().hex[:8]}"
    secrets = {name: {"ssm": f"{prefix}/{name}", } for name in
               ("shopify_webhook_secret", "stripe_webhook_secret", "inbound_email_token", "link_signing_key")}
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(example_config_data(secrets=secrets)))
    args = ["--stage", "dev", "--config", str(path), "--region", REGION]
    assert main(["secrets", "check", *args]) == 1
    err = capsys.readouterr().err
    assert f"the secret shopify_webhook_secret is not set for stage dev ({prefix}/shopify_webhook_secret)" in err
    assert "make secrets STAGE=dev" in err
    monkeypatch.setenv("SHOPIFY_WEBHOOK_SECRET", "shpss_env")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_env")
    assert main(["secrets", "put", *args]) == 0
    assert main(["secrets", "check", *args]) == 0
    value = aws.clients.ssm.get_parameter(Name=f"{prefix}/shopify_webhook_secret", WithDecryption=True)
    assert value["Parameter"]["Value"] == "shpss_env"


# --- 10. SES bounces and complaints -------------------------------------------------------------------------
def ses_event(event_type: str, address: str, bounce_type: str = "Permanent") -> dict[str, Any]:
    """The shape of SES event publishing to SNS (SES developer guide, "Examples of event data").
    ../shared has no bounce/complaint fixture yet."""
    mail = {"timestamp": "2021-12-31T19:05:00.000Z", "source": "hello@rosiesbakery.example",
            "messageId": uuid.uuid4().hex, "destination": [address]}
    if event_type == "Bounce":
        return {"eventType": "Bounce", "mail": mail, "bounce": {
            "bounceType": bounce_type, "bounceSubType": "General" if bounce_type == "Permanent" else "MailboxFull",
            "bouncedRecipients": [{"emailAddress": address, "action": "failed", "status": "5.1.1",
                                   "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
            "timestamp": "2021-12-31T19:05:01.000Z", "feedbackId": uuid.uuid4().hex}}
    return {"eventType": "Complaint", "mail": mail, "complaint": {
        "complainedRecipients": [{"emailAddress": address}], "timestamp": "2021-12-31T19:06:00.000Z",
        "feedbackId": uuid.uuid4().hex, "complaintFeedbackType": "abuse"}}


def test_bounces_and_complaints_stop_every_later_email_and_are_counted(app_client: Any, aws: AwsWorld) -> None:
    test_client, services, clock = app_client
    bounced, complained, transient = (f"{who}.{uuid.uuid4().hex[:6]}@example.com"
                                      for who in ("gone", "angry", "full"))
    for notice in (ses_event("Bounce", bounced), ses_event("Complaint", complained),
                   ses_event("Bounce", transient, "Transient"), ses_event("Bounce", bounced)):
        event = test_client.events.generate_sns_event(message=json.dumps(notice))
        test_client.lambda_.invoke("email_feedback_from_ses", event)
    assert services.store.undeliverable(bounced) == "bounce: Permanent/General"
    assert services.store.undeliverable(complained) == "complaint: abuse"
    assert services.store.undeliverable(transient) is None
    assert services.store.undeliverable_counts(clock() - timedelta(days=7)) == {"bounce": 1, "complaint": 1}

    entries = services.executor.execute([marketing_email(bounced), marketing_email(complained),
                                         marketing_email(transient)], {"delivery": "after-feedback"})
    assert [e["outcome"] for e in entries] == ["suppressed", "suppressed", "sent"]
    suppressed = [e for e in entries if e["outcome"] == "suppressed"]
    assert all("undeliverable" in e["suppressed_reason"] for e in suppressed)
    sent_to = json.dumps([m["destinations"] for m in ses_sent(aws.url)])
    assert bounced not in sent_to and complained not in sent_to and transient in sent_to


@pytest.mark.parametrize("family", ["local", "aws"])
def test_both_stores_mark_and_forget_undeliverable_addresses(family: str, tmp_path: Path, aws: AwsWorld) -> None:
    from tests.conftest import make_services

    clock = Clock(START)
    services = make_services(tmp_path, clock) if family == "local" else aws_services(aws, clock)
    store = services.store
    address = f"Bounce.{uuid.uuid4().hex[:6]}@Example.com"
    assert store.undeliverable(address) is None
    assert store.mark_undeliverable(address, "bounce", "Permanent/General", clock()) is True
    assert store.mark_undeliverable(address.lower(), "complaint", "abuse", clock()) is False  # the first mark stays
    assert store.undeliverable(address.lower()) == "bounce: Permanent/General"
    clock.advance(days=10)
    other = f"c.{uuid.uuid4().hex[:6]}@example.com"
    store.mark_undeliverable(other, "complaint", "abuse", clock())
    assert store.undeliverable_counts(clock() - timedelta(days=7)) == {"complaint": 1}
    assert store.undeliverable_counts(clock() - timedelta(days=30)) == {"bounce": 1, "complaint": 1}
    store.forget_customer(address.lower(), None)  # a privacy redact takes the mark too
    assert store.undeliverable(address) is None


# --- 7. texts ---------------------------------------------------------------------------------------------------
LONG = "My “birthday” cake… arrived smashed 😡 — the café’s box was crushed and nobody answers the phone at all"


def alert_shapes() -> list[AlertOwner]:
    """Every kind of alert the policies raise, filled to their limits with what customers type."""
    reasons = ("negative message (score 0.93)", "mentions a refund", "VIP customer: 7 orders, £812 spent",
               "order #1043 is 6 days late against your 3-day promise", "third message this week",
               "“urgent” in subject")
    return [
        AlertOwner(key="alert:msg-1", customer_email="ana.customer@example.com", level="urgent",
                   headline=f"Ana needs a reply: {LONG[:80]}", excerpt=LONG, reasons=reasons,
                   recent_orders=("#1043", "#1001"), reason="escalation urgent", score=0.93),
        AlertOwner(key="alert:msg-3", customer_email="bo@example.com", level="urgent",
                   headline=f"Bo needs a reply: {LONG[:80]}", excerpt=LONG,
                   reasons=('reads like the emails that need you at once, most of all for "smashed", "crushed" and '
                            '"nobody’s" (learned from examples; needs a person 0.97, cannot wait 0.75)',
                            "sounds upset (negative 0.93)"),
                   recent_orders=(), reason="escalation urgent", score=0.93),
        AlertOwner(key="alert:msg-2", customer_email=None, level="watch",
                   headline=f"An email Warmline could not read: {LONG[:80]}", excerpt="", reasons=("unreadable",),
                   recent_orders=(), reason="unreadable"),
        AlertOwner(key="privacy:req-1", customer_email="kim@example.com", level="alert",
                   headline="A customer asked for the data your shop keeps about them", excerpt="",
                   reasons=("Shopify customers/data_request: the customer asked for their data",),
                   recent_orders=(), reason="data request", export_id="data_request-123456789012"),
        AlertOwner(key="dispute:dp_1", customer_email="lee@example.com", level="urgent",
                   headline="Dispute opened on order 1043", excerpt="Reason: fraudulent",
                   reasons=("a dispute costs a fee and needs evidence within days",), recent_orders=("#1043",),
                   reason="dispute", score=None),
    ]


def test_every_alert_text_is_gsm7_and_at_most_two_segments(aws: AwsWorld) -> None:
    services = aws_services(aws, Clock(START))
    ucs2_before = 0
    for decision in alert_shapes():
        message = services.executor.renderer.alert(decision, "a***@example.com")
        if not is_gsm7(message.short_text):
            ucs2_before += 1
        text = sms_text(message)
        assert is_gsm7(text), text
        assert segments(text) <= 2, (segments(text), text)
        assert text.endswith(message.review_url), "the review link is kept whole"
        assert "…" not in text and "“" not in text
    assert ucs2_before >= 1, "the unconverted text would have gone out as UCS-2"


def test_sms_sender_id_and_origination_number_are_wired_from_the_config(aws: AwsWorld) -> None:
    services = aws_services(aws, Clock(START), aws={"sms_sender_id": "RosiesBake",
                                                    "sms_origination_number": "+18005550100"})
    inner: Any = getattr(services.alerter, "inner", services.alerter)  # the SNS alerter inside the alert budget
    alerter: SnsOwnerAlerter = inner
    message = OwnerAlertMessage(key="k1", short_text="Warmline ALERT: test", long_text="long", level="alert",
                                review_url=f"{API_URL}/review/k1")
    channels = dict(alerter._channels(message))
    sms = channels["k1#sms:+447911123456"]["MessageAttributes"]
    assert sms["AWS.SNS.SMS.SenderID"]["StringValue"] == "RosiesBake"
    assert sms["AWS.MM.SMS.OriginationNumber"]["StringValue"] == "+18005550100"
    # the topic's phone subscriptions filter out Warmline's own publishes (they get the short text directly)
    assert channels["k1#topic"]["MessageAttributes"]["warmline"]["StringValue"] == "alert"
    assert alerter.alert(message)


# --- 9. the worker's remaining-time cut-off -----------------------------------------------------------------
class CountdownContext:
    def __init__(self, *remaining: int) -> None:
        self.remaining = list(remaining)

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining.pop(0) if len(self.remaining) > 1 else self.remaining[0]


class RecordingWorker:
    def __init__(self, failing: tuple[str, ...] = ()) -> None:
        self.processed: list[str] = []
        self.failing = failing

    def prefetch_readings(self, deliveries: list[Any]) -> int:
        return 0

    def process(self, delivery: Any) -> list[Any]:
        self.processed.append(delivery.delivery_id)
        if delivery.delivery_id in self.failing:
            raise RuntimeError("SES said no")
        return []


def sqs_event(n: int) -> dict[str, Any]:
    return {"Records": [{
        "messageId": f"m{i}", "receiptHandle": f"h{i}", "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs", "awsRegion": REGION,
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:q",
        "body": json.dumps({"delivery_id": f"shopify:{i}", "source": "shopify", "topic": "orders/create",
                            "body": "{}", "received_at": START.isoformat(), "attempts": 0}),
    } for i in range(n)]}


def test_the_worker_takes_no_new_record_when_time_is_short(capsys: pytest.CaptureFixture[str]) -> None:
    from types import SimpleNamespace

    from chalicelib.sqs_worker import process_batch

    worker = RecordingWorker()
    services: Any = SimpleNamespace(worker=worker, extras={})
    # 60 s at the start; then before each record: 50 s, 30 s, 15 s, 10 s left
    response = process_batch(services, sqs_event(4), CountdownContext(60_000, 50_000, 30_000, 15_000, 10_000))
    assert worker.processed == ["shopify:0", "shopify:1"]
    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]}

    # a record that fails is counted apart from those deferred (Lambda's Errors sees neither)
    failing = RecordingWorker(failing=("shopify:0",))
    observed: Any = SimpleNamespace(worker=failing, extras={"observability": Observability(stream=io.StringIO())})
    capsys.readouterr()
    response = process_batch(observed, sqs_event(4), CountdownContext(60_000, 50_000, 30_000, 15_000, 10_000))
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == ["m0", "m2", "m3"]
    counted = {m["Name"]: line[m["Name"]] for line in emf_lines(capsys.readouterr().out)
               for d in line["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert counted == {"DeliveryFailures": [1.0], "DeliveriesDeferred": [2.0]}

    worker.processed.clear()  # no time for any record: all come back, and the invocation does not fail
    response = process_batch(services, sqs_event(3), CountdownContext(60_000, 5_000))
    assert worker.processed == []
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == ["m0", "m1", "m2"]


# --- 6. docs: one webhook table, generated from the code -------------------------------------------------------
def test_the_webhook_table_in_readme_and_docs_is_generated_from_the_code() -> None:
    from chalicelib.webhook_topics import FILES, embedded, table

    expected = table()
    for name in FILES:
        assert embedded((ROOT / name).read_text()) == expected, \
            f"{name}: run `python -m chalicelib.webhook_topics --write`"
    for needed in ("customers_email_marketing_consent/update", "invoice.paid", "payment_intent.succeeded",
                   "checkout.session.completed", "charge.succeeded"):
        assert f"`{needed}`" in expected


# --- the first-deploy checklist: make doctor -------------------------------------------------------------------
def test_doctor_checks_the_account_against_the_first_deploy_checklist(aws: AwsWorld, tmp_path: Path) -> None:
    prefix = f"/warmline-test/{uuid.uuid4().hex[:8]}"
    config = load_data(example_config_data(
        secrets={n: {"ssm": f"{prefix}/{n}"} for n in ("shopify_webhook_secret", "stripe_webhook_secret",
                                                        "inbound_email_token")},
        sender={"email": f"hello@{uuid.uuid4().hex[:6]}.example", "name": "Rosie"},
        owner=owner_with(review_base_url="http://127.0.0.1:8000")), EXAMPLE_CONFIG.parent)
    checks = {c.what: c for c in doctor(aws.clients, config, "dev", REGION)}
    assert checks["links"].status == "fail" and "https" in checks["links"].detail
    assert checks["secrets"].status == "fail" and "make secrets STAGE=dev" in checks["secrets"].detail
    assert checks["sender identity"].status == "fail" and "DKIM" in checks["sender identity"].detail
    assert checks["SES sandbox"].status in ("ok", "warn")
    assert checks["SMS spend limit"].status == "warn"

    domain = config.sender_email.split("@")[1]
    aws.clients.sesv2.create_email_identity(EmailIdentity=domain)
    put_secrets(aws.clients.ssm, config, "dev", {"shopify_webhook_secret": "a", "stripe_webhook_secret": "b"})
    aws.clients.sns.set_sms_attributes(attributes={"MonthlySpendLimit": "20"})
    ses = aws.clients.client("ses")
    ses.create_receipt_rule_set(RuleSetName="warmline-dev")
    ses.set_active_receipt_rule_set(RuleSetName="warmline-dev")
    fixed = load_data({**config.raw, "owner": owner_with()}, EXAMPLE_CONFIG.parent)
    checks = {c.what: c for c in doctor(aws.clients, fixed, "dev", REGION)}
    for what in ("links", "secrets", "sender identity", "SMS spend limit", "inbound email"):
        assert checks[what].status == "ok", (what, checks[what])
    assert "SMS sandbox" in checks  # moto cannot say: a warning that names where to look
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(fixed.raw))
    assert main(["doctor", "--stage", "dev", "--config", str(path), "--region", REGION]) == 0
    path.write_text(json.dumps({**fixed.raw, "owner": owner_with(review_base_url="http://127.0.0.1:8000")}))
    assert main(["doctor", "--stage", "dev", "--config", str(path), "--region", REGION]) == 1
    elsewhere = {c.what: c for c in doctor(aws.clients, fixed, "dev", "eu-central-1")}
    assert elsewhere["inbound email"].status == "warn" and "JSON inbound webhook" in elsewhere["inbound email"].detail


# --- the packaged template -------------------------------------------------------------------------------------
def test_the_template_check_finds_everything_and_names_what_is_missing(tmp_path: Path) -> None:
    """The merged template as `make package` builds it (chalice package), through the check."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import package_report
    finally:
        sys.path.remove(str(ROOT / "bench"))
    out = tmp_path / "out"
    src = tmp_path / "src"
    src.mkdir()
    for name in ("app.py", "requirements.txt"):
        (src / name).write_bytes((ROOT / name).read_bytes())
    import shutil

    shutil.copytree(ROOT / ".chalice", src / ".chalice", ignore=shutil.ignore_patterns("deployments", "venv"))
    shutil.copytree(ROOT / "chalicelib", src / "chalicelib", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "requirements.txt").write_text("")  # the template only: no dependencies to download
    env = {**os.environ, "AWS_DEFAULT_REGION": REGION}
    subprocess.run([str(Path(sys.executable).parent / "chalice"), "package", "--stage", "dev", "--merge-template",
                    str(RESOURCES), str(out)], cwd=src, env=env, check=True, capture_output=True, timeout=300)
    sam = out / "sam.yaml"
    package_report.check(sam)  # passes

    merged = yaml.safe_load(sam.read_text())
    broken = copy.deepcopy(merged)
    del broken["Resources"]["InboundEmailFromSes"]["Properties"]["EventInvokeConfig"]
    del broken["Resources"]["QueueAgeAlarm"]
    del broken["Resources"]["SendDueRemindersLogGroup"]
    broken["Resources"]["InboundEmailBucket"]["Properties"].pop("LifecycleConfiguration")
    broken["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]["WARMLINE_API_URL"] = {
        "Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api"}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken))
    with pytest.raises(SystemExit) as failed:
        package_report.check(path)
    message = str(failed.value)
    for expected in ("InboundEmailFromSes: SNS-triggered without an on-failure SQS destination",
                     "no ApproximateAgeOfOldestMessage alarm",
                     "SendDueReminders: does not log to a log group of the stack with a retention",
                     "InboundEmailBucket: no lifecycle expiry", "APIHandler refers to RestAPI: a circular dependency"):
        assert expected in message


def test_make_deploy_refuses_in_one_sentence_while_a_secret_is_missing(aws: AwsWorld, tmp_path: Path) -> None:
    """`make deploy` checks the secrets before it builds or uploads anything (a stand-in `aws` CLI on PATH
    answers only `--version`; nothing reaches AWS but the SSM check, which goes to moto)."""
    prefix = f"/warmline-test/{uuid.uuid4().hex[:8]}"
    config = tmp_path / "shop.json"
    config.write_text(json.dumps(example_config_data(secrets={
        n: {"ssm": f"{prefix}/{n}"} for n in ("shopify_webhook_secret", "stripe_webhook_secret",
                                               "inbound_email_token")})))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_aws = bin_dir / "aws"
    fake_aws.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo aws-cli/2 && exit 0\necho unexpected >&2; exit 9\n")
    fake_aws.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["make", "-s", "deploy", "STAGE=dev", f"SHOP_CONFIG={config}", "DEPLOY_BUCKET=b",
                             f"AWS_REGION={REGION}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    missing = f"the secret shopify_webhook_secret is not set for stage dev ({prefix}/shopify_webhook_secret)"
    assert missing in result.stderr
    assert "Not deploying: set the secrets first with 'make secrets STAGE=dev'" in result.stderr
    assert "unexpected" not in result.stderr  # no aws command ran: nothing was packaged or uploaded


def test_event_handlers_run_in_a_container_that_never_served_http(app_client: Any, aws: AwsWorld,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Chalice sets app.lambda_context only for HTTP requests: the worker, sweeper, inbound and feedback
    functions each run in their own container, where it never exists."""
    test_client, _services, _clock = app_client
    monkeypatch.delattr(warmline_app.app, "lambda_context", raising=False)
    assert not hasattr(warmline_app.app, "lambda_context")
    key = f"inbound/{uuid.uuid4().hex}"
    s3 = aws.clients.client("s3")
    s3.delete_bucket_policy(Bucket=aws.stack.inbound_bucket)  # moto speaks plain HTTP (see above)
    s3.put_object(Bucket=aws.stack.inbound_bucket, Key=key,
                  Body=shared_bytes("email/ses/aws_docs_ses_received_sns_action_content.eml"))
    notification = s3_notification(aws.stack.inbound_bucket, key)
    test_client.lambda_.invoke("inbound_email_from_ses",
                               test_client.events.generate_sns_event(message=json.dumps(notification)))
    bounce = ses_event("Bounce", f"x.{uuid.uuid4().hex[:6]}@example.com")
    test_client.lambda_.invoke("email_feedback_from_ses",
                               test_client.events.generate_sns_event(message=json.dumps(bounce)))
    tick = test_client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                resources=[])
    assert "decisions" in test_client.lambda_.invoke("send_due_reminders", tick).payload
    assert drain(test_client, aws) == []  # the worker ran the queued email
    assert not hasattr(warmline_app.app, "lambda_context")


def test_a_watch_level_alert_is_never_a_text(aws: AwsWorld) -> None:
    services = aws_services(aws, Clock(START))
    inner: Any = getattr(services.alerter, "inner", services.alerter)
    watch = OwnerAlertMessage(key="w1", short_text="Warmline WATCH: an email in German", long_text="long",
                              level="watch", review_url=f"{API_URL}/review/w1")
    channels = dict(inner._channels(watch))
    assert list(channels) == ["w1#topic"]  # the alerts email, and the console's inbox: no phone
