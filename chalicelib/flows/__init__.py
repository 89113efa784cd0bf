"""Warmline's flows, and `decide`: the whole of Warmline's judgement as a pure function.

    event + what we know + how the customer feels + the owner's config + the time -> decisions

`decide` is short on purpose: bookkeeping for the event, then every flow that reacts to it (a due step goes
back to the flow that scheduled it), then the guardrails, once, on every email. Adding a flow is its module
here, its template(s) and its test file; see "Adding a flow" in the README.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..config.model import WarmlineConfig
from ..domain import events as ev
from ..domain.decisions import Decision, Note, SaveCustomer, ScheduleStep, SendEmail
from ..domain.escalation import assess
from ..domain.state import SentimentReading, World
from . import (
    abandoned_cart,
    bookkeeping,
    complaint_surge,
    csat,
    disputes,
    dunning,
    guardrails,
    late_order,
    payment_failed,
    privacy,
    refund_note,
    shipping_note,
    thank_you,
    unhappy_customer,
    unreadable_mail,
)
from .base import Flow, SequenceLookup, View

# The flows, in the order they run for an event. A plain list: nothing registers itself at import.
FLOWS: list[Flow[Any]] = [
    privacy.FLOW,
    abandoned_cart.FLOW,
    thank_you.FLOW,
    shipping_note.FLOW,
    late_order.FLOW,
    csat.FLOW,
    refund_note.FLOW,
    payment_failed.FLOW,
    dunning.FLOW,
    unhappy_customer.FLOW,
    complaint_surge.FLOW,
    disputes.FLOW,
    unreadable_mail.FLOW,
]
BY_NAME: dict[str, Flow[Any]] = {flow.name: flow for flow in FLOWS}


def decide(event: ev.DomainEvent, world: World, reading: SentimentReading | None, config: WarmlineConfig,
           now: datetime) -> list[Decision]:
    """All decisions for one event, each with its reason."""
    if isinstance(event, ev.Ignored):
        return [Note(event.why, {"source": event.source, "kind": event.kind})]
    escalation = None
    if isinstance(event, ev.CustomerMessage) and event.kind == "customer" and reading is not None:
        escalation = assess(reading, event.text, world.customer, config.escalation, now)
    view = View(world=world, config=config, reading=reading, escalation=escalation, customer=world.customer)
    decisions, view = bookkeeping.record(event, view, now)
    for flow in _flows_for(event):
        settings = _settings(config, flow)
        if isinstance(event, ev.StepDue) and event.key.startswith(guardrails.DEFERRED):
            out: list[Decision] = [guardrails.email_from_data(dict(event.data["email"]))]
        elif not flow.always_on and not isinstance(event, ev.StepDue) and not getattr(settings, "enabled", True):
            out = [Note(f"{flow.title} are turned off in the config")]
        else:
            out = _step_waits_for_morning(event, flow.handle(event, view, settings, now), config, now)
        decisions += out
        view = view.after(out)
    decisions = guardrails.apply(decisions, view, BY_NAME, now)
    if not decisions:
        decisions = [Note(f"nothing to do for {type(event).__name__}")]
    return _one_save_per_customer(decisions)


def _step_waits_for_morning(event: ev.DomainEvent, out: list[Decision], config: WarmlineConfig,
                            now: datetime) -> list[Decision]:
    """A timed step whose email would go out in quiet hours waits, whole, for the morning: nothing it decided
    happens now, and in the morning its flow decides again on what it knows then (the order may have shipped)."""
    if not isinstance(event, ev.StepDue) or not any(
            isinstance(d, SendEmail) and d.kind != "acknowledgement" for d in out):
        return out
    morning = guardrails.quiet_until(now, config)
    if morning is None:
        return out
    return [ScheduleStep(event.flow, event.key, morning.isoformat(), event.data,
                         f"waits for the end of quiet hours ({morning:%H:%M} shop time)", email=event.email,
                         group=event.group)]


def _settings(config: WarmlineConfig, flow: Flow[Any]) -> Any:
    found = config.flows.get(flow.name)
    if found is None and not flow.always_on:  # a config built by hand (tests): the schema's defaults
        from ..config.loader import flow_settings

        found = flow_settings({}).get(flow.name)
    return found


def _flows_for(event: ev.DomainEvent) -> list[Flow[Any]]:
    if isinstance(event, ev.StepDue):
        flow = BY_NAME.get(event.flow)
        return [flow] if flow is not None else []
    return [flow for flow in FLOWS if flow.reacts_to(event)]


def _one_save_per_customer(decisions: list[Decision]) -> list[Decision]:
    """Flows see each other's changes, so the last save holds them all: keep it, with every reason."""
    saves = [d for d in decisions if isinstance(d, SaveCustomer)]
    if len(saves) <= 1:
        return decisions
    last = saves[-1]
    reasons = "; ".join(dict.fromkeys(s.reason for s in saves))
    merged = SaveCustomer(last.customer, reasons)
    return [merged if d is last else d for d in decisions if not isinstance(d, SaveCustomer) or d is last]


def memory_keys(event: ev.DomainEvent) -> list[tuple[str, str]]:
    """The shop-wide records the flows for `event` read: (flow, key)."""
    keys: list[tuple[str, str]] = []
    for flow in _flows_for(event):
        if flow.memory is not None:
            keys += [(flow.name, key) for key in flow.memory(event)]
    return keys


def sequence_lookups(event: ev.DomainEvent) -> list[SequenceLookup]:
    found = []
    for flow in _flows_for(event):
        if flow.sequences is not None:
            lookup = flow.sequences(event)
            if lookup is not None:
                found.append(lookup)
    return found


__all__ = ["BY_NAME", "FLOWS", "Flow", "View", "decide", "memory_keys", "sequence_lookups"]
