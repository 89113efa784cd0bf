""""How did we do?": some days after delivery, one email with five one-click answers. A click records the
score (a second click changes it); a low score or an unhappy comment goes to the owner. Never to a
customer who is upset, unsubscribed, had a refund or a dispute on that order, or had a survey in the last 90
days."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..domain import events as ev
from ..domain.decisions import (
    AlertOwner,
    CancelSteps,
    Decision,
    Note,
    SaveCustomer,
    ScheduleStep,
    SendEmail,
    Suppress,
)
from ..domain.escalation import assess
from ..domain.state import SurveyRecord
from ..privacy import mask_pii
from .base import Flow, View

NAME = "csat"
SURVEY_GAP = timedelta(days=90)


@dataclass(frozen=True)
class Config:
    enabled: bool
    template: str
    days_after_delivery: float
    days_after_fulfillment: float
    review_url: str | None


def _schedule(order_id: str, email: str | None, due: datetime, why: str) -> ScheduleStep:
    return ScheduleStep(NAME, order_id, due.isoformat(), {"order_id": order_id}, why, email=email, group=order_id)


def fulfilled(event: ev.OrderFulfilled, view: View, config: Config, now: datetime) -> list[Decision]:
    customer = view.customer
    order = customer.order(event.order_id) if customer else None
    if customer is None or order is None:
        return []
    if order.delivered_at:  # the carrier's delivery scan came first: that schedule stands
        return []
    due = event.occurred_at + timedelta(days=config.days_after_fulfillment)
    return [_schedule(event.order_id, customer.email, due, f"order {order.name} shipped: a short survey after "
                                                          f"{config.days_after_fulfillment:g} days unless "
                                                          "the carrier reports delivery first")]


def delivered(event: ev.OrderDelivered, view: View, config: Config, now: datetime) -> list[Decision]:
    customer = view.customer
    order = customer.order(event.order_id) if customer else None
    if customer is None or order is None:
        return [Note(f"delivery of order {event.order_id}, which is not one we remember")]
    due = event.occurred_at + timedelta(days=config.days_after_delivery)
    return [_schedule(event.order_id, customer.email, due,
                      f"order {order.name} was delivered: a short survey {config.days_after_delivery:g} days later")]


def order_went_wrong(event: ev.RefundIssued | ev.OrderCancelled, view: View, config: Config,
                     now: datetime) -> list[Decision]:
    return [CancelSteps(NAME, f"order {event.order_id} was refunded or cancelled: no survey", group=event.order_id)]


def step_due(event: ev.StepDue, view: View, config: Config, now: datetime) -> list[Decision]:
    order_id = str(event.data.get("order_id", event.key))
    customer = view.customer
    order = customer.order(order_id) if customer else None
    if customer is None or order is None:
        return [Note(f"survey for order {order_id}: the order is no longer on record")]
    if order.refunded or order.cancelled:
        return [Note(f"no survey: order {order.name} was refunded or cancelled")]
    if any(d.split(":")[0] == order_id for d in customer.open_disputes):
        return [Note(f"no survey: order {order.name} has a dispute")]
    if customer.consent == "unsubscribed":
        # A survey is a favour asked, not news of their order: whoever said "no more emails" is not asked for one
        # (the guardrails stop only marketing; the thank-you, shipping and refund notes still go).
        return [Suppress(f"\"how did we do?\" survey (csat:{order_id})", customer.email,
                         "the customer unsubscribed: a survey is optional, so none is sent", key=f"csat:{order_id}",
                         code="unsubscribed", flow=NAME)]
    recent = [s for s in customer.surveys if datetime.fromisoformat(s.sent_at) > now - SURVEY_GAP]
    if recent:
        return [Note(f"no survey: the customer had one on {recent[-1].sent_at[:10]} (at most one in 90 days)")]
    record = SurveyRecord(order_id, sent_at=now.isoformat())
    return [
        SendEmail(key=f"csat:{order_id}", to=customer.email, template=config.template, kind="service", flow=NAME,
                  context={**view.brand(), "first_name": customer.first_name, "order_name": order.name,
                           "survey": {"order_id": order_id, "email": customer.email}},
                  reason=f"order {order.name} arrived a few days ago: one \"how did we do?\" email"),
        SaveCustomer(replace(customer, surveys=(*customer.surveys, record)[-10:]), "survey sent"),
    ]


def answered(event: ev.SurveyAnswered, view: View, config: Config, now: datetime) -> list[Decision]:
    customer = view.customer
    record = next((s for s in customer.surveys if s.order_id == event.order_id), None) if customer else None
    if customer is None or record is None:
        return [Note("a survey answer for a survey we don't remember (forgotten, or an old link)")]
    reading = view.reading
    # Short complaints read calm to a model ("The cake arrived squashed.", 0.09): the same reading and customer-service
    # cues as an email decide, so a named problem in a middling score's comment reaches the owner too.
    told = (assess(reading, event.comment, None, view.config.escalation, now)
            if event.comment and reading is not None else None)
    unhappy_comment = told is not None and reading is not None and (
        reading.label == "NEGATIVE" or told.inbox or told.at_least("alert"))
    low = record.score is not None and record.score <= 2
    counted = Note(f"survey answer for order {event.order_id}: score {record.score}",
                   {"survey_order": event.order_id, "survey_score": str(record.score or "")})
    if not (low or unhappy_comment):
        return [counted]
    order = customer.order(event.order_id)
    name = order.name if order else event.order_id
    reasons = [f"scored order {name} {record.score} out of 5"] if record.score is not None else []
    if unhappy_comment and told is not None:
        reasons.append("left an unhappy comment")
        reasons.extend(r for r in told.reasons if not r.startswith("sounds "))  # "reports damaged or faulty goods"
    digest = hashlib.sha256(f"{record.score}:{record.comment}".encode()).hexdigest()[:8]
    return [counted, AlertOwner(
        key=f"csat:{event.order_id}:{digest}", customer_email=customer.email, level="alert",
        headline=f"{customer.first_name or 'A customer'} wasn't happy with order {name}",
        excerpt=mask_pii(record.comment[:160]), reasons=tuple(reasons),
        recent_orders=(f"{name} ({order.total or '?'} {order.currency or ''})".replace(" )", ")"),) if order else (),
        reason="a low survey score or an unhappy comment: a person should get in touch")]


def survey_link_payload(order_id: str, email: str) -> str:
    """What a survey link signs: the order and the customer, nothing else."""
    return f"{order_id}|{email.lower()}"


def score_labels() -> tuple[tuple[int, str], ...]:
    return ((5, "Loved it"), (4, "Good"), (3, "Okay"), (2, "Not great"), (1, "Disappointed"))


FLOW: Flow[Config] = Flow(
    name=NAME, title="\"how did we do?\" surveys",
    summary="Some days after delivery, one email with five one-click answers; a low score reaches you.",
    config_type=Config, kind="service", templates=("csat_survey",),
    topics=("shopify fulfillments/create", "shopify fulfillment_events/create", "shopify refunds/create"),
    handlers={ev.OrderFulfilled: fulfilled, ev.OrderDelivered: delivered, ev.RefundIssued: order_went_wrong,
              ev.OrderCancelled: order_went_wrong, ev.StepDue: step_due, ev.SurveyAnswered: answered},
)
