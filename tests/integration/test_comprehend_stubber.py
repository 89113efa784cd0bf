"""The Comprehend adapter against botocore's Stubber: a real client, no network."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.aws.comprehend import ComprehendAnalyzer, billed_units, calibrated_negative, truncate_utf8
from chalicelib.engine import LocalSentimentAnalyzer
from chalicelib.ports import SentimentAnalyzer

SCORES = {"Positive": 0.01, "Negative": 0.95, "Neutral": 0.03, "Mixed": 0.01}


@pytest.fixture
def client() -> Any:
    return boto3.client(
        "comprehend", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


@pytest.fixture
def stub(client: Any) -> Iterator[Stubber]:
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def analyzer(client: Any, language: str | None = None, **kw: Any) -> ComprehendAnalyzer:
    sleeps: list[float] = []
    made = ComprehendAnalyzer(client, LocalSentimentAnalyzer(), language=language, sleep=sleeps.append, **kw)
    made.sleeps = sleeps  # type: ignore[attr-defined]
    return made


def test_implements_the_port(client: Any) -> None:
    assert isinstance(analyzer(client), SentimentAnalyzer)


def test_detects_language_then_sentiment_and_counts_units(client: Any, stub: Stubber) -> None:
    text = "¿Dónde está mi pedido? " * 20  # 460 characters: 5 units per request
    stub.add_response("detect_dominant_language", {"Languages": [{"LanguageCode": "es", "Score": 0.99}]},
                      {"Text": text})
    stub.add_response("detect_sentiment", {"Sentiment": "NEGATIVE", "SentimentScore": SCORES},
                      {"Text": text, "LanguageCode": "es"})
    comprehend = analyzer(client)
    reading = comprehend.read(text)
    assert (reading.label, reading.negative, reading.language, reading.engine, reading.degraded) == (
        "NEGATIVE", 0.95, "es", "comprehend", False)
    assert comprehend.units_by_operation == {"DetectDominantLanguage": 5, "DetectSentiment": 5}
    assert comprehend.billed_units == 10


def test_fixed_language_skips_detection_and_short_text_bills_the_minimum(client: Any, stub: Stubber) -> None:
    stub.add_response("detect_sentiment", {"Sentiment": "POSITIVE", "SentimentScore": SCORES},
                      {"Text": "Thanks!", "LanguageCode": "en"})
    comprehend = analyzer(client, language="en")
    assert comprehend.read("Thanks!").label == "POSITIVE"
    assert comprehend.billed_units == 3


def test_empty_text_costs_nothing(client: Any, stub: Stubber) -> None:
    comprehend = analyzer(client)
    assert comprehend.read("  \n").label == "NEUTRAL"
    assert comprehend.read_many(["", " "]) == [comprehend.read(""), comprehend.read("")]
    assert comprehend.billed_units == 0


def test_cuts_at_5000_bytes_on_a_character_boundary(client: Any, stub: Stubber) -> None:
    text = "a" * 4999 + "é" + "b" * 100  # "é" is 2 bytes and would straddle the limit
    cut = "a" * 4999
    assert truncate_utf8(text) == cut
    assert truncate_utf8("€" * 2000).encode() == ("€" * 1666).encode()  # 3-byte characters: 4998 bytes
    stub.add_response("detect_sentiment", {"Sentiment": "NEUTRAL", "SentimentScore": SCORES},
                      {"Text": cut, "LanguageCode": "en"})
    comprehend = analyzer(client, language="en")
    comprehend.read(text)
    assert comprehend.billed_units == billed_units(cut) == 50


def test_lone_surrogates_do_not_break_truncation() -> None:
    assert truncate_utf8("ok \udce9 ok") == "ok ? ok"


def test_throttling_is_retried_with_backoff_then_succeeds(client: Any, stub: Stubber) -> None:
    params = {"Text": "Hello", "LanguageCode": "en"}
    stub.add_client_error("detect_sentiment", "ThrottlingException", http_status_code=400, expected_params=params)
    stub.add_client_error("detect_sentiment", "InternalServerException", http_status_code=500, expected_params=params)
    stub.add_response("detect_sentiment", {"Sentiment": "NEUTRAL", "SentimentScore": SCORES}, params)
    comprehend = analyzer(client, language="en", base_delay=0.2, max_delay=5.0)
    reading = comprehend.read("Hello")
    assert reading.engine == "comprehend" and not reading.degraded
    sleeps = comprehend.sleeps  # type: ignore[attr-defined]
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.2 and 0 <= sleeps[1] <= 0.4  # full jitter under an exponential cap
    assert comprehend.billed_units == 3  # only the request that succeeded is billed


def test_outage_falls_back_to_the_local_engine_marked_degraded(client: Any, stub: Stubber) -> None:
    for _ in range(3):
        stub.add_client_error("detect_sentiment", "ServiceUnavailable", http_status_code=503)
    now = [100.0]
    comprehend = analyzer(client, language="en", max_attempts=3, clock=lambda: now[0], cool_down=60)
    reading = comprehend.read("Third email and nobody has replied. Awful service.")
    assert reading.degraded is True
    assert reading.engine == "local"
    assert reading.label == "NEGATIVE"
    assert comprehend.billed_units == 0
    # During the cool-down, the next message goes straight to the fallback: no calls, no waiting.
    again = comprehend.read("Thanks so much, the cake was perfect!")
    assert again.degraded and again.label == "POSITIVE"
    assert len(comprehend.sleeps) == 2  # type: ignore[attr-defined]
    assert comprehend.degraded_count == 2


def test_non_retryable_error_falls_back_at_once(client: Any, stub: Stubber) -> None:
    stub.add_client_error("detect_sentiment", "AccessDeniedException", http_status_code=400)
    comprehend = analyzer(client, language="en")
    reading = comprehend.read("Hello")
    assert reading.degraded and comprehend.sleeps == []  # type: ignore[attr-defined]


def test_unsupported_language_goes_to_the_fallback(client: Any, stub: Stubber) -> None:
    stub.add_response("detect_dominant_language", {"Languages": [{"LanguageCode": "nl", "Score": 0.98}]})
    comprehend = analyzer(client)
    reading = comprehend.read("Waar is mijn bestelling? 😡")
    assert reading.degraded is True
    assert reading.language == "nl"
    assert reading.label == "NEUTRAL"  # the local model reads English only: escalation routes it to the owner
    assert comprehend.units_by_operation == {"DetectDominantLanguage": 3}


def test_batch_with_per_item_errors(client: Any, stub: Stubber) -> None:
    texts = [f"message {i}" for i in range(27)]
    texts[3] = "I want a refund now"
    first = texts[:25]
    stub.add_response(
        "batch_detect_sentiment",
        {
            "ResultList": [{"Index": i, "Sentiment": "NEUTRAL", "SentimentScore": SCORES} for i in range(25)
                           if i not in (3, 7)],
            "ErrorList": [
                {"Index": 3, "ErrorCode": "TEXT_SIZE_LIMIT_EXCEEDED", "ErrorMessage": "too long"},
                {"Index": 7, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "try again"},
            ],
        },
        {"TextList": first, "LanguageCode": "en"},
    )
    # The item that failed with a server error is retried once, alone.
    stub.add_response(
        "batch_detect_sentiment",
        {"ResultList": [{"Index": 0, "Sentiment": "POSITIVE", "SentimentScore": SCORES}], "ErrorList": []},
        {"TextList": [texts[7]], "LanguageCode": "en"},
    )
    stub.add_response(
        "batch_detect_sentiment",
        {"ResultList": [{"Index": i, "Sentiment": "NEUTRAL", "SentimentScore": SCORES} for i in range(2)],
         "ErrorList": []},
        {"TextList": texts[25:], "LanguageCode": "en"},
    )
    comprehend = analyzer(client, language="en")
    readings = comprehend.read_many(texts)
    assert len(readings) == 27
    assert readings[3].degraded and readings[3].engine == "local"
    assert readings[3] == replace(LocalSentimentAnalyzer().read(texts[3], "en"), degraded=True)
    assert readings[7].label == "POSITIVE" and not readings[7].degraded
    assert sum(r.degraded for r in readings) == 1
    assert comprehend.units_by_operation == {"BatchDetectSentiment": 26 * 3}


def test_batch_detects_languages_then_groups_by_language(client: Any, stub: Stubber) -> None:
    texts = ["Where is my order?", "¿Dónde está mi pedido?", "Waar is mijn pakket?", "Hello there"]
    stub.add_response(
        "batch_detect_dominant_language",
        {
            "ResultList": [
                {"Index": 0, "Languages": [{"LanguageCode": "en", "Score": 0.9}]},
                {"Index": 1, "Languages": [{"LanguageCode": "es", "Score": 0.9}]},
                {"Index": 2, "Languages": [{"LanguageCode": "nl", "Score": 0.9}]},
            ],
            "ErrorList": [{"Index": 3, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "x"}],
        },
        {"TextList": texts},
    )
    stub.add_response(
        "batch_detect_dominant_language",
        {"ResultList": [], "ErrorList": [{"Index": 0, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "x"}]},
        {"TextList": [texts[3]]},
    )
    stub.add_response(
        "batch_detect_sentiment",
        {"ResultList": [{"Index": 0, "Sentiment": "NEGATIVE", "SentimentScore": SCORES}], "ErrorList": []},
        {"TextList": [texts[0]], "LanguageCode": "en"},
    )
    stub.add_response(
        "batch_detect_sentiment",
        {"ResultList": [{"Index": 0, "Sentiment": "NEGATIVE", "SentimentScore": SCORES}], "ErrorList": []},
        {"TextList": [texts[1]], "LanguageCode": "es"},
    )
    readings = analyzer(client).read_many(texts)
    assert [(r.language, r.engine, r.degraded) for r in readings] == [
        ("en", "comprehend", False),
        ("es", "comprehend", False),
        ("nl", "local", True),
        ("en", "local", True),
    ]


LONG_POLITE = ("Hi Rosie, I hope you are well and the shop is busy. I ordered the anniversary hamper for my "
               "parents last month. The ribbon and the card were lovely, as always. Honestly the cheese was "
               "mouldy and it ruined their evening, which I am really upset about. Could you let me know "
               "what can be done? Many thanks, Sam")
ANGRY = "Honestly the cheese was mouldy and it ruined their evening, which I am really upset about."


def test_the_alert_quotes_the_most_upset_sentence_with_comprehend_too(client: Any, stub: Stubber) -> None:
    from datetime import UTC, datetime

    from chalicelib.config.model import EscalationSettings
    from chalicelib.domain.escalation import assess

    mixed = {"Positive": 0.35, "Negative": 0.25, "Neutral": 0.1, "Mixed": 0.3}  # a whole polite email
    stub.add_response("detect_sentiment", {"Sentiment": "MIXED", "SentimentScore": mixed},
                      {"Text": LONG_POLITE, "LanguageCode": "en"})
    stub.add_response("batch_detect_sentiment",
                      {"ResultList": [{"Index": 0, "Sentiment": "MIXED", "SentimentScore": mixed}], "ErrorList": []},
                      {"TextList": [LONG_POLITE], "LanguageCode": "en"})
    spanish = "¿Dónde está mi pedido? Llevo tres semanas esperando."
    stub.add_response("detect_dominant_language", {"Languages": [{"LanguageCode": "es", "Score": 0.99}]},
                      {"Text": spanish})
    stub.add_response("detect_sentiment", {"Sentiment": "NEGATIVE", "SentimentScore": SCORES},
                      {"Text": spanish, "LanguageCode": "es"})
    comprehend = analyzer(client, language="en")
    one = comprehend.read(LONG_POLITE)
    many = comprehend.read_many([LONG_POLITE])
    # Comprehend's scores, the local engine's choice of sentence (nothing more billed than the one request).
    assert (one.engine, one.negative, one.focus) == ("comprehend", round(calibrated_negative(0.25), 4), ANGRY)
    assert many == [one] and comprehend.units_by_operation["DetectSentiment"] == billed_units(LONG_POLITE)
    # A language the local engine cannot read: no sentence of its choosing (the alert quotes a cue or the opening).
    assert analyzer(client).read(spanish).focus == ""
    alert = assess(one, LONG_POLITE, None, EscalationSettings(), datetime(2026, 12, 1, tzinfo=UTC))
    assert alert.at_least("alert") and alert.excerpt == ANGRY


def test_batch_outage_falls_back_for_every_item(client: Any, stub: Stubber) -> None:
    for _ in range(2):
        stub.add_client_error("batch_detect_sentiment", "ThrottlingException", http_status_code=400)
    readings = analyzer(client, language="en", max_attempts=2).read_many(["a b c", "I want a refund"])
    assert all(r.degraded and r.engine == "local" for r in readings)
    assert readings[1] == replace(LocalSentimentAnalyzer().read("I want a refund", "en"), degraded=True)


def test_units_rule() -> None:
    assert [billed_units("x" * n) for n in (1, 299, 300, 301, 1000, 5000)] == [3, 3, 3, 4, 10, 50]


def test_the_learned_needs_a_person_reading_is_the_same_with_comprehend(client: Any, stub: Stubber) -> None:
    """Comprehend reads how the customer feels; whether the message needs a person is read by the same local model
    for both engines (in-process, nothing billed), so escalation decides the same."""
    from chalicelib.engine.local import LocalSentimentAnalyzer

    text = "My cat got into the treats and now she's twitching and falling over. I'm on the phone to the vet."
    calm = {"Positive": 0.05, "Negative": 0.2, "Neutral": 0.75, "Mixed": 0.0}
    stub.add_response("detect_sentiment", {"Sentiment": "NEUTRAL", "SentimentScore": calm},
                      {"Text": text, "LanguageCode": "en"})
    comprehend = analyzer(client, language="en")
    got = comprehend.read(text)
    local = LocalSentimentAnalyzer().read(text)
    assert got.engine == "comprehend" and got.person_level != "none"
    assert (got.person_level, got.person, got.person_focus) == (local.person_level, local.person, local.person_focus)
    assert (got.person_words, got.person_urgent_words) == (local.person_words, local.person_urgent_words)
    assert got.person_words  # the words an alert names come with Comprehend too
    assert comprehend.units_by_operation == {"DetectSentiment": billed_units(text)}  # the one request, no more
