"""decide(): the whole of Warmline's judgement, as a pure function.

event + what we know + how the customer feels + the owner's config + the time
-> a list of decisions, each with the reason a shop owner would give.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..config.model import WarmlineConfig
from ..privacy import mask_pii
from . import events as ev
from .decisions import (
    AlertOwner,
    Decision,
    ExportCustomerData,
    ForgetCustomer,
    ForgetShop,
    HoldForApproval,
    Note,
    SaveCustomer,
    SaveSequence,
    SendEmail,
    Suppress,
)
from .escalation import assess, is_negative
from .state import (
    AbandonedCartSequence,
    CartItem,
    ContactSummary,
    CustomerState,
    OrderSummary,
    SentimentReading,
    World,
)

ACK_QUIET_PERIOD = timedelta(hours=12)


def decide(event: ev.DomainEvent, world: World, reading: SentimentReading | None, config: WarmlineConfig,
           now: datetime) -> list[Decision]:
    """All decisions for one event. Pilot mode turns every customer email into a held one."""
    decisions = _decide(event, world, reading, config, now)
    if config.pilot:
        decisions = [
            HoldForApproval(d, "pilot mode: held for the owner's approval") if isinstance(d, SendEmail) else d
            for d in decisions
        ]
    return decisions


def _decide(event: ev.DomainEvent, world: World, reading: SentimentReading | None, config: WarmlineConfig,
            now: datetime) -> list[Decision]:
    match event:
        case ev.CheckoutStarted():
            return _checkout_started(event, world, config, now)
        case ev.CartStepDue():
            return _cart_step_due(event, world, config, now)
        case ev.CheckoutDeleted():
            return _stop_sequences(world.sequences, "deleted", "the checkout was deleted")
        case ev.OrderPlaced():
            return _order_placed(event, world, config, now)
        case ev.CustomerMessage():
            return _customer_message(event, world, reading, config, now)
        case ev.MessageUnreadable():
            return [AlertOwner(
                key=f"unreadable:{event.message_id}", customer_email=event.from_email, level="watch",
                headline=f"An email Warmline could not read: {event.subject[:80] or '(no subject)'}", excerpt="",
                reasons=(event.why, "please read and answer it in your inbox"), recent_orders=(),
                reason="nothing a customer sends is dropped unseen: a person reads what Warmline cannot")]
        case ev.PaymentFailed():
            return _payment_failed(event, world, config, now)
        case ev.PaymentSucceeded():
            return _payment_succeeded(event, world)
        case ev.DisputeOpened():
            return _dispute_opened(event, world, config)
        case ev.OrderCancelled() | ev.OrderFulfilled() | ev.RefundIssued():
            return _order_changed(event, world)
        case ev.CustomerSeen():
            return _customer_seen(event, world)
        case ev.ConsentChanged():
            return _consent_changed(event, world)
        case ev.RedactCustomer():
            return [ForgetCustomer(event.email, event.customer_id, event.order_ids,
                                   "Shopify customers/redact: the customer asked to be forgotten")]
        case ev.RedactShop():
            return [ForgetShop(event.shop_domain, "Shopify shop/redact: the shop uninstalled the app 48 hours ago")]
        case ev.DataRequested():
            return _data_requested(event)
        case ev.Ignored():
            return [Note(event.why, {"source": event.source, "kind": event.kind})]
    return [Note(f"no policy for {type(event).__name__}")]


def _data_requested(event: ev.DataRequested) -> list[Decision]:
    import hashlib

    export_id = "data_request-" + (event.request_id or hashlib.sha256(
        f"{event.email}:{event.customer_id}".encode()).hexdigest()[:12])
    why = "Shopify customers/data_request: the customer asked for their data"
    return [
        ExportCustomerData(event.email, event.customer_id, event.request_id, why, export_id),
        AlertOwner(key=f"data_request:{export_id}", customer_email=event.email, level="watch",
                   headline="A customer asked for the data your shop keeps about them",
                   excerpt="", reasons=("Shopify data request: send the customer their data (Shopify expects it "
                                        "within 30 days)",), recent_orders=(), export_id=export_id,
                   reason="the owner must pass the export on to the customer"),
    ]


# --- helpers ---------------------------------------------------------------------
def _customer(world: World, email: str) -> CustomerState:
    return world.customer if world.customer is not None else CustomerState(email=email)


def _local(now: datetime, config: WarmlineConfig) -> datetime:
    return now.astimezone(ZoneInfo(config.timezone))


def quiet_until(now: datetime, config: WarmlineConfig) -> datetime | None:
    """If `now` is within quiet hours, when they end (as an aware datetime)."""
    quiet = config.quiet_hours
    if quiet is None:
        return None
    local = _local(now, config)
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return None
    end = local.replace(hour=quiet.end.hour, minute=quiet.end.minute, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end


def _brand(config: WarmlineConfig) -> dict[str, Any]:
    return {"shop_name": config.shop_name, "sign_off": config.sign_off, "voice": config.brand_voice,
            "reply_hours": config.reply_promise_hours}


def _order_matches(order: OrderSummary, seq: AbandonedCartSequence) -> bool:
    if order.cancelled:
        return False
    if order.checkout_token and order.checkout_token == seq.checkout_token:
        return True
    if order.cart_token and seq.cart_token and order.cart_token == seq.cart_token:
        return True
    # Same customer ordered after the checkout began: they bought, don't nag.
    return datetime.fromisoformat(order.placed_at) >= datetime.fromisoformat(seq.started_at)


def _stop_sequences(sequences: tuple[AbandonedCartSequence, ...], status: Any, why: str) -> list[Decision]:
    active = [s for s in sequences if s.status == "active"]
    if not active:
        return [Note(f"{why}; no reminder sequence was running")]
    return [SaveSequence(replace(s, status=status, status_reason=why), f"reminders stopped for good: {why}")
            for s in active]


# --- abandoned checkout -------------------------------------------------------------
def _checkout_started(event: ev.CheckoutStarted, world: World, config: WarmlineConfig,
                      now: datetime) -> list[Decision]:
    flow = config.flows.abandoned_cart
    existing = next((s for s in world.sequences if s.checkout_token == event.checkout_token), None)
    if event.completed:
        return _stop_sequences(tuple(s for s in world.sequences if s.checkout_token == event.checkout_token),
                               "purchased", "the checkout was completed")
    customer = _customer(world, event.email)
    decisions: list[Decision] = []
    if event.first_name and customer.first_name != event.first_name:
        customer = replace(customer, first_name=event.first_name)
        decisions.append(SaveCustomer(customer, "learned the customer's first name from their checkout"))
    items = _cart_items(event.items)
    if existing is not None:
        if existing.status != "active":
            return [*decisions, Note(f"checkout updated, but its reminders already ended ({existing.status})")]
        updated = replace(existing, email=event.email, items=items, recovery_url=event.recovery_url or
                          existing.recovery_url, first_name=event.first_name or existing.first_name,
                          total=str(event.total) if event.total is not None else existing.total)
        return [*decisions, SaveSequence(updated, "checkout updated: the reminders will show the current cart")]
    if not flow.enabled:
        return [*decisions, Note("abandoned-cart reminders are turned off in the config")]
    if customer.consent == "unsubscribed":
        return [*decisions, Suppress("abandoned-cart reminders", event.email,
                                     "the customer unsubscribed from marketing email")]
    if flow.consent == "opted_in_only" and not event.accepts_marketing and customer.consent != "subscribed":
        return [*decisions, Suppress("abandoned-cart reminders", event.email,
                                     "the customer did not accept marketing, and the config asks for opt-in")]
    if any(_order_matches(o, _probe(event)) for o in customer.orders):
        return [*decisions, Note("the customer already ordered since this checkout began; no reminders")]
    due = [event.occurred_at + timedelta(hours=s.delay_hours) for s in flow.steps]
    if due[-1] <= now:
        return [*decisions, Note("checkout is older than the last reminder step; no reminders started",
                                 {"checkout_at": event.occurred_at.isoformat()})]
    # Skip steps that are overdue when a later one is overdue too: never send two at once.
    first = max((i for i, d in enumerate(due) if d <= now), default=0)
    sequence = AbandonedCartSequence(
        checkout_token=event.checkout_token, email=event.email, started_at=event.occurred_at.isoformat(),
        due=tuple(d.isoformat() for d in due), next_step=first, cart_token=event.cart_token,
        checkout_id=event.checkout_id, first_name=event.first_name, recovery_url=event.recovery_url, items=items,
        total=str(event.total) if event.total is not None else None, currency=event.currency,
    )
    reason = f"checkout left with {len(items)} item(s): {len(due) - first} friendly reminder(s) scheduled"
    if first:
        reason += f" (skipped {first} already overdue)"
    return [*decisions, SaveSequence(sequence, reason)]


def _cart_items(items: tuple[ev.LineItem, ...]) -> tuple[CartItem, ...]:
    """One line per product: repeated lines of the same item and variant are added together."""
    merged: dict[tuple[str, str | None], CartItem] = {}
    for item in items:
        key = (item.title, item.variant)
        price = str(item.price) if item.price is not None else None
        seen = merged.get(key)
        merged[key] = CartItem(item.title, item.quantity + (seen.quantity if seen else 0), price)
    return tuple(merged.values())


def _probe(event: ev.CheckoutStarted) -> AbandonedCartSequence:
    return AbandonedCartSequence(event.checkout_token, event.email, event.occurred_at.isoformat(), (),
                                 cart_token=event.cart_token)


def _cart_step_due(event: ev.CartStepDue, world: World, config: WarmlineConfig, now: datetime) -> list[Decision]:
    seq = next((s for s in world.sequences if s.checkout_token == event.checkout_token), None)
    if seq is None or seq.status != "active" or seq.next_step != event.step:
        return [Note("reminder no longer due (already sent, stopped or moved)",
                     {"checkout": event.checkout_token, "step": str(event.step)})]
    if datetime.fromisoformat(seq.due[event.step]) > now:
        return [Note("reminder not due yet", {"checkout": event.checkout_token, "due": seq.due[event.step]})]
    customer = _customer(world, seq.email)
    step = config.flows.abandoned_cart.steps[min(event.step, len(config.flows.abandoned_cart.steps) - 1)]
    what = f"abandoned-cart reminder {event.step + 1}"
    advanced = _advance(seq)

    def skip(why: str) -> list[Decision]:
        return [Suppress(what, seq.email, why, key=_cart_key(seq, event.step)),
                SaveSequence(advanced, f"{what} skipped: {why}")]

    if not config.flows.abandoned_cart.enabled:
        return _stop_sequences((seq,), "stopped", "abandoned-cart reminders were turned off")
    purchase = next((o for o in customer.orders if _order_matches(o, seq)), None)
    if purchase is not None:
        return [Suppress(what, seq.email, f"the customer already bought (order {purchase.name})"),
                SaveSequence(replace(seq, status="purchased", status_reason=f"order {purchase.name}"),
                             "reminders stopped for good: the customer bought")]
    if customer.consent == "unsubscribed":
        return [Suppress(what, seq.email, "the customer unsubscribed from marketing email"),
                SaveSequence(replace(seq, status="stopped", status_reason="unsubscribed"),
                             "reminders stopped for good: the customer unsubscribed")]
    if customer.is_upset(now):
        return skip("the customer has an open unhappy conversation; a person should reply, not marketing")
    quiet_end = quiet_until(now, config)
    if quiet_end is not None:
        due = list(seq.due)
        due[event.step] = quiet_end.isoformat()
        return [SaveSequence(replace(seq, due=tuple(due)),
                             f"{what} waits for the end of quiet hours ({quiet_end:%H:%M} shop time)")]
    cap = config.frequency_cap
    if customer.marketing_since(now - timedelta(days=cap.per_days)) >= cap.max_marketing_emails:
        return skip(f"frequency cap: already {cap.max_marketing_emails} marketing email(s) "
                    f"in {cap.per_days} days")
    email = SendEmail(
        key=_cart_key(seq, event.step), to=seq.email, template=step.template, kind="marketing",
        context={**_brand(config), "first_name": seq.first_name or customer.first_name,
                 "items": [{"title": i.title, "quantity": i.quantity, "price": i.price} for i in seq.items],
                 "recovery_url": seq.recovery_url, "total": seq.total, "currency": seq.currency,
                 "step": event.step + 1, "steps": len(seq.due)},
        reason=f"{what} of {len(seq.due)}: the checkout was left {_ago(seq.started_at, now)} ago",
        checkout_token=seq.checkout_token, step=event.step,
    )
    keep = timedelta(days=cap.per_days)
    return [email,
            SaveSequence(advanced, f"{what} sent; " + ("next one scheduled" if advanced.status == "active"
                                                       else "that was the last one")),
            SaveCustomer(customer.with_marketing_sent(now, keep), "counted toward the frequency cap")]


def _cart_key(seq: AbandonedCartSequence, step: int) -> str:
    return f"cart:{seq.checkout_token}:step:{step}"


def _advance(seq: AbandonedCartSequence) -> AbandonedCartSequence:
    nxt = seq.next_step + 1
    if nxt >= len(seq.due):
        return replace(seq, next_step=nxt, status="finished", status_reason="all reminders done")
    return replace(seq, next_step=nxt)


def _ago(iso: str, now: datetime) -> str:
    hours = (now - datetime.fromisoformat(iso)).total_seconds() / 3600
    return f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"


# --- orders and payments ----------------------------------------------------------
def _order_placed(event: ev.OrderPlaced, world: World, config: WarmlineConfig, now: datetime) -> list[Decision]:
    decisions: list[Decision] = []
    matching = tuple(
        s for s in world.sequences
        if s.checkout_token in (event.checkout_token,) or (event.cart_token and s.cart_token == event.cart_token)
        or (event.checkout_id and s.checkout_id == event.checkout_id) or (event.email and s.email == event.email)
    )
    if any(s.status == "active" for s in matching) and not event.cancelled:
        decisions += _stop_sequences(matching, "purchased", f"the customer placed order {event.order_name}")
    if not event.email:
        return [*decisions, Note(f"order {event.order_name} has no email address; nothing to remember")]
    customer = _customer(world, event.email)
    summary = OrderSummary(
        order_id=event.order_id, name=event.order_name, total=str(event.total) if event.total is not None else None,
        currency=event.currency, placed_at=event.occurred_at.isoformat(), financial_status=event.financial_status,
        cancelled=event.cancelled, checkout_token=event.checkout_token, cart_token=event.cart_token,
        refunded=event.financial_status in ("refunded", "partially_refunded"),
        promised_by=(event.occurred_at + timedelta(days=config.dispatch_within_days)).isoformat()
        if config.dispatch_within_days else None,
    )
    customer = replace(customer.with_order(summary), first_name=event.first_name or customer.first_name,
                       customer_id=event.customer_id or customer.customer_id)
    decisions.append(SaveCustomer(customer, f"remembered order {event.order_name}"))
    if not event.paid:
        return decisions
    flow = config.flows.thank_you
    what = f"thank-you for order {event.order_name}"
    if not flow.enabled:
        decisions.append(Note("thank-you emails are turned off in the config"))
    elif event.cancelled:
        decisions.append(Suppress(what, event.email, "the order is cancelled"))
    elif customer.is_upset(now):
        decisions.append(Suppress(what, event.email, "the customer is upset right now; a person should write first"))
    else:
        decisions.append(SendEmail(
            key=f"thanks:{event.order_id}", to=event.email, template=flow.template, kind="service",
            context={**_brand(config), "first_name": customer.first_name, "order_name": event.order_name,
                     "items": [{"title": i.title, "quantity": i.quantity} for i in event.items],
                     "repeat": len(customer.orders) > 1},
            reason=f"order {event.order_name} was paid: a personal thank-you",
        ))
    return decisions


def _payment_failed(event: ev.PaymentFailed, world: World, config: WarmlineConfig, now: datetime) -> list[Decision]:
    if not event.email:
        return [Note("payment failed, but Stripe gave no email address to write to")]
    customer = _customer(world, event.email)
    when = event.occurred_at.isoformat()  # escalation reads these as times ("payment failed since the last order")
    failed = (*(p for p in customer.failed_payments if p != when), when)
    decisions: list[Decision] = [SaveCustomer(replace(customer, failed_payments=failed[-10:]),
                                              "remembered the failed payment")]
    what = "gentle note about a failed payment"
    if not config.flows.payment_failed.enabled:
        decisions.append(Note("failed-payment notes are turned off in the config"))
    elif customer.is_upset(now):
        decisions.append(Suppress(what, event.email, "the customer is upset right now; a person should write first"))
    else:
        decisions.append(SendEmail(
            key=f"payment_failed:{event.payment_id}", to=event.email, template=config.flows.payment_failed.template,
            kind="service",
            context={**_brand(config), "first_name": event.customer_name or customer.first_name,
                     "amount": str(event.amount) if event.amount is not None else None, "currency": event.currency,
                     "retry_url": event.retry_url},
            reason="a payment failed: one calm note with a way to fix it (never repeated for the same payment)",
        ))
    return decisions


def _payment_succeeded(event: ev.PaymentSucceeded, world: World) -> list[Decision]:
    if not event.email or world.customer is None or not world.customer.failed_payments:
        return [Note("payment succeeded; nothing to change")]
    return [SaveCustomer(replace(world.customer, failed_payments=()), "a payment succeeded: failed payments cleared")]


def _dispute_opened(event: ev.DisputeOpened, world: World, config: WarmlineConfig) -> list[Decision]:
    decisions: list[Decision] = []
    amount = f"{event.amount} {event.currency or ''}".strip() if event.amount is not None else "an amount"
    order = f"order {event.order_id}" if event.order_id else "a payment"
    if event.email:
        customer = _customer(world, event.email)
        dispute = f"{event.order_id}:{event.dispute_id}" if event.order_id else event.dispute_id
        decisions.append(SaveCustomer(replace(customer, open_disputes=(*customer.open_disputes, dispute)),
                                      "remembered the open dispute"))
    reasons = (f"a {event.source} dispute ({event.reason or 'no reason given'}) for {amount} on {order}",)
    decisions.append(AlertOwner(
        key=f"dispute:{event.dispute_id}", customer_email=event.email, level="urgent",
        headline=f"Dispute opened on {order}", excerpt=f"Reason: {event.reason or 'not given'}",
        reasons=reasons, recent_orders=(), reason="a dispute needs your evidence before its deadline",
    ))
    return decisions


def _order_changed(event: ev.OrderCancelled | ev.OrderFulfilled | ev.RefundIssued, world: World) -> list[Decision]:
    if world.customer is None:
        return [Note(f"{type(event).__name__}: no stored customer for this order")]
    customer = world.customer
    orders = []
    changed = False
    for o in customer.orders:
        if o.order_id == event.order_id:
            changed = True
            if isinstance(event, ev.OrderCancelled):
                o = replace(o, cancelled=True)
            elif isinstance(event, ev.OrderFulfilled):
                o = replace(o, fulfilled=True)
            else:
                o = replace(o, refunded=True)
        orders.append(o)
    if not changed:
        return [Note(f"{type(event).__name__}: order {event.order_id} is not one we remember")]
    return [SaveCustomer(replace(customer, orders=tuple(orders)), f"order {event.order_id} updated")]


def _customer_seen(event: ev.CustomerSeen, world: World) -> list[Decision]:
    if not event.email:
        return [Note("customer record without an email address")]
    customer = _customer(world, event.email)
    updated = replace(customer, first_name=event.first_name or customer.first_name,
                      customer_id=event.customer_id or customer.customer_id)
    return [SaveCustomer(updated, "learned the customer's name")]


def _consent_changed(event: ev.ConsentChanged, world: World) -> list[Decision]:
    customer = _customer(world, event.email)
    consent = "subscribed" if event.subscribed else (
        "unsubscribed" if event.state in ("unsubscribed", "redacted") else customer.consent
        if customer.consent != "subscribed" else "unknown")
    decisions: list[Decision] = [SaveCustomer(replace(customer, consent=consent,
                                                      customer_id=event.customer_id or customer.customer_id),
                                              f"email marketing consent is now {event.state!r}")]
    if consent == "unsubscribed":
        decisions += _stop_sequences(world.sequences, "stopped", "the customer unsubscribed from marketing email")
    return decisions


# --- inbound email ----------------------------------------------------------------
def _customer_message(event: ev.CustomerMessage, world: World, reading: SentimentReading | None,
                      config: WarmlineConfig, now: datetime) -> list[Decision]:
    if event.kind != "customer":
        return [Note(f"not answered: the message is a {event.kind.replace('_', ' ')}",
                     {"message_id": event.message_id})]
    flow = config.flows.unhappy_customer
    customer = _customer(world, event.from_email)
    if event.from_name and not customer.first_name:
        customer = replace(customer, first_name=event.from_name.split(" ")[0])
    if reading is None:
        return [Note("no sentiment reading for the message")]
    escalation = assess(reading, event.text, world.customer, config.escalation, now)
    upset = escalation.at_least("alert") or is_negative(reading, config.escalation)
    contact = ContactSummary(event.message_id, now.isoformat(), reading.label, escalation.level)
    recent_alert = any(c.level in ("alert", "urgent") and datetime.fromisoformat(c.at) >= now - ACK_QUIET_PERIOD
                       for c in customer.contacts if c.message_id != event.message_id)
    updated = customer.with_contact(contact)
    if upset:
        until = now + timedelta(hours=config.escalation.upset_cooldown_hours)
        updated = replace(updated, upset_until=until.isoformat())
    why = "; ".join(escalation.reasons) or "nothing worrying"
    decisions: list[Decision] = [SaveCustomer(updated, f"message read as {reading.label} ({escalation.level}): {why}"
                                              + ("; marketing paused" if upset else ""))]
    if not flow.enabled:
        return [*decisions, Note("unhappy-customer alerts are turned off in the config")]
    orders = tuple(f"{o.name} ({o.total or '?'} {o.currency or ''}, {o.placed_at[:10]})".replace(" ,", ",")
                   for o in customer.orders[-3:])
    if not escalation.at_least("alert"):
        if escalation.inbox:  # e.g. a language the local engine cannot read: the owner reads it, no text
            decisions.append(AlertOwner(
                key=f"inbox:{event.message_id}", customer_email=event.from_email, level="watch",
                headline=f"A message for you to read: {event.subject[:80] or '(no subject)'}",
                excerpt=mask_pii(_excerpt(event.text)), reasons=escalation.reasons, recent_orders=orders,
                reason=f"escalation {escalation.level}: {why}"))
        return [*decisions, Note(f"no alert: escalation level {escalation.level}",
                                 {"reasons": why, "negative": f"{reading.negative:.2f}"})]
    decisions.append(AlertOwner(
        key=f"alert:{event.message_id}", customer_email=event.from_email, level=escalation.level,
        headline=f"{customer.first_name or event.from_email} needs a reply: {event.subject[:80]}",
        excerpt=mask_pii(_excerpt(escalation.excerpt or event.text)), reasons=escalation.reasons,
        recent_orders=orders, score=reading.negative,
        reason=f"escalation {escalation.level}: {why}",
    ))
    if not flow.acknowledge:
        decisions.append(Note("automatic acknowledgements are turned off in the config"))
    elif recent_alert:
        decisions.append(Suppress("automatic acknowledgement", event.from_email,
                                  "already acknowledged this customer in the last 12 hours",
                                  key=f"ack:{event.message_id}"))
    else:
        decisions.append(SendEmail(
            key=f"ack:{event.message_id}", to=event.from_email, template=flow.template, kind="acknowledgement",
            context={**_brand(config), "first_name": customer.first_name, "subject": event.subject,
                     "in_reply_to": event.message_id},
            reason="an upset customer gets an honest, immediate acknowledgement while a person is alerted",
        ))
    return decisions


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
