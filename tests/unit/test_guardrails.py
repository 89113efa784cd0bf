"""The guardrails, once per kind of email: every flow's emails pass through the same checks in one place."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.config.loader import load_data
from chalicelib.config.model import WarmlineConfig
from chalicelib.domain import events as ev
from chalicelib.domain.decisions import (
    Decision,
    EmailKind,
    HoldForApproval,
    SaveCustomer,
    ScheduleStep,
    SendEmail,
    Suppress,
)
from chalicelib.domain.state import CustomerState, OrderSummary, World
from chalicelib.flows import BY_NAME, FLOWS, decide, guardrails
from chalicelib.flows.base import View
from tests.conftest import EXAMPLE_CONFIG, example_config_data

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # 10:00 in London
NIGHT = datetime(2026, 11, 18, 23, 30, tzinfo=UTC)  # inside the example's quiet hours (21:00-08:00)
FLOW_OF_KIND = {"marketing": "abandoned_cart", "service": "thank_you", "acknowledgement": "unhappy_customer"}
KINDS: tuple[EmailKind, ...] = ("marketing", "service", "acknowledgement")


def config(**changes: Any) -> WarmlineConfig:
    return load_data(example_config_data(**changes), EXAMPLE_CONFIG.parent)


def email(kind: EmailKind, **changes: Any) -> SendEmail:
    base = SendEmail(key=f"k:{kind}", to="sam@example.com", template="thank_you", context={}, kind=kind,
                     reason="because", flow=FLOW_OF_KIND[kind])
    return replace(base, **changes)


def run(decision: SendEmail, customer: CustomerState | None = None, at: datetime = NOW,
        cfg: WarmlineConfig | None = None) -> list[Decision]:
    view = View(world=World(customer), config=cfg or config(), customer=customer)
    return guardrails.apply([decision], view, BY_NAME, at)


def suppressed(decisions: list[Decision]) -> str | None:
    found = [d for d in decisions if isinstance(d, Suppress)]
    return found[0].code if found else None


@pytest.mark.parametrize("kind", KINDS)
def test_a_plain_email_passes_untouched(kind: EmailKind) -> None:
    out = run(email(kind), CustomerState("sam@example.com"))
    assert [d for d in out if isinstance(d, SendEmail)] == [email(kind)]


@pytest.mark.parametrize("kind", KINDS)
def test_a_flow_switched_off_sends_nothing(kind: EmailKind) -> None:
    flow = FLOW_OF_KIND[kind]
    assert suppressed(run(email(kind), cfg=config(flows={flow: {"enabled": False}}))) == "flow_off"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("address", ["", "sam@example.com\r\nBcc: x@evil.example", "sam@\ud800.example",
                                     "a@b@c.example", "sam\u202e@example.com"])
def test_an_address_that_cant_be_written_to_is_suppressed_never_sent(kind: EmailKind, address: str) -> None:
    assert suppressed(run(email(kind, to=address))) == "no_address"


@pytest.mark.parametrize(("kind", "expected"), [("marketing", "unsubscribed"), ("service", None),
                                                 ("acknowledgement", None)])
def test_unsubscribed_stops_marketing_only(kind: EmailKind, expected: str | None) -> None:
    assert suppressed(run(email(kind), CustomerState("sam@example.com", consent="unsubscribed"))) == expected


@pytest.mark.parametrize(("kind", "expected"), [("marketing", "upset"), ("service", "upset"),
                                                 ("acknowledgement", None)])
def test_an_upset_customer_gets_a_person_not_automation(kind: EmailKind, expected: str | None) -> None:
    upset = CustomerState("sam@example.com", upset_until=(NOW + timedelta(hours=5)).isoformat())
    assert suppressed(run(email(kind), upset)) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_automatic_emails_off_stops_every_kind_at_any_hour_and_in_pilot_mode(kind: EmailKind) -> None:
    off = CustomerState("sam@example.com", automatic_off=(NOW - timedelta(days=40)).isoformat(),
                        automatic_off_why="they wrote that someone else may read their email")
    for at, cfg in ((NOW, config()), (NIGHT, config()), (NOW, config(pilot=True))):
        out = run(email(kind), off, at=at, cfg=cfg)
        assert [type(d).__name__ for d in out] == ["Suppress"]  # not sent, deferred, held or counted
        (why,) = out
        assert isinstance(why, Suppress) and why.code == "automatic_off"
        assert why.reason == ("automatic emails to this customer are off (since 2026-10-09: they wrote that someone "
                              "else may read their email) until the owner turns them back on")
    assert suppressed(run(email(kind), replace(off, automatic_off=None))) is None


def test_a_deferred_email_is_not_let_out_to_a_customer_whose_automatic_emails_went_off_overnight() -> None:
    (step,) = [d for d in run(email("service"), CustomerState("sam@example.com"), at=NIGHT)
               if isinstance(d, ScheduleStep)]
    morning = datetime.fromisoformat(step.due)
    due = ev.StepDue(step.flow, step.key, step.data, morning, email="sam@example.com")
    off = CustomerState("sam@example.com", automatic_off=(morning - timedelta(hours=3)).isoformat())
    later = decide(due, World(off), None, config(), morning)
    assert suppressed(later) == "automatic_off" and not [d for d in later if isinstance(d, SendEmail)]


def test_a_customer_record_from_before_the_switch_reads_as_on() -> None:
    old = CustomerState("sam@example.com").to_dict()
    del old["automatic_off"], old["automatic_off_why"]
    assert CustomerState.from_dict(old) == CustomerState("sam@example.com")
    off = CustomerState("sam@example.com", automatic_off=NOW.isoformat(), automatic_off_why="asked by phone")
    assert CustomerState.from_dict(off.to_dict()) == off


@pytest.mark.parametrize("kind", KINDS)
def test_the_purchase_re_check_where_the_flow_asks(kind: EmailKind) -> None:
    bought = CustomerState("sam@example.com", orders=(OrderSummary("1", "#1001", "5", "GBP",
                                                                   (NOW - timedelta(hours=1)).isoformat()),))
    since = (NOW - timedelta(hours=3)).isoformat()
    assert suppressed(run(email(kind, unless_purchased_since=since), bought)) == "purchased"
    assert suppressed(run(email(kind), bought)) is None  # only where the flow asks
    later = (NOW - timedelta(minutes=5)).isoformat()
    assert suppressed(run(email(kind, unless_purchased_since=later), bought)) is None


@pytest.mark.parametrize(("kind", "expected"), [("marketing", "frequency_cap"), ("service", None),
                                                 ("acknowledgement", None)])
def test_the_frequency_cap_counts_marketing_only(kind: EmailKind, expected: str | None) -> None:
    busy = CustomerState("sam@example.com", marketing_sent=tuple((NOW - timedelta(days=d)).isoformat()
                                                                 for d in (1, 2, 3)))
    assert suppressed(run(email(kind), busy)) == expected


def test_a_marketing_email_that_goes_is_counted_toward_the_cap() -> None:
    out = run(email("marketing"), CustomerState("sam@example.com"))
    (saved,) = [d for d in out if isinstance(d, SaveCustomer)]
    assert saved.customer.marketing_sent == (NOW.isoformat(),)


@pytest.mark.parametrize(("kind", "waits"), [("marketing", True), ("service", True), ("acknowledgement", False)])
def test_quiet_hours_in_shop_time(kind: EmailKind, waits: bool) -> None:
    out = run(email(kind), CustomerState("sam@example.com"), at=NIGHT)
    deferred = [d for d in out if isinstance(d, ScheduleStep)]
    if not waits:
        assert not deferred and [d for d in out if isinstance(d, SendEmail)]
        return
    (step,) = deferred
    assert step.key == f"deferred:k:{kind}" and step.flow == FLOW_OF_KIND[kind]
    assert datetime.fromisoformat(step.due) == datetime(2026, 11, 19, 8, 0, tzinfo=UTC)
    assert guardrails.email_from_data(step.data["email"]) == email(kind)  # kept whole, as data
    assert not [d for d in out if isinstance(d, SendEmail)]


def test_a_deferred_email_meets_the_guardrails_again_when_it_is_let_out() -> None:
    (step,) = [d for d in run(email("service"), CustomerState("sam@example.com"), at=NIGHT)
               if isinstance(d, ScheduleStep)]
    morning = datetime.fromisoformat(step.due)
    due = ev.StepDue(step.flow, step.key, step.data, morning, email="sam@example.com")
    calm = decide(due, World(CustomerState("sam@example.com")), None, config(), morning)
    assert [d for d in calm if isinstance(d, SendEmail)] == [email("service")]
    upset_overnight = CustomerState("sam@example.com", upset_until=(morning + timedelta(days=1)).isoformat())
    later = decide(due, World(upset_overnight), None, config(), morning)
    assert suppressed(later) == "upset" and not [d for d in later if isinstance(d, SendEmail)]


@pytest.mark.parametrize("kind", KINDS)
def test_pilot_mode_holds_every_kind(kind: EmailKind) -> None:
    (held,) = [d for d in run(email(kind), CustomerState("sam@example.com"), cfg=config(pilot=True))
               if isinstance(d, HoldForApproval)]
    assert held.email == email(kind)


def test_every_suppression_has_a_reason_and_a_code_from_the_closed_set() -> None:
    from chalicelib.domain.decisions import SUPPRESSION_CODES

    upset = CustomerState("sam@example.com", upset_until=(NOW + timedelta(hours=5)).isoformat(),
                          consent="unsubscribed")
    for kind in KINDS:
        for decision in run(email(kind), upset) + run(email(kind, to="")):
            if isinstance(decision, Suppress):
                assert decision.reason and decision.code in SUPPRESSION_CODES


def test_every_flow_declares_what_the_docs_table_needs() -> None:
    names = [f.name for f in FLOWS]
    assert len(names) == len(set(names))
    for flow in FLOWS:
        assert flow.title and flow.summary and flow.topics and flow.handlers
        assert (flow.kind is None) == (not flow.templates), flow.name


def test_the_readmes_flow_table_is_the_one_the_code_prints() -> None:
    from chalicelib.cli import flows_table
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    copy = readme.split("<!-- flows:start -->\n", 1)[1].split("\n<!-- flows:end -->", 1)[0]
    assert copy == flows_table(FLOWS), "run `warmline flows` and paste its table into the README"
