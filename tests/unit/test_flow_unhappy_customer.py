"""Upset customers reach a person, and anyone who can write to the shop's inbox still can't make it mail or
text without limit: sender checks, mail loops, per-sender and shop-wide limits, one text per conversation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.config.loader import load_data
from chalicelib.config.model import WarmlineConfig
from chalicelib.domain import events as ev
from chalicelib.domain.decisions import AlertOwner, Decision, SaveCustomer, SaveMemory, SendEmail, Suppress
from chalicelib.domain.escalation import PERSON_INBOX
from chalicelib.domain.state import CustomerState, Memory, SentimentReading, World
from chalicelib.flows import decide
from chalicelib.messages import our_message_id
from tests.conftest import EXAMPLE_CONFIG, example_config_data

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
ANGRY = SentimentReading("NEGATIVE", 0.02, 0.93, 0.05, 0.0)
TEXT = "Where is my order? It's been 3 weeks. I want a full refund."


def config(**changes: Any) -> WarmlineConfig:
    return load_data(example_config_data(**changes), EXAMPLE_CONFIG.parent)


def message(message_id: str = "m1", sender: str = "sam@example.com", **changes: Any) -> ev.CustomerMessage:
    base = ev.CustomerMessage(message_id, sender, "Sam", "Claim your refund at http://evil.example", TEXT,
                              "customer", NOW)
    return replace(base, **changes)


def of(kind: type, decisions: list[Decision]) -> list[Any]:
    return [d for d in decisions if isinstance(d, kind)]


def run(event: ev.CustomerMessage, customer: CustomerState | None = None, memory: dict[str, Memory] | None = None,
        at: datetime = NOW) -> list[Decision]:
    return decide(event, World(customer, (), memory or {}), ANGRY, config(), at)


def test_the_acknowledgement_never_repeats_what_the_sender_wrote() -> None:
    (ack,) = of(SendEmail, run(message()))
    assert "subject" not in ack.context and all("evil" not in str(v) for v in ack.context.values())
    assert ack.context["in_reply_to"] == "m1"


def test_a_message_that_failed_the_sender_checks_gets_no_reply_and_no_text() -> None:
    for trust, detail in (("fail", "SPF fail, DKIM fail, DMARC fail"), ("spam", "marked as spam"),
                          ("virus", "virus found")):
        decisions = run(message(trust=trust, trust_detail=detail))
        assert not of(SendEmail, decisions)
        (alert,) = of(AlertOwner, decisions)
        assert alert.level == "watch" and detail in alert.headline  # waits in the inbox: watch-level never texts
    unknown = run(message(trust="unknown"))
    assert of(SendEmail, unknown) and of(AlertOwner, unknown)[0].level in ("alert", "urgent")


def test_a_reply_to_our_own_acknowledgement_is_not_answered_again() -> None:
    ours = our_message_id("ack:m0", "hello@rosiesbakery.example").strip("<>")
    decisions = run(message("m2", in_reply_to=ours))
    assert not of(SendEmail, decisions) and of(Suppress, decisions)[0].code == "mail_loop"
    via_references = run(message("m3", references=("other@x.example", ours)))
    assert of(Suppress, via_references)[0].code == "mail_loop"
    someone_elses = run(message("m4", in_reply_to="warmline.abc@another-shop.example"))
    assert of(SendEmail, someone_elses)


def test_one_acknowledgement_per_reply_promise_and_a_weekly_cap_per_sender() -> None:
    sam = CustomerState("sam@example.com")
    sent: list[str] = []
    at = NOW
    for day in range(7):  # an auto-responder (or a very unhappy customer) writing twice a day for a week
        for hour in (0, 12):
            when = at + timedelta(days=day, hours=hour)
            decisions = run(message(f"m{day}-{hour}"), replace(sam, acknowledged=tuple(sent)), at=when)
            if of(SendEmail, decisions):
                sent.append(when.isoformat())
            saved = of(SaveCustomer, decisions)
            assert saved
    assert len(sent) == 3  # at most one per 24 h (the reply promise), and 3 a week


def test_a_shop_wide_hourly_limit_on_acknowledgements() -> None:
    recent = {"unhappy_customer:acks": Memory({"sent": [(NOW - timedelta(minutes=i)).isoformat()
                                                          for i in range(20)]}, 7)}
    decisions = run(message("m50", sender="new@example.com"), None, recent)
    assert not of(SendEmail, decisions)
    (why,) = of(Suppress, decisions)
    assert why.code == "rate_limited" and "shop-wide" in why.reason
    assert of(AlertOwner, decisions)  # the owner still sees every message
    fresh = run(message("m51", sender="new@example.com"))
    (memory,) = [m for m in of(SaveMemory, fresh) if m.flow == "unhappy_customer"]
    assert memory.version == 0 and len(memory.data["sent"]) == 1


def test_one_text_per_open_conversation_unless_it_gets_more_urgent() -> None:
    first = run(message("m1"))
    (alert,) = of(AlertOwner, first)
    (saved,) = of(SaveCustomer, first)
    assert saved.customer.conversation_alert == alert.key == "alert:m1"
    later = run(message("m2"), saved.customer, at=NOW + timedelta(minutes=10))
    (again,) = of(AlertOwner, later)
    assert again.key in ("alert:m1", "alert:m1:urgent")  # the same key: the alerter sends it once
    after_cooldown = run(message("m9"), saved.customer, at=NOW + timedelta(days=10))
    assert of(AlertOwner, after_cooldown)[0].key == "alert:m9"  # a new conversation, a new text


def test_on_aws_a_reply_to_the_ses_message_id_of_our_acknowledgement_is_recognised() -> None:
    acknowledged = CustomerState("sam@example.com", acknowledged=((NOW - timedelta(days=2)).isoformat(),))
    ses_id = "0102019a1b2c3d4e-5f6a7b8c-0000-0000-0000-000000000000-000000@eu-west-1.amazonses.com"
    decisions = run(message("m7", in_reply_to=ses_id), acknowledged)
    assert of(Suppress, decisions)[0].code == "mail_loop"
    stranger = run(message("m8", sender="new@example.com", in_reply_to=ses_id))
    assert of(SendEmail, stranger)  # never acknowledged: an SES id alone proves nothing


def test_an_unusable_sender_address_reaches_the_owner_and_nobody_is_mailed() -> None:
    decisions = run(message("m60", sender="", email_problem="the address contains a line break"))
    assert not of(SendEmail, decisions) and not of(SaveCustomer, decisions)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "watch" and "line break" in alert.headline


CALM = SentimentReading("NEUTRAL", 0.1, 0.28, 0.62, 0.0)


def test_a_verified_customer_who_asks_to_stop_the_emails_is_unsubscribed_and_the_owner_told() -> None:
    """"Stop emailing me" is an unsubscribe, and a caring shop honours it at once; the owner sees it in the inbox
    (no text, no automatic reply) with what Warmline did."""
    sam = replace(CustomerState("sam@example.com"), consent="subscribed")
    decisions = decide(message(text="Stop emailing me. I never signed up for any of this.", trust="pass",
                               trust_detail="ses: spf=pass dkim=pass dmarc=pass"),
                       World(sam, (), {}), CALM, config(), NOW)
    (saved,) = of(SaveCustomer, decisions)
    assert saved.customer.consent == "unsubscribed"
    assert "unsubscribed from reminders and marketing at their emailed request" in saved.reason
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "watch"
    assert alert.reasons == ("asks to stop receiving emails",
                             "Warmline sends them no more reminders or marketing; change their marketing consent "
                             "in Shopify too")
    assert not of(SendEmail, decisions)


def test_an_unverified_request_to_stop_the_emails_is_left_to_the_owner() -> None:
    """Anyone can put a customer's address on the From line: without SES's signed receipt passing the sender,
    Warmline does not change consent, and says so."""
    sam = replace(CustomerState("sam@example.com"), consent="subscribed")
    for trust, detail in (("unknown", ""), ("fail", "ses: spf=fail dkim=fail dmarc=fail"),
                          ("pass", "headers: dkim=pass dmarc=pass")):  # a header a sender can write themselves
        decisions = decide(message(text="Please unsubscribe me from everything. I'm furious about these emails.",
                                   trust=trust, trust_detail=detail), World(sam, (), {}), ANGRY, config(), NOW)
        assert all(d.customer.consent == "subscribed" for d in of(SaveCustomer, decisions)), trust
        (alert,) = of(AlertOwner, decisions)
        assert any(r.startswith("not unsubscribed automatically (the sender is not verified)")
                   for r in alert.reasons), trust


def test_an_upset_request_to_stop_the_emails_gets_no_automatic_email() -> None:
    """Alerted, because they are upset, but the one thing they asked for is no more email from us."""
    decisions = decide(message(text="STOP EMAILING ME. This is the third time I've asked. Unsubscribe me now!",
                               trust="pass", trust_detail="ses: spf=pass dkim=pass dmarc=pass"),
                       World(None, (), {}), ANGRY, config(), NOW)
    assert of(AlertOwner, decisions)[0].level in ("alert", "urgent")
    assert not of(SendEmail, decisions)
    (suppressed,) = of(Suppress, decisions)
    assert suppressed.code == "unsubscribed" and "asked to stop receiving emails" in suppressed.reason


def test_a_bereavement_gets_no_automatic_reply_even_when_it_alerts() -> None:
    """A charge after a death is a problem the owner is texted about; the family gets no automatic "sorry things
    haven't gone right": the owner writes personally."""
    text = "My mum passed away in March and you've charged her card again for the subscription. Please refund it."
    decisions = decide(message(text=text), World(None, (), {}), ANGRY, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level in ("alert", "urgent") and "mentions a bereavement" in alert.reasons
    assert not of(SendEmail, decisions)
    (suppressed,) = of(Suppress, decisions)
    assert suppressed.code == "not_applicable" and "bereavement" in suppressed.reason
    grief = decide(message(text="My husband died in October. Please cancel his order."), World(None, (), {}), ANGRY,
                   config(), NOW)
    assert [a.level for a in of(AlertOwner, grief)] == ["watch"] and not of(SendEmail, grief)  # inbox, no text


def test_a_threat_to_the_owner_or_staff_gets_no_automatic_reply() -> None:
    """"We're sorry, a person will reply within 24 hours" is the owner's to promise, or not, to a threat."""
    text = "Where is my order? If it isn't here tomorrow I'll come down to the shop and sort you out myself."
    decisions = decide(message(text=text), World(None, (), {}), ANGRY, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "urgent" and "threatens you or your staff" in alert.reasons
    assert not of(SendEmail, decisions)
    (suppressed,) = of(Suppress, decisions)
    assert suppressed.code == "not_applicable" and "threatens the owner or staff" in suppressed.reason


def test_a_customer_who_may_be_in_crisis_gets_no_automatic_reply_and_an_urgent_text() -> None:
    """A form "sorry things haven't gone right with your order" to "I don't see the point of anything now" would be
    the worst possible answer: the owner writes, now."""
    text = "Please cancel my subscription. I don't really see the point of anything now."
    decisions = decide(message(text=text), World(None, (), {}), ANGRY, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "urgent" and "may be in crisis: talks of not wanting to go on" in alert.reasons
    assert not of(SendEmail, decisions)
    (suppressed,) = of(Suppress, decisions)
    assert suppressed.code == "not_applicable" and "may be in crisis" in suppressed.reason


def test_a_customer_who_may_not_be_safe_at_home_gets_no_automatic_reply_and_a_text() -> None:
    """"Please don't email a receipt, he reads my emails": an automatic acknowledgement to that address could be read by
    the person they fear."""
    text = ("Please don't send the order to my home address, send it to my work instead. He goes through the post and "
            "I'm not allowed to buy things for myself. And please don't email a receipt, he reads my emails.")
    decisions = decide(message(text=text), World(None, (), {}), ANGRY, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "urgent" and any(r.startswith("may not be safe at home") for r in alert.reasons)  # ANGRY
    assert not of(SendEmail, decisions)
    (suppressed,) = of(Suppress, decisions)
    assert suppressed.code == "not_applicable" and "may not be safe at home" in suppressed.reason


def test_a_supplier_asking_to_pay_new_bank_details_is_texted_and_gets_no_automatic_reply() -> None:
    """Most likely a fraudster in a supplier's name: an automatic "sorry, a person will reply" only tells them the
    mailbox is read."""
    calm = SentimentReading("NEUTRAL", 0.2, 0.1, 0.7, 0.0)
    text = ("Hi Hannah, please note Oakwood Timber Supplies has changed banks. Please make payment of our outstanding "
            "invoice #OT-882 (£1,460.00) to our new account below.")
    decisions = decide(message(text=text), World(None, (), {}), calm, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "alert" and any(r.startswith("asks for payment to new bank details") for r in alert.reasons)
    assert not of(SendEmail, decisions)
    (suppressed,) = of(Suppress, decisions)
    assert suppressed.code == "not_applicable" and "new bank details" in suppressed.reason


def test_a_neighbours_warning_about_the_premises_is_texted_at_once_and_gets_no_automatic_reply() -> None:
    calm = SentimentReading("NEUTRAL", 0.2, 0.1, 0.7, 0.0)
    text = "Neighbour here - your farm shop door is wide open and the alarm's going. There's a van round the back."
    decisions = decide(message(text=text), World(None, (), {}), calm, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "urgent" and "something is happening at your premises now" in alert.reasons
    assert not of(SendEmail, decisions)
    (suppressed,) = of(Suppress, decisions)
    assert suppressed.code == "not_applicable" and "premises" in suppressed.reason


def test_a_message_in_another_language_naming_an_emergency_texts_the_owner_and_gets_no_english_form_reply() -> None:
    french = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language="fr")
    text = "Bonjour, ma fille a mangé un de vos biscuits et elle a du mal à respirer. Y a-t-il des noix dedans ?"
    decisions = decide(message(text=text), World(None, (), {}), french, config(), NOW)
    (alert,) = of(AlertOwner, decisions)
    assert alert.level == "urgent" and not of(SendEmail, decisions)  # at once, as an English emergency would be
    (suppressed,) = of(Suppress, decisions)
    assert "language Warmline cannot read" in suppressed.reason


def test_a_bereavement_pauses_marketing_however_it_reads() -> None:
    happy = SentimentReading("POSITIVE", 0.92, 0.02, 0.06, 0.0)
    text = "The flowers for my dad's funeral were beautiful, thank you for making a sad day brighter."
    decisions = decide(message(text=text), World(None, (), {}), happy, config(), NOW)
    saved = [d.customer for d in of(SaveCustomer, decisions) if d.customer.upset_until]
    assert saved and datetime.fromisoformat(saved[0].upset_until) > NOW + timedelta(hours=24)
    assert "marketing paused" in of(SaveCustomer, decisions)[0].reason
    plain = decide(message(text="The flowers were beautiful, thank you!"), World(None, (), {}), happy, config(), NOW)
    assert not any(d.customer.upset_until for d in of(SaveCustomer, plain))


AT_RISK_TEXT = ("Please don't email a receipt, my husband reads my emails. I'm not allowed to buy things for myself.")


def test_a_customer_who_says_someone_reads_their_email_gets_nothing_automatic_unless_the_sender_failed_checks() -> None:
    decisions = run(message(text=AT_RISK_TEXT, trust="pass", trust_detail="ses: DMARC pass"))
    (saved,) = of(SaveCustomer, decisions)
    assert saved.customer.automatic_off == NOW.isoformat()
    assert saved.customer.automatic_off_why == "they wrote that someone else may read their email"
    assert "automatic emails to them turned off until you turn them back on" in saved.reason
    (alert,) = of(AlertOwner, decisions)
    assert "Warmline sends them no automatic email until you turn it back on" in alert.reasons
    assert not of(SendEmail, decisions)
    # Unverified but not failed (no receipt, as on a laptop): the same. Failed: anyone may have written that From line.
    (saved,) = of(SaveCustomer, run(message(text=AT_RISK_TEXT)))
    assert saved.customer.automatic_off == NOW.isoformat()
    forged = run(message(text=AT_RISK_TEXT, trust="fail", trust_detail="SPF fail, DKIM fail, DMARC fail"))
    assert all(s.customer.automatic_off is None for s in of(SaveCustomer, forged))
    (alert,) = of(AlertOwner, forged)
    assert alert.level == "watch" and "their automatic emails were not turned off (the sender is not verified): " \
        "if it is them, turn them off on this page" in alert.reasons
    # an angry message about an order turns nothing off; one already off stays off, from when it was turned off
    assert all(s.customer.automatic_off is None for s in of(SaveCustomer, run(message())))
    earlier = CustomerState("sam@example.com", automatic_off="2026-10-01T09:00:00+00:00", automatic_off_why="x")
    (saved,) = of(SaveCustomer, run(message(text=AT_RISK_TEXT), earlier))
    assert saved.customer.automatic_off == "2026-10-01T09:00:00+00:00" and saved.customer.automatic_off_why == "x"


def test_a_message_the_model_puts_in_the_inbox_is_an_inbox_item_never_a_text_nor_an_automatic_reply() -> None:
    """Below its alert bar, the needs-a-person model's reading puts a message nothing else flagged in the owner's
    inbox (escalation.PERSON_INBOX): an item to read today; no text, no "sorry things haven't gone right", no pause."""
    calm = SentimentReading("NEUTRAL", 0.2, 0.1, 0.7, 0.0, person=PERSON_INBOX, person_focus="Something odd happened.")
    text = "Hello. Something odd happened last night with the parcel. I don't know who else to ask."
    decisions = decide(message(text=text), World(None, (), {}), calm, config(), NOW)
    (item,) = of(AlertOwner, decisions)
    assert item.key.startswith("inbox:") and item.level == "watch"
    assert any(r.startswith("may need you: reads a little like the emails that need a person") for r in item.reasons)
    assert not of(SendEmail, decisions)
    saved = [d.customer for d in of(SaveCustomer, decisions)]
    assert all(c.upset_until is None for c in saved)  # an inbox item is no reason to pause their emails
    quiet = decide(message(text=text), World(None, (), {}), replace(calm, person=0.3), config(), NOW)
    assert not of(AlertOwner, quiet) and not of(SendEmail, quiet)
