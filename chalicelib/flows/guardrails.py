"""The guardrails, applied once to every email any flow wants to send, by the email's kind.

In order: the flow is switched off; no usable address; automatic emails to this customer are off (every kind: the
owner turned them off, or the customer said someone else reads their email); unsubscribed (marketing); the customer
is upset right now (marketing and service notes, unless the flow says its note helps an upset customer); the
purchase re-check where the flow asks for one; the frequency cap (marketing); quiet hours in the shop's
time (marketing and service: the email waits for the morning); pilot mode (held for the owner). An
acknowledgement to an upset customer is never delayed: it is the honest answer they are waiting for.

Every suppression is a `Suppress` decision with its reason and a code from a closed set.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from ..config.model import WarmlineConfig
from ..domain.decisions import (
    Decision,
    Goodwill,
    HoldForApproval,
    SaveCustomer,
    ScheduleStep,
    SendEmail,
    Suppress,
    SuppressionCode,
)
from ..domain.state import CustomerState
from .base import Flow, View

DEFERRED = "deferred:"  # key prefix of a step that holds an email waiting for quiet hours to end


def quiet_until(now: datetime, config: WarmlineConfig) -> datetime | None:
    """If `now` is within quiet hours (shop time), when they end (as an aware datetime)."""
    from zoneinfo import ZoneInfo

    quiet = config.quiet_hours
    if quiet is None:
        return None
    local = now.astimezone(ZoneInfo(config.timezone))
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return None
    end = local.replace(hour=quiet.end.hour, minute=quiet.end.minute, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end


def usable_address(address: str) -> bool:
    """One address an email can be written to (no list, no display name, no control or bidi characters)."""
    if not address or len(address) > 254 or address.count("@") != 1:
        return False
    return not any(ord(c) < 33 or c in "<>,;\"()[]\\" or 0x202A <= ord(c) <= 0x202E or 0xD800 <= ord(c) <= 0xDFFF
                   for c in address)


def apply(decisions: list[Decision], view: View, flows: Mapping[str, Flow[Any]], now: datetime) -> list[Decision]:
    """`decisions` with every SendEmail checked; suppressed ones become Suppress, deferred ones a step."""
    config = view.config
    customer = view.customer
    out: list[Decision] = []
    for decision in decisions:
        if not isinstance(decision, SendEmail):
            out.append(decision)
            continue
        flow = flows.get(decision.flow)
        verdict = _check(decision, flow, view, now)
        if verdict is not None:
            code, why = verdict
            out.append(Suppress(_what(decision, flow), decision.to, why, key=decision.key, code=code,
                                flow=decision.flow))
            continue
        if decision.kind != "acknowledgement":
            quiet_end = quiet_until(now, config)
            if quiet_end is not None:
                out.append(ScheduleStep(
                    decision.flow, DEFERRED + decision.key, quiet_end.isoformat(), {"email": email_to_data(decision)},
                    f"{_what(decision, flow)} waits for the end of quiet hours ({quiet_end:%H:%M} shop time)",
                    email=decision.to, group=DEFERRED + decision.key))
                continue
        if decision.kind == "marketing":
            counted = customer if customer is not None and customer.email == decision.to else \
                CustomerState(email=decision.to)
            customer = counted.with_marketing_sent(now, timedelta(days=config.frequency_cap.per_days))
            out.append(SaveCustomer(customer, "counted toward the frequency cap"))
        out.append(HoldForApproval(decision, "pilot mode: held for the owner's approval") if config.pilot
                   else decision)
    return out


def _what(decision: SendEmail, flow: Flow[Any] | None) -> str:
    return f"{flow.title if flow else decision.flow or 'email'} ({decision.key})"


def _check(email: SendEmail, flow: Flow[Any] | None, view: View,
           now: datetime) -> tuple[SuppressionCode, str] | None:
    config = view.config
    customer = view.customer
    if flow is not None and not flow.always_on and not getattr(config.flows.get(flow.name), "enabled", True):
        return "flow_off", f"{flow.title} is turned off in the config"
    if not usable_address(email.to):
        return "no_address", "the customer's address can't be written to"
    if customer is not None and customer.automatic_off:  # every kind: someone else may read what we send
        return "automatic_off", automatic_off_sentence(customer)
    if email.kind == "marketing" and customer is not None and customer.consent == "unsubscribed":
        return "unsubscribed", "the customer unsubscribed from marketing email"
    speaks_when_upset = email.kind == "acknowledgement" or (flow is not None and flow.while_upset == "send")
    if not speaks_when_upset and customer is not None and customer.is_upset(now):
        return "upset", "the customer is upset right now; a person should write, not an automated note"
    if email.unless_purchased_since and customer is not None:
        bought = customer.ordered_since(email.unless_purchased_since)
        if bought is not None:
            return "purchased", f"the customer already bought (order {bought.name})"
    cap = config.frequency_cap
    if email.kind == "marketing" and customer is not None and \
            customer.marketing_since(now - timedelta(days=cap.per_days)) >= cap.max_marketing_emails:
        return "frequency_cap", (f"frequency cap: already {cap.max_marketing_emails} marketing email(s) in "
                                 f"{cap.per_days} days")
    return None


def automatic_off_sentence(customer: CustomerState) -> str:
    why = f": {customer.automatic_off_why}" if customer.automatic_off_why else ""
    return (f"automatic emails to this customer are off (since {str(customer.automatic_off)[:10]}{why}) until the "
            "owner turns them back on")


# --- a deferred email is kept as data in its step --------------------------------------------------------
def email_to_data(email: SendEmail) -> dict[str, Any]:
    return asdict(email)


def email_from_data(data: dict[str, Any]) -> SendEmail:
    fields = dict(data)
    goodwill = fields.get("goodwill")
    if isinstance(goodwill, dict):
        fields["goodwill"] = Goodwill(**goodwill)
    known = {f.name for f in dataclasses.fields(SendEmail)}
    return SendEmail(**{k: v for k, v in fields.items() if k in known})
