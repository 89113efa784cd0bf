"""Unreadable mail: an email whose content Warmline cannot reach goes to the owner, always."""

from __future__ import annotations

from datetime import datetime

from ..domain import events as ev
from ..domain.decisions import AlertOwner, Decision
from .base import Enabled, Flow, View

NAME = "unreadable_mail"


def unreadable(event: ev.MessageUnreadable, view: View, config: Enabled, now: datetime) -> list[Decision]:
    return [AlertOwner(
        key=f"unreadable:{event.message_id}", customer_email=event.from_email, level="watch",
        headline=f"An email Warmline could not read: {event.subject[:80] or '(no subject)'}", excerpt="",
        reasons=(event.why, "please read and answer it in your inbox"), recent_orders=(),
        reason="nothing a customer sends is dropped unseen: a person reads what Warmline cannot")]


FLOW: Flow[Enabled] = Flow(
    name=NAME, title="unreadable mail", summary="An email Warmline cannot read goes to you to read.",
    config_type=Enabled, always_on=True, topics=("inbound email (SES)",),
    handlers={ev.MessageUnreadable: unreadable},
)
