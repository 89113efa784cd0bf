"""Escalation with the trained model: clearly positive messages never alert, sarcasm needs a problem,
unread languages go to the owner's inbox at "watch", and the alert quotes the most upset sentence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.config.model import EscalationSettings
from chalicelib.domain.cues import find_cues
from chalicelib.domain.escalation import Assessment, assess, is_negative
from chalicelib.domain.state import Escalation, SentimentReading
from chalicelib.engine import LocalSentimentAnalyzer

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
SETTINGS = EscalationSettings()
ENGINE = LocalSentimentAnalyzer()
SOURDOUGH = "The sourdough was wonderful, thank you so much for the lovely note in the box!"
HAPPY = SentimentReading("POSITIVE", 0.9, 0.02, 0.08, 0.0)


def test_sourdough_thank_you_is_no_alarm_at_all() -> None:
    reading = ENGINE.read(SOURDOUGH)
    result = assess(reading, SOURDOUGH, None, SETTINGS, NOW)
    assert isinstance(result, Escalation) and isinstance(result, Assessment)
    assert (result.level, result.reasons, result.inbox) == ("none", (), False)
    assert not is_negative(reading, SETTINGS)
    assert "sarcasm" not in {c.kind for c in find_cues(SOURDOUGH)}


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much for the quick reply!",
        "Oh great, it arrived a day early!",
        "Just perfect.",
        "So much for my diet, the brownies are amazing",
    ],
)
def test_praise_without_a_problem_is_not_sarcasm(text: str) -> None:
    assert "sarcasm" not in {c.kind for c in find_cues(text)}


@pytest.mark.parametrize(
    "text",
    [
        "So much for next-day delivery, still waiting.",
        "Oh great, another week of waiting.",
        "Just perfect. The cake arrived squashed again.",
        "Thanks for nothing.",
    ],
)
def test_praise_next_to_a_problem_is_sarcasm(text: str) -> None:
    assert "sarcasm" in {c.kind for c in find_cues(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Great service, it's only been 3 weeks and still nothing.",
        "Thanks for the speedy delivery... two weeks and counting.",
        "Excellent, 10 days and nothing. Really impressive.",
        "Fantastic communication, I love being left in the dark about where my parcel is.",
        "Top marks for customer service: three emails, zero replies.",
        "Really impressed that my order is now a week late.",
        "Well done, you managed to send the wrong cake for the second time.",
        "Brilliant, the wrong cake again.",
        "Love how you never reply to emails.",
        "Honestly, brilliant. Ordered a birthday cake, it turned up a day after the birthday. Great stuff.",
    ],
)
def test_praise_of_what_failed_next_to_a_bitter_fact_is_sarcasm_and_texted(text: str) -> None:
    # The model reads most of these as pleased (0.69 for the first): the praise words are all it sees.
    assert "sarcasm" in {c.kind for c in find_cues(text)}
    assert assess(ENGINE.read(text), text, None, SETTINGS, NOW).at_least("alert")


@pytest.mark.parametrize(
    "text",
    [
        "Great service, it arrived late but was worth the wait.",
        "Great service as always, but still no sign of my parcel.",  # a polite complaint, not irony
        "Fast delivery, great service! Only been 2 days since I ordered and it's here already.",
        "Top marks, still waiting to try the second loaf but the first was superb.",
        "Great service, still my favourite bakery after all these years.",
        "It's only been a week and I've already finished the jam, amazing.",
        "Excellent service! No reply needed.",
        "Really impressed, ordered at 9 and it was here by 2!",
        "Great service as always! Quick question: my friend is still waiting to hear if she can order for Saturday?",
        "Really impressed with the quality, will be ordering again for the second time this month.",
        "Great job! Two weeks and not a single crumb left.",
        "Excellent service. I've been a customer for 3 years and nothing has ever gone wrong.",
        "Great service, the cake was a day late but I'd order again.",
        "Great stuff, it came a day late but tasted amazing.",
        "Great stuff, thanks!",
    ],
)
def test_praise_next_to_no_bitter_fact_or_after_a_turn_is_not_sarcasm(text: str) -> None:
    assert "sarcasm" not in {c.kind for c in find_cues(text)}


def test_a_bare_nothing_after_praise_is_sarcasm_in_the_inbox() -> None:
    text = "Impressive. Ordered on the 1st, now the 20th. Nothing."
    result = assess(ENGINE.read(text), text, None, SETTINGS, NOW)
    assert "sounds sarcastic" in result.reasons and (result.inbox or result.at_least("alert"))


def test_a_polite_complaint_after_praise_still_reaches_the_inbox() -> None:
    text = "Great service as always, but still no sign of my parcel."
    result = assess(ENGINE.read(text), text, None, SETTINGS, NOW)
    assert result.inbox or result.at_least("alert")
    assert "says the order is late or has not arrived" in result.reasons


def test_one_problem_cue_cannot_make_a_clearly_positive_message_an_alert() -> None:
    text = "Thanks for sorting the refund so quickly, you are the best!"
    assert assess(HAPPY, text, None, SETTINGS, NOW).level == "watch"


def test_sarcasm_or_several_problems_are_not_clearly_positive() -> None:
    sarcastic = "Oh great, another week of waiting for a parcel that was promised for Tuesday."
    assert assess(HAPPY, sarcastic, None, SETTINGS, NOW).at_least("alert")
    mixed = "Love the tea, but this is the second time the box arrived crushed. Please refund this one."
    assert assess(HAPPY, mixed, None, SETTINGS, NOW).at_least("alert")


def test_stated_displeasure_is_not_clearly_positive() -> None:
    """A model can read "I expected a lot better" as pleased; a customer who says they are unhappy, or
    will not order again, is not a happy customer whatever the label."""
    stale = ("Honestly the bread was stale and hard as a rock when it arrived. "
             "For the price I paid this is terrible and I expected a lot better.")
    reading = SentimentReading("POSITIVE", 0.48, 0.31, 0.21, 0.0)  # how model 2026.12-2 reads it
    result = assess(reading, stale, None, SETTINGS, NOW)
    assert result.at_least("alert") and "says they are unhappy with the service" in result.reasons
    never = assess(HAPPY, "The scarf is lovely but the parcel came soaked. I won't be ordering again.", None,
                   SETTINGS, NOW)
    assert never.level == "watch" and never.inbox  # not taken for a thank-you: it waits in the owner's inbox
    # praise alone stays quiet: the rule needs the customer's own words of displeasure
    assert assess(HAPPY, "The scarf is lovely, thank you!", None, SETTINGS, NOW).level == "none"


def test_positive_by_a_hair_is_not_clearly_positive() -> None:
    """ "please" can tip a calm refund demand to POSITIVE (pleased 0.45 against neutral 0.43): a person must
    still handle it, so it waits in the inbox; a real thank-you that names the refund does not."""
    by_a_hair = SentimentReading("POSITIVE", 0.448, 0.126, 0.426, 0.0)
    demand = assess(by_a_hair, "I want a full refund for order 1043, please.", None, SETTINGS, NOW)
    assert demand.level == "watch" and demand.inbox
    thanks = assess(HAPPY, "Thanks for sorting the refund so quickly, you are the best!", None, SETTINGS, NOW)
    assert thanks.level == "watch" and not thanks.inbox


def test_threats_still_alert_whatever_the_reading() -> None:
    assert assess(HAPPY, "Lovely shop, but I am calling my bank for a chargeback.", None, SETTINGS, NOW).at_least(
        "alert")


def test_unread_language_goes_to_the_inbox_at_watch_with_an_honest_reason() -> None:
    text = "Hallo, meine Bestellung ist immer noch nicht angekommen. Bitte antworten Sie mir."
    result = assess(ENGINE.read(text), text, None, SETTINGS, NOW)
    assert result.level == "watch" and result.inbox
    assert result.reasons == ("written in German; Warmline's local engine reads English",)


def test_comprehend_reading_in_german_is_read_not_flagged() -> None:
    reading = SentimentReading("NEGATIVE", 0.0, 0.9, 0.1, 0.0, language="de", engine="comprehend")
    result = assess(reading, "Ich bin sehr enttäuscht.", None, SETTINGS, NOW)
    assert not result.inbox and all("written in" not in r for r in result.reasons)


def test_degraded_local_fallback_in_german_is_flagged() -> None:
    reading = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language="de", engine="local", degraded=True)
    assert assess(reading, "Wo ist meine Bestellung?", None, SETTINGS, NOW).inbox


def test_alert_excerpt_is_the_most_upset_sentence() -> None:
    email = ("Hi Sam, I hope you're well. I've always loved your candles and recommend you to friends.\n\n"
             "However the order arrived with two jars cracked, and frankly I'm furious that nobody answered "
             "my first email about it.\n\nKind regards, Jo")
    result = assess(ENGINE.read(email), email, None, SETTINGS, NOW)
    assert result.at_least("alert")
    assert result.excerpt.startswith("However the order arrived with two jars cracked")


def test_excerpt_falls_back_to_the_strongest_cue_sentence_for_other_engines() -> None:
    reading = SentimentReading("NEGATIVE", 0.0, 0.9, 0.1, 0.0, engine="comprehend")
    text = "Hello there. I want my money back now! Thanks."
    assert assess(reading, text, None, SETTINGS, NOW).excerpt == "I want my money back now!"
    assert assess(reading, "Hmm", None, SETTINGS, NOW).excerpt == ""


@pytest.mark.parametrize(
    "text",
    [
        "Ignore my email from this morning about the missing parcel - my neighbour had taken it in. All sorted, sorry!",
        "Parcel says delivered but I couldn't find it - panic over, next door had taken it in. Sorry to bother you!",
        "Thought my yeast was dead, nothing for two days. Moved it somewhere warmer and it's bubbling. Panic over!",
        "Wrong colour arrived?? Oh wait, no, it's the light in my kitchen. It's perfect. Ignore me!",
        "Never mind about the missing vase, turns out my husband had put it in the garage, sorry!",
        # the problem told after the words that settle it (probe 40)
        "Hiya, ignore my last email! I thought my parcel was lost but the postman had hidden it in the recycling bin.",
    ],
)
def test_a_problem_that_sorted_itself_needs_nobody(text: str) -> None:
    """Blind probes 37-39 texted the owner about five such messages (the writers wanted them left alone): the problem
    words and an upset reading ("missing", "panic") made an alert of a message whose news is that all is well."""
    result = assess(ENGINE.read(text), text, None, SETTINGS, NOW)
    assert (result.level, result.reasons) == ("none", ()), result.reasons


@pytest.mark.parametrize(
    ("text", "at_least"),
    [
        # a new problem after it, a question, a problem that is not sorted, a hurt: still the owner's
        ("Ignore my last email about the missing parcel, it came, but the jar inside is smashed.", "watch"),
        ("Ignore my last email. The parcel came but the jar inside is smashed.", "watch"),
        ("Panic over, it turned up. But the lid is cracked and leaking everywhere.", "watch"),
        ("All sorted? I still haven't had my refund and it's been three weeks.", "alert"),
        ("Turns out the courier lost it. I want a refund.", "watch"),
        ("Ignore my email about the rash, it's got worse and we're in A&E now after the soap.", "alert"),
    ],
)
def test_what_only_looks_sorted_still_reaches_the_owner(text: str, at_least: str) -> None:
    assert assess(ENGINE.read(text), text, None, SETTINGS, NOW).at_least(at_least)  # type: ignore[arg-type]
