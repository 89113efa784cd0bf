"""Stripe Checkout recovery: an expired session with a recovery link starts the same help-first reminders as
a Shopify cart; a completed session (or an order) stops them; consent collected at checkout is honoured."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.bootstrap import Services
from tests.conftest import Clock, shared_json
from tests.functional.helpers import (
    client_for,
    live_order,
    log_of,
    outbox,
    post_shopify,
    post_stripe,
    stripe_event,
    subjects,
    text_of,
    tick_at,
)

RECOVERY = "https://buy.stripe.com/r/live_YWNjdF8xTjZ"


def expired_session(promotions: str | None = None, collected: bool = False) -> dict[str, Any]:
    """Stripe's own checkout session fixture, as it reads once expired (Stripe fills in the recovery URL)."""
    session: dict[str, Any] = shared_json("stripe/openapi_fixtures/checkout_session.json")
    session["status"] = "expired"
    session["after_expiration"]["recovery"]["url"] = RECOVERY
    session["amount_total"] = 2400
    session["currency"] = "gbp"
    if collected:
        session["consent_collection"]["promotions"] = "auto"
    session["consent"]["promotions"] = promotions
    return session


def cart_emails(services: Services) -> list[Any]:
    return [m for m in outbox(services) if "basket" in str(m["Subject"]).lower()]


def test_an_expired_session_gets_the_cart_reminders_and_a_completed_one_stops_them(services: Services,
                                                                                   clock: Clock) -> None:
    session = expired_session()
    with client_for(services) as client:
        event = stripe_event(session, "checkout.session.expired", created=clock())
        assert post_stripe(client, event).status_code == 200
    tick_at(services, clock())
    (step,) = services.extras["scheduler"].pending_steps("abandoned_cart")
    assert step.key == f"stripe:{session['id']}"
    clock.advance(hours=1, minutes=1)
    tick_at(services, clock())
    (first,) = cart_emails(services)
    assert first["To"] == "example@example.com" and RECOVERY in text_of(first)
    assert first["List-Unsubscribe"]  # marketing: the unsubscribe link and header, as for Shopify carts
    # The customer goes back and pays: Stripe sends checkout.session.completed for a new session.
    completed = dict(session, id="cs_test_completed", status="complete", customer_details={
        **session["customer_details"], "email": "example@example.com"})
    with client_for(services) as client:
        event = stripe_event(completed, "checkout.session.completed", created=clock())
        assert post_stripe(client, event).status_code == 200
    tick_at(services, clock())
    assert services.extras["scheduler"].pending_steps("abandoned_cart") == []
    clock.advance(days=5)
    tick_at(services, clock())
    assert len(cart_emails(services)) == 1
    assert any("completed a Stripe checkout" in e["reason"] for e in log_of(services, decision="SaveSequence"))


def test_a_shopify_order_also_stops_a_stripe_sequence_re_checked_at_send_time(services: Services,
                                                                              clock: Clock) -> None:
    with client_for(services) as client:
        post_stripe(client, stripe_event(expired_session(), "checkout.session.expired", created=clock()))
        tick_at(services, clock())
        clock.advance(minutes=30)  # the same customer buys through the Shopify store
        post_shopify(client, live_order(clock(), email="example@example.com"), "orders/create")
    clock.advance(hours=1)
    tick_at(services, clock())
    assert cart_emails(services) == []


def test_consent_asked_at_checkout_and_refused_means_no_reminders(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        event = stripe_event(expired_session(None, collected=True), "checkout.session.expired", created=clock())
        post_stripe(client, event)
    tick_at(services, clock())
    assert services.extras["scheduler"].pending_steps("abandoned_cart") == []
    (why,) = log_of(services, decision="Suppress", code="no_consent")
    assert "did not agree to promotional email" in why["reason"]
    with client_for(services) as client:
        opted = dict(expired_session("opt_in", collected=True), id="cs_test_opted_in")
        post_stripe(client, stripe_event(opted, "checkout.session.expired", created=clock()))
    tick_at(services, clock())
    assert [s.key for s in services.extras["scheduler"].pending_steps("abandoned_cart")] == ["stripe:cs_test_opted_in"]
    assert "basket" not in " ".join(subjects(services)).lower()


def test_no_recovery_link_no_reminders(services: Services, clock: Clock) -> None:
    session = expired_session()
    session["after_expiration"] = None
    with client_for(services) as client:
        post_stripe(client, stripe_event(session, "checkout.session.expired", created=clock()))
    tick_at(services, clock())
    assert services.extras["scheduler"].pending_steps("abandoned_cart") == []
    assert json.dumps(log_of(services, decision="Note")).count("no recovery link") == 1
