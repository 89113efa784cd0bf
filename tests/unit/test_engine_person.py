"""The learned "needs a person" model: weights and card agree, the run time reads it as the trainer did, and
escalation uses it only to raise a level, never on a very pleased message, never on one it cannot read."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.config.model import EscalationSettings
from chalicelib.domain.escalation import (
    CALM_COMPLAINT_PERSON,
    CERTAIN_URGENT,
    MODEL_TROUBLE_SHARE,
    PERSON_INBOX,
    PERSON_INBOX_MODEL,
    PERSON_INBOX_PLEASED,
    PERSON_INBOX_URGENT,
    assess,
)
from chalicelib.domain.state import CustomerState, OrderSummary, SentimentReading
from chalicelib.engine import model, person
from chalicelib.engine.local import LocalSentimentAnalyzer

ENGINE = Path(model.__file__).resolve().parent
CARD = ENGINE / "PERSON_MODEL_CARD.md"
WEIGHTS = ENGINE / person.PERSON_FILE
NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
SETTINGS = EscalationSettings()
CALM = SentimentReading("NEUTRAL", 0.2, 0.1, 0.7, 0.0)
HAPPY = SentimentReading("POSITIVE", 0.85, 0.02, 0.13, 0.0)


def test_card_names_the_shipped_version_hash_size_and_thresholds() -> None:
    data = WEIGHTS.read_bytes()
    card = CARD.read_text(encoding="utf-8")
    loaded = model.decode(data)
    assert f"**Version:** `{loaded.version}`" in card
    assert hashlib.sha256(data).hexdigest() in card and f"{len(data):,} bytes" in card
    found = re.search(r"\*\*Thresholds:\*\* alert ([0-9.]+), urgent ([0-9.]+), urgent alone ([0-9.]+)", card)
    thresholds = loaded.header["thresholds"]
    assert found is not None and isinstance(thresholds, dict)
    assert tuple(float(g) for g in found.groups()) == (thresholds["alert"], thresholds["urgent"],
                                                       thresholds["urgent_alone"])
    assert len(data) <= 512 * 1024  # beside the sentiment model, in a package under 5 MB


def test_runtime_margins_match_the_trainers() -> None:
    loaded = person.load_person()
    checks = loaded.header["probes"]
    assert isinstance(checks, list) and len(checks) >= 5
    for text, person_margin, urgent_margin in checks:
        buckets = model.features(text, loaded.bits)
        assert loaded.heads["person"].margin(buckets) == pytest.approx(person_margin, abs=1e-5), text
        assert loaded.heads["urgent"].margin(buckets) == pytest.approx(urgent_margin, abs=1e-5), text


def test_a_danger_in_new_words_needs_a_person_and_thanks_or_a_question_do_not() -> None:
    read = person.needs_person(
        "My cat got into the treats and now she's twitching and falling over. I'm on the phone to the vet.")
    assert read.level in ("alert", "urgent") and read.person >= 0.5
    for quiet in ("Thank you so much, the candles are gorgeous and smell amazing!",
                  "Could you tell me if the sourdough has sesame in it?", "", "   "):
        assert person.needs_person(quiet)[0] == "none", quiet


def test_the_urgent_head_alone_makes_a_message_urgent_from_its_own_higher_threshold() -> None:
    shipped = person.load_person()
    thresholds = shipped.header["thresholds"]
    assert isinstance(thresholds, dict) and thresholds["urgent"] < thresholds["urgent_alone"] <= 1.0
    text = ("Hi it's Kieran - the customer at 14 Heath Road just came at Steve with a spade over the post holes. "
            "We're sat in the van with the doors locked, he's still stood outside. What do we do?")
    best, best_urgent = person.needs_person(text, shipped)[1:3]
    lower = {**thresholds, "urgent_alone": round(best_urgent - 0.01, 4), "alert": max(best + 0.01, 0.99)}
    higher = {**thresholds, "urgent_alone": round(best_urgent + 0.01, 4), "alert": max(best + 0.01, 0.99)}
    without = {k: v for k, v in higher.items() if k != "urgent_alone"}  # a file from before: never alone
    for chosen, level in ((lower, "urgent"), (higher, "none"), (without, "none")):
        variant = replace(shipped, header={**shipped.header, "thresholds": chosen})
        assert person.needs_person(text, variant)[0] == level, chosen


def test_the_trainers_rule_chooses_the_urgent_alone_threshold_by_the_limit_on_quiet_messages() -> None:
    import sys

    sys.path.insert(0, str(ENGINE.parent.parent / "bench"))
    import person_rule  # what bench/train_person.py chooses its thresholds with (without the training dependencies)

    urgent = [("urgent", 0.9, 0.9)] * 100
    calm = [("none", 0.1, 0.05)] * 990
    # 5 quiet messages read cannot-wait 0.62 and 5 read 0.97: up to 0.60 all 10 would reach the owner at once (1.0%,
    # and a standard error over the 1% limit), from 0.65 the 5 (0.5% + 0.2%)
    chosen, table = person_rule.choose(calm + [("none", 0.1, 0.62)] * 5 + [("none", 0.1, 0.97)] * 5 + urgent, [])
    assert (chosen["alert"], chosen["urgent"], chosen["urgent_alone"]) == (0.30, 0.30, 0.65)
    assert {r["threshold"]: r["quiet_alone"] for r in table}[0.6] == 10
    # with 15 quiet messages at 0.97 no threshold keeps within the limit: the urgent head never decides alone
    chosen, _table = person_rule.choose(calm + [("none", 0.1, 0.97)] * 15 + urgent, [])
    assert chosen["urgent_alone"] == 1.01


def test_the_sentence_behind_it_is_kept_for_the_alert() -> None:
    text = ("Hi there, hope you're well. Loved the last order. Quick one: my little boy has just swallowed one of "
            "the magnets from the fridge set and he's being sick. Also could you change my address?")
    read = person.needs_person(text)
    assert read.level != "none" and "swallowed" in read.focus


def test_the_words_named_are_the_ones_that_raised_the_reading() -> None:
    """What an owner reads beside a learned reason: words of the message, no function word or number, each of which
    raised the reading (without it the head reads lower), at most three, in the message's order."""
    shipped = person.load_person()
    text = ("Went to sleep with the earrings in and woke up with the back pushed into my earlobe, it's bleeding and "
            "swollen and I can't get it out. Order #4471.")
    read = person.needs_person(text, shipped)
    assert read.level != "none" and read.person >= person.WORDS_FROM and read.urgent >= person.WORDS_FROM
    lowered = text.lower()
    for words, name in ((read.words, "person"), (read.urgent_words, "urgent")):
        assert 1 <= len(words) <= 3 and "bleeding" in words, words
        assert list(words) == sorted(words, key=lowered.index)
        head = shipped.heads[name]
        for word in words:
            assert word in lowered and word not in model.FUNCTION_WORDS and not any(c.isdigit() for c in word)
            without = re.sub(rf"\b{re.escape(word)}\b", "", text, flags=re.IGNORECASE)
            assert head.margin(model.features(without, shipped.bits)) < head.margin(
                model.features(text, shipped.bits)), word
    # one pass for both heads names what one head at a time does
    both = model.weighed_words(text, (shipped.heads["person"], shipped.heads["urgent"]), shipped.bits)
    assert both == [model.weighed_words(text, (shipped.heads[n],), shipped.bits)[0] for n in ("person", "urgent")]
    # nothing that only lowered the reading, and no words for a reading below WORDS_FROM
    assert model.weighed_words("the and of my", (shipped.heads["person"],), shipped.bits) == [()]
    quiet = person.needs_person("Thank you so much, the candles are gorgeous and smell amazing!", shipped)
    assert quiet.person < person.WORDS_FROM and (quiet.words, quiet.urgent_words) == ((), ())


def test_words_are_named_for_every_reading_escalation_quotes() -> None:
    # the engine names words from WORDS_FROM on: no lower than any bar at which escalation gives a learned reason
    thresholds = person.load_person().header["thresholds"]
    assert isinstance(thresholds, dict)
    bars = (PERSON_INBOX, PERSON_INBOX_PLEASED, PERSON_INBOX_URGENT,
            *(float(thresholds[k]) for k in ("alert", "urgent", "urgent_alone")))
    assert min(bars) >= person.WORDS_FROM


def test_the_local_engine_gives_the_reading_in_english_only() -> None:
    engine = LocalSentimentAnalyzer()
    english = engine.read("My toddler is being checked over by paramedics right now after chewing your necklace.")
    assert english.person_level != "none" and english.person > 0 and english.person_words
    french = engine.read("Mon fils a avalé une pile bouton de votre jouet, nous sommes aux urgences.")
    assert (french.person_level, french.person, french.person_focus, french.person_words) == ("none", 0.0, "", ())


def test_escalation_raises_to_the_models_level_with_the_reason_and_quotes_its_sentence() -> None:
    text = "Hello. Something odd happened last night. I don't know who else to ask."
    leaning = replace(CALM, negative=0.3)  # not upset, but leaning that way: a sign of trouble besides the model
    raised = assess(replace(leaning, person_level="alert", person=0.91, person_focus="Something odd happened."),
                    text, None, SETTINGS, NOW)
    assert raised.level == "alert"
    assert raised.reasons[-1] == "reads like the emails that need you (learned from examples; 0.91)"
    assert raised.excerpt == "Something odd happened."
    assert assess(leaning, text, None, SETTINGS, NOW).level == "none"  # without the model
    # with no sign of trouble besides the model, no alert ("I put my old address, could you change it?"), only the
    # inbox (the model's lower tier, below); urgent still
    for reading in (0.91, 0.94):
        quiet = assess(replace(CALM, person_level="alert", person=reading), text, None, SETTINGS, NOW)
        assert (quiet.level, quiet.inbox) == ("watch", True) and quiet.reasons[-1].startswith("may need you")
    # ... unless the model is all but certain (0.95+): the alert needs nothing besides
    certain = assess(replace(CALM, person_level="alert", person=0.96), text, None, SETTINGS, NOW)
    assert certain.level == "alert" and certain.reasons[-1].endswith("(learned from examples; 0.96)")
    at_once = assess(replace(CALM, person_level="urgent", person=0.97), text, None, SETTINGS, NOW)
    assert at_once.level == "urgent" and "need you at once" in at_once.reasons[-1]
    assert at_once.reasons[-1].endswith("(learned from examples; needs a person 0.97, cannot wait 0.00)")
    # the urgent head alone (person below the alert bar): the owner reads which reading it was
    alone = assess(replace(CALM, person_level="urgent", person=0.40, person_urgent=0.78), text, None, SETTINGS, NOW)
    assert alone.level == "urgent"
    assert alone.reasons[-1] == ("reads like the emails that need you at once (learned from examples; needs a person "
                                 "0.40, cannot wait 0.78)")
    # with the words that weighed most: the urgent reading's for "at once" (else the person reading's), the person
    # reading's for an alert
    worded = replace(CALM, person_level="urgent", person=0.40, person_urgent=0.78, person_words=("odd",),
                     person_urgent_words=("happened", "night"))
    assert assess(worded, text, None, SETTINGS, NOW).reasons[-1] == (
        'reads like the emails that need you at once, most of all for "happened" and "night" (learned from examples; '
        "needs a person 0.40, cannot wait 0.78)")
    assert assess(replace(worded, person_urgent_words=()), text, None, SETTINGS, NOW).reasons[-1].startswith(
        'reads like the emails that need you at once, most of all for "odd" (learned')
    alert = assess(replace(leaning, person_level="alert", person=0.91, person_words=("odd", "happened", "ask")), text,
                   None, SETTINGS, NOW)
    assert alert.reasons[-1] == ('reads like the emails that need you, most of all for "odd", "happened" and "ask" '
                                 "(learned from examples; 0.91)")


def test_a_reading_leaning_upset_is_the_sign_of_trouble_an_alert_from_the_model_needs() -> None:
    # no cue: "The muslin arrived with a big brown stain on it. Gross. Is this second hand??" reads upset 0.22
    text = "The muslin arrived with a big brown stain on it. Gross. Is this second hand??"
    bar = SETTINGS.threshold * MODEL_TROUBLE_SHARE
    for negative, level in ((bar, "alert"), (bar - 0.01, "watch")):
        got = assess(replace(CALM, negative=negative, person_level="alert", person=0.92), text, None, SETTINGS, NOW)
        assert got.level == level, negative
    reading = LocalSentimentAnalyzer().read(text)
    assert bar <= reading.negative < SETTINGS.threshold * 0.5  # under the old bar (half the threshold)
    assert assess(reading, text, None, SETTINGS, NOW).level == "alert"


def test_below_its_alert_threshold_the_model_puts_a_message_in_the_inbox_never_texted() -> None:
    text = "Hello. Something odd happened last night with the parcel. I don't know who else to ask."
    focus = "Something odd happened last night with the parcel."
    below = assess(replace(CALM, person=PERSON_INBOX - 0.01), text, None, SETTINGS, NOW)
    assert (below.level, below.inbox, below.reasons) == ("none", False, ())
    at = assess(replace(CALM, person=PERSON_INBOX, person_focus=focus), text, None, SETTINGS, NOW)
    assert (at.level, at.inbox, at.excerpt) == ("watch", True, focus)
    assert at.reasons == (f"may need you: reads a little like the emails that need a person (learned from examples; "
                          f"{PERSON_INBOX:.2f})",)
    worded = assess(replace(CALM, person=PERSON_INBOX, person_words=("odd",), person_urgent_words=("night",)), text,
                    None, SETTINGS, NOW)
    assert worded.reasons == (f'may need you: reads a little like the emails that need a person, most of all for '
                              f'"odd" (learned from examples; {PERSON_INBOX:.2f})',)
    # a very pleased message needs a higher reading ("I'll leave you a glowing review on Trustpilot tonight!" reads
    # 0.71); one in a language the model cannot read has its own inbox reason
    thanks = "Thank you, the cake was perfect!"
    for reading, level in ((PERSON_INBOX_PLEASED - 0.01, "none"), (PERSON_INBOX_PLEASED, "watch")):
        assert assess(replace(HAPPY, positive=0.9, person=reading), thanks, None, SETTINGS, NOW).level == level
    foreign = replace(CALM, language="de", person=0.8)
    assert not any("may need you" in r for r in assess(foreign, "Hallo, wo ist mein Paket?", None, SETTINGS,
                                                        NOW).reasons)
    # a top customer's inbox item is not stepped up to a text: the VIP step comes first, on what the rules found
    orders = tuple(OrderSummary(f"{1000 + i}", f"#{1000 + i}", "116.00", "USD", "2026-11-01T10:00:00+00:00")
                   for i in range(7))
    vip = CustomerState(email="vip@example.com", orders=orders)
    assert assess(replace(CALM, person=0.8), text, vip, SETTINGS, NOW).level == "watch"
    # what the rules already raised keeps its level and its own inbox rule
    assert assess(replace(CALM, person=0.8), "Where is my order?? This is the third time I've asked!", None,
                  SETTINGS, NOW).level == "alert"


def test_a_reading_that_cannot_wait_puts_a_message_in_the_inbox_too_never_texted() -> None:
    text = "Thank you for the candle. I'm going to light it tonight. Sorry to bother you."
    quiet = replace(CALM, person=PERSON_INBOX - 0.2)
    below = assess(replace(quiet, person_urgent=PERSON_INBOX_URGENT - 0.01), text, None, SETTINGS, NOW)
    assert (below.level, below.inbox, below.reasons) == ("none", False, ())
    at = assess(replace(quiet, person_urgent=PERSON_INBOX_URGENT), text, None, SETTINGS, NOW)
    assert (at.level, at.inbox) == ("watch", True)
    assert at.reasons == (f"may need you soon: reads a little like the emails that cannot wait (learned from "
                          f"examples; {PERSON_INBOX_URGENT:.2f})",)
    worded = assess(replace(quiet, person_urgent=PERSON_INBOX_URGENT, person_words=("candle",),
                            person_urgent_words=("tonight", "bother")), text, None, SETTINGS, NOW)
    assert worded.reasons == (f'may need you soon: reads a little like the emails that cannot wait, most of all for '
                              f'"tonight" and "bother" (learned from examples; {PERSON_INBOX_URGENT:.2f})',)
    # both readings: the needs-a-person reason is the one given
    both = assess(replace(CALM, person=PERSON_INBOX, person_urgent=0.9), text, None, SETTINGS, NOW)
    assert both.reasons[-1].startswith("may need you: reads a little like the emails that need a person")
    # not for a very pleased message, nor one the model cannot read; what the rules raised keeps its own level
    thanks = "Thank you, the cake was perfect!"
    assert assess(replace(HAPPY, positive=0.9, person_urgent=0.9), thanks, None, SETTINGS, NOW).level == "none"
    foreign = replace(CALM, language="de", person_urgent=0.9)
    assert not any("may need you" in r for r in assess(foreign, "Hallo, wo ist mein Paket?", None, SETTINGS,
                                                        NOW).reasons)
    assert assess(replace(CALM, person_urgent=0.9), "Where is my order?? This is the third time I've asked!", None,
                  SETTINGS, NOW).level == "alert"


def test_the_inbox_threshold_was_chosen_for_the_shipped_model() -> None:
    # PERSON_INBOX(_PLEASED, _URGENT) were chosen out of fold for one version of the model: a retrained model needs
    # them chosen again
    assert person.load_person().version == PERSON_INBOX_MODEL


def test_what_the_rules_park_in_the_inbox_on_purpose_stays_there_unless_it_cannot_wait() -> None:
    text = "No rush at all, but could I have a full refund for order 1043 when you get a moment?"
    assert assess(CALM, text, None, SETTINGS, NOW).level == "watch"  # the customer says it can wait: the inbox
    assert assess(replace(CALM, person_level="alert", person=0.9), text, None, SETTINGS, NOW).level == "watch"
    assert assess(replace(CALM, person_level="alert", person=0.99), text, None, SETTINGS, NOW).level == "watch"
    assert assess(replace(CALM, person_level="urgent", person=0.9), text, None, SETTINGS, NOW).level == "urgent"


def test_a_complaint_merely_calmly_told_is_the_models_to_raise() -> None:
    # Not parked: the writers of the probes wanted calm refund demands and calm damage reports texted (out of fold,
    # parking them kept 242 wanted texts from the owner); without the model's reading it stays in the inbox
    text = "I want a full refund for order 1043, please."
    assert assess(CALM, text, None, SETTINGS, NOW).level == "watch"
    raised = assess(replace(CALM, person_level="alert", person=0.9), text, None, SETTINGS, NOW)
    assert raised.level == "alert" and "asked for a refund" in raised.reasons
    assert "reads like the emails that need you (learned from examples; 0.90)" in raised.reasons
    below = assess(replace(CALM, person_level="none", person=0.7), text, None, SETTINGS, NOW)
    assert below.level == "watch" and below.inbox
    # over the model's own alert bar but under the calm complaint's: the inbox ("There's mould on the bread I bought
    # this morning. Can I bring it back?" stays a look, as the regression set has it)
    under = assess(replace(CALM, person_level="alert", person=CALM_COMPLAINT_PERSON - 0.01), text, None, SETTINGS, NOW)
    assert under.level == "watch" and under.inbox
    at = assess(replace(CALM, person_level="alert", person=CALM_COMPLAINT_PERSON), text, None, SETTINGS, NOW)
    assert at.level == "alert"
    # not calm (a third message this week, a threat...): the model's own bar, as before
    sharp = "I want a full refund for order 1043 or I'm calling my bank for a chargeback."
    assert assess(replace(CALM, person_level="alert", person=0.81), sharp, None, SETTINGS, NOW).level == "alert"


def test_escalation_never_lowers_a_level_for_the_model() -> None:
    text = "Your driver hit my car and drove off. I'll come down there and sort you out myself."
    plain = assess(CALM, text, None, SETTINGS, NOW)
    assert plain.level == "urgent"
    with_model = assess(replace(CALM, person_level="alert", person=0.9), text, None, SETTINGS, NOW)
    assert with_model.level == "urgent" and not any("learned" in r for r in with_model.reasons)


def test_a_clearly_happy_message_is_never_raised() -> None:
    text = "The sourdough was wonderful, thank you so much for the lovely note in the box!"
    very = replace(HAPPY, positive=0.95, neutral=0.03)  # very pleased (`VERY_PLEASED`); the engine reads it 0.998
    for level in ("alert", "urgent"):  # short of near certainty (below): never texted, at most the inbox
        raised = assess(replace(very, person_level=level, person=0.94), text, None, SETTINGS, NOW)
        assert (raised.level, raised.inbox) == ("watch", True)
    assert LocalSentimentAnalyzer().read(text).person < 0.5  # and the model is far from it


def test_a_kindly_worded_message_that_needs_the_owner_at_once_is_raised() -> None:
    """Tone is not importance: a solicitor's courteous letter about an injury, or a warm goodbye that hints at
    self-harm, can read pleased (0.58-0.7) and still need the owner at once. Only a very pleased reading (the
    sourdough thank-you) stops the model."""
    kind = SentimentReading("POSITIVE", 0.62, 0.1, 0.28, 0.0)
    goodbye = ("You'll get this after I've gone to sleep, probably for a long time. Just wanted to say your shop was a "
               "nice part of my week.")
    raised = assess(replace(kind, person_level="urgent", person=0.93), goodbye, None, SETTINGS, NOW)
    assert raised.level == "urgent" and "need you at once" in raised.reasons[-1]
    assert assess(kind, goodbye, None, SETTINGS, NOW).level == "none"  # without the model
    assert assess(replace(kind, positive=0.9, person_level="urgent", person=0.93), goodbye, None, SETTINGS,
                  NOW).level == "watch"  # very pleased: not texted, only the owner's inbox
    # all but certain (0.95+), the model is not silenced even by a very pleased reading
    assert assess(replace(kind, positive=0.9, person_level="urgent", person=0.98), goodbye, None, SETTINGS,
                  NOW).level == "urgent"
    # nor when it is all but certain the message cannot wait (a warm goodbye from someone who has "written letters for
    # everyone": needs a person 0.89, cannot wait 0.96)
    for cannot_wait, level in ((CERTAIN_URGENT, "urgent"), (CERTAIN_URGENT - 0.01, "watch")):
        got = assess(replace(kind, positive=0.92, person_level="urgent", person=0.89, person_urgent=cannot_wait),
                     goodbye, None, SETTINGS, NOW)
        assert got.level == level, cannot_wait
    # a kindly worded alert still needs a sign of trouble besides the model, as any alert from it does: without one,
    # the owner's inbox, no text
    thanks = "Thank you so much, the candles are gorgeous."
    quiet = assess(replace(kind, person_level="alert", person=0.8), thanks, None, SETTINGS, NOW)
    assert (quiet.level, quiet.inbox) == ("watch", True)


def test_real_kindly_worded_emergencies_reach_the_owner_through_the_engine() -> None:
    """The same through the shipped engine (from blind probes 13 and 14, which the model now trains on)."""
    engine = LocalSentimentAnalyzer()
    for text in ("You'll get this after I've gone to sleep, probably for a long time. Just wanted to say your shop "
                 "was a nice part of my week.",
                 "My solicitor will be in touch about the burns my son suffered from your 'child safe' candle. Please "
                 "preserve all records."):
        reading = engine.read(text)
        assert reading.label == "POSITIVE" and reading.positive < 0.8, (text, reading)
        assert assess(reading, text, None, SETTINGS, NOW).level == "urgent", text
    sourdough = "The sourdough was wonderful, thank you so much for the lovely note in the box!"
    assert assess(engine.read(sourdough), sourdough, None, SETTINGS, NOW).level == "none"


def test_what_the_model_is_all_but_certain_of_is_texted_with_no_other_sign() -> None:
    """From blind probes 17 and 21 (held out of the model): no cue, a calm reading, and the model 0.97+ sure."""
    engine = LocalSentimentAnalyzer()
    for text in ("One of the glued-on eyes came off the toy mouse in my cat's mouth. She's been pawing at her face "
                 "and drooling ever since.",
                 "Hi! Just checking - did you change your bank details? I got the invoice for the wedding cake balance "
                 "from your email address yesterday, asking me to pay into a new account, so I've paid the £450. "
                 "Just wanted to make sure it's come through OK! Thanks, Priyanka"):
        reading = engine.read(text)
        assert reading.negative < SETTINGS.threshold * 0.5 and reading.person >= 0.95, (text, reading)
        assert assess(reading, text, None, SETTINGS, NOW).at_least("alert"), text


def test_a_very_pleased_message_promising_a_good_review_is_a_thank_you_however_sure_the_model() -> None:
    """The fifth version reads "I'll leave you a glowing review on Trustpilot tonight!" 0.97 (its probes threatened
    reviews "tonight"): neither texted nor in the inbox. Without the promise, or without the very pleased reading,
    the model's certainty still counts."""
    promise = "Everything was perfect and the box was so pretty. I'll leave you a glowing review on Trustpilot tonight!"
    sure = replace(HAPPY, positive=0.85, person_level="alert", person=0.97, person_urgent=0.5)
    got = assess(sure, promise, None, SETTINGS, NOW)
    assert (got.level, got.inbox, got.reasons) == ("none", False, ())
    cat = "Everything was perfect. One of the glued-on eyes came off in my cat's mouth and she's drooling."
    assert assess(sure, cat, None, SETTINGS, NOW).at_least("alert")
    threat = "I'll leave you a review on Trustpilot tonight that you won't forget."
    assert assess(replace(CALM, person_level="alert", person=0.97), threat, None, SETTINGS, NOW).at_least("alert")


def test_a_message_the_engine_could_not_read_is_not_raised() -> None:
    foreign = SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language="de", person_level="alert", person=0.9)
    got = assess(foreign, "Wo ist meine Bestellung?", None, SETTINGS, NOW)
    assert got.level == "watch" and not any("learned" in r for r in got.reasons)


def test_the_held_out_probe_is_kept_out_of_training() -> None:
    """The probes written after the model give the honest figures: the trainer must never read them
    (bench/train_person.py). The sixth version was trained on probes 1 to 45; 46 to 63 were written after it."""
    import json
    import sys

    sys.path.insert(0, str(ENGINE.parent.parent / "bench"))
    import person_data  # what bench/train_person.py reads (without the training dependencies)

    rows = [json.loads(line) for line in person_data.PROBES.read_text(encoding="utf-8").splitlines() if line]
    held_out = set(range(46, 64))
    assert held_out <= {r["probe"] for r in rows} and held_out == person_data.HELD_OUT_PROBES
    assert {r["probe"] for r in person_data.probe_rows()} == set(range(1, 46))



def test_a_cancel_is_plain_only_while_the_model_reads_it_below_the_calm_complaint_bar() -> None:
    # the cancel cue alone parks a message ("Please cancel my order 1043, thanks." reads 0.02 to the model); a complaint
    # told around a cancel is the model's to raise from the calm complaint's bar, as any calm complaint is
    charged = ("I cancelled the fly-of-the-month club in January and you've charged me in February AND March. Stop "
               "taking my money.")
    plain = "Please cancel my order 1043, thanks."
    for text in (charged, plain):
        assert assess(CALM, text, None, SETTINGS, NOW).level == "watch"  # without the model
        under = assess(replace(CALM, person_level="alert", person=CALM_COMPLAINT_PERSON - 0.01), text, None, SETTINGS,
                       NOW)
        assert under.level == "watch", text
        at = assess(replace(CALM, person_level="alert", person=CALM_COMPLAINT_PERSON), text, None, SETTINGS, NOW)
        assert at.level == "alert", text
    engine = LocalSentimentAnalyzer()
    assert assess(engine.read(charged), charged, None, SETTINGS, NOW).level == "alert"
    assert assess(engine.read(plain), plain, None, SETTINGS, NOW).level == "watch"


def test_a_request_to_stop_the_emails_is_plain_only_below_the_calm_complaint_bar_too() -> None:
    fourth = ("Please stop emailing me. I've unsubscribed four times and I'm still getting your newsletters. Next step "
              "is a complaint to the ICO.")
    plain = "Please take me off your mailing list, thanks."
    for text in (fourth, plain):
        under = assess(replace(CALM, person_level="alert", person=CALM_COMPLAINT_PERSON - 0.01), text, None, SETTINGS,
                       NOW)
        assert not under.at_least("alert"), text
        at = assess(replace(CALM, person_level="alert", person=CALM_COMPLAINT_PERSON), text, None, SETTINGS, NOW)
        assert at.level == "alert", text
    engine = LocalSentimentAnalyzer()
    assert assess(engine.read(fourth), fourth, None, SETTINGS, NOW).level == "alert"
    assert not assess(engine.read(plain), plain, None, SETTINGS, NOW).at_least("alert")
