"""Shopify and Stripe payloads from ../shared/fixtures become the right domain events."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from chalicelib.domain import events as ev
from chalicelib.ingress.translate import SHOPIFY, ShapeError, parse_json, translate_shopify, translate_stripe
from tests.conftest import ROOT, shared_bytes, shared_file

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def shopify(topic: str, name: str | None = None) -> ev.DomainEvent:
    file = name or topic.replace("/", "_") + ".json"
    return translate_shopify(topic, parse_json(shared_bytes(f"shopify/{file}")), NOW)


def test_every_shopify_fixture_translates_to_an_event() -> None:
    for topic in SHOPIFY:
        file = topic.replace("/", "_") + ".json"
        if topic == "customers/update":
            continue  # no 2026-07 sample; the legacy variants are checked below
        if topic == "fulfillment_events/create":
            continue  # no shared sample: tests/fixtures has one built from the documented resource
        assert shared_file(f"shopify/{file}").exists()
        event = shopify(topic)
        assert not isinstance(event, ev.Ignored) or topic.startswith("fulfillments"), (topic, event)


def test_checkout_has_no_id_but_a_token_a_cart_token_and_a_name() -> None:
    event = shopify("checkouts/create")
    assert isinstance(event, ev.CheckoutStarted)
    assert event.checkout_token == "123123123"
    assert event.cart_token == "eeafa272cebfd4b22385bc4b645e762c"
    assert event.checkout_id == "981820079255243537"  # from "name": "#981820079255243537"
    assert event.email == "example@email.com"
    assert event.recovery_url and event.recovery_url.startswith("https://checkout.local/")
    assert [i.title for i in event.items] == ["IPod Nano - 8GB", "IPod Nano - 8GB"]
    assert event.items[0].price == Decimal("199.00")


def test_checkout_delete_matches_the_create_through_id_and_cart_token() -> None:
    created = shopify("checkouts/create")
    deleted = shopify("checkouts/delete")
    assert isinstance(created, ev.CheckoutStarted) and isinstance(deleted, ev.CheckoutDeleted)
    assert deleted.checkout_id == created.checkout_id == "981820079255243537"
    assert deleted.cart_token == created.cart_token


def test_ids_above_2_to_the_53_stay_exact() -> None:
    order = shopify("orders/create")
    assert isinstance(order, ev.OrderPlaced)
    assert order.order_id == "820982911946154508"
    assert int(order.order_id) > 2**53
    assert order.customer_id == "115310627314723954"
    # A float would have rounded it:
    assert str(int(float(order.order_id))) != order.order_id


def test_one_sample_order_four_topics_the_header_decides() -> None:
    created, paid = shopify("orders/create"), shopify("orders/paid")
    assert isinstance(created, ev.OrderPlaced) and not created.paid
    assert isinstance(paid, ev.OrderPlaced) and paid.paid
    assert created.cancelled and created.test  # the sample is cancelled, voided and a test order
    assert isinstance(shopify("orders/fulfilled"), ev.OrderFulfilled)
    assert isinstance(shopify("orders/cancelled"), ev.OrderCancelled)
    assert created.total == Decimal("414.95")  # current_total_price, a string in the payload, Decimal here


def test_consent_arrives_on_its_own_topic() -> None:
    event = shopify("customers_email_marketing_consent/update")
    assert isinstance(event, ev.ConsentChanged)
    assert event.email == "bob@biller.com" and event.state == "not_subscribed" and not event.subscribed
    seen = shopify("customers/create")
    assert isinstance(seen, ev.CustomerSeen) and seen.first_name == "Bob"


def test_privacy_topics_use_the_literal_shop_placeholder() -> None:
    redact = shopify("customers/redact")
    assert isinstance(redact, ev.RedactCustomer)
    assert redact.email == "john@example.com" and redact.customer_id == "191167"
    assert redact.order_ids == ("299938", "280263", "220458")
    assert redact.shop_domain == "{shop}.myshopify.com"
    request = shopify("customers/data_request")
    assert isinstance(request, ev.DataRequested) and request.email
    assert isinstance(shopify("shop/redact"), ev.RedactShop)


def test_refund_line_items_are_numbers_and_currency_can_be_null() -> None:
    refund = shopify("refunds/create")
    assert isinstance(refund, ev.RefundIssued) and int(refund.order_id) > 0


def test_legacy_customer_shape_still_translates() -> None:
    for name in ("customers_update_modified_include_fields_example.json",
                 "customers_update_original_payload_modification_example.json"):
        event = translate_shopify("customers/update", parse_json(shared_bytes(f"shopify/legacy_variants/{name}")),
                                  NOW)
        assert isinstance(event, (ev.CustomerSeen, ev.Ignored))


@pytest.mark.parametrize("body, match", [
    ([], "JSON object"),
    ({"email": "a@b.c"}, "'token' is missing"),
    ({"token": 1.5}, "integer or a string"),
    ({"token": "t", "line_items": "nope", "email": "a@b.c"}, "must be a list"),
])
def test_wrong_shapes_raise_shape_error(body: object, match: str) -> None:
    with pytest.raises(ShapeError, match=match):
        translate_shopify("checkouts/create", body, NOW)


def test_unknown_topic_is_ignored_with_a_reason() -> None:
    event = translate_shopify("products/update", {}, NOW)
    assert isinstance(event, ev.Ignored) and "products/update" in event.why


def wrap(object_file: str, event_type: str) -> dict[str, object]:
    data = parse_json(shared_bytes(object_file))
    inner = data if "object" in data and isinstance(data["object"], dict) else {"object": data}
    return {"id": "evt_1", "object": "event", "type": event_type, "created": 1700000000, "data": inner}


def test_stripe_invoice_payment_failed() -> None:
    event = translate_stripe(wrap("stripe/pay_rails_event_data/invoice.payment_failed.json",
                                  "invoice.payment_failed"), NOW)
    assert isinstance(event, ev.InvoicePaymentFailed)
    assert event.invoice_id == "in_1234"
    assert event.subscription_id == "sub_1234"  # from parent.subscription_details (newer API versions)
    assert event.email == "customer@example.org" and event.stripe_customer == "cus_1234"
    assert event.customer_name == "Example"
    assert event.amount == Decimal("249.00") and event.currency == "USD"
    assert event.retry_url == "https://invoice.stripe.com/"
    assert event.attempt_count == 1
    assert event.next_attempt_at == datetime.fromtimestamp(1745552783, UTC)


def test_stripe_subscription_events_for_dunning() -> None:
    ended = translate_stripe(wrap("stripe/pay_rails_event_data/subscription.deleted.json",
                                  "customer.subscription.deleted"), NOW)
    assert isinstance(ended, ev.SubscriptionEnded) and ended.subscription_id == "sub_00000000000000"
    assert ended.stripe_customer == "cus_00000000000000"
    trial = translate_stripe(wrap("stripe/pay_rails_event_data/subscription.trial_will_end.json",
                                  "customer.subscription.trial_will_end"), NOW)
    assert isinstance(trial, ev.TrialEnding) and not trial.has_payment_method
    assert trial.trial_end == datetime.fromtimestamp(1668971983, UTC) and trial.stripe_customer == "cus_00000000000000"
    paid = translate_stripe(wrap("stripe/openapi_fixtures/invoice.json", "invoice.paid"), NOW)
    assert isinstance(paid, ev.InvoiceSettled) and paid.outcome == "paid"


def test_stripe_checkout_session_expired_keeps_the_recovery_link_and_consent() -> None:
    session = parse_json(shared_bytes("stripe/openapi_fixtures/checkout_session.json"))
    # Stripe's fixture is the session while open; on expiry Stripe fills in the recovery URL.
    assert session["after_expiration"]["recovery"]["enabled"] is True
    session["after_expiration"]["recovery"]["url"] = "https://buy.stripe.com/r/live_abc"
    session["status"] = "expired"
    event = {"id": "evt_2", "object": "event", "type": "checkout.session.expired", "created": 1700000000,
             "data": {"object": session}}
    expired = translate_stripe(event, NOW)
    assert isinstance(expired, ev.StripeCheckoutExpired)
    assert expired.recovery_url == "https://buy.stripe.com/r/live_abc" and expired.email == "example@example.com"
    assert expired.promotions_consent is None  # the session did not ask
    session["consent_collection"]["promotions"] = "auto"
    asked = translate_stripe(event, NOW)
    assert isinstance(asked, ev.StripeCheckoutExpired) and asked.promotions_consent == "not_given"
    session["consent"]["promotions"] = "opt_in"
    agreed = translate_stripe(event, NOW)
    assert isinstance(agreed, ev.StripeCheckoutExpired) and agreed.promotions_consent == "opt_in"


def test_fulfillment_with_tracking_and_the_delivery_scan() -> None:
    shipped = shopify("fulfillments/create")
    assert isinstance(shipped, ev.OrderFulfilled)
    assert shipped.order_id == "820982911946154508" and shipped.fulfillment_id == "123456"
    assert shipped.tracking_company == "UPS" and shipped.tracking_number == "1z827wk74630"
    assert shipped.tracking_url and shipped.tracking_url.startswith("https://www.ups.com/")
    body = (ROOT / "tests" / "fixtures" / "shopify_fulfillment_events_create.json").read_bytes()
    delivered = translate_shopify("fulfillment_events/create", parse_json(body), NOW)
    assert isinstance(delivered, ev.OrderDelivered) and delivered.order_id == "820982911946154508"
    refund = shopify("refunds/create")
    assert isinstance(refund, ev.RefundIssued) and refund.amount == Decimal("85.00")


def test_stripe_other_events() -> None:
    done = translate_stripe(wrap("stripe/pay_rails_event_data/checkout.session.completed.json",
                                 "checkout.session.completed"), NOW)
    assert isinstance(done, ev.StripeCheckoutCompleted) and done.email == "chris@gorails.com"
    dispute = translate_stripe(wrap("stripe/openapi_fixtures/dispute.json", "charge.dispute.created"), NOW)
    assert isinstance(dispute, ev.DisputeOpened) and dispute.amount == Decimal("10.00")
    failed_intent = translate_stripe(wrap("stripe/openapi_fixtures/payment_intent.json",
                                          "payment_intent.payment_failed"), NOW)
    assert isinstance(failed_intent, ev.PaymentFailed) and failed_intent.email is None
    plan = translate_stripe(parse_json(shared_bytes("stripe/openapi_fixtures/event.json")), NOW)
    assert isinstance(plan, ev.Ignored) and "plan.created" in plan.why
