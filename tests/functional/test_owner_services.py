"""The owner services on the local stack, without HTTP: idempotency, labels, the week, and the CLI on top."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Services
from chalicelib.cli import main
from chalicelib.owner.services import Actor, OwnerActionError
from chalicelib.owner.wiring import owner_services
from tests.conftest import TEST_SECRETS, Clock, shared_bytes
from tests.functional.helpers import client_for, outbox, post_email, post_shopify, text_of
from tests.functional.test_console import customer_email
from tests.functional.test_flows import redated_checkout

OWNER = Actor("rosie", "testing")
CALM = "Hello! Could you tell me if the sourdough has sesame in it? Thanks so much."


def tick(services: Services) -> None:
    services.extras["runner"].run_once()


def test_replying_to_an_unflagged_message_counts_as_a_miss(services: Services) -> None:
    with client_for(services) as client:
        post_email(client, customer_email("q-1@mail.example", text=CALM, sender="q@example.com", name="Quinn"))
    tick(services)
    owner = owner_services(services)
    assert [r for r in owner.attention() if r.kind == "message"] == []  # not flagged: not in the inbox
    (message,) = owner.recent_messages()
    assert message["flagged"] is False and "sesame" in message["text"]
    owner.reply(message["_key"], "Hi Quinn, no sesame at all. Rosie", OWNER, "miss-1")
    week = owner.week()
    assert week.missed == 1 and week.flagged == 0
    (mail,) = [m for m in outbox(services) if "no sesame" in text_of(m)]
    assert mail["In-Reply-To"] == "<q-1@mail.example>" and mail["Subject"] == "Re: Still waiting"


def test_actions_are_idempotent_by_key_and_logged_with_who_and_why(services: Services) -> None:
    with client_for(services) as client:
        post_email(client, customer_email())
    tick(services)
    owner = owner_services(services)
    (row,) = owner.attention()
    first = owner.mark_handled(row.key, OWNER, "h-1", resume_now=False, pause_days=3)
    again = owner.mark_handled(row.key, OWNER, "h-1", resume_now=False, pause_days=3)
    assert not first["repeated"] and again["repeated"]
    handled = [e for e in services.log.recent() if e["decision"] == "OwnerHandled"]
    assert len(handled) == 1 and handled[0]["by"] == "rosie" and handled[0]["why"] == "testing"
    assert handled[0]["customer"] != "sam@example.com" and handled[0]["customer_ref"].startswith("c_")  # masked
    with pytest.raises(OwnerActionError, match="1 to 90 days"):
        owner.mark_handled(row.key, OWNER, "h-2", resume_now=False, pause_days=400)
    with pytest.raises(OwnerActionError, match="empty"):
        owner.reply(row.key, "   ", OWNER, "r-empty")
    with pytest.raises(OwnerActionError, match="nothing needs attention"):
        owner.reply("no-such-item", "hello", OWNER, "r-x")


def test_a_cart_bought_after_a_reminder_is_counted_as_recovered_with_its_value(services: Services,
                                                                              clock: Clock) -> None:
    order = json.loads(shared_bytes("shopify/orders_create.json"))
    order.update(cart_token="eeafa272cebfd4b22385bc4b645e762c", cancelled_at=None, financial_status="paid")
    with client_for(services) as client:
        post_shopify(client, redated_checkout(clock), "checkouts/create")
        tick(services)
        clock.advance(hours=2)
        tick(services)
        assert len(outbox(services)) == 1  # the first reminder
        post_shopify(client, json.dumps(order).encode(), "orders/create")
    tick(services)
    week = owner_services(services).week()
    assert week.carts_recovered == 1
    assert week.cart_value == {order["currency"]: float(order["current_total_price"])}  # what it costs now


def test_the_redact_webhook_removes_the_customers_desk_records(services: Services) -> None:
    from chalicelib.domain.decisions import ForgetCustomer

    with client_for(services) as client:
        post_email(client, customer_email())
    tick(services)
    owner = owner_services(services)
    assert owner.attention()
    services.executor.execute([ForgetCustomer("sam@example.com", None, (), "customers/redact")], {})
    assert owner.attention() == [] and owner.recent_messages() == []


def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str,
        clock: Clock | None = None) -> tuple[int, str, str]:
    import chalicelib.bootstrap

    for name, value in TEST_SECRETS.items():
        monkeypatch.setenv(name, value)
    if clock is not None:  # the CLI reads "this week" on the services' clock, not the calendar's
        monkeypatch.setattr(chalicelib.bootstrap, "utc_now", clock)
    monkeypatch.delenv("WARMLINE_MODE", raising=False)
    code = main([*argv, "--data-dir", str(tmp_path / "data")])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_owner_commands(services: Services, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    with client_for(services) as client:
        post_email(client, customer_email())
    tick(services)
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "console-link")
    assert code == 0 and out.startswith("http://127.0.0.1:8000/console/signin?u=owner&n=")
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "console-link", "--as", "Sam Helper")
    assert code == 0 and "u=Sam+Helper" in out
    code, _out, err = cli(tmp_path, monkeypatch, capsys, "console-link", "--as", "<b>")
    assert code == 1 and "--as takes a short name" in err
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "eval", "--owner-labels", clock=clock)
    figures: dict[str, Any] = json.loads(out)
    assert code == 0 and figures["owner_labels"]["flagged"] == 1 and figures["alerts"] == 1
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "week", clock=clock)
    assert code == 0 and "Messages read: 1" in out
    code, out, _err = cli(tmp_path, monkeypatch, capsys, "export", "--email", "sam@example.com")
    data = json.loads(out)
    assert code == 0 and data["customers"][0]["email"] == "sam@example.com" and data["owner_desk"]
    code, _out, err = cli(tmp_path, monkeypatch, capsys, "eval")
    assert code == 1 and "--owner-labels" in err
    code, _out, err = cli(tmp_path, monkeypatch, capsys, "--stage", "Not A Stage", "held")
    assert code == 1 and "stage name" in err


def test_dead_letters_can_be_discarded_for_good(services: Services, clock: Clock) -> None:
    from chalicelib.ports import Delivery

    queue = services.extras["queue"]
    queue.accept(Delivery("shopify:poison", "shopify", "orders/create", b"{not json", clock()))
    for _ in range(6):
        tick(services)
        clock.advance(hours=1)
    owner = owner_services(services)
    assert [d["delivery_id"] for d in owner.dead_letter_list()] == ["shopify:poison"]
    owner.discard_dead_letter("shopify:poison", OWNER)
    assert owner.dead_letter_list() == []
    assert queue.accept(Delivery("shopify:poison", "shopify", "orders/create", b"{}", clock())) is False
    with pytest.raises(OwnerActionError):
        owner.retry_dead_letter("shopify:poison", OWNER)


def test_the_weekly_digest_goes_out_once_on_monday_morning(services: Services, clock: Clock) -> None:
    from datetime import UTC, datetime

    owner = owner_services(services)
    clock.now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday
    assert not owner.weekly_digest_if_due()
    clock.now = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)  # Monday 07:30 in London: too early
    assert not owner.weekly_digest_if_due()
    clock.now = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert owner.weekly_digest_if_due() and not owner.weekly_digest_if_due()
    clock.now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert not owner.weekly_digest_if_due()
    (mail,) = outbox(services)
    assert mail["To"] == "rosie@rosiesbakery.example" and "your week with Warmline" in text_of(mail)


def test_the_suggested_reply_names_the_late_order_and_offers_the_choices(services: Services, clock: Clock) -> None:
    from datetime import timedelta

    from chalicelib.domain.state import CustomerState, OrderSummary
    from chalicelib.owner.services import suggest_reply

    placed = (clock() - timedelta(days=9)).isoformat()
    late = OrderSummary("1", "#1042", "24.00", "GBP", placed, financial_status="paid")
    sent = OrderSummary("2", "#1001", "12.00", "GBP", placed, fulfilled=True)
    customer = CustomerState("sam@example.com", first_name="Sam", orders=(sent, late))
    item = {"name": "Sam Baker", "reasons": ["says the order is late or has not arrived"]}
    text = suggest_reply(services.config, item, customer, [late, sent], clock())
    assert text.startswith("Hi Sam,") and "#1042" in text and "#1001" not in text
    assert "replacement" in text and "refund" in text and text.rstrip().endswith(services.config.sign_off)
    on_time = suggest_reply(services.config, item, customer, [sent], clock())
    assert "#1" not in on_time and "put it right" in on_time
    assert "next order" not in text  # the example offers no goodwill code
    from chalicelib.config.loader import load_data
    from tests.conftest import EXAMPLE_CONFIG, example_config_data

    data = example_config_data()
    data["secrets"] = {**data["secrets"], "shopify_admin_token": {"env": "WARMLINE_SHOPIFY_ADMIN_TOKEN"}}
    data["flows"] = {**data["flows"], "late_order": {"enabled": True, "goodwill": {"kind": "percent", "value": 15}}}
    generous = suggest_reply(load_data(data, EXAMPLE_CONFIG.parent), item, customer, [late, sent], clock())
    assert "a code for 15% off your next order" in generous


def message_rows_after(services: Services, text: str) -> list[Any]:
    """A customer's email through the real intake and engine; then the console's "needs attention" messages."""
    with client_for(services) as client:
        post_email(client, customer_email(text=text))
    tick(services)
    return [r for r in owner_services(services).attention() if r.kind == "message"]


def test_a_small_problem_calmly_told_waits_in_the_owners_inbox_without_a_text(services: Services) -> None:
    # Real engine, real intake: the reading is mild and the problem small, so no text and no "we're sorry"
    # acknowledgement, but a person must handle it, so it is in the console's "needs attention" with its reason.
    rows = message_rows_after(services, "Hi, the lid of the teapot arrived chipped. Could you send a replacement lid?")
    assert [(r.level, r.email) for r in rows] == [("watch", "sam@example.com")]
    assert "reports damaged or faulty goods" in rows[0].why
    assert outbox(services) == []  # no acknowledgement below "alert"
    alerts = services.extras["alerts"].entries()
    assert [a["level"] for a in alerts] == ["watch"]  # the alerts file and email, never a phone
    owner = owner_services(services)
    owner.not_upset(rows[0].key, OWNER, "label-1")  # true: calm; but it was never an alert to judge
    week = owner.week()
    assert sum(week.messages) == 1 and sum(week.upset) == 0  # worth a look, not charted as an upset customer
    assert (week.flagged, week.not_upset) == (0, 0)  # the threshold's alerts are judged, not the inbox's watch


def test_a_worried_customer_waits_in_the_owners_inbox_and_their_marketing_goes_on(services: Services) -> None:
    # Real engine, real intake: worry before a deadline is not displeasure, but a person should answer it.
    text = "Hi! I'm a little worried the cake won't be ready before 3pm on Saturday for the party. Is that OK?"
    rows = message_rows_after(services, text)
    assert [(r.level, r.email) for r in rows] == [("watch", "sam@example.com")]
    assert "worried about their order" in rows[0].why
    assert outbox(services) == []  # no "we're sorry" acknowledgement: nothing has gone wrong
    assert [a["level"] for a in services.extras["alerts"].entries()] == ["watch"]  # never a phone
    assert sum(owner_services(services).week().upset) == 0
    draft = owner_services(services).item(rows[0].key)["suggested_reply"]
    assert "Thank you for checking with me" in draft and "sorry" not in draft.lower()


def test_a_calm_safety_report_texts_the_owner_and_the_draft_asks_after_them(services: Services) -> None:
    # Real engine, real intake. The model reads this as mild (glass is not an angry word), but someone nearly got
    # hurt: an alert the owner is texted about, an honest acknowledgement, and a draft that asks after them first.
    text = "Hello, I found a piece of glass in the loaf I bought on Friday. My son nearly swallowed it."
    rows = message_rows_after(services, text)
    assert [(r.level, r.email) for r in rows] == [("alert", "sam@example.com")]
    assert "reports a health or safety problem" in rows[0].why
    assert len(outbox(services)) == 1  # the automatic acknowledgement
    draft = owner_services(services).item(rows[0].key)["suggested_reply"]
    assert "I hope everyone is all right" in draft and "refund it in full" in draft


def test_a_bereavement_waits_in_the_inbox_with_no_automatic_reply_and_a_personal_draft(services: Services) -> None:
    # Real engine, real intake. The model reads grief as very upset (0.85), and the message asks to cancel: before,
    # an urgent text and "we're sorry things haven't gone right" to the family. Now the owner's inbox, no reply.
    text = ("Hello, I'm writing on behalf of my mother, Jean Walker, who sadly passed away last month. Please cancel "
            "her subscription and remove her from your mailing list.")
    rows = message_rows_after(services, text)
    assert [(r.level, r.email) for r in rows] == [("watch", "sam@example.com")]
    assert "mentions a bereavement" in rows[0].why and "asks to stop the emails to someone else" in rows[0].why
    assert outbox(services) == []
    assert [a["level"] for a in services.extras["alerts"].entries()] == ["watch"]  # never a phone
    draft = owner_services(services).item(rows[0].key)["suggested_reply"]
    assert "sorry for your loss" in draft and "cancel it for you" in draft and "nothing more to that address" in draft
    assert "sorry things" not in draft


def test_stop_emailing_me_waits_in_the_inbox_and_says_what_the_owner_must_do(services: Services) -> None:
    # Real engine, real intake, no SES receipt (so the sender is not verified): no text, no reply, consent left
    # as it was, and the inbox item tells the owner how to unsubscribe them.
    rows = message_rows_after(services, "Stop emailing me. I never signed up for these.")
    assert [(r.level, r.email) for r in rows] == [("watch", "sam@example.com")]
    assert "asks to stop receiving emails" in rows[0].why and "not unsubscribed automatically" in rows[0].why
    assert outbox(services) == []
    assert [a["level"] for a in services.extras["alerts"].entries()] == ["watch"]  # never a phone
    draft = owner_services(services).item(rows[0].key)["suggested_reply"]
    assert "taken you off our emails" in draft and "sorry things" not in draft


def test_thanks_for_replacing_a_loaf_with_metal_in_it_reaches_the_inbox_not_the_phone(services: Services) -> None:
    # Real engine and intake: the fix is done and nobody was hurt, so no text and no "sorry things haven't gone
    # right" to a customer who is thanking the shop; the owner still sees the safety report, with a fitting draft.
    rows = message_rows_after(services, "Thank you for replacing the loaf that had the bit of metal in it, the new "
                                        "one was perfect.")
    assert [r.level for r in rows] == ["watch"]
    assert "reports a health or safety problem" in rows[0].why and "putting it right" in rows[0].why
    assert outbox(services) == []
    assert [a["level"] for a in services.extras["alerts"].entries()] == ["watch"]
    draft = owner_services(services).item(rows[0].key)["suggested_reply"]
    assert "glad it's been put right" in draft and "refund" not in draft


def test_the_suggested_reply_fits_a_scam_question_and_an_urgent_request(services: Services, clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    scam = suggest_reply(services.config, {"name": "Sam", "reasons": ["mentions a scam, fraud or hacking"]}, None, [],
                         clock())
    assert "We never ask for card details" in scam and "sorry" not in scam.lower()
    urgent = suggest_reply(services.config, {"name": "Sam", "reasons": ["says it is urgent"]}, None, [], clock())
    assert "I'm on it now" in urgent and "sorry" not in urgent.lower()
    # A scam accusation beside a problem is a complaint: the apology, not the phishing advice.
    accused = suggest_reply(services.config, {"name": "Sam", "reasons": [
        "says the order is late or has not arrived", "mentions a scam, fraud or hacking"]}, None, [], clock())
    assert "We never ask" not in accused and "sorry" in accused.lower()


def test_the_suggested_reply_to_a_customers_own_slip_fixes_it_without_an_apology(services: Services,
                                                                                  clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["asked for a refund", "wants to cancel",
                                       'says the mistake was theirs ("accidentally")']}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "No problem at all" in draft and "refund usually takes" in draft and "sorry" not in draft.lower()


def test_the_suggested_reply_to_thanks_for_a_fix_thanks_them_and_refunds_nothing(services: Services,
                                                                                   clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["reports a health or safety problem",
                                       'thanks you for putting it right ("thank you for replacing")']}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "glad it's been put right" in draft and "checking everything else made or packed" in draft
    assert "refund" not in draft and "hope everyone is all right" not in draft


def test_the_suggested_reply_to_a_threat_sets_a_boundary_and_offers_no_apology_or_refund(services: Services,
                                                                                        clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["threatens you or your staff", "asked for a refund"]}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "can't accept threats to me or my staff" in draft and "what happened with your order" in draft
    assert "sorry" not in draft.lower() and "refund" not in draft.lower()


def test_the_suggested_reply_to_a_call_back_request_says_it_will_ring(services: Services, clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["asks you to call them back"]}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "I'll give you a ring as soon as I can" in draft and "better time to call" in draft
    assert "sorry things haven't been right" not in draft
    both = {"name": "Sam", "reasons": ["says it is urgent", "asks you to call them back"]}
    urgent = suggest_reply(services.config, both, None, [], clock())
    assert "I'm on it now" in urgent and "I'll ring you today" in urgent


def test_the_suggested_reply_to_another_customers_details_asks_them_to_destroy_them(services: Services,
                                                                                   clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["says they were sent another customer's personal details"]}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "delete or destroy it" in draft and "looking into how it happened" in draft
    assert "sorry things haven't been right" not in draft


def test_the_suggested_reply_to_a_mislabelled_product_promises_a_check_and_a_refund(services: Services,
                                                                                     clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["says it contains something the label or listing says it doesn't"]}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "checking the recipe and the label" in draft and "refund it in full" in draft


@pytest.mark.parametrize(
    ("reason", "says"),
    [
        ("says they did not place this order",
         ("checking today how your address came to be on this one", "refund it in full")),
        ("asks about or to delete their personal data", ("request about your personal data", "within a month")),
        ("mentions an allergy", ("letting me know about the allergy", "honestly what we can and can't guarantee")),
        ("mentions a scam, fraud or hacking", ("Thank you for checking with me first", "If you forward it to me")),
    ],
)
def test_the_suggested_reply_to_a_request_says_what_happens_next_without_apologising(
        services: Services, clock: Clock, reason: str, says: tuple[str, str]) -> None:
    """An order not placed checks how and offers a refund; a data request promises an answer within a month; an
    allergy note promises an honest check; "is this email from you?" asks them to forward it. None of them is "sorry
    things haven't been right"."""
    from chalicelib.owner.services import suggest_reply

    draft = suggest_reply(services.config, {"name": "Sam", "reasons": [reason]}, None, [], clock())
    assert all(words in draft for words in says)
    assert "sorry things haven't been right" not in draft


def test_the_suggested_reply_reassures_a_worried_customer_with_what_is_known(services: Services, clock: Clock) -> None:
    from datetime import timedelta

    from chalicelib.domain.state import CustomerState, OrderSummary
    from chalicelib.owner.services import suggest_reply

    placed = (clock() - timedelta(days=2)).isoformat()
    item = {"name": "Sam Baker", "reasons": ["worried about their order"]}
    customer = CustomerState("sam@example.com", first_name="Sam")
    waiting = OrderSummary("1", "#1042", "24.00", "GBP", placed, promised_by=(clock() + timedelta(days=3)).isoformat())
    sent = OrderSummary("1", "#1042", "24.00", "GBP", placed, fulfilled=True)
    delivered = OrderSummary("1", "#1042", "24.00", "GBP", placed, fulfilled=True, delivered_at=clock().isoformat())
    old = OrderSummary("0", "#0900", "9.00", "GBP", (clock() - timedelta(days=90)).isoformat(), fulfilled=True)
    drafts = {name: suggest_reply(services.config, item, customer, [old, order], clock())
              for name, order in (("waiting", waiting), ("sent", sent), ("delivered", delivered))}
    assert "#1042 hasn't been sent yet" in drafts["waiting"] and "#1042 has been sent" in drafts["sent"]
    assert "says it has been delivered" in drafts["delivered"]
    for draft in drafts.values():
        assert draft.startswith("Hi Sam,") and "#0900" not in draft and "sorry" not in draft.lower()
        assert "refund" not in draft and draft.rstrip().endswith(services.config.sign_off)
    assert "Thank you for checking" in suggest_reply(services.config, item, customer, [], clock())
    refund = {"name": "Sam Baker", "reasons": ["worried about their order", "asked for a refund"]}
    assert "If you'd like a refund" in suggest_reply(services.config, refund, customer, [waiting], clock())
    overdue = {"name": "Sam Baker", "reasons": ["worried about their order",
                                                 "says the order is late or has not arrived"]}
    assert "sorry things haven't been right" in suggest_reply(services.config, overdue, customer, [waiting], clock())


def test_the_suggested_reply_to_a_customer_in_crisis_puts_the_person_first(services: Services, clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["wants to cancel", "may be in crisis: talks of not wanting to go on"]}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "please don't apologise" in draft and "116 123" in draft and "emergency number" in draft
    assert "don't worry about the order" in draft
    assert "refund" not in draft and "things haven't been right" not in draft


def test_the_suggested_reply_to_a_customer_who_may_not_be_safe_at_home_says_nothing_another_reader_could_use(
        services: Services, clock: Clock) -> None:
    """"He reads my emails": whatever the owner sends may be read by the person the customer fears, so the draft is
    short and plain, says nothing of why, and asks nothing of them."""
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": [
        "may not be safe at home: asks you to keep their orders or emails from someone who reads them"]}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "that's all noted" in draft and "exactly as you asked" in draft
    for word in ("safe", "abuse", "he", "him", "receipt", "helpline", "sorry", "refund", "order"):
        assert not re.search(rf"\b{word}\b", draft.lower()), word


def test_the_suggested_reply_to_a_report_of_someone_using_the_shops_name_says_it_is_not_us(
        services: Services, clock: Clock) -> None:
    from chalicelib.owner.services import suggest_reply

    item = {"name": "Sam", "reasons": ["says someone may be using your shop's name"]}
    draft = suggest_reply(services.config, item, None, [], clock())
    assert "That isn't us" in draft and "call your bank" in draft and "don't pay them" in draft
    assert "sorry things haven't been right" not in draft
