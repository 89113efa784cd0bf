"""Carry decisions out through the ports, and record every one with its reason.

Side effects that customers or the owner see (alerts, emails, held emails) go
first and are idempotent by key; state saves come after. So a crash anywhere
re-runs the delivery to the same decisions, and the repeated sends are no-ops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from .domain.decisions import (
    AlertOwner,
    CancelSteps,
    Decision,
    ExportCustomerData,
    ForgetCustomer,
    ForgetShop,
    HoldForApproval,
    Note,
    SaveCustomer,
    SaveMemory,
    SaveSequence,
    ScheduleStep,
    SendEmail,
    Suppress,
    decision_name,
)
from .messages import MessageRenderer
from .ports import CustomerStore, DecisionLog, DiscountCodes, Mailer, OwnerAlerter, ScheduledStep, Scheduler
from .privacy import customer_ref, mask_email

Forgetter = Callable[[str], int]


class AddressUndeliverable(Exception):
    """SES reported a hard bounce or a complaint for this address: nothing more is sent to it."""


def _order(decision: Decision) -> int:
    if isinstance(decision, (AlertOwner, SendEmail, HoldForApproval)):
        return 0
    if isinstance(decision, (ForgetCustomer, ForgetShop, ExportCustomerData)):
        return 1
    if isinstance(decision, (SaveCustomer, SaveSequence, ScheduleStep, CancelSteps)):
        return 2
    if isinstance(decision, SaveMemory):
        return 3  # last: a conflict retries the delivery, and everything before it is idempotent
    return 4


class Executor:
    def __init__(self, store: CustomerStore, log: DecisionLog, mailer: Mailer, alerter: OwnerAlerter,
                 renderer: MessageRenderer, clock: Callable[[], datetime],
                 forgetters: Sequence[Forgetter] = (), metrics: Callable[..., None] | None = None,
                 scheduler: Scheduler | None = None, discounts: DiscountCodes | None = None) -> None:
        self.store = store
        self.log = log
        self.mailer = mailer
        self.alerter = alerter
        self.renderer = renderer
        self.clock = clock
        self.forgetters = tuple(forgetters)
        self.metrics = metrics
        self.scheduler = scheduler
        self.discounts = discounts

    def execute(self, decisions: Sequence[Decision], origin: dict[str, str]) -> list[dict[str, Any]]:
        entries = [self._one(d, origin) for d in sorted(decisions, key=_order)]
        for entry in entries:
            self.log.record(entry)
        return entries

    def send_email(self, decision: SendEmail) -> str:
        undeliverable = self.undeliverable(decision.to)
        if undeliverable is not None:
            raise AddressUndeliverable(undeliverable)
        return self.mailer.send(self.renderer.email(decision))

    def _with_goodwill(self, decision: SendEmail, entry: dict[str, Any]) -> SendEmail:
        """Create the discount code first; if the shop's API fails, the apology goes without one and the owner
        is told (the code is derived from the email's key, so a retry re-creates the same one)."""
        goodwill = decision.goodwill
        if goodwill is None:
            return decision
        try:
            if self.discounts is None:
                raise RuntimeError("no Shopify Admin API is configured (secrets.shopify_admin_token)")
            code = self.discounts.create(goodwill, f"Warmline apology {decision.key}")
        except Exception as exc:
            entry["goodwill"] = f"failed: {type(exc).__name__}"
            self.alerter.alert(self.renderer.alert(AlertOwner(
                key=f"goodwill-failed:{decision.key}", customer_email=decision.to, level="watch",
                headline="A goodwill code could not be created",
                excerpt="", reasons=(f"the Shopify Admin API said: {str(exc)[:160]}",
                                     "the apology went without a code; send one by hand if you like"),
                recent_orders=(), reason="goodwill code failed"), mask_email(decision.to)))
            return decision
        entry["goodwill"] = "created"
        return replace(decision, context={**decision.context, "discount_code": code,
                                          "discount_expires": goodwill.expires_at[:10]})

    def _scheduler(self) -> Scheduler:
        if self.scheduler is None:
            raise RuntimeError("no scheduler is wired: timed steps cannot be kept")
        return self.scheduler

    def undeliverable(self, email: str) -> str | None:
        """Why SES said never to mail this address again (a hard bounce or a complaint), or None."""
        check = getattr(self.store, "undeliverable", None)
        return check(email) if check is not None else None

    def _count(self, name: str, reason: str | None = None, **dimensions: str) -> None:
        if self.metrics is not None:
            if dimensions:
                self.metrics(name, reason, **dimensions)
            else:
                self.metrics(name, reason)

    def _one(self, decision: Decision, origin: dict[str, str]) -> dict[str, Any]:
        now = self.clock()
        entry: dict[str, Any] = {"at": now.isoformat(), **origin, "decision": decision_name(decision),
                                 "reason": decision.reason}
        email: str | None = None
        match decision:
            case SendEmail():
                email = decision.to
                entry.update(key=decision.key, template=decision.template, kind=decision.kind, flow=decision.flow)
                try:
                    entry.update(outcome="sent", message_id=self.send_email(self._with_goodwill(decision, entry)))
                except AddressUndeliverable as exc:  # SES said this address bounces or complained
                    entry.update(outcome="suppressed", code="undeliverable",
                                 suppressed_reason=f"address undeliverable: {exc}")
                    self._count("EmailsSuppressed", "undeliverable", flow=decision.flow, kind=decision.kind)
                else:
                    self._count("EmailsSent", flow=decision.flow, kind=decision.kind)
            case HoldForApproval():
                email = decision.email.to
                self.store.hold_email(decision.email, now)
                entry.update(outcome="held", key=decision.email.key, template=decision.email.template,
                             held_reason=decision.email.reason)
                self._count("EmailsHeld")
            case AlertOwner():
                email = decision.customer_email
                masked = mask_email(email) if email else None
                if decision.related:  # the customers a surge is about: masked here, each in the inbox in full
                    entry["related"] = [mask_email(who) for who in decision.related]
                entry.update(outcome="alerted", key=decision.key, level=decision.level,
                             reasons=list(decision.reasons), alert_id=self.alerter.alert(
                                 self.renderer.alert(decision, masked)))
                self._count("AlertsSent")
            case SaveCustomer():
                email = decision.customer.email
                self.store.save_customer(decision.customer)
                entry["outcome"] = "saved"
            case SaveSequence():
                email = decision.sequence.email
                self.store.save_sequence(decision.sequence)
                entry.update(outcome="saved", checkout=_short(decision.sequence.checkout_token),
                             status=decision.sequence.status, next_due=decision.sequence.next_due)
            case Suppress():
                email = decision.customer_email
                entry.update(outcome="suppressed", what=decision.what, key=decision.key, code=decision.code,
                             flow=decision.flow)
                # The code is from a closed set (domain.reason_codes): a metric dimension never carries the text.
                self._count("EmailsSuppressed", decision.code, flow=decision.flow)
            case ScheduleStep():
                email = decision.email
                self._scheduler().schedule(ScheduledStep(decision.flow, decision.key, decision.due, decision.data,
                                                         decision.email, decision.group))
                entry.update(outcome="scheduled", flow=decision.flow, step=_short(decision.key), due=decision.due)
            case CancelSteps():
                email = decision.email
                removed = self._scheduler().cancel(decision.flow, group=decision.group, email=decision.email)
                entry.update(outcome="cancelled", flow=decision.flow, steps_removed=removed)
            case SaveMemory():
                self.store.save_memory(decision.flow, decision.key, decision.data, decision.version)
                entry.update(outcome="saved", flow=decision.flow, memory=decision.key)
            case ForgetCustomer():
                removed = self.store.forget_customer(decision.email, decision.customer_id)
                if decision.email:
                    removed += sum(f(decision.email) for f in self.forgetters)
                entry.update(outcome="forgotten", records_removed=removed,
                             customer_ref=customer_ref(decision.email) if decision.email else None)
                return entry  # no masked address kept for a forgotten customer
            case ForgetShop():
                removed = self.store.forget_shop() + sum(f("*") for f in self.forgetters)
                entry.update(outcome="forgotten", records_removed=removed, shop=decision.shop_domain)
            case ExportCustomerData():
                data = self.store.export_customer(decision.email, decision.customer_id)
                self.store.save_export(decision.export_id, {"requested_at": now.isoformat(), "email": decision.email,
                                                            "customer_id": decision.customer_id, **data})
                entry.update(outcome="exported", export_id=decision.export_id,
                             records=len(data.get("customers", [])))
            case Note():
                entry.update(outcome="noted", **{k: v for k, v in decision.details.items() if k not in entry})
        if email:
            entry["customer"] = mask_email(email)
            entry["customer_ref"] = customer_ref(email)
        return entry


def _short(token: str) -> str:
    return token if len(token) <= 12 else token[:6] + "…" + token[-4:]
