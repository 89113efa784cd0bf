"""Dunning: a subscription payment failed. Follows Stripe's own retry schedule (`next_payment_attempt`):
a gentle first note, a clearer one shortly before the last attempt, nothing once the invoice is paid or
voided or the subscription ends. A trial ending without a card on file gets a friendly heads-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain import events as ev
from ..domain.decisions import AlertOwner, CancelSteps, Decision, Note, ScheduleStep, SendEmail
from .base import Flow, View, money

NAME = "dunning"


@dataclass(frozen=True)
class Config:
    enabled: bool
    first_template: str
    final_template: str
    trial_template: str
    retry_attempts: int
    notice_hours: float


def _context(event: ev.InvoicePaymentFailed, view: View) -> dict[str, object]:
    first = (event.customer_name or "").split(" ")[0] or (view.customer.first_name if view.customer else None)
    return {**view.brand(), "first_name": first, "currency": event.currency,
            "amount": money(event.amount, event.currency), "retry_url": event.retry_url,
            "next_attempt": event.next_attempt_at.date().isoformat() if event.next_attempt_at else None}


def failed(event: ev.InvoicePaymentFailed, view: View, config: Config, now: datetime) -> list[Decision]:
    if not event.email:
        return [Note(f"invoice {event.invoice_id} failed, but Stripe gave no email address")]
    group = event.subscription_id or event.invoice_id
    out: list[Decision] = []
    if event.attempt_count <= 1:
        out.append(SendEmail(
            key=f"dunning:{event.invoice_id}:first", to=event.email, template=config.first_template,
            kind="service", flow=NAME, context=_context(event, view),
            reason="a subscription payment failed: a gentle note (Stripe will try again on its own)"))
    if event.next_attempt_at is None:
        if event.attempt_count > 1:
            out.append(AlertOwner(
                key=f"dunning:{event.invoice_id}:exhausted", customer_email=event.email, level="watch",
                headline="A subscription payment failed for the last time",
                excerpt="", reasons=(f"invoice {event.invoice_id}: {event.attempt_count} attempts failed and Stripe "
                                     "will not retry",), recent_orders=(),
                reason="Stripe has stopped retrying: a personal word may keep this subscriber"))
        return out or [Note(f"invoice {event.invoice_id} failed; Stripe will not retry it")]
    if event.attempt_count >= config.retry_attempts - 1:  # the next attempt is the last one
        due = max(now, event.next_attempt_at - timedelta(hours=config.notice_hours))
        out.append(ScheduleStep(NAME, f"{event.invoice_id}:final", due.isoformat(),
                                {"invoice_id": event.invoice_id, "context": _context(event, view)},
                                f"Stripe's last retry is on {event.next_attempt_at:%Y-%m-%d}: a clearer note "
                                "shortly before it", email=event.email, group=group))
    return out or [Note(f"invoice {event.invoice_id} failed again; Stripe retries on "
                        f"{event.next_attempt_at:%Y-%m-%d}, no note needed yet")]


def final_notice(event: ev.StepDue, view: View, config: Config, now: datetime) -> list[Decision]:
    invoice_id = str(event.data.get("invoice_id", ""))
    customer = view.customer
    if customer is None or invoice_id not in customer.open_invoices:
        return [Note(f"invoice {invoice_id} is settled: no reminder")]
    context = dict(event.data.get("context") or {})
    return [SendEmail(key=f"dunning:{invoice_id}:final", to=customer.email, template=config.final_template,
                      kind="service", flow=NAME, context={**view.brand(), **context},
                      reason="Stripe's last retry is close: a clearer note with the way to fix it")]


def settled(event: ev.InvoiceSettled, view: View, config: Config, now: datetime) -> list[Decision]:
    return [CancelSteps(NAME, f"invoice {event.invoice_id} {event.outcome}: no more reminders",
                        group=event.subscription_id or event.invoice_id)]


def ended(event: ev.SubscriptionEnded, view: View, config: Config, now: datetime) -> list[Decision]:
    return [CancelSteps(NAME, f"subscription {event.subscription_id} ended: no more reminders",
                        group=event.subscription_id)]


def trial_ending(event: ev.TrialEnding, view: View, config: Config, now: datetime) -> list[Decision]:
    if event.has_payment_method:
        return [Note("trial ends soon; a payment method is on file, nothing to say")]
    email = event.email or (view.customer.email if view.customer else None)
    if not email:
        return [Note("trial ends soon without a payment method, but we know no address for this customer")]
    return [SendEmail(
        key=f"trial:{event.subscription_id}", to=email, template=config.trial_template, kind="service", flow=NAME,
        context={**view.brand(), "first_name": view.customer.first_name if view.customer else None,
                 "trial_end": event.trial_end.date().isoformat() if event.trial_end else None},
        reason="the free trial ends soon and no payment method is on file: a friendly heads-up")]


FLOW: Flow[Config] = Flow(
    name=NAME, title="subscription payment reminders",
    summary="Follows Stripe's retry schedule after a failed subscription payment: a gentle note, a clearer one "
            "before the last attempt, and a heads-up before a trial ends without a card.",
    config_type=Config, kind="service", templates=("dunning_first", "dunning_final", "trial_ending"),
    topics=("stripe invoice.payment_failed", "stripe invoice.paid", "stripe invoice.voided",
            "stripe customer.subscription.deleted", "stripe customer.subscription.trial_will_end"),
    handlers={ev.InvoicePaymentFailed: failed, ev.StepDue: final_notice, ev.InvoiceSettled: settled,
              ev.SubscriptionEnded: ended, ev.TrialEnding: trial_ending},
)
