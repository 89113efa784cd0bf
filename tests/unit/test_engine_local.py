"""The local sentiment engine on tricky customer-service phrases, and its invariants."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.engine import LocalSentimentAnalyzer
from chalicelib.ports import SentimentAnalyzer

ENGINE = LocalSentimentAnalyzer()


@pytest.mark.parametrize(
    "text",
    [
        "Where is my order? It's been 3 weeks",
        "I want a full refund immediately",
        "not happy",
        "I've emailed three times and no one answers",
        "The candle arrived smashed into pieces.",
        "Thanks for nothing.",
        "WHERE IS MY ORDER",
        "late again 😡",
        "My parcel is lost 😭😭",
    ],
)
def test_complaints_read_negative(text: str) -> None:
    reading = ENGINE.read(text)
    assert reading.label == "NEGATIVE"
    assert reading.negative >= 0.6


@pytest.mark.parametrize(
    "text",
    ["Thanks so much, the cake was perfect!", "Loved it 😍", "Great service as always 👍"],
)
def test_praise_reads_positive(text: str) -> None:
    reading = ENGINE.read(text)
    assert reading.label == "POSITIVE"
    assert reading.positive > reading.negative


def test_negation_flips_praise_and_complaint() -> None:
    assert ENGINE.read("not bad at all").label != "NEGATIVE"
    assert ENGINE.read("happy").label == "POSITIVE"
    assert ENGINE.read("not happy").label == "NEGATIVE"


def test_capitals_and_exclamation_marks_intensify() -> None:
    calm = ENGINE.read("this is terrible")
    loud = ENGINE.read("this is TERRIBLE!!!")
    assert loud.negative > calm.negative
    assert ENGINE.read("so good!!!").positive > ENGINE.read("so good").positive


def test_emoji_alone_carry_feeling() -> None:
    assert ENGINE.read("😡").label == "NEGATIVE"
    assert ENGINE.read("🥰").label == "POSITIVE"


def test_neutral_questions_and_empty_text() -> None:
    for text in ("Do you ship to Canada?", "", "   ", "12345"):
        reading = ENGINE.read(text)
        assert reading.label == "NEUTRAL"
        assert reading.neutral == 1.0 or text.strip()


def test_reading_carries_cues_language_and_engine() -> None:
    reading = ENGINE.read("I want a refund, the mug is broken", language="fr")
    assert reading.engine == "local"
    assert reading.language == "fr"
    assert not reading.degraded
    assert set(reading.cues) >= {"refund", "damage"}


def test_read_many_keeps_order_and_matches_read() -> None:
    texts = ["Thanks!", "Where is my order?", ""]
    assert ENGINE.read_many(texts) == [ENGINE.read(t) for t in texts]


def test_implements_the_port() -> None:
    assert isinstance(ENGINE, SentimentAnalyzer)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_scores_are_probabilities(text: str) -> None:
    reading = ENGINE.read(text)
    scores = reading.scores.values()
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert abs(sum(scores) - 1.0) < 0.001
    assert reading.label in {"POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"}


def test_import_reads_no_files() -> None:
    code = (
        "import chalicelib.engine.local as m, chalicelib.domain.cues as c;"
        "assert m._lexicon.cache_info().currsize == 0;"
        "assert c._compiled.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
