"""Escalation: each signal, its reason text, and how signals combine into a level."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.config.model import EscalationSettings, Vip
from chalicelib.domain.escalation import assess, is_negative, ordinal
from chalicelib.domain.state import ContactSummary, CustomerState, OrderSummary, SentimentReading

NOW = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
SETTINGS = EscalationSettings()
UPSET = SentimentReading("NEGATIVE", 0.02, 0.7, 0.28, 0.0)
FURIOUS = SentimentReading("NEGATIVE", 0.0, 0.93, 0.07, 0.0)
CALM = SentimentReading("NEUTRAL", 0.05, 0.05, 0.9, 0.0)
HAPPY = SentimentReading("POSITIVE", 0.9, 0.0, 0.1, 0.0)


def order(name: str = "#1001", **kw: object) -> OrderSummary:
    fields: dict[str, object] = {
        "order_id": name.lstrip("#") + "0", "name": name, "total": "40.00", "currency": "USD",
        "placed_at": (NOW - timedelta(days=10)).isoformat(),
    }
    fields.update(kw)
    return OrderSummary(**fields)  # type: ignore[arg-type]


def contact(days_ago: float, n: int = 0) -> ContactSummary:
    return ContactSummary(f"m{n}-{days_ago}", (NOW - timedelta(days=days_ago)).isoformat(), "NEGATIVE", "watch")


def customer(**kw: object) -> CustomerState:
    return replace(CustomerState(email="jo@example.com"), **kw)  # type: ignore[arg-type]


def test_friendly_message_without_signals_is_none_with_no_reasons() -> None:
    result = assess(HAPPY, "Thanks so much, the cake was perfect!", customer(orders=(order(),)), SETTINGS, NOW)
    assert result.level == "none"
    assert result.reasons == ()
    assert assess(CALM, "Do you ship to Canada?", None, SETTINGS, NOW).level == "none"


def test_negative_reading_alone_is_watch_and_says_how_negative() -> None:
    result = assess(UPSET, "Hmm.", None, SETTINGS, NOW)
    assert result.level == "watch"
    assert result.reasons == ("sounds upset (negative 0.70)",)
    # (a text other than a bare "Hmm.", which since December 2026 answers a question rather than says how upset)
    assert assess(FURIOUS, "About the cake.", None, SETTINGS, NOW).reasons == ("sounds very upset (negative 0.93)",)
    assert assess(FURIOUS, "Hmm.", None, SETTINGS, NOW).reasons == ("sounds upset (negative 0.93)",)


def test_threshold_is_the_owners() -> None:
    assert is_negative(UPSET, SETTINGS)
    assert not is_negative(UPSET, EscalationSettings(threshold=0.8))
    assert assess(UPSET, "Hmm.", None, EscalationSettings(threshold=0.8), NOW).level == "none"


def test_refund_demand() -> None:
    result = assess(UPSET, "I want a full refund immediately", None, SETTINGS, NOW)
    assert result.level == "alert"
    assert "asked for a refund" in result.reasons


def test_lateness_in_the_text() -> None:
    result = assess(UPSET, "Where is my order? It's been 3 weeks", None, SETTINGS, NOW)
    assert result.level == "alert"
    assert "says the order is late or has not arrived" in result.reasons


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The mug arrived cracked", "reports damaged or faulty goods"),
        ("This is the third time I'm asking", "says they have written before without an answer"),
        ("Please cancel my order", "wants to cancel"),
        ("You sent the wrong size", "received the wrong or incomplete order"),
        ("I was charged twice", "reports a billing problem"),
        ("Expect a bad review", "threatens a bad review"),
        ("Thanks for nothing", "sounds sarcastic"),
    ],
)
def test_text_cues_become_reasons(text: str, reason: str) -> None:
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert reason in result.reasons
    assert result.level != "none"


def test_a_problem_with_a_deadline_tomorrow_is_an_alert_however_the_reading_goes() -> None:
    text = "Received the wrong cake. Ordered lemon, got carrot. Party is tomorrow!!"
    for reading in (CALM, HAPPY):  # it read pleased (0.53): no word of thanks or praise in it
        result = assess(reading, text, None, SETTINGS, NOW)
        assert (result.level, result.reasons[-1]) == ("alert", 'a deadline tomorrow ("party is tomorrow")'), reading
    fine = "Thanks so much! The box was a little dented but the cake is fine. Party is tomorrow, can't wait!"
    assert assess(HAPPY, fine, None, SETTINGS, NOW).level == "watch"
    wait = "The cake hasn't arrived yet, no rush, the party isn't until tomorrow evening."
    assert assess(UPSET, wait, None, SETTINGS, NOW).level == "watch"  # the customer says it can wait


def test_a_reply_promised_in_24_hours_is_no_deadline_today() -> None:
    text = "Your automatic reply said someone would get back to me in 24 hours. It's been 3 days."
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.level == "alert" and "says they have written before without an answer" in result.reasons
    assert not any(r.startswith("a deadline") for r in result.reasons)


def test_trying_to_reach_the_shop_all_week_is_no_happy_message_however_it_reads() -> None:
    text = "I've been trying to reach you all week about my wedding cake, the wedding is on Saturday!"
    assert assess(HAPPY, text, None, SETTINGS, NOW).level == "alert"  # it read pleased (0.03 upset)
    cheerful = assess(HAPPY, "Hi, just following up on my last email, thanks!", None, SETTINGS, NOW)
    assert (cheerful.level, cheerful.inbox) == ("watch", True)  # once, cheerfully: the inbox


def test_a_request_to_call_back_waits_in_the_inbox_and_does_not_alert_a_bereavement() -> None:
    call = assess(CALM, "Please call me back on 07700 900123, it's about tomorrow's order.", None, SETTINGS, NOW)
    assert (call.level, call.inbox, call.reasons) == ("watch", True, ("asks you to call them back",))
    grief = assess(UPSET, "My husband died last week; could you call me back about his subscription?", None,
                   SETTINGS, NOW)
    assert (grief.level, grief.inbox) == ("watch", True)


def test_another_customers_details_sent_out_is_an_alert_however_kindly_told() -> None:
    text = "Hi! Just so you know, there was another customer's invoice in my box. Love the candles though!"
    result = assess(HAPPY, text, None, SETTINGS, NOW)
    assert result.level == "alert" and result.reasons == ("says they were sent another customer's personal details",)


def test_a_customer_sorry_for_their_own_tone_is_not_very_upset() -> None:
    sorry = SentimentReading("NEGATIVE", 0.05, 0.87, 0.08, 0.0)  # how the engine reads it
    text = "I'm so sorry, I was rude on the phone yesterday. It wasn't your fault, I'd had a terrible day."
    result = assess(sorry, text, None, SETTINGS, NOW)
    assert (result.level, result.inbox, result.reasons) == ("watch", True, ("sounds upset (negative 0.87)",))


def test_a_threat_to_the_owner_or_staff_texts_at_once_however_calm_or_cheerful() -> None:
    for reading in (CALM, HAPPY, UPSET):
        result = assess(reading, "I'll come down to the shop and sort you out myself.", None, SETTINGS, NOW)
        assert (result.level, result.reasons[-1]) == ("urgent", "threatens you or your staff"), reading
    late = assess(CALM, "No rush, but if my cake is late again I'm going to smash your windows.", None, SETTINGS, NOW)
    assert late.level == "urgent"  # "no rush" does not calm a threat


def test_a_customer_who_may_be_in_crisis_texts_at_once_and_nothing_calms_it() -> None:
    """"I won't be around much longer to use it anyway" is read however calmly or cheerfully it is put; its "doesn't
    matter" is not "it can wait", and a cancel beside it is not a plain request to cancel."""
    crisis = "may be in crisis: talks of not wanting to go on"
    for reading in (CALM, HAPPY, UPSET):
        result = assess(reading, "I don't really see the point of anything now.", None, SETTINGS, NOW)
        assert (result.level, result.reasons[-1]) == ("urgent", crisis), reading
    text = "Honestly doesn't matter anymore. Cancel everything. I won't be around much longer to use it anyway."
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.level == "urgent" and crisis in result.reasons
    assert not any(r.startswith("says it can wait") for r in result.reasons)
    assert assess(CALM, "These brownies are so good I could die.", None, SETTINGS, NOW).level == "none"


def test_a_message_in_another_language_that_may_name_an_emergency_is_texted() -> None:
    german = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language="de")
    text = "Hallo, mein Sohn hat nach dem Keks Atemnot, wir sind jetzt im Krankenhaus. Sind Erdnüsse drin?"
    result = assess(german, text, None, SETTINGS, NOW)
    assert result.level == "urgent" and 'it may name an emergency ("atemnot")' in result.reasons
    question = assess(german, "Hallo, liefern Sie auch nach Österreich? Vielen Dank!", None, SETTINGS, NOW)
    assert (question.level, question.inbox) == ("watch", True)


def test_a_pet_at_the_vet_or_glass_in_the_food_in_another_language_is_texted() -> None:
    # an emergency texts the owner at once; fraud in the shop's name with the next batch
    for language, text, word in (
            ("fr", "Notre chien a mangé les friandises et il vomit du sang. Nous sommes chez le vétérinaire.", "vomit"),
            ("es", "Hola, he encontrado un trozo de metal en el pan. Nadie se ha hecho daño.", "trozo de metal"),
            ("nl", "Ik heb glas gevonden in de pot honing. Gelukkig is niemand gewond.", "glas gevonden"),
            # a fire or a burn
            ("pl", "Świeca nagle zapaliła się cała, płomień przypalił półkę. Nikt nie ucierpiał.", "zapaliła się"),
            ("de", "Die Kerze hat Feuer gefangen, der Tisch ist schwarz. Zum Glück ist nichts passiert.",
             "feuer gefangen"),
            ("es", "El difusor se prendió fuego y mi hija tiene una quemadura en la mano.", "prendió fuego"),
            ("cy", "Aeth y gannwyll ar dân ac mae fy mab yn yr ysbyty.", "ar dân"),
            # fraud in the shop's name
            ("nl", "Iemand gebruikt jullie naam en logo op een nepwebsite en mijn klanten worden opgelicht.",
             "nepwebsite"),
            ("it", "Ho trovato un sito che usa il vostro nome, credo sia una truffa.", "truffa")):
        reading = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language=language)
        result = assess(reading, text, None, SETTINGS, NOW)
        serious = word in ("nepwebsite", "truffa")
        assert result.level == ("alert" if serious else "urgent"), text
        reason = "a serious problem" if serious else "an emergency"
        assert f'it may name {reason} ("{word}")' in result.reasons, text


def test_someone_using_the_shops_name_is_an_alert_but_asking_whether_a_text_is_yours_waits_in_the_inbox() -> None:
    """Other customers may be paying a fake shop, or giving their bank details to one: the owner warns them today."""
    for text in ("Had a message from someone claiming to be you saying I'd won a £500 voucher and just needed to "
                 "confirm my bank details.",
                 "Someone's set up an Instagram account with your logo and photos selling 'discounted' candles. My "
                 "friend paid them £40 and got nothing.",
                 "There are two charges on my card from your shop that I didn't make."):
        assert assess(CALM, text, None, SETTINGS, NOW).level == "alert", text
    question = assess(CALM, "Is this text from you or a scam? It says my parcel is waiting.", None, SETTINGS, NOW)
    assert (question.level, question.inbox) == ("watch", True)


def test_a_supplier_asking_to_pay_new_bank_details_is_an_alert_that_says_to_check_by_phone() -> None:
    text = ("Hi Hannah, please note Oakwood Timber Supplies has changed banks. Please make payment of our outstanding "
            "invoice #OT-882 (£1,460.00) to our new account below.")
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.level == "alert"
    assert "asks for payment to new bank details: check by phone with whoever it claims to be from" in result.reasons


def test_stitches_or_surgery_after_the_goods_failed_text_the_owner_at_once() -> None:
    for text in ("The tea tin lid is razor sharp. My dad sliced his thumb open to the bone, he needs stitches.",
                 "The lead snapped at the clip and my dog ran straight under a car. He's in surgery now."):
        result = assess(CALM, text, None, SETTINGS, NOW)
        assert result.level == "urgent" and any(r.startswith("someone may be hurt") for r in result.reasons), text


def test_an_account_takeover_a_hacked_checkout_or_a_stolen_database_is_an_alert() -> None:
    for text in ("I've just had an email saying my password was changed - I didn't change it.",
                 "Stripe Radar: 412 payment attempts in the last hour, consistent with a card-testing attack.",
                 "We have accessed your customer database. Pay 0.5 BTC within 48 hours or we publish everything.",
                 "Your shop's Facebook page is posting 'win a £500 voucher' links to everyone. I think you've been "
                 "hacked."):
        assert assess(CALM, text, None, SETTINGS, NOW).level == "alert", text
    assert assess(CALM, "I changed my password yesterday and now I can't log in, can you reset it?", None, SETTINGS,
                  NOW).level in ("none", "watch")


def test_something_happening_at_the_premises_now_texts_the_owner_at_once() -> None:
    for text in ("Neighbour here - your farm shop door is wide open and the alarm's going.",
                 "Hi, I'm in the unit next door. Your alarm has been going for an hour, no sign of anyone.",
                 "There's water pouring out from under your shop door - looks like a burst pipe.",
                 "Two blokes are trying to get the shutter up with a crowbar. Shall I ring the police?"):
        result = assess(CALM, text, None, SETTINGS, NOW)
        assert result.level == "urgent" and "something is happening at your premises now" in result.reasons, text
    for text in ("Is the shop open on bank holiday Monday?",
                 "Your shop door was wide open on Saturday so I popped in, lovely place!",
                 "Hello, I'm the PCSO for Little Haddon. We've had a few reports of shed break-ins this month."):
        assert assess(CALM, text, None, SETTINGS, NOW).level in ("none", "watch"), text


def test_a_website_fault_that_costs_every_order_is_an_alert_and_a_broken_code_waits_in_the_inbox() -> None:
    for text in ("Heads up - your Etsy listings are all showing £0.00 and someone's posted it on Hot UK Deals.",
                 "Your checkout is charging people 10 times over - I was charged £349 for a £34.90 blanket."):
        assert assess(CALM, text, None, SETTINGS, NOW).level == "alert", text
    assert assess(CALM, "The discount code doesn't work, could you help?", None, SETTINGS, NOW).level == "watch"


def test_a_review_threat_with_a_time_limit_is_an_alert() -> None:
    text = "Just a warning that I'm leaving a 1 star review on Google tonight unless someone gets back to me."
    assert assess(CALM, text, None, SETTINGS, NOW).level == "alert"
    assert assess(CALM, "Wow, I'll be leaving a 5 star review tonight!", None, SETTINGS, NOW).level == "none"
    # a condition is a time limit too ("...if this isn't sorted today"); a review threat with none stays in the inbox
    for text in ("I'm going to leave a one star review if this isn't sorted today.",
                 "If my order isn't refunded I will leave a one star review."):
        assert assess(CALM, text, None, SETTINGS, NOW).level == "alert", text
    plain = assess(CALM, "I will be leaving a bad review.", None, SETTINGS, NOW)
    assert (plain.level, plain.inbox) == ("watch", True)
    assert assess(CALM, "Got it today, I'll leave you a 5 star review!", None, SETTINGS, NOW).level == "none"


def test_a_wrong_order_for_a_ceremony_this_afternoon_is_urgent() -> None:
    text = "The wedding flowers are the wrong colour and the ceremony's at 3 this afternoon. Can you fix this??"
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.level == "urgent" and any(r.startswith("a deadline today") for r in result.reasons)
    late = "Need the birthday cake by 4 today, courier says 'attempted' but we've been in all day! Party's at 5"
    assert assess(CALM, late, None, SETTINGS, NOW).level == "urgent"


def test_fraud_on_the_customers_own_card_is_an_alert_but_a_question_about_a_scam_email_waits_in_the_inbox() -> None:
    fraud = assess(CALM, "I've just had 5 notifications from my bank for payments to your shop that I didn't make.",
                   None, SETTINGS, NOW)
    assert fraud.level == "alert"
    question = assess(CALM, "Is this email asking for my card details a scam?", None, SETTINGS, NOW)
    assert (question.level, question.inbox) == ("watch", True)


def test_chargeback_threat_is_at_least_alert_even_from_a_calm_reading() -> None:
    result = assess(CALM, "I will file a chargeback", None, SETTINGS, NOW)
    assert result.level == "alert"
    assert result.reasons == ("threatens a chargeback",)


def test_legal_threat_with_anger_and_refund_is_urgent() -> None:
    result = assess(FURIOUS, "Refund me now or my lawyer will be in touch", None, SETTINGS, NOW)
    assert result.level == "urgent"
    assert "threatens or takes legal action, or involves an authority" in result.reasons
    assert "asked for a refund" in result.reasons


def test_repeat_contact_counts_this_message_too() -> None:
    two_before = customer(contacts=(contact(1, 1), contact(3, 2), contact(20, 3)))
    result = assess(UPSET, "Any news?", two_before, SETTINGS, NOW)
    assert "third message this week" in result.reasons
    assert result.level == "alert"
    one_before = customer(contacts=(contact(2),))
    assert "second message this week" in assess(UPSET, "Any news?", one_before, SETTINGS, NOW).reasons


def test_old_contacts_and_friendly_repeat_messages_do_not_escalate() -> None:
    assert assess(UPSET, "Hmm.", customer(contacts=(contact(8),)), SETTINGS, NOW).reasons == (
        "sounds upset (negative 0.70)",
    )
    thanks = assess(HAPPY, "Thank you!", customer(contacts=(contact(1), contact(2, 1))), SETTINGS, NOW)
    assert thanks.level == "none"


def test_open_dispute_names_the_order() -> None:
    state = customer(orders=(order("#1001"),), open_disputes=("10010",))
    result = assess(UPSET, "Hello?", state, SETTINGS, NOW)
    assert "open dispute on order #1001" in result.reasons
    assert result.level == "alert"
    unknown = customer(open_disputes=("dp_123",))
    assert "open payment dispute" in assess(CALM, "Hi", unknown, SETTINGS, NOW).reasons


def test_open_dispute_with_a_friendly_message_is_watch() -> None:
    state = customer(orders=(order("#1001"),), open_disputes=("10010",))
    result = assess(HAPPY, "Thanks, all sorted!", state, SETTINGS, NOW)
    assert result.level == "watch"
    assert result.reasons == ("open dispute on order #1001",)


def test_refund_on_the_last_order() -> None:
    state = customer(orders=(order("#1000", placed_at="2024-05-01"), order("#1001", refunded=True)))
    result = assess(UPSET, "Not great.", state, SETTINGS, NOW)
    assert "order #1001, the last one, was refunded" in result.reasons


def test_payment_failed_on_the_last_order() -> None:
    state = customer(orders=(order(),), failed_payments=((NOW - timedelta(days=2)).isoformat(),))
    result = assess(CALM, "Why was my card declined?", state, SETTINGS, NOW)
    assert result.level == "watch"
    assert result.reasons == ("payment failed on the last order",)
    stale = customer(orders=(order(),), failed_payments=((NOW - timedelta(days=90)).isoformat(),))
    assert assess(CALM, "Hi", stale, SETTINGS, NOW).level == "none"


def test_order_past_its_promised_date() -> None:
    late = order("#1001", promised_by=(NOW - timedelta(days=6, hours=3)).isoformat())
    result = assess(UPSET, "Any news?", customer(orders=(late,)), SETTINGS, NOW)
    assert "order #1001 is 6 days late" in result.reasons
    assert result.level == "alert"


def test_promised_date_only_is_late_after_that_day() -> None:
    today = order("#7", promised_by=NOW.date().isoformat())
    assert assess(CALM, "Hi", customer(orders=(today,)), SETTINGS, NOW).level == "none"
    yesterday = order("#7", promised_by=(NOW.date() - timedelta(days=1)).isoformat())
    result = assess(CALM, "Hi", customer(orders=(yesterday,)), SETTINGS, NOW)
    assert result.reasons == ("order #7 is past its promised date",)


def test_fulfilled_or_cancelled_orders_are_never_late() -> None:
    past = (NOW - timedelta(days=9)).isoformat()
    state = customer(orders=(order("#1", promised_by=past, fulfilled=True), order("#2", promised_by=past,
                                                                                  cancelled=True)))
    assert assess(CALM, "Hi", state, SETTINGS, NOW).level == "none"


def test_vip_raises_the_level_and_says_why() -> None:
    orders = tuple(order(f"#{1000 + i}", total="116.00") for i in range(7))
    vip = customer(orders=orders)
    result = assess(UPSET, "Hmm.", vip, SETTINGS, NOW)
    assert result.level == "alert"
    assert result.reasons[-1] == "VIP: 7 orders, $812 spent"


def test_vip_by_spend_alone_and_never_for_a_friendly_message() -> None:
    big = customer(orders=(order("#1", total="600", currency="EUR"),))
    assert assess(UPSET, "Hmm.", big, SETTINGS, NOW).reasons[-1] == "VIP: 1 order, €600 spent"
    assert assess(HAPPY, "Thanks!", big, SETTINGS, NOW).level == "none"
    strict = EscalationSettings(vip=Vip(lifetime_spend=10_000, order_count=50))
    assert assess(UPSET, "Hmm.", big, strict, NOW).level == "watch"


def test_positive_reading_with_a_cue_stays_at_watch() -> None:
    result = assess(HAPPY, "Lovely cake! Could you cancel my second order please?", None, SETTINGS, NOW)
    assert result.level == "watch"
    assert result.reasons == ("wants to cancel",)


def test_naive_clock_and_naive_timestamps_are_utc() -> None:
    naive_now = NOW.replace(tzinfo=None)
    state = customer(contacts=(ContactSummary("m", (naive_now - timedelta(days=1)).isoformat(), "NEGATIVE", "watch"),))
    assert "second message this week" in assess(UPSET, "Hmm.", state, SETTINGS, naive_now).reasons


def test_unreadable_dates_are_ignored_not_fatal() -> None:
    state = customer(orders=(order(placed_at="yesterday", promised_by="soon"),), contacts=(
        ContactSummary("m", "not a date", "NEGATIVE", "watch"),))
    assert assess(UPSET, "Hmm.", state, SETTINGS, NOW).level == "watch"


def test_ordinals() -> None:
    assert [ordinal(n) for n in (2, 3, 4, 11, 12, 13, 21, 22, 23)] == [
        "second", "third", "fourth", "11th", "12th", "13th", "21st", "22nd", "23rd"]


def test_a_calm_problem_waits_in_the_inbox_without_a_text() -> None:
    # The reading of a calm refund demand is mild, so the level stays "watch"; a person must still handle it.
    result = assess(CALM, "I want a full refund immediately", None, SETTINGS, NOW)
    assert result.level == "watch" and result.inbox
    assert assess(UPSET, "Hmm.", None, SETTINGS, NOW).inbox  # sounds upset: routed to a person
    thanks = assess(HAPPY, "Thanks for sorting the refund so quickly!", None, SETTINGS, NOW)
    assert thanks.level == "watch" and not thanks.inbox  # clearly positive: nothing to handle
    assert not assess(CALM, "Do you ship to Canada?", None, SETTINGS, NOW).inbox
    assert not assess(FURIOUS, "I want a full refund immediately", None, SETTINGS, NOW).inbox  # an alert already


def test_a_worried_customer_waits_in_the_inbox_without_a_text_or_a_marketing_pause() -> None:
    # Not upset (the model reads worry mildly), but a person should answer before the party.
    text = "I'm so nervous it won't arrive before the party on Saturday!"
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.level == "watch" and result.inbox
    assert result.reasons == ("worried about their order",)
    assert result.excerpt == text
    assert assess(UPSET, text, None, SETTINGS, NOW).level == "alert"  # worried and reading upset: a text
    cheerful = assess(HAPPY, "Hi! A bit worried it won't get here before Saturday, is that OK? :)", None, SETTINGS, NOW)
    assert cheerful.level == "watch" and cheerful.inbox  # cheerful, but waiting for an answer
    resolved = "I was so worried it wouldn't come before the party, but it's here and it's perfect!"
    assert assess(HAPPY, resolved, None, SETTINGS, NOW).level == "none"


@pytest.mark.parametrize("reading", [CALM, HAPPY])
def test_a_health_or_safety_report_is_always_an_alert(reading: SentimentReading) -> None:
    """Glass in the bread or a child's allergic reaction needs the owner now, however calmly it is told (the
    model reads "I found a piece of glass in the loaf" as mild) and however politely it is wrapped."""
    text = "Lovely shop, but I found a piece of glass in the loaf I bought on Friday. My son nearly swallowed it."
    result = assess(reading, text, None, SETTINGS, NOW)
    assert result.level == "alert"
    assert "reports a health or safety problem" in result.reasons
    assert result.excerpt == "Lovely shop, but I found a piece of glass in the loaf I bought on Friday."


def test_a_safety_report_where_someone_is_hurt_or_being_treated_now_is_urgent_however_calm() -> None:
    """Hives and A&E, a swallowed button, a dog being sick: the owner's phone at once (others may have the same
    batch). A near miss, a rash that has passed told cheerfully, or a thank-you for putting it right stays an alert."""
    now = ("My son has just come out in hives after eating one of your flapjacks, he's allergic to peanuts and the "
           "label said nut free. We're in A&E now. Please tell me exactly what's in them.")
    result = assess(CALM, now, None, SETTINGS, NOW)
    assert result.level == "urgent" and 'someone may be hurt ("a&e")' in result.reasons
    swallowed = assess(CALM, "My kid swallowed a button off the teddy we got from you. Going to get him checked.",
                       None, SETTINGS, NOW)
    assert swallowed.level == "urgent"
    near_miss = assess(CALM, "I found a piece of glass in the loaf. My son nearly swallowed it.", None, SETTINGS, NOW)
    assert near_miss.level == "alert" and not any(r.startswith("someone may be hurt") for r in near_miss.reasons)
    passed = assess(HAPPY, "Lovely cake! My nephew came out in hives after a slice though the label said nut free.",
                    None, SETTINGS, NOW)
    assert passed.level == "alert"
    thanked = assess(CALM, "Thank you for replacing the cake. My daughter had an allergic reaction to the first one "
                           "and spent the night in A&E.", None, SETTINGS, NOW)
    assert thanked.level == "alert"  # the night is over and the cake replaced: not a text in the small hours


def test_a_safety_report_from_an_upset_customer_is_urgent() -> None:
    text = "My daughter had an allergic reaction after eating the cookies. The label said nut free."
    assert assess(UPSET, text, None, SETTINGS, NOW).level == "urgent"


@pytest.mark.parametrize("reading", [CALM, HAPPY])
def test_a_request_to_stop_the_emails_waits_in_the_inbox_without_a_text(reading: SentimentReading) -> None:
    for text in ("Stop emailing me.", "Thanks for everything, but please unsubscribe me, I'm moving abroad!"):
        result = assess(reading, text, None, SETTINGS, NOW)
        assert (result.level, result.inbox) == ("watch", True), text
        assert result.reasons == ("asks to stop receiving emails",)


def test_a_scam_question_reaches_the_owner_and_an_accusation_with_a_bank_threat_is_urgent() -> None:
    question = assess(HAPPY, "Is this email a scam? It asks for my card details. Love your shop!", None, SETTINGS,
                      NOW)
    assert (question.level, question.inbox) == ("watch", True)
    assert question.reasons == ("mentions a scam, fraud or hacking",)
    accusation = assess(CALM, "This is a scam. I paid and never got anything. I'm going to my bank.", None,
                        SETTINGS, NOW)
    assert accusation.level == "urgent"
    assert "threatens a chargeback" in accusation.reasons


def test_an_expired_card_is_not_damaged_goods() -> None:
    result = assess(UPSET, "My payment failed, I think my card expired. How do I update it?", None, SETTINGS, NOW)
    assert result.reasons == ("sounds upset (negative 0.70)",)
    assert result.level == "watch"


def test_a_customer_who_says_it_is_urgent_is_in_the_inbox_however_cheerful() -> None:
    text = "Hi! Please call me when you can, it's urgent, about tomorrow's wedding cake. Thank you!"
    result = assess(HAPPY, text, None, SETTINGS, NOW)
    # (since the call-back cue, December 2026, the request to call is named too; level and inbox unchanged)
    assert (result.level, result.inbox, result.reasons) == ("watch", True, ("says it is urgent",
                                                                           "asks you to call them back"))
    late = assess(CALM, "It's urgent: my order still hasn't arrived and the party is tomorrow.", None, SETTINGS, NOW)
    assert late.level == "alert"  # urgency and a problem: a text
    assert assess(HAPPY, "No rush at all, it's not urgent. Thanks!", None, SETTINGS, NOW).level == "none"


def test_an_order_cancelled_on_the_customer_is_a_problem_not_a_request() -> None:
    text = "I've just seen an email saying my order has been cancelled, but nobody has explained why."
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.reasons == ("says their order was cancelled",)
    assert (result.level, result.inbox) == ("watch", True)
    assert assess(CALM, "Please cancel my order, I ordered twice by mistake.", None, SETTINGS, NOW).reasons == (
        "wants to cancel", 'says the mistake was theirs ("i ordered twice")')


def test_a_customer_who_says_it_can_wait_is_in_the_inbox_not_texted() -> None:
    """'No rush, just checking it's on its way' names a problem, and the model may read it as upset (0.60), but the
    customer says it can wait: the owner answers from the inbox, and is not texted."""
    text = "Hi, my order hasn't arrived yet, it was due Tuesday. No rush, just checking it's on its way!"
    assert assess(UPSET, text.replace(" No rush,", ""), None, SETTINGS, NOW).level == "alert"
    result = assess(UPSET, text, None, SETTINGS, NOW)
    assert (result.level, result.inbox) == ("watch", True)
    assert result.reasons[-1] == 'says it can wait ("no rush")'
    two = assess(CALM, "Could I get a refund for the sourdough? It was a bit stale. Not a big deal, thanks.", None,
                 SETTINGS, NOW)
    assert (two.level, two.inbox) == ("watch", True)  # two problems, so not "clearly positive", but calm
    dented = assess(CALM, "The box arrived a bit dented but the biscuits inside were fine, no problem.", None, SETTINGS,
                    NOW)  # packaging the owner may want to hear about, not a text
    assert (dented.level, dented.inbox) == ("watch", True)
    assert dented.reasons[-1] == 'says it can wait ("the biscuits inside were fine")'


@pytest.mark.parametrize(
    ("reading", "text", "level"),
    [
        (UPSET, "My order still hasn't arrived and it's been two weeks. No rush apparently!", "alert"),  # sarcasm
        (UPSET, "Take your time, it's only for my wedding tomorrow. Where is it?", "urgent"),  # sarcasm
        (UPSET, "This is the third time I'm writing about the refund. No rush.", "urgent"),  # unanswered before
        (FURIOUS, "My order hasn't arrived. Not urgent, I suppose, to you.", "alert"),  # very upset
        (CALM, "No rush, but I found a piece of glass in the loaf.", "alert"),  # safety is never calmed
        (CALM, "Not urgent, but I'll be filing a chargeback for the missing parcel.", "urgent"),  # a threat
    ],
)
def test_a_no_rush_that_is_not_meant_or_cannot_wait_is_not_calmed(reading: SentimentReading, text: str,
                                                                 level: str) -> None:
    result = assess(reading, text, None, SETTINGS, NOW)
    assert result.level == level, result.reasons
    assert not any(r.startswith("says it can wait") for r in result.reasons)


def test_a_cheerful_message_that_asks_about_a_problem_waits_in_the_inbox() -> None:
    asks = assess(HAPPY, "I think I was charged twice for order 1043, could you take a look? Thanks!", None, SETTINGS,
                  NOW)
    assert (asks.level, asks.inbox) == ("watch", True)
    tells = assess(HAPPY, "The box got a bit squashed in the post but the cookies survived! Delicious.", None,
                   SETTINGS, NOW)
    assert (tells.level, tells.inbox) == ("watch", False)  # a thank-you that mentions a problem: nothing to answer


def test_a_bereavement_is_grief_not_anger_it_waits_in_the_inbox() -> None:
    """The model reads "my mother passed away" as very upset. That is grief, not anger at the shop: no text, the
    owner's inbox, unless something went wrong as well."""
    text = "My mother sadly passed away last month. Please cancel her subscription."
    result = assess(FURIOUS, text, None, SETTINGS, NOW)
    assert (result.level, result.inbox) == ("watch", True)
    assert "mentions a bereavement" in result.reasons and "wants to cancel" in result.reasons
    thanks = assess(HAPPY, "The flowers for my dad's funeral were beautiful, thank you.", None, SETTINGS, NOW)
    assert (thanks.level, thanks.inbox) == ("watch", True)  # the owner may want to write personally
    charged = assess(UPSET, "My mum passed away in March and you've charged her card again.", None, SETTINGS, NOW)
    assert charged.level == "alert"  # a charge after a death: something went wrong, the owner is texted


def test_stop_however_sharply_put_waits_in_the_inbox_unless_very_upset_or_with_a_problem() -> None:
    """A reply of "STOP" reads upset (0.63) but is fully answered by the unsubscribe: no text."""
    for text in ("STOP", "Remove me please.", "Why do you keep emailing me about my basket?"):
        result = assess(UPSET, text, None, SETTINGS, NOW)
        assert (result.level, result.inbox) == ("watch", True), text
        assert "asks to stop receiving emails" in result.reasons
    assert assess(FURIOUS, "STOP EMAILING ME", None, SETTINGS, NOW).level == "alert"  # very upset
    assert assess(UPSET, "Stop emailing me and refund my order!", None, SETTINGS, NOW).level == "alert"  # a problem


def test_praise_that_turns_to_a_complaint_waits_in_the_inbox() -> None:
    """"Love the bread, but the delivery was late again" reads pleased (0.78), and names one problem: it ends on
    the complaint, so the owner sees it. The other way round, it ends happy."""
    turn = assess(HAPPY, "Love the bread but the delivery was late again. Third week running.", None, SETTINGS, NOW)
    assert (turn.level, turn.inbox) == ("watch", True)
    happy = assess(HAPPY, "It arrived late but honestly worth the wait, delicious!", None, SETTINGS, NOW)
    assert (happy.level, happy.inbox) == ("watch", False)
    conceded = assess(HAPPY, "Thank you so much for the cake, although the delivery was a day late it was perfect.",
                      None, SETTINGS, NOW)  # the concession names the problem; the praise after it is the point
    assert (conceded.level, conceded.inbox) == ("watch", False)
    ends_on_it = assess(HAPPY, "The cake was lovely, although the delivery was a day late.", None, SETTINGS, NOW)
    assert (ends_on_it.level, ends_on_it.inbox) == ("watch", True)
    # read pleased with no word of thanks or praise: the reading was happy, not the customer
    misread = assess(HAPPY, "I ordered the Christmas hamper in October and it still hasn't been dispatched, it's the "
                            "20th of December!", None, SETTINGS, NOW)
    assert (misread.level, misread.inbox) == ("watch", True)

    misread = assess(UPSET, "It arrived two days late but it was worth the wait!", None, SETTINGS, NOW)  # read 0.60
    assert (misread.level, misread.inbox) == ("watch", False)
    assert misread.reasons[-1] == 'says it was worth it ("worth the wait")'
    still = assess(UPSET, "It was late but worth the wait. The box was crushed though.", None, SETTINGS, NOW)
    assert still.level == "alert" and not any(r.startswith("says it was worth it") for r in still.reasons)

def test_a_customer_who_says_the_mistake_was_theirs_is_in_the_inbox_not_texted() -> None:
    text = "Hi, I'm so sorry but I accidentally ordered the same thing twice. Could you cancel one and refund it?"
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert (result.level, result.inbox) == ("watch", True)  # refund and cancel: an alert, but for their own slip
    assert result.reasons[-1] == 'says the mistake was theirs ("accidentally")'
    angry = assess(FURIOUS, "I accidentally ordered twice and you STILL haven't refunded me after 3 weeks!", None,
                   SETTINGS, NOW)
    assert angry.at_least("alert")  # very upset: owning a slip doesn't calm the rest


def test_no_rush_in_a_third_message_this_week_is_still_texted() -> None:
    text = "Hi, my order hasn't arrived yet. No rush, just checking it's on its way!"
    twice = customer(contacts=(contact(1, 1), contact(3, 2)))
    result = assess(UPSET, text, twice, SETTINGS, NOW)
    assert result.at_least("alert") and "third message this week" in result.reasons
    assert not any(r.startswith("says it can wait") for r in result.reasons)
    once = customer(contacts=(contact(1, 1),))
    assert assess(UPSET, text, once, SETTINGS, NOW).level == "watch"  # the second: still calm


def test_a_problem_told_as_no_big_deal_waits_in_the_inbox_but_safety_never_does() -> None:
    crushed = assess(UPSET, "Thanks so much! The only thing: the ribbon was a bit crushed, but no matter at all.", None,
                     SETTINGS, NOW)  # the model read this one 0.60 upset
    assert (crushed.level, crushed.inbox) == ("watch", True)
    glass = assess(HAPPY, "Just letting you know there was a small piece of glass in the loaf. No harm done!", None,
                   SETTINGS, NOW)
    assert glass.level == "alert" and not any(r.startswith("says it can wait") for r in glass.reasons)


def test_a_cheerful_safety_mishap_the_customer_blames_on_themselves_is_not_texted() -> None:
    own = assess(HAPPY, "I cut my finger opening the jar lid, entirely my fault, the jam is gorgeous though!", None,
                 SETTINGS, NOW)
    assert (own.level, own.inbox) == ("watch", True) and "reports a health or safety problem" in own.reasons
    blamed = assess(CALM, "I cut my finger opening the jar lid, entirely my fault, but it is very sharp.", None,
                    SETTINGS, NOW)
    assert blamed.level == "alert"  # not a happy message: the owner is texted
    hives = assess(HAPPY, "Lovely cake! My nephew came out in hives after a slice though the label said nut free.",
                   None, SETTINGS, NOW)
    assert hives.level == "alert"  # nobody's slip: always the phone


def test_thanks_for_a_problem_put_right_is_not_texted() -> None:
    mended = assess(UPSET, "Amazing customer service, you replaced it within a day after it arrived broken.", None,
                    SETTINGS, NOW)
    assert (mended.level, mended.inbox) == ("watch", False)
    assert 'thanks you for putting it right ("you replaced it within")' in mended.reasons
    refunded = assess(CALM, "You refunded me straight away when the parcel was lost, thank you so much.", None,
                      SETTINGS, NOW)
    assert refunded.level == "watch" and not refunded.inbox


def test_a_safety_report_put_right_waits_in_the_inbox_unless_someone_was_hurt() -> None:
    metal = assess(HAPPY, "Thank you for replacing the loaf that had the bit of metal in it, the new one was perfect.",
                   None, SETTINGS, NOW)
    assert (metal.level, metal.inbox) == ("watch", True) and "reports a health or safety problem" in metal.reasons
    glass = assess(HAPPY, "Thanks for replacing the jar, the first one had glass in it which was scary, but all good "
                          "now.", None, SETTINGS, NOW)
    assert (glass.level, glass.inbox) == ("watch", True)
    for hurt in ("Thank you for replacing the cake. My daughter had an allergic reaction to the first one and spent "
                 "the night in A&E.",
                 "Thank you for replacing the cake that gave my son an allergic reaction, the new one was lovely.",
                 "Thank you for replacing the loaf that had metal in it, but my son chipped a tooth on it."):
        assert assess(HAPPY, hurt, None, SETTINGS, NOW).at_least("alert"), hurt


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for the refund. Just to let you know the replacement also had a hair baked into it.",
        "Thanks for replacing the loaf, the new one also had metal in it.",
    ],
)
def test_a_new_safety_problem_after_thanks_is_still_an_alert(text: str) -> None:
    result = assess(HAPPY, text, None, SETTINGS, NOW)
    assert result.at_least("alert") and not any(r.startswith("thanks you for") for r in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for replacing it, but the replacement was broken too.",
        "Thank you for the refund. Just to let you know the replacement was also broken.",
        "Thanks for the refund, but it still hasn't reached my account.",
    ],
)
def test_thanks_that_turns_to_a_new_problem_waits_in_the_inbox(text: str) -> None:
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.inbox or result.at_least("alert")
    assert not any(r.startswith("thanks you for") for r in result.reasons)


def test_thanks_for_a_fix_does_not_settle_a_threat_or_displeasure() -> None:
    text = "Thanks for the quick refund. I'm still furious that the cake was ruined and I'll leave a one star review."
    result = assess(UPSET, text, None, SETTINGS, NOW)
    assert result.at_least("alert") and not any(r.startswith("thanks you for") for r in result.reasons)


def test_asking_for_the_delivery_charge_back_is_a_refund_not_a_chargeback_threat() -> None:
    result = assess(UPSET, "Ordered for next day delivery, paid £8 for it, arrived three days later. I'd like the "
                           "delivery charge back please.", None, SETTINGS, NOW)
    assert "threatens a chargeback" not in result.reasons
    assert {"asked for a refund", "says the order is late or has not arrived"} <= set(result.reasons)


def test_please_dont_worry_asks_for_nothing() -> None:
    text = ("Just a quick note to say the hamper arrived today and it's absolutely gorgeous. One tiny thing: the jam "
            "jar lid was a bit dented, but the jam itself is fine, so please don't worry.")
    assert (assess(HAPPY, text, None, SETTINGS, NOW).level, assess(HAPPY, text, None, SETTINGS, NOW).inbox) == (
        "watch", False)
    asks = assess(HAPPY, text.replace("so please don't worry.", "could you send a new lid?"), None, SETTINGS, NOW)
    assert asks.inbox


def test_a_vegetarian_pie_with_chicken_in_it_waits_in_the_inbox_however_cheerfully_told() -> None:
    result = assess(HAPPY, "The vegetarian pie had chicken in it!", None, SETTINGS, NOW)
    assert (result.level, result.inbox) == ("watch", True)
    assert result.reasons == ("says it contains something the label or listing says it doesn't",)


def test_an_order_the_customer_did_not_place_waits_in_the_inbox_and_a_charge_for_it_is_an_alert() -> None:
    """Someone else's order in their inbox (a mistyped address at checkout) or a stolen card: the owner checks, however
    calmly it is asked; with a charge on their card it is an alert."""
    result = assess(CALM, "I didn't order anything from you, who is this?", None, SETTINGS, NOW)
    assert (result.level, result.inbox, result.reasons) == ("watch", True, ("says they did not place this order",))
    charged = assess(CALM, "I didn't buy anything from you, but my card shows a charge of £45!", None, SETTINGS, NOW)
    assert charged.level == "alert" and "reports a billing problem" in charged.reasons


@pytest.mark.parametrize(
    ("reading", "text", "level", "inbox"),
    [
        (CALM, "I've emailed three times now. Please can someone just answer me.", "alert", False),  # (an alert is
        (CALM, "This is my third email about this.", "alert", False),  # in the inbox anyway: `inbox` is for watch)
        (CALM, "Did you get my email?", "watch", True),
        (HAPPY, "Hi, just following up on my last email, thanks!", "watch", True),  # cheerful, and still unanswered
    ],
)
def test_writing_again_without_an_answer_waits_for_one_and_again_and_again_is_an_alert(
        reading: SentimentReading, text: str, level: str, inbox: bool) -> None:
    result = assess(reading, text, None, SETTINGS, NOW)
    assert (result.level, result.inbox) == (level, inbox)
    assert result.reasons == ("says they have written before without an answer",)


def test_a_collection_nobody_was_there_for_with_the_party_at_4_is_urgent() -> None:
    text = ("To whom it may concern, I ordered a birthday cake for collection today at 2pm and nobody was at the shop. "
            "I waited 40 minutes. My daughter's party is at 4. I am absolutely furious. Please call me on 07700 900123 "
            "immediately.")
    result = assess(CALM, text, None, SETTINGS, NOW)  # the model read it 0.36
    assert result.level == "urgent" and 'a deadline today ("party is at 4")' in result.reasons
    assert assess(CALM, "The cake hasn't arrived and the party is at 4 on Saturday.", None, SETTINGS,
                  NOW).level == "watch"  # a day is named: not today
    assert assess(CALM, "Could you deliver by 2? The party is at 4.", None, SETTINGS, NOW).level == "none"


def test_a_bare_no_is_an_answer_not_a_very_upset_customer() -> None:
    """"No." reads 0.92: it answers a question ("would you like a replacement?"), so it waits in the inbox, not a text;
    "Disgusting." read as high is still very upset."""
    reading = SentimentReading("NEGATIVE", 0.0, 0.92, 0.08, 0.0)
    assert (assess(reading, "No.", None, SETTINGS, NOW).level, assess(reading, "No.", None, SETTINGS, NOW).inbox) == (
        "watch", True)
    assert assess(reading, "Disgusting.", None, SETTINGS, NOW).level == "alert"


def test_an_allergy_note_waits_in_the_inbox_however_cheerful_and_does_not_pause_marketing() -> None:
    note = assess(HAPPY, "Please note my son is allergic to nuts, can you make sure the cake is nut free? Thanks!",
                  None, SETTINGS, NOW)
    assert (note.level, note.inbox, note.reasons) == ("watch", True, ("mentions an allergy",))
    thanks = assess(HAPPY, "No allergic reaction at all, and my son has a nut allergy, so thank you!", None, SETTINGS,
                    NOW)
    assert (thanks.level, thanks.inbox) == ("watch", False)  # asks nothing
    report = assess(CALM, "I asked for no nuts on the cake and there were almonds on top, my son is allergic.", None,
                    SETTINGS, NOW)
    assert report.at_least("alert") and "reports a health or safety problem" in report.reasons


def test_a_data_protection_request_waits_in_the_inbox_however_it_reads() -> None:
    result = assess(HAPPY, "Thanks for everything! Please delete all my personal data, under GDPR.", None, SETTINGS,
                    NOW)
    assert (result.level, result.inbox, result.reasons) == ("watch", True,
                                                            ("asks about or to delete their personal data",))


def test_sad_that_it_sold_out_is_not_a_service_failure() -> None:
    reading = SentimentReading("NEGATIVE", 0.0, 0.91, 0.09, 0.0)
    sad = assess(reading, "I'm so sad they're sold out!", None, SETTINGS, NOW)
    assert (sad.level, sad.reasons) == ("watch", ("sounds upset (negative 0.91)",))
    assert assess(reading, "Sold out again and my order is late!", None, SETTINGS, NOW).at_least("alert")


def test_a_complaint_softened_first_is_polite_not_very_upset() -> None:
    """'I hate to complain but the bread was a bit flat' reads 0.90 ('hate', 'complain'): upset, not very upset, so
    the inbox, not a text; the same reading without the softener is an alert, and with a threat it stays one."""
    reading = SentimentReading("NEGATIVE", 0.02, 0.90, 0.08, 0.0)
    polite = assess(reading, "I hate to complain but the bread was a bit flat.", None, SETTINGS, NOW)
    assert (polite.level, polite.inbox, polite.reasons) == ("watch", True, ("sounds upset (negative 0.90)",))
    plain = assess(reading, "The bread was a bit flat.", None, SETTINGS, NOW)
    assert (plain.level, plain.reasons) == ("alert", ("sounds very upset (negative 0.90)",))
    lid = assess(reading, "Sorry to be a pain but the tin lid was missing. The party is today!", None, SETTINGS, NOW)
    assert lid.reasons[0] == "sounds upset (negative 0.90)"
    threat = assess(reading, "Sorry to bother you, but I'll be filing a chargeback.", None, SETTINGS, NOW)
    assert threat.level == "urgent" and threat.reasons[0] == "sounds very upset (negative 0.90)"


def test_urgent_needs_a_ground_that_cannot_wait_for_the_morning_not_just_points() -> None:
    polite = ("Dear Rosie, the macarons arrived broken, two of the flavours were missing and the box was open. For "
              "£32 I expected better. I'd like a partial refund please.")
    result = assess(UPSET, polite, None, SETTINGS, NOW)
    assert result.level == "alert" and len(result.reasons) >= 4  # points enough for urgent, but it can wait
    assert assess(UPSET, polite + " The party is tomorrow.", None, SETTINGS, NOW).level == "urgent"  # a deadline
    assert assess(FURIOUS, polite, None, SETTINGS, NOW).level == "urgent"  # very upset
    assert assess(UPSET, polite + " This is the third time I've written.", None, SETTINGS, NOW).level == "urgent"
    two_before = customer(contacts=(contact(1, 1), contact(2, 2)))
    assert assess(UPSET, polite, two_before, SETTINGS, NOW).level == "urgent"  # a third message this week


def test_a_problem_with_a_deadline_today_is_urgent_with_the_deadline_as_a_reason() -> None:
    guests = assess(CALM, "Our guests arrive in two hours and the cake still hasn't turned up.", None, SETTINGS, NOW)
    assert guests.level == "urgent" and 'a deadline today ("in two hours")' in guests.reasons
    wrong = assess(CALM, "URGENT - wrong date on the birthday cake, it says 30 not 40! Party is at 3 today.", None,
                   SETTINGS, NOW)
    assert wrong.level == "urgent"
    # not a deadline: when it happened, or a day to come; nor a cancellation
    for text in ("The wedding cake arrived damaged today.", "The cake for her birthday at 3 o'clock on Saturday "
                 "arrived squashed.", "Please cancel the order, the party is this afternoon and we've bought one."):
        assert assess(CALM, text, None, SETTINGS, NOW).level != "urgent", text
    kids = assess(CALM, "hi the cupcakes were meant to be here by 11 for the party, its 12:30 and kids are arriving at "
                        "2. tracking says nothing. help", None, SETTINGS, NOW)
    assert kids.level == "urgent" and 'a deadline today ("kids are arriving at 2")' in kids.reasons
    anniversary = assess(CALM, "Today is our anniversary and the flowers I paid extra for same-day delivery are "
                               "nowhere. He's home at 6.", None, SETTINGS, NOW)
    assert anniversary.level == "urgent"
    hen = assess(CALM, "My order was meant to be here today for my sister's hen do which is TONIGHT.", None, SETTINGS,
                 NOW)
    assert hen.level == "urgent"
    funeral = assess(CALM, "Collection was booked for 10am, I've been stood outside your shop for 25 minutes and it's "
                           "locked. Need this cake for a funeral at 12.", None, SETTINGS, NOW)
    assert funeral.level == "urgent"
    later = assess(CALM, "The cake hasn't arrived and the kids are arriving at 2 on Saturday.", None, SETTINGS, NOW)
    assert later.level != "urgent"
    cheerful = assess(HAPPY, "Our guests arrive in two hours and the cake still hasn't turned up. Thanks!", None,
                      SETTINGS, NOW)
    assert cheerful.level == "urgent"  # however politely put
    # the customer's own "no worries" is still heard
    assert assess(CALM, "The cake hasn't arrived and guests come in two hours, but no worries!", None, SETTINGS,
                  NOW).level == "watch"


def test_the_shops_own_product_names_are_products_not_problems() -> None:
    products = replace(SETTINGS, product_names=("Broken Biscuit Bag", "Mouldy Old Dough"))
    text = "Can I order two packs of Mouldy Old Dough cheese straws for Friday?"
    assert assess(CALM, text, None, SETTINGS, NOW).level == "watch"  # without them: damage
    assert assess(CALM, text, None, products, NOW).level == "none"
    wrong = assess(UPSET, "You sent the wrong Broken Biscuit Bag, and the box was crushed.", None, products, NOW)
    assert {"received the wrong or incomplete order", "reports damaged or faulty goods"} <= set(wrong.reasons)
    assert "Broken Biscuit Bag" in wrong.excerpt or wrong.excerpt == ""  # the customer's own words are quoted


def test_writing_on_the_goods_quoted_back_is_no_praise_however_pleased_the_reading() -> None:
    """The engine reads the card's words too: "Happy Birthday" makes the message read pleased."""
    pleased = SentimentReading("POSITIVE", 0.9, 0.01, 0.09, 0.0)
    wrong = assess(pleased, "The card said \"Happy Birthday\" but it's her anniversary.", None, SETTINGS, NOW)
    assert (wrong.level, wrong.inbox) == ("watch", True)
    assert wrong.reasons == ("received the wrong or incomplete order",)
    assert assess(pleased, "The cake said 'Happy Birthday Sophie' exactly as we asked, she loved it!", None,
                  SETTINGS, NOW).level == "none"


def test_a_question_about_an_allergen_label_asks_and_reports_nothing() -> None:
    question = assess(CALM, "The label says gluten free, is it safe for coeliacs?", None, SETTINGS, NOW)
    assert (question.level, question.inbox, question.reasons) == ("watch", True, ("mentions an allergy",))  # not alert


def test_the_alert_quotes_the_customers_sentence_with_the_product_name_the_engine_read_as_item() -> None:
    products = replace(SETTINGS, product_names=("Mouldy Old Dough",))
    text = "Hello. The mouldy old  dough I collected was stale. Two loaves, both the same!"
    read = replace(UPSET, focus="The item I collected was stale.")  # what the engine read (worker masks names)
    assert assess(read, text, None, products, NOW).excerpt == "The mouldy old  dough I collected was stale."
    # a focus that is no sentence of the text is quoted as the engine gave it
    assert assess(replace(UPSET, focus="The item was stale."), text, None, products, NOW).excerpt == (
        "The item was stale.")


def test_a_plain_request_to_cancel_waits_in_the_inbox_however_sadly_put() -> None:
    text = "Please cancel my subscription, I can't afford it at the moment. Sorry."
    assert (assess(UPSET, text, None, SETTINGS, NOW).level, assess(UPSET, text, None, SETTINGS, NOW).inbox) == (
        "watch", True)
    assert assess(FURIOUS, text, None, SETTINGS, NOW).at_least("alert")  # very upset
    late = customer(orders=(order(promised_by=(NOW - timedelta(days=3)).isoformat()),))
    assert assess(UPSET, "Please cancel my order.", late, SETTINGS, NOW).at_least("alert")  # it is late: a complaint
    assert assess(UPSET, "Please cancel my order, it's two weeks late.", None, SETTINGS, NOW).at_least("alert")


def test_a_customer_who_may_not_be_safe_at_home_is_texted_however_calmly_put() -> None:
    text = "Please send it to my work. He goes through the post. And please don't email a receipt, he reads my emails."
    result = assess(CALM, text, None, SETTINGS, NOW)
    assert result.level == "alert" and any(r.startswith("may not be safe at home") for r in result.reasons)
    no_rush = assess(CALM, text + " No rush at all.", None, SETTINGS, NOW)
    assert no_rush.level == "alert"


def level(text: str, reading: SentimentReading = CALM) -> str:
    """The level of one message from a new customer."""
    return assess(reading, text, None, SETTINGS, NOW).level


def test_what_blind_probe_9_showed_reaches_the_owner_at_the_right_level() -> None:
    assert level("The wedding cake is for TODAY at 2pm and nobody has turned up. The venue says nothing has "
                 "arrived.") == "urgent"
    assert level("Gave my dad your 'diabetic friendly' fudge and his sugar has gone through the roof, paramedics "
                 "are with him now.") == "urgent"
    assert level("The battery in the toy drone has swollen up and it's smoking on my kitchen counter right now. "
                 "What do I do??") == "urgent"
    assert level("Received a chew with a metal staple stuck in it. Dog didn't get it, thankfully.") == "alert"
    assert level("Enjoy locking up tonight. I'll be watching.") == "urgent"
    assert level("pls dont send any more confirmations to this email, he checks it. i'll pick up in person.") == "alert"
    polish = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language="pl")
    assert level("Moje dziecko połknęło magnes z zabawki, jedziemy na SOR.", polish) == "urgent"
    dutch = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language="nl")
    assert level("Ik ga jullie aanklagen. Mijn advocaat heeft de stukken al klaarliggen.", dutch) == "alert"
    assert level("Goedemiddag, verzenden jullie ook naar België?", dutch) == "watch"


def test_what_blind_probe_10_showed_reaches_the_owner_at_the_right_level() -> None:
    assert level("The name on the christening cake is wrong on the proof and it's being collected at 4 this arvo. "
                 "Please ring me back asap.") == "urgent"
    assert level("Birthday cake pickup is tomorrow 9am and I've just had an email saying it's CANCELLED?! Please fix "
                 "this today.") == "urgent"
    assert level("Someone's made a website that copies yours exactly and it's selling everything at half "
                 "price.") == "alert"
    italian = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language="it")
    result = assess(italian, "Sto male e non so a chi scriverlo. Non ce la faccio più.", None, SETTINGS, NOW)
    assert result.level == "urgent"
    assert 'it may name an emergency ("non ce la faccio più")' in result.reasons
