"""Hostile input at the door (issue 11): topic swaps, out-of-range values, broken Unicode, bad addresses.

Every case starts from a real fixture in ../shared, signed with the test secret, and goes through
the real routes; what is accepted must then be processed by the worker without a dead letter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Services
from tests.conftest import Clock, make_services, shared_bytes, shared_json
from tests.functional.helpers import (
    SAMPLE_SHOP_ID,
    body_of,
    client_for,
    outbox,
    post_email,
    post_shopify,
    post_stripe,
    privacy_body,
    queued,
    shop_with_id,
    shopify_headers,
    stripe_event,
    text_of,
)


def tick(services: Services) -> Any:
    return services.extras["runner"].run_once()


def redated_checkout(clock: Clock, **changes: Any) -> bytes:
    data = json.loads(shared_bytes("shopify/checkouts_create.json"))
    data.update({"created_at": clock().isoformat(), "updated_at": clock().isoformat(), **changes})
    return json.dumps(data).encode()


def refusals(services: Services) -> list[dict[str, Any]]:
    return [e for e in services.log.recent() if e.get("outcome") == "refused"]


# --- 1. privacy topics cannot be forged by swapping the topic header -------------------------------


@pytest.mark.parametrize("fixture,topic", [
    ("orders_create.json", "customers/redact"),
    ("checkouts_create.json", "shop/redact"),
    ("orders_paid.json", "shop/redact"),
    ("customers_create.json", "customers/redact"),
    ("orders_create.json", "customers/data_request"),
    ("customers_data_request.json", "shop/redact"),  # a real privacy body, but for another topic
])
def test_a_signed_body_re_sent_under_a_privacy_topic_is_refused_and_erases_nothing(
        tmp_path: Path, clock: Clock, fixture: str, topic: str) -> None:
    services = make_services(tmp_path, clock, shop=shop_with_id())
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")
        tick(services)
        assert services.store.get_sequence("123123123") is not None
        body = shared_bytes(f"shopify/{fixture}").replace(b"{shop}", b"rosies-bakery")
        response = post_shopify(client, body, topic)
    assert response.status_code == 422, response.body
    assert body_of(response)["error"] == "unexpected payload"
    assert "unexpected keys" in body_of(response)["detail"] or "required" in body_of(response)["detail"]
    assert queued(services) == 1  # only the checkout from before
    assert services.store.get_sequence("123123123") is not None  # nothing erased


def test_a_signed_order_re_sent_as_a_checkout_starts_no_reminders(services: Services) -> None:
    with client_for(services) as client:
        for fixture in ("orders_create.json", "orders_paid.json"):
            response = post_shopify(client, shared_bytes(f"shopify/{fixture}"), "checkouts/create")
            assert response.status_code == 422 and "another topic" in body_of(response)["detail"]
    assert queued(services) == 0


def test_privacy_topics_need_the_shop_in_the_header_and_the_body(tmp_path: Path, clock: Clock) -> None:
    services = make_services(tmp_path, clock, shop=shop_with_id())
    body = privacy_body("customers_redact.json")
    with client_for(services) as client:
        headers = shopify_headers(body, "customers/redact")
        del headers["X-Shopify-Shop-Domain"]
        headerless = client.http.post("/webhooks/shopify", body=body, headers=headers)
        assert headerless.status_code == 422 and "X-Shopify-Shop-Domain" in body_of(headerless)["detail"]
        other_body = privacy_body("customers_redact.json", shop="someone-else")
        mismatch = post_shopify(client, other_body, "customers/redact")
        assert mismatch.status_code == 422 and "shop_domain" in body_of(mismatch)["detail"]
        literal = post_shopify(client, shared_bytes("shopify/customers_redact.json"), "customers/redact")
        assert literal.status_code == 422  # Shopify's page sample: the literal "{shop}" is not this shop
        elsewhere = post_shopify(client, body, "customers/redact", shop="someone-else.myshopify.com")
        assert elsewhere.status_code == 202 and "another shop" in body_of(elsewhere)["reason"]
        wrong_id = post_shopify(client, body.replace(str(SAMPLE_SHOP_ID).encode(), b"1234"), "customers/redact")
        assert wrong_id.status_code == 422 and "shop_id" in body_of(wrong_id)["detail"]
        assert post_shopify(client, body, "customers/redact").status_code == 200
    assert queued(services) == 1
    assert len(refusals(services)) == 4  # every refusal is on the record for the owner


def test_shop_redact_is_refused_until_the_shop_id_is_configured_and_then_must_match(
        services: Services, tmp_path: Path, clock: Clock) -> None:
    body = privacy_body("shop_redact.json")
    with client_for(services) as client:
        response = post_shopify(client, body, "shop/redact")
    assert response.status_code == 422 and "shop.shopify_id" in body_of(response)["detail"]
    assert str(SAMPLE_SHOP_ID) in body_of(response)["detail"]  # the owner learns the id to configure
    assert queued(services) == 0 and refusals(services)
    configured = make_services(tmp_path / "configured", clock, shop=shop_with_id(SAMPLE_SHOP_ID + 1))
    with client_for(configured) as client:
        assert post_shopify(client, body, "shop/redact").status_code == 422
    matching = make_services(tmp_path / "matching", clock, shop=shop_with_id())
    with client_for(matching) as client:
        assert body_of(post_shopify(client, body, "shop/redact"))["status"] == "accepted"
    report = tick(matching)
    assert report.dead == 0 and report.processed == 1
    (forgotten,) = [e for e in matching.log.recent() if e.get("outcome") == "forgotten"]
    assert forgotten["shop"] == "rosies-bakery.myshopify.com" and "records_removed" in forgotten


def test_a_customer_redact_is_on_the_record_from_arrival_to_what_it_removed(tmp_path: Path, clock: Clock) -> None:
    services = make_services(tmp_path, clock, shop=shop_with_id())
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock, email="john@example.com"), "checkouts/create")
        tick(services)
        assert post_shopify(client, privacy_body("customers_redact.json"), "customers/redact").status_code == 200
    tick(services)
    entries = services.log.recent()
    (request,) = [e for e in entries if e["decision"] == "PrivacyRequest"]
    assert request["topic"] == "customers/redact" and request["orders"] == ["299938", "280263", "220458"]
    assert request["shop_id"] == str(SAMPLE_SHOP_ID) and request["subject_ref"].startswith("c_")
    (forgotten,) = [e for e in entries if e.get("outcome") == "forgotten"]
    assert forgotten["records_removed"] >= 2  # the customer and their reminder sequence at least
    assert not any("john@" in json.dumps(e) for e in entries)


def test_privacy_schema_refuses_wrong_types_and_extra_keys() -> None:
    from chalicelib.ingress.translate import privacy_shape_problem

    good = json.loads(privacy_body("customers_redact.json"))
    assert privacy_shape_problem("customers/redact", good) is None
    assert privacy_shape_problem("customers/redact", {**good, "shop_id": "954889"})  # a string, not an integer
    assert privacy_shape_problem("customers/redact", {**good, "shop_id": True})
    assert privacy_shape_problem("customers/redact", {**good, "orders_to_redact": [1.5]})
    assert privacy_shape_problem("customers/redact", {**good, "line_items": []})
    assert privacy_shape_problem("customers/redact", {k: v for k, v in good.items() if k != "customer"})
    shop = json.loads(privacy_body("shop_redact.json"))
    assert privacy_shape_problem("shop/redact", shop) is None
    assert privacy_shape_problem("shop/redact", {**shop, "customer": {"id": 1}})
    assert privacy_shape_problem("shop/redact", {"shop_domain": shop["shop_domain"]})


# --- 2. intake never answers 500 for a signed payload it can parse ----------------------------------


def stripe_failed(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(stripe_event(
        shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json"), "invoice.payment_failed"))
    event.update(changes)
    return event


@pytest.mark.parametrize("created", [10**20, -(10**20), 253402300800, -62135596801, 2**63])
def test_out_of_range_stripe_timestamps_are_processed_not_500(services: Services, created: int) -> None:
    with client_for(services) as client:
        response = post_stripe(client, json.dumps(stripe_failed(created=created)).encode())
    assert response.status_code == 200, response.body
    report = tick(services)
    assert report.dead == 0 and report.retried == 0, report.errors


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00", "2026-13-45T99:00:00Z"])
def test_far_future_and_ancient_checkout_dates_are_processed(services: Services, clock: Clock, stamp: str) -> None:
    body = redated_checkout(clock, created_at=stamp, updated_at=stamp)
    with client_for(services) as client:
        assert post_shopify(client, body, "checkouts/create").status_code == 200
    assert tick(services).dead == 0
    clock.advance(hours=2)
    report = tick(services)
    assert report.dead == 0 and report.retried == 0, report.errors
    assert services.worker.run_due_steps(clock()).errors == []  # the sweep runs; no overflow
    assert len(outbox(services)) == 1  # the clock of arrival stood in for the impossible date


def test_lone_surrogates_in_ids_are_a_422_not_a_500(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        stripe = post_stripe(client, json.dumps(stripe_failed(id="evt_\ud800x")).encode())
        assert stripe.status_code == 422 and "id" in body_of(stripe)["detail"]
        checkout = post_shopify(client, redated_checkout(clock, token="tok\udc80"), "checkouts/create")
        assert checkout.status_code == 422 and "token" in body_of(checkout)["detail"]
        email = post_email(client, {**shared_json("email/postmark/postmark-inbound-test-payload.json"),
                                    "MessageID": "m\ud800"})
        assert email.status_code == 200  # an odd message id is replaced by the body's hash, not refused
    assert body_of(email)["delivery"].startswith("email:") and "\\ud800" not in body_of(email)["delivery"]
    report = tick(services)
    assert report.dead == 0 and report.retried == 0, report.errors


@pytest.mark.parametrize("change,words", [
    ({"Headers": "X-Spam-Status: Yes"}, "Headers"),
    ({"Headers": [{"Name": "X", "Value": 5}]}, "Value"),
    ({"ToFull": {"Email": "a@example.com"}}, "ToFull"),
    ({"To": ["a@example.com"]}, "To"),
    ({"FromFull": "support@postmarkapp.com", "From": None}, "FromFull"),
    ({"TextBody": 42}, "TextBody"),
])
def test_postmark_payloads_the_worker_cannot_read_are_refused_at_the_door(
        services: Services, change: dict[str, Any], words: str) -> None:
    payload = {**shared_json("email/postmark/postmark-inbound-test-payload.json"), **change}
    with client_for(services) as client:
        response = post_email(client, payload)
    assert response.status_code == 422, response.body
    assert words in body_of(response)["detail"]
    assert queued(services) == 0


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e999999", "-1e30"])
def test_absurd_amounts_are_a_422(services: Services, clock: Clock, amount: str) -> None:
    with client_for(services) as client:
        response = post_shopify(client, redated_checkout(clock, total_price=amount), "checkouts/create")
    assert response.status_code == 422 and "amount" in body_of(response)["detail"]


def test_wrong_types_are_a_422_with_a_json_error(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        for changes in ({"token": ["a"]}, {"line_items": [{"price": {"x": 1}}]}, {"cart_token": 7},
                        {"customer": {"first_name": 5}, "line_items": "x"}):
            response = post_shopify(client, redated_checkout(clock, **changes), "checkouts/create")
            assert response.status_code == 422, (changes, response.body)
            assert set(body_of(response)) == {"error", "detail"}
        event = stripe_failed()
        event["data"]["object"]["last_payment_error"] = {"payment_method": "pm_123"}  # an unexpanded id
        assert post_stripe(client, json.dumps(event).encode()).status_code == 200
    assert tick(services).dead == 0


# --- 3. addresses and names are checked and cleaned where they enter ---------------------------------


def test_a_checkout_with_a_poisoned_address_is_unreachable_with_a_reason(services: Services,
                                                                          clock: Clock) -> None:
    body = redated_checkout(clock, email="example@email.com\r\nBcc: victim@example.org")
    with client_for(services) as client:
        assert post_shopify(client, body, "checkouts/create").status_code == 200
    report = tick(services)
    assert report.dead == 0 and report.processed == 1
    (note,) = [e for e in services.log.recent() if e.get("outcome") == "noted"]
    assert "cannot be written to" in note["reason"] and "line break" in note["reason"]
    clock.advance(hours=2)
    tick(services)
    assert outbox(services) == []


def test_a_poisoned_name_and_title_are_cleaned_and_the_reminder_still_goes(services: Services,
                                                                             clock: Clock) -> None:
    data = json.loads(redated_checkout(clock))
    data["customer"]["first_name"] = "Jo\ud800hn\u202e\r\nBcc: x@example.org"
    data["billing_address"]["first_name"] = data["customer"]["first_name"]
    data["line_items"][0]["title"] = "IPod\u202e Nano\udc80\n - 8GB"
    data["line_items"][0]["presentment_title"] = data["line_items"][0]["title"]
    with client_for(services) as client:
        assert post_shopify(client, json.dumps(data).encode(), "checkouts/create").status_code == 200
    tick(services)
    clock.advance(hours=2)
    report = tick(services)
    assert report.dead == 0 and report.retried == 0, report.errors
    services.worker.run_due_steps(clock())
    (email,) = outbox(services)
    text = text_of(email)
    assert "\u202e" not in text and "\ud800" not in text and "Bcc:" not in str(email["To"])
    assert "IPod Nano\ufffd - 8GB" in text
    assert email["To"] == "example@email.com"


def test_a_stripe_email_with_a_line_break_makes_the_customer_unreachable(services: Services) -> None:
    event = stripe_failed()
    event["data"]["object"]["customer_email"] = "jane@example.com\nBcc: all@example.org"
    with client_for(services) as client:
        assert post_stripe(client, json.dumps(event).encode()).status_code == 200
    report = tick(services)
    assert report.dead == 0 and report.retried == 0, report.errors
    assert outbox(services) == []
    from chalicelib.domain.events import InvoicePaymentFailed
    from chalicelib.ingress.translate import parse_json, translate_stripe

    translated = translate_stripe(parse_json(json.dumps(event).encode()), services.clock())
    assert isinstance(translated, InvoicePaymentFailed)  # a subscription invoice: the dunning flow's
    assert translated.email is None and "line break" in translated.email_problem


def test_an_sns_message_with_a_raw_lone_surrogate_is_processed_not_raised(services: Services) -> None:
    message = json.dumps(shared_json("email/ses/aws_docs_ses_received_sns_action_notification.json"))
    broken = message.replace("Example subject", "Example \ud800 subject")  # raw, not an escape
    reply = services.intake.ses(broken, "sns-1")  # used to raise UnicodeEncodeError: Lambda retried forever
    assert reply.status == 200, reply.body
    report = tick(services)
    assert report.dead == 0 and report.retried == 0, report.errors
