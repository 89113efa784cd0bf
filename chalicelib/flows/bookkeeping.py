"""Bookkeeping: what Warmline remembers about a customer when an event arrives, before any flow runs.

Orders and their status, contacts and whether the customer is upset right now, consent, payments,
disputes, survey answers. Every flow then sees the same, up-to-date customer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..domain import events as ev
from ..domain.cues import AT_RISK_REASON, BEREAVEMENT_REASON, OPT_OUT_REASON
from ..domain.decisions import Decision, Note, SaveCustomer
from ..domain.escalation import assess, is_negative
from ..domain.state import ContactSummary, CustomerState, Escalation, OrderSummary, SurveyRecord
from .base import View, add_business_days

AT_RISK_HOLD = "they wrote that someone else may read their email"  # why automatic emails went off (no text of theirs)
UNTRUSTED = frozenset({"fail", "spam", "virus"})  # sender checks that failed (CustomerMessage.trust)


def record(event: ev.DomainEvent, view: View, now: datetime) -> tuple[list[Decision], View]:
    """The bookkeeping decisions for `event`, and the view the flows then see."""
    decisions = _record(event, view, now)
    return decisions, view.after(decisions)


def _save(customer: CustomerState, why: str) -> list[Decision]:
    return [SaveCustomer(customer, why)]


def promised_by(placed: datetime, view: View) -> str | None:
    days = view.config.dispatch_within_days
    if not days:
        return None
    local = placed.astimezone(ZoneInfo(view.config.timezone))
    return add_business_days(local, days).isoformat()


def _record(event: ev.DomainEvent, view: View, now: datetime) -> list[Decision]:
    customer = view.customer
    match event:
        case ev.OrderPlaced() if event.email:
            current = view.customer_or_new(event.email)
            summary = OrderSummary(
                order_id=event.order_id, name=event.order_name,
                total=str(event.total) if event.total is not None else None, currency=event.currency,
                placed_at=event.occurred_at.isoformat(), financial_status=event.financial_status,
                cancelled=event.cancelled, checkout_token=event.checkout_token, cart_token=event.cart_token,
                refunded=event.financial_status in ("refunded", "partially_refunded"),
                promised_by=promised_by(event.occurred_at, view),
            )
            known = current.order(event.order_id)
            if known is not None:  # orders/create then orders/paid: keep what we learned since
                summary = replace(summary, fulfilled=known.fulfilled, fulfilled_at=known.fulfilled_at,
                                  delivered_at=known.delivered_at, refunded=summary.refunded or known.refunded,
                                  cancelled=summary.cancelled or known.cancelled)
            updated = replace(current.with_order(summary), first_name=event.first_name or current.first_name,
                              customer_id=event.customer_id or current.customer_id)
            return _save(updated, f"remembered order {event.order_name}")
        case ev.OrderPlaced():
            return [Note(f"order {event.order_name} has no email address; nothing to remember")]
        case ev.OrderFulfilled() | ev.OrderDelivered() | ev.OrderCancelled() | ev.RefundIssued():
            known = customer.order(event.order_id) if customer is not None else None
            if customer is None or known is None:
                return [Note(f"{type(event).__name__}: order {event.order_id} is not one we remember")]
            changes: dict[str, object]
            if isinstance(event, ev.OrderFulfilled):
                changes = {"fulfilled": True, "fulfilled_at": known.fulfilled_at or event.occurred_at.isoformat()}
            elif isinstance(event, ev.OrderDelivered):
                changes = {"fulfilled": True, "delivered_at": event.occurred_at.isoformat()}
            elif isinstance(event, ev.OrderCancelled):
                changes = {"cancelled": True}
            else:
                changes = {"refunded": True}
            return _save(customer.with_order_changed(event.order_id, **changes), f"order {event.order_id} updated")
        case ev.CustomerSeen():
            if not event.email:
                return [Note("customer record without an email address")]
            current = view.customer_or_new(event.email)
            return _save(replace(current, first_name=event.first_name or current.first_name,
                                 customer_id=event.customer_id or current.customer_id), "learned the customer's name")
        case ev.ConsentChanged():
            current = view.customer_or_new(event.email)
            consent = "subscribed" if event.subscribed else (
                "unsubscribed" if event.state in ("unsubscribed", "redacted") else current.consent
                if current.consent != "subscribed" else "unknown")
            return _save(replace(current, consent=consent, customer_id=event.customer_id or current.customer_id),
                         f"email marketing consent is now {event.state!r}")
        case ev.PaymentFailed() | ev.InvoicePaymentFailed() if event.email:
            current = view.customer_or_new(event.email)
            when = event.occurred_at.isoformat()  # escalation reads these ("payment failed since the last order")
            failed = (*(p for p in current.failed_payments if p != when), when)
            updated = replace(current, failed_payments=failed[-10:])
            if isinstance(event, ev.InvoicePaymentFailed):
                invoices = (*(i for i in current.open_invoices if i != event.invoice_id), event.invoice_id)
                updated = replace(updated, open_invoices=invoices[-10:],
                                  stripe_customer=event.stripe_customer or updated.stripe_customer)
            return _save(updated, "remembered the failed payment")
        case ev.PaymentSucceeded() if customer is not None and customer.failed_payments:
            return _save(replace(customer, failed_payments=()), "a payment succeeded: failed payments cleared")
        case ev.InvoiceSettled() if customer is not None:
            return _save(replace(customer, open_invoices=tuple(i for i in customer.open_invoices
                                                               if i != event.invoice_id),
                                 failed_payments=() if event.outcome == "paid" else customer.failed_payments),
                         f"invoice {event.invoice_id} {event.outcome}: its reminders end")
        case ev.StripeCheckoutCompleted() if event.email:
            current = view.customer_or_new(event.email)
            summary = OrderSummary(order_id=event.session_id, name="your Stripe checkout",
                                   total=str(event.total) if event.total is not None else None,
                                   currency=event.currency, placed_at=event.occurred_at.isoformat(),
                                   financial_status="paid", source="stripe")
            return _save(current.with_order(summary), "remembered the completed Stripe checkout")
        case ev.DisputeOpened() if event.email:
            current = view.customer_or_new(event.email)
            dispute = f"{event.order_id}:{event.dispute_id}" if event.order_id else event.dispute_id
            if dispute in current.open_disputes:
                return []
            return _save(replace(current, open_disputes=(*current.open_disputes, dispute)),
                         "remembered the open dispute")
        case ev.SurveyAnswered() if customer is not None:
            record = next((s for s in customer.surveys if s.order_id == event.order_id), None)
            if record is None:
                record = SurveyRecord(event.order_id, sent_at=event.occurred_at.isoformat())
            answered = replace(record, score=event.score if event.score is not None else record.score,
                               comment=event.comment or record.comment, answered_at=event.occurred_at.isoformat())
            surveys = tuple(answered if s.order_id == event.order_id else s for s in customer.surveys)
            if answered not in surveys:
                surveys = (*surveys, answered)
            return _save(replace(customer, surveys=surveys),
                         f"survey answer recorded for order {event.order_id}: "
                         + (f"score {answered.score}" if answered.score is not None else "a comment"))
        case ev.CustomerMessage() if event.kind == "customer" and view.reading is not None and event.from_email:
            return _message(event, view, now)
    return []


def _message(event: ev.CustomerMessage, view: View, now: datetime) -> list[Decision]:
    reading = view.reading
    assert reading is not None
    customer = view.customer_or_new(event.from_email)
    if event.from_name and not customer.first_name:
        customer = replace(customer, first_name=event.from_name.split(" ")[0])
    escalation = view.escalation or assess(reading, event.text, view.customer, view.config.escalation, now)
    # A bereavement pauses marketing however it reads ("thank you for the flowers for Dad's funeral"): no cart
    # reminder or offer while the owner decides (marking it handled in the console can pause for up to 90 days).
    upset = (escalation.at_least("alert") or is_negative(reading, view.config.escalation)
             or BEREAVEMENT_REASON in escalation.reasons)
    updated = customer.with_contact(ContactSummary(event.message_id, now.isoformat(), reading.label,
                                                   escalation.level))
    if upset:
        until = now + timedelta(hours=view.config.escalation.upset_cooldown_hours)
        updated = replace(updated, upset_until=until.isoformat())
    why = "; ".join(escalation.reasons) or "nothing worrying"
    if AT_RISK_REASON in escalation.reasons and not updated.automatic_off and event.trust not in UNTRUSTED:
        # "He reads my emails": a thank-you, a cart reminder or a survey may be read by the person they fear. Nothing
        # automatic goes to this address until the owner, who is alerted, turns it back on. Not for a sender that
        # failed the checks (anyone can write a customer's address on the From line): the owner decides, from the
        # inbox, where it waits.
        updated = replace(updated, automatic_off=now.isoformat(), automatic_off_why=AT_RISK_HOLD)
        why += "; automatic emails to them turned off until you turn them back on"
    decisions: list[Decision] = []
    if asks_to_opt_out(escalation) and updated.consent != "unsubscribed":
        # "Stop emailing me" is an unsubscribe. But anyone can put a customer's address on the From line, so only a
        # sender verified by SES's receipt is unsubscribed here (SNS signs the receipt; an Authentication-Results
        # header may be the sender's own writing where no receiver added one); otherwise the owner decides.
        if verified_by_receipt(event):
            updated = replace(updated, consent="unsubscribed")
            why += "; unsubscribed from reminders and marketing at their emailed request (sender verified)"
        else:
            decisions.append(Note("asked by email to stop receiving emails, but the sender is not verified "
                                  f"(sender checks: {event.trust_detail or event.trust}): not unsubscribed "
                                  "automatically; the owner decides"))
    return [*_save(updated, f"message read as {reading.label} ({escalation.level}): {why}"
                   + ("; marketing paused" if upset else "")), *decisions]


def verified_by_receipt(event: ev.CustomerMessage) -> bool:
    """The From line is the sender's own: SES's signed receipt passed it (DMARC, or SPF and DKIM)."""
    return event.trust == "pass" and event.trust_detail.startswith("ses:")


def asks_to_opt_out(escalation: Escalation) -> bool:
    """The customer asks to stop receiving emails ("unsubscribe me", "stop emailing me"): escalation found the cue."""
    return OPT_OUT_REASON in escalation.reasons
