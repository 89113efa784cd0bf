"""Abandoned checkout: a helpful, never pushy, reminder sequence for Shopify carts and Stripe Checkout
sessions alike. One pending step per checkout on the shared scheduler; any purchase stops it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from ..domain import events as ev
from ..domain.decisions import CancelSteps, Decision, Note, SaveSequence, ScheduleStep, SendEmail, Suppress
from ..domain.state import AbandonedCartSequence, CartItem, CartStatus, OrderSummary
from .base import Flow, SequenceLookup, View, ago

NAME = "abandoned_cart"


@dataclass(frozen=True)
class Step:
    delay_hours: float
    template: str


@dataclass(frozen=True)
class Config:
    enabled: bool
    consent: Literal["unless_unsubscribed", "opted_in_only"]
    steps: tuple[Step, ...]


def _key(seq: AbandonedCartSequence, step: int) -> str:
    return f"cart:{seq.checkout_token}:step:{step}"


def _schedule(seq: AbandonedCartSequence, why: str) -> ScheduleStep:
    return ScheduleStep(NAME, seq.checkout_token, seq.due[seq.next_step],
                        {"checkout_token": seq.checkout_token, "step": seq.next_step}, why, email=seq.email,
                        group=seq.checkout_token)


def _stop(sequences: tuple[AbandonedCartSequence, ...], status: CartStatus, why: str) -> list[Decision]:
    active = [s for s in sequences if s.status == "active"]
    if not active:
        return []
    out: list[Decision] = []
    for seq in active:
        out.append(SaveSequence(replace(seq, status=status, status_reason=why), f"reminders stopped for good: {why}"))
        out.append(CancelSteps(NAME, f"reminders stopped: {why}", group=seq.checkout_token))
    return out


def _cart_items(items: tuple[ev.LineItem, ...]) -> tuple[CartItem, ...]:
    """One line per product: repeated lines of the same item and variant are added together."""
    merged: dict[tuple[str, str | None], CartItem] = {}
    for item in items:
        key = (item.title, item.variant)
        price = str(item.price) if item.price is not None else None
        seen = merged.get(key)
        merged[key] = CartItem(item.title, item.quantity + (seen.quantity if seen else 0), price)
    return tuple(merged.values())


def _order_matches(order: OrderSummary, seq: AbandonedCartSequence) -> bool:
    if order.cancelled:
        return False
    if order.checkout_token and order.checkout_token == seq.checkout_token:
        return True
    if order.cart_token and seq.cart_token and order.cart_token == seq.cart_token:
        return True
    # Same customer ordered after the checkout began: they bought, don't nag.
    return datetime.fromisoformat(order.placed_at) >= datetime.fromisoformat(seq.started_at)


def _start(seq: AbandonedCartSequence, accepts_marketing: bool, view: View, config: Config,
           now: datetime) -> list[Decision]:
    customer = view.customer_or_new(seq.email)
    what = "abandoned-cart reminders"
    if customer.consent == "unsubscribed":
        return [Suppress(what, seq.email, "the customer unsubscribed from marketing email", code="unsubscribed",
                         flow=NAME)]
    if config.consent == "opted_in_only" and not accepts_marketing and customer.consent != "subscribed":
        return [Suppress(what, seq.email, "the customer did not accept marketing, and the config asks for opt-in",
                         code="no_consent", flow=NAME)]
    if any(_order_matches(o, seq) for o in customer.orders):
        return [Note("the customer already ordered since this checkout began; no reminders")]
    started = datetime.fromisoformat(seq.started_at)
    due = [started + timedelta(hours=s.delay_hours) for s in config.steps]
    if due[-1] <= now:
        return [Note("checkout is older than the last reminder step; no reminders started",
                     {"checkout_at": seq.started_at})]
    # Skip steps that are overdue when a later one is overdue too: never send two at once.
    first = max((i for i, d in enumerate(due) if d <= now), default=0)
    seq = replace(seq, due=tuple(d.isoformat() for d in due), next_step=first)
    reason = f"checkout left with {len(seq.items)} item(s): {len(due) - first} friendly reminder(s) scheduled"
    if first:
        reason += f" (skipped {first} already overdue)"
    return [SaveSequence(seq, reason), _schedule(seq, f"first reminder due {seq.due[first]}")]


def checkout_started(event: ev.CheckoutStarted, view: View, config: Config, now: datetime) -> list[Decision]:
    mine = tuple(s for s in view.world.sequences if s.checkout_token == event.checkout_token)
    if event.completed:
        return _stop(mine, "purchased", "the checkout was completed") or [Note("checkout completed")]
    items = _cart_items(event.items)
    if mine:
        existing = mine[0]
        if existing.status != "active":
            return [Note(f"checkout updated, but its reminders already ended ({existing.status})")]
        updated = replace(existing, email=event.email, items=items,
                          recovery_url=event.recovery_url or existing.recovery_url,
                          first_name=event.first_name or existing.first_name,
                          total=str(event.total) if event.total is not None else existing.total)
        return [SaveSequence(updated, "checkout updated: the reminders will show the current cart")]
    seq = AbandonedCartSequence(
        checkout_token=event.checkout_token, email=event.email, started_at=event.occurred_at.isoformat(), due=(),
        cart_token=event.cart_token, checkout_id=event.checkout_id, first_name=event.first_name,
        recovery_url=event.recovery_url, items=items, total=str(event.total) if event.total is not None else None,
        currency=event.currency,
    )
    return _start(seq, event.accepts_marketing, view, config, now)


def stripe_expired(event: ev.StripeCheckoutExpired, view: View, config: Config, now: datetime) -> list[Decision]:
    token = f"stripe:{event.session_id}"
    if not event.email:
        return [Note("the expired Stripe checkout has no email address")]
    if not event.recovery_url:
        return [Note("the expired Stripe checkout has no recovery link (turn on after_expiration.recovery)")]
    if any(s.checkout_token == token for s in view.world.sequences):
        return [Note("reminders for this Stripe checkout already started")]
    if event.promotions_consent is not None and event.promotions_consent != "opt_in":
        return [Suppress("abandoned-cart reminders", event.email,
                         "the customer did not agree to promotional email at checkout", code="no_consent",
                         flow=NAME)]
    seq = AbandonedCartSequence(
        checkout_token=token, email=event.email, started_at=event.occurred_at.isoformat(), due=(),
        first_name=event.first_name, recovery_url=event.recovery_url, items=_cart_items(event.items),
        total=str(event.total) if event.total is not None else None, currency=event.currency, source="stripe",
    )
    return _start(seq, event.promotions_consent == "opt_in", view, config, now)


def stop_on_purchase(event: ev.OrderPlaced | ev.StripeCheckoutCompleted, view: View, config: Config,
                     now: datetime) -> list[Decision]:
    if isinstance(event, ev.OrderPlaced):
        if event.cancelled:
            return []
        return _stop(view.world.sequences, "purchased", f"the customer placed order {event.order_name}")
    return _stop(view.world.sequences, "purchased", "the customer completed a Stripe checkout")


def deleted(event: ev.CheckoutDeleted, view: View, config: Config, now: datetime) -> list[Decision]:
    return _stop(view.world.sequences, "deleted", "the checkout was deleted") or [
        Note("the checkout was deleted; no reminder sequence was running")]


def consent_changed(event: ev.ConsentChanged, view: View, config: Config, now: datetime) -> list[Decision]:
    if view.customer is None or view.customer.consent != "unsubscribed":
        return []
    return _stop(view.world.sequences, "stopped", "the customer unsubscribed from marketing email")


def step_due(event: ev.StepDue, view: View, config: Config, now: datetime) -> list[Decision]:
    token = str(event.data.get("checkout_token", event.key))
    step = int(event.data.get("step", 0))
    seq = next((s for s in view.world.sequences if s.checkout_token == token), None)
    if seq is None or seq.status != "active" or seq.next_step != step:
        return [Note("reminder no longer due (already sent, stopped or moved)", {"checkout": token,
                                                                                 "step": str(step)})]
    customer = view.customer_or_new(seq.email)
    purchase = next((o for o in customer.orders if _order_matches(o, seq)), None)
    if purchase is not None:
        return [Suppress(f"abandoned-cart reminder {step + 1}", seq.email,
                         f"the customer already bought (order {purchase.name})", code="purchased", flow=NAME),
                SaveSequence(replace(seq, status="purchased", status_reason=f"order {purchase.name}"),
                             "reminders stopped for good: the customer bought")]
    template = config.steps[min(step, len(config.steps) - 1)].template
    nxt = seq.next_step + 1
    advanced = replace(seq, next_step=nxt) if nxt < len(seq.due) else replace(
        seq, next_step=nxt, status="finished", status_reason="all reminders done")
    what = f"abandoned-cart reminder {step + 1}"
    out: list[Decision] = [SendEmail(
        key=_key(seq, step), to=seq.email, template=template, kind="marketing", flow=NAME,
        context={**view.brand(), "first_name": seq.first_name or customer.first_name,
                 "items": [{"title": i.title, "quantity": i.quantity, "price": i.price} for i in seq.items],
                 "recovery_url": seq.recovery_url, "total": seq.total, "currency": seq.currency,
                 "step": step + 1, "steps": len(seq.due)},
        reason=f"{what} of {len(seq.due)}: the checkout was left "
               f"{ago(datetime.fromisoformat(seq.started_at), now)} ago",
        checkout_token=seq.checkout_token, step=step, unless_purchased_since=seq.started_at,
    ), SaveSequence(advanced, f"{what} done; " + ("next one scheduled" if advanced.status == "active"
                                                   else "that was the last one"))]
    if advanced.status == "active":
        out.append(_schedule(advanced, f"reminder {nxt + 1} due {advanced.due[nxt]}"))
    return out


def sequences(event: Any) -> SequenceLookup | None:
    match event:
        case ev.CheckoutStarted():
            return SequenceLookup(checkout_tokens=(event.checkout_token,))
        case ev.StripeCheckoutExpired():
            return SequenceLookup(checkout_tokens=(f"stripe:{event.session_id}",))
        case ev.StripeCheckoutCompleted():
            return SequenceLookup(checkout_tokens=(f"stripe:{event.session_id}",), email=event.email)
        case ev.CheckoutDeleted():
            return SequenceLookup(cart_token=event.cart_token, checkout_id=event.checkout_id)
        case ev.OrderPlaced():
            return SequenceLookup(checkout_tokens=(event.checkout_token,) if event.checkout_token else (),
                                  email=event.email, cart_token=event.cart_token, checkout_id=event.checkout_id)
        case ev.ConsentChanged():
            return SequenceLookup(email=event.email)
        case ev.StepDue() if event.flow == NAME:
            return SequenceLookup(checkout_tokens=(str(event.data.get("checkout_token", event.key)),))
    return None


FLOW: Flow[Config] = Flow(
    name=NAME, title="abandoned-cart reminders",
    summary="A helpful, never pushy, reminder sequence when someone leaves a Shopify checkout or a Stripe "
            "Checkout session expires; any purchase stops it.",
    config_type=Config, kind="marketing",
    templates=("cart_reminder_1", "cart_reminder_2", "cart_reminder_3"),
    topics=("shopify checkouts/create", "shopify checkouts/update", "shopify checkouts/delete",
            "shopify orders/create", "stripe checkout.session.expired", "stripe checkout.session.completed"),
    handlers={ev.CheckoutStarted: checkout_started, ev.StripeCheckoutExpired: stripe_expired,
              ev.OrderPlaced: stop_on_purchase, ev.StripeCheckoutCompleted: stop_on_purchase,
              ev.CheckoutDeleted: deleted, ev.ConsentChanged: consent_changed, ev.StepDue: step_due},
    sequences=sequences,
)
