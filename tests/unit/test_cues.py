"""Customer-service cues: each kind, negation, and quiet on friendly messages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import cues
from chalicelib.domain.cues import CUE_KINDS, find_cues


def kinds(text: str) -> set[str]:
    return {c.kind for c in find_cues(text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Where is my order? It's been 3 weeks", "late"),
        ("Still waiting for my parcel", "late"),
        ("The package never arrived", "late"),
        ("My order hasn’t arrived yet", "late"),  # typographic apostrophe
        ("Tracking shows delivered but I have nothing", "late"),
        ("I want a full refund immediately", "refund"),
        ("Can I get my money back?", "refund"),
        ("Please cancel my order", "cancel"),
        ("The mug arrived cracked", "damage"),
        ("It stopped working after two days", "damage"),
        ("You sent me the wrong size", "wrong_item"),
        ("Two items are missing from the box", "wrong_item"),
        ("I was charged twice for one order", "billing"),
        ("This is the third time I'm writing", "repeat"),
        ("I've emailed twice already and no one has replied", "repeat"),
        ("Frankly I'm furious that nobody answered my first email", "repeat"),  # nobody, one word
        ("I'll file a chargeback with my bank", "threat_chargeback"),
        ("I'm disputing the charge with PayPal", "threat_chargeback"),
        ("My lawyer will be in touch", "threat_legal"),
        ("Expect a one star review", "threat_review"),
        ("Never ordering from you again", "never_again"),
        ("Thanks for nothing", "sarcasm"),
        ("Great, another week of waiting. Just great.", "sarcasm"),
        ("I want to speak to the owner", "wants_owner"),
        ("Not happy with this at all", "unhappy"),
        ("For the price I paid I expected a lot better.", "unhappy"),  # value for money
        ("Honestly not worth the money", "unhappy"),
        ("Absolutely livid right now.", "unhappy"),  # plain anger, no situation named
        ("I am furious.", "unhappy"),
        ("WHERE IS MY PARCEL", "shouting"),
        ("I'm so nervous it won't arrive before the party", "worried"),
        ("I'm worried my order won't get here in time for Saturday's wedding.", "worried"),
        ("A little concerned the flowers won't be delivered before the funeral on Friday.", "worried"),
        ("Getting anxious, will the cake be ready before 3pm Saturday?", "worried"),
        ("Hi, I'm a bit worried about my order, I haven't had any tracking information yet.", "worried"),
        ("I'm getting nervous about the parcel, is everything okay with it?", "worried"),
    ],
)
def test_each_cue_kind(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_every_kind_is_exercised_above() -> None:
    assert set(CUE_KINDS) == {
        "late", "refund", "cancel", "damage", "wrong_item", "billing", "repeat", "threat_chargeback",
        "threat_legal", "threat_review", "never_again", "sarcasm", "wants_owner", "unhappy", "worried", "shouting",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Thanks so much, the cake was perfect!",
        "Do you ship to Canada?",
        "Thanks for the quick refund, all sorted now.",
        "Nothing was broken, everything arrived safely.",
        "I'd like to cancel my newsletter subscription please",
        "I'd like to add another item to my order if it hasn't shipped yet.",
        "The flowers were really lovely.",
        "It was better than I expected!",
        "I couldn't have expected better, thank you.",  # negated
        "Worth every penny.",
        "I wasn't angry at all, just curious when it ships.",  # negated
        "Don't worry, it will arrive in time!",  # negated
        "No need to worry about it getting there in time.",
        "I was so worried it wouldn't come before the party, but here it is!",  # a worry resolved
        "I'm scared of spiders, so thank you for the lovely packaging.",  # no order, no deadline
        "Worry is a down payment on a problem you may never have.",
        "I'm afraid I need to change my address before Friday.",  # politeness, not worry
        "Not worried about the order at all, take your time.",  # negated
        "I was worried about my order but it turned up this morning.",  # a worry resolved
        "I'm a little concerned about the colour, is it the same as the photo?",  # a detail, not the order
        "",
        "ok",
    ],
)
def test_friendly_or_neutral_messages_have_no_cues(text: str) -> None:
    assert find_cues(text) == ()


def test_each_kind_reported_once_with_reason_and_match() -> None:
    cues = find_cues("Refund me. I said REFUND. I want a refund!")
    assert [c.kind for c in cues] == ["refund"]
    assert cues[0].reason == "asked for a refund"
    assert cues[0].match == "refund"
    assert cues[0].weight < 0


def test_capitals_need_enough_letters() -> None:
    assert "shouting" not in kinds("OK!")
    assert "shouting" in kinds("THIS IS NOT OK")


@given(st.text(alphabet=st.sampled_from("AbCdEfGhXYZxyz !?.,7ÄÖäöÉéß😡\u0391\u03b1"), max_size=40))
@settings(max_examples=500, deadline=None)
def test_shouting_fast_path_equals_its_definition(text: str) -> None:
    """The ASCII fast path counts with str.translate; it must say what the plain definition says:
    at least 8 letters, 70% or more of them capitals."""
    letters = [c for c in text if c.isalpha()]
    expected = len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) >= 0.7
    assert ("shouting" in kinds(text)) == expected


def test_memo_keeps_only_ordinary_texts() -> None:
    """One inbound email is looked at more than once, so recent answers are kept; a sender can make a
    text as long as they like, so a long one is read afresh and never held in memory."""
    short = "Where is my order? It's been 3 weeks"
    first = find_cues(short)
    assert find_cues(short) is first  # the same immutable answer, not a second scan
    before = cues._recent.cache_info().currsize
    long = "I want a refund. " + "blah " * cues.MEMO_MAX_CHARS
    assert {c.kind for c in find_cues(long)} == {"refund"}
    assert cues._recent.cache_info().currsize == before
