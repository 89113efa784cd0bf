"""The webhook routes through chalice.test.Client: every shared fixture, and every way to get it wrong."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from chalicelib.bootstrap import Services
from chalicelib.ingress.translate import PRIVACY_TOPICS, SHOPIFY
from tests.conftest import Clock, make_services, shared_bytes, shared_file, shared_json
from tests.functional.helpers import (
    body_of,
    client_for,
    outbox,
    post_email,
    post_shopify,
    post_stripe,
    queued,
    shopify_headers,
    stripe_event,
)


def test_every_shared_shopify_fixture_is_accepted_through_the_real_route(services: Services) -> None:
    vectors = shared_json("shopify/signature/computed_hmac_vectors.json")["vectors"]
    with client_for(services) as client:
        for vector in vectors:
            body = shared_bytes(f"shopify/{vector['file']}")
            headers = shopify_headers(body, vector["X-Shopify-Topic"])
            assert headers["X-Shopify-Hmac-Sha256"] == vector["X-Shopify-Hmac-Sha256"]  # same bytes, same secret
            response = client.http.post("/webhooks/shopify", headers=headers, body=body)
            topic = vector["X-Shopify-Topic"]
            # Privacy samples name the literal shop "{shop}.myshopify.com": not this shop, so refused as sent.
            expected = 422 if topic in PRIVACY_TOPICS else 200 if topic in SHOPIFY else 202
            assert response.status_code == expected, (vector["file"], response.body)
    assert queued(services) == sum(1 for v in vectors
                                   if v["X-Shopify-Topic"] in SHOPIFY and v["X-Shopify-Topic"] not in PRIVACY_TOPICS)
    report = services.extras["runner"].run_once()
    assert report.dead == 0 and report.retried == 0, report.errors


def test_every_shared_stripe_event_and_email_fixture_is_accepted(services: Services) -> None:
    folder = shared_file("stripe/pay_rails_event_data/invoice.payment_failed.json").parent
    with client_for(services) as client:
        for path in sorted(folder.glob("*.json")):
            event_type = path.name.removesuffix(".json")
            response = post_stripe(client, stripe_event(json.loads(path.read_bytes()), event_type))
            assert response.status_code in (200, 202), (path.name, response.body)
        for name in ("postmark-inbound-test-payload.json", "postmark-inbound-test-payload-with-raw.json"):
            payload = shared_json(f"email/postmark/{name}")
            payload["MessageID"] = name  # the two samples share one MessageID
            assert post_email(client, payload).status_code == 200
    report = services.extras["runner"].run_once()
    assert report.processed >= 6 and report.dead == 0, report.errors
    subjects = [m["Subject"] for m in outbox(services)]
    assert any(s.startswith("Your subscription payment to Rosie's Bakery didn't go through") for s in subjects)


def test_the_same_delivery_five_times_gives_exactly_one_email(services: Services) -> None:
    body = stripe_event(shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json"),
                        "invoice.payment_failed", event_id="evt_once")
    with client_for(services) as client:
        statuses = [body_of(post_stripe(client, body))["status"] for _ in range(5)]
    assert statuses == ["accepted"] + ["duplicate"] * 4
    services.extras["runner"].run_once()
    services.extras["runner"].run_once()
    assert len(outbox(services)) == 1


def test_duplicate_shopify_webhook_ids_are_queued_once(services: Services) -> None:
    body = shared_bytes("shopify/checkouts_create.json")
    with client_for(services) as client:
        replies = [body_of(post_shopify(client, body, "checkouts/create", webhook_id="same-id")) for _ in range(5)]
    assert [r["status"] for r in replies] == ["accepted"] + ["duplicate"] * 4
    assert queued(services) == 1


@pytest.mark.parametrize("case", ["missing", "forged", "wrong-secret", "tampered"])
def test_bad_shopify_signatures_get_401_and_store_nothing(services: Services, case: str) -> None:
    body = shared_bytes("shopify/orders_create.json")
    headers = shopify_headers(body, "orders/create")
    if case == "missing":
        del headers["X-Shopify-Hmac-Sha256"]
    elif case == "forged":
        headers["X-Shopify-Hmac-Sha256"] = base64.b64encode(b"x" * 32).decode()
    elif case == "wrong-secret":
        from chalicelib.ingress.signatures import shopify_hmac

        headers["X-Shopify-Hmac-Sha256"] = shopify_hmac("not-the-secret", body)
    else:
        body = body.replace(b"jon@example.com", b"eve@example.com")
    with client_for(services) as client:
        response = client.http.post("/webhooks/shopify", headers=headers, body=body)
    assert response.status_code == 401
    assert body_of(response)["error"] == "unauthenticated" and body_of(response)["detail"]
    assert queued(services) == 0 and services.log.recent() == []


@pytest.mark.parametrize("case", ["missing", "stale", "future", "forged", "v0-only"])
def test_bad_stripe_signatures_get_401_and_store_nothing(services: Services, case: str) -> None:
    body = stripe_event(shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json"),
                        "invoice.payment_failed")
    now = int(services.clock().timestamp())
    with client_for(services) as client:
        if case == "missing":
            response = client.http.post("/webhooks/stripe", headers={"Content-Type": "application/json"}, body=body)
        elif case in ("stale", "future"):
            response = post_stripe(client, body, timestamp=now - 301 if case == "stale" else now + 301)
        else:
            header = f"t={now},v1={'0' * 64}" if case == "forged" else f"t={now},v0=abc"
            response = client.http.post("/webhooks/stripe", headers={"Stripe-Signature": header,
                                                                     "Content-Type": "application/json"}, body=body)
    assert response.status_code == 401, response.body
    assert set(body_of(response)) == {"error", "detail"}
    assert queued(services) == 0


def test_non_json_oversize_and_wrong_typed_bodies_get_json_errors_and_store_nothing(services: Services) -> None:
    with client_for(services) as client:
        not_json = b"<xml>hello</xml>"
        response = post_shopify(client, not_json, "orders/create")
        assert response.status_code == 400 and body_of(response)["error"] == "body is not JSON"
        huge = b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'
        response = post_shopify(client, huge, "orders/create")
        assert response.status_code == 413 and "too large" in body_of(response)["error"]
        response = post_shopify(client, b"[1, 2, 3]", "orders/create")
        assert response.status_code == 422 and "JSON object" in body_of(response)["detail"]
        response = post_shopify(client, b'{"id": "not", "line_items": 7}', "orders/create")
        assert response.status_code == 422 and "line_items" in body_of(response)["detail"]
        response = post_shopify(client, b'{"email": "x@example.com"}', "checkouts/create")
        assert response.status_code == 422 and "token" in body_of(response)["detail"]
        response = post_stripe(client, b'{"type": "invoice.payment_failed"}')
        assert response.status_code == 422
        response = post_stripe(client, b'"just a string"')
        assert response.status_code == 422
        response = post_email(client, b"not json at all")
        assert response.status_code == 400
        response = post_email(client, {"Subject": "no sender"})
        assert response.status_code == 422
    assert queued(services) == 0


def test_unknown_topics_are_202_and_recorded_as_ignored(services: Services) -> None:
    with client_for(services) as client:
        response = post_shopify(client, b'{"id": 1}', "products/update")
        assert response.status_code == 202 and body_of(response)["status"] == "ignored"
        response = post_stripe(client, stripe_event({"id": "plan_1"}, "plan.created"))
        assert response.status_code == 202
        response = post_shopify(client, b'{"id": 1}', "orders/create", shop="someone-else.myshopify.com")
        assert response.status_code == 202 and "another shop" in body_of(response)["reason"]
    assert queued(services) == 0
    ignored = [e for e in services.log.recent() if e["outcome"] == "ignored"]
    assert [e["topic"] for e in ignored] == ["products/update", "plan.created", "orders/create"]


def test_inbound_email_needs_its_token_or_basic_credentials(tmp_path: Path, clock: Clock) -> None:
    payload = shared_json("email/postmark/postmark-inbound-test-payload.json")
    token_services = make_services(tmp_path / "token", clock)
    with client_for(token_services) as client:
        assert post_email(client, payload, token="wrong-token").status_code == 401
        open_route = client.http.post("/webhooks/email", headers={"Content-Type": "application/json"},
                                      body=json.dumps(payload).encode())
        assert open_route.status_code == 401  # path_token mode: the bare route is closed
        assert post_email(client, payload).status_code == 200
    basic_services = make_services(tmp_path / "basic", clock, inbound_email={"auth": "basic"})
    with client_for(basic_services) as client:
        good = "Basic " + base64.b64encode(b"warmline:inbound-token-for-tests").decode()
        bad = "Basic " + base64.b64encode(b"warmline:guess").decode()
        for auth, status in ((None, 401), (bad, 401), (good, 200)):
            headers = {"Content-Type": "application/json", **({"Authorization": auth} if auth else {})}
            response = client.http.post("/webhooks/email", headers=headers, body=json.dumps(payload).encode())
            assert response.status_code == status
        assert post_email(client, payload).status_code == 401  # basic mode: a path token is not enough


def test_intake_answers_503_when_the_queue_cannot_store(services: Services) -> None:
    from chalicelib.ports import IntakeUnavailable

    class BrokenInbox:
        def accept(self, delivery: object) -> bool:
            raise IntakeUnavailable("disk full")

    services.intake.inbox = BrokenInbox()
    with client_for(services) as client:
        response = post_shopify(client, shared_bytes("shopify/checkouts_create.json"), "checkouts/create")
    assert response.status_code == 503 and "retry" in body_of(response)["detail"]


STRIPE_OBJECTS = {
    "charge.json": "charge.failed",
    "dispute.json": "charge.dispute.created",
    "payment_intent.json": "payment_intent.payment_failed",
    "checkout_session.json": "checkout.session.completed",
    "invoice.json": "invoice.payment_failed",
    "refund.json": "charge.refunded",
    "customer.json": "customer.created",
    "subscription.json": "customer.subscription.updated",
}


def test_stripe_openapi_objects_wrapped_as_events_through_the_route(services: Services) -> None:
    with client_for(services) as client:
        for name, event_type in STRIPE_OBJECTS.items():
            response = post_stripe(client, stripe_event(shared_json(f"stripe/openapi_fixtures/{name}"), event_type))
            expected = 202 if event_type.startswith("customer.") else 200
            assert response.status_code == expected, (name, response.body)
    report = services.extras["runner"].run_once()
    assert report.dead == 0 and report.retried == 0, report.errors
    alerts = services.extras["alerts"].entries()
    assert [a["level"] for a in alerts] == ["urgent"]  # the dispute reaches the owner


def test_ses_receiving_through_the_sns_event_source(services: Services) -> None:
    from chalice.test import Client

    import app as app_module

    envelope = shared_json("email/ses/anymail_sns_notification_envelope_utf8.json")
    app_module.use(services)
    try:
        with Client(app_module.app) as client:
            for _ in range(2):  # SNS delivers at least once: the second copy is a duplicate
                event = client.events.generate_sns_event(message=envelope["Message"], subject="Amazon SES Email")
                response = client.lambda_.invoke("inbound_email_from_ses", event)
                assert response.payload["status"] in ("accepted", "duplicate")
    finally:
        app_module.use(None)
    assert queued(services) == 1
    report = services.extras["runner"].run_once()
    assert report.processed == 1 and report.dead == 0, report.errors
    (entry,) = [e for e in services.log.recent() if e["decision"] == "SaveCustomer"]
    assert entry["source"] == "ses" and entry["customer"].endswith("@example.org")


def test_an_ses_notification_without_content_alerts_the_owner_instead_of_failing(services: Services) -> None:
    """The SES S3-action sample carries headers only: the owner hears who wrote, nothing is dead-lettered."""
    from chalice.test import Client

    import app as app_module

    notification = shared_bytes("email/ses/aws_docs_ses_received_alert_notification_s3_action.json").decode()
    app_module.use(services)
    try:
        with Client(app_module.app) as client:
            event = client.events.generate_sns_event(message=notification, subject="Amazon SES Email Receipt")
            assert client.lambda_.invoke("inbound_email_from_ses", event).payload["status"] == "accepted"
    finally:
        app_module.use(None)
    report = services.extras["runner"].run_once()
    assert report.processed == 1 and report.dead == 0, report.errors
    (alert,) = services.extras["alerts"].entries()
    assert alert["level"] == "watch" and "sender@example.com" in alert["text"]
    assert "Example subject" in alert["text"] and "s3://my-S3-bucket/email/" in alert["text"]
    assert outbox(services) == []  # nobody is auto-answered for a message nobody has read


def test_an_unexpected_intake_failure_is_a_json_500_so_the_sender_retries(services: Services) -> None:
    class Exploding:
        def accept(self, delivery: object) -> bool:
            raise RuntimeError("bug")

    services.intake.inbox = Exploding()
    with client_for(services) as client:
        response = post_shopify(client, shared_bytes("shopify/checkouts_create.json"), "checkouts/create")
    assert response.status_code == 500
    assert body_of(response) == {"error": "internal error", "detail": "RuntimeError"}
