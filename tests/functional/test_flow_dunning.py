"""Dunning: Stripe's real invoice.payment_failed sample, following next_payment_attempt: a gentle first note,
a clearer one before the last attempt, nothing once invoice.paid arrives; a trial ending without a card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.bootstrap import Services
from tests.conftest import Clock, shared_json
from tests.functional.helpers import client_for, outbox, post_stripe, stripe_event, subjects, text_of, tick_at


def failed_invoice(attempt: int, next_attempt: datetime | None) -> dict[str, Any]:
    data: dict[str, Any] = shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json")
    data["object"].update(attempt_count=attempt,
                          next_payment_attempt=int(next_attempt.timestamp()) if next_attempt else None)
    return data


def send(services: Services, body: bytes) -> None:
    with client_for(services) as client:
        assert post_stripe(client, body).status_code == 200


def test_dunning_follows_stripes_retries_and_stops_when_paid(services: Services, clock: Clock) -> None:
    retries = [clock() + timedelta(days=d) for d in (3, 5, 7)]  # Stripe's schedule: attempts 2, 3 and the last, 4
    send(services, stripe_event(failed_invoice(1, retries[0]), "invoice.payment_failed", created=clock()))
    tick_at(services, clock())
    (first,) = outbox(services)
    assert first["Subject"] == "Your subscription payment to Rosie's Bakery didn't go through"
    text = text_of(first)
    assert "249.00 USD" in text and "https://invoice.stripe.com/" in text and "we'll try again" in text
    clock.now = retries[0]
    send(services, stripe_event(failed_invoice(2, retries[1]), "invoice.payment_failed", created=clock()))
    tick_at(services, clock())
    assert len(outbox(services)) == 1  # attempt 2 failing says nothing new
    clock.now = retries[1]
    # the next attempt is the last
    event = stripe_event(failed_invoice(3, retries[2]), "invoice.payment_failed", created=clock())
    send(services, event)
    tick_at(services, clock())
    (step,) = services.extras["scheduler"].pending_steps("dunning")
    assert datetime.fromisoformat(step.due) == retries[2] - timedelta(hours=24)
    tick_at(services, retries[2] - timedelta(hours=25))
    assert len(outbox(services)) == 1
    clock.now = retries[2] - timedelta(hours=23)
    tick_at(services, clock())
    assert subjects(services)[-1] == "Your subscription to Rosie's Bakery: one more payment attempt left"


def test_invoice_paid_before_the_last_attempt_stops_the_clearer_note(services: Services, clock: Clock) -> None:
    last = clock() + timedelta(days=2)
    send(services, stripe_event(failed_invoice(3, last), "invoice.payment_failed", created=clock()))
    tick_at(services, clock())
    assert services.extras["scheduler"].pending_steps("dunning")
    paid = shared_json("stripe/pay_rails_event_data/invoice.payment_failed.json")
    paid["object"].update(status="paid", attempt_count=3, next_payment_attempt=None)
    send(services, stripe_event(paid, "invoice.paid", created=clock()))
    tick_at(services, clock())
    assert services.extras["scheduler"].pending_steps("dunning") == []
    tick_at(services, last)
    assert outbox(services) == []  # attempt 3 sends no first note, and the clearer one was cancelled


def test_a_subscription_that_ends_stops_its_reminders(services: Services, clock: Clock) -> None:
    send(services, stripe_event(failed_invoice(3, clock() + timedelta(days=2)), "invoice.payment_failed"))
    tick_at(services, clock())
    ended = shared_json("stripe/pay_rails_event_data/subscription.deleted.json")
    ended["object"]["id"] = "sub_1234"  # the invoice's subscription
    send(services, stripe_event(ended, "customer.subscription.deleted", created=clock()))
    tick_at(services, clock())
    assert services.extras["scheduler"].pending_steps("dunning") == []


def test_a_trial_ending_without_a_card_gets_a_friendly_heads_up(services: Services, clock: Clock) -> None:
    # The customer is known from an earlier invoice (subscription events carry only Stripe's customer id).
    invoice = failed_invoice(1, clock() + timedelta(days=3))
    invoice["object"]["customer"] = "cus_00000000000000"
    send(services, stripe_event(invoice, "invoice.payment_failed", created=clock()))
    trial = shared_json("stripe/pay_rails_event_data/subscription.trial_will_end.json")
    trial["object"]["trial_end"] = int((clock() + timedelta(days=3)).timestamp())
    send(services, stripe_event(trial, "customer.subscription.trial_will_end", created=clock()))
    tick_at(services, clock())
    heads_up = [m for m in outbox(services) if "free trial" in str(m["Subject"])]
    assert len(heads_up) == 1 and heads_up[0]["To"] == "customer@example.org"
    assert (clock() + timedelta(days=3)).astimezone(UTC).date().isoformat() in text_of(heads_up[0])
