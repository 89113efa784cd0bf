"""`warmline score` core: JSON lines in, readings and escalations out, bad lines reported."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from chalicelib.config.model import EscalationSettings
from chalicelib.domain.state import SentimentReading
from chalicelib.engine import LocalSentimentAnalyzer, score_lines

NOW = datetime(2024, 6, 10, tzinfo=UTC)


def run(*lines: str) -> list[dict[str, object]]:
    return list(score_lines(lines, LocalSentimentAnalyzer(), EscalationSettings(), NOW))


def test_complaint_line() -> None:
    [result] = run(json.dumps({"text": "Awful service, I want a full refund immediately."}))
    assert result["sentiment"] == "NEGATIVE"
    assert result["escalation"] in ("alert", "urgent")
    assert "asked for a refund" in result["reasons"]  # type: ignore[operator]
    assert result["degraded"] is False
    scores = result["scores"]
    assert isinstance(scores, dict) and set(scores) == {"Positive", "Negative", "Neutral", "Mixed"}
    json.dumps(result)  # JSON-able as is


def test_bad_lines_become_errors_in_order_and_blank_lines_are_skipped() -> None:
    results = run(
        '{"text": "Thanks, lovely!", "id": "a"}',
        "not json",
        "",
        '["text"]',
        '{"text": 5}',
        '{"text": "Hi", "language": 3}',
        '{"text": "Where is my order? Nobody answers and I am fed up.", "language": "en"}',
    )
    assert [r.get("line") for r in results] == [None, 2, 4, 5, 6, None]
    assert results[0]["id"] == "a" and results[0]["escalation"] == "none"
    assert results[1]["error"] == "Line 2 is not valid JSON (Expecting value at column 1)."
    assert "JSON object" in str(results[2]["error"])
    assert results[3]["error"] == 'Line 5 has no "text" string.'
    assert "language" in str(results[4]["error"])
    assert results[5]["sentiment"] == "NEGATIVE"


class CountingAnalyzer:
    def __init__(self) -> None:
        self.calls: list[tuple[int, str | None]] = []

    def read(self, text: str, language: str | None = None) -> SentimentReading:
        return self.read_many([text], language)[0]

    def read_many(self, texts: Sequence[str], language: str | None = None) -> list[SentimentReading]:
        self.calls.append((len(texts), language))
        return [SentimentReading("NEUTRAL", 0, 0, 1, 0, language=language or "en", engine="fake", degraded=True)
                for _ in texts]


def test_batches_by_language_and_passes_degraded_through() -> None:
    analyzer = CountingAnalyzer()
    lines = [json.dumps({"text": f"hola {i}", "language": "es"}) for i in range(30)] + ['{"text": "hi"}']
    results = list(score_lines(lines, analyzer, EscalationSettings(), NOW))
    assert len(results) == 31
    assert analyzer.calls == [(25, "es"), (5, "es"), (1, None)]
    assert all(r["degraded"] is True for r in results)
    assert results[0]["language"] == "es"


def test_says_whether_the_owners_inbox_would_show_it_and_what_an_alert_would_quote() -> None:
    complaint, request, thanks = run(
        json.dumps({"text": "Hello. I found a piece of glass in the loaf, call me on 07700 900123."}),
        json.dumps({"text": "Hi, please unsubscribe me from the emails. Thanks!"}),
        json.dumps({"text": "The sourdough was wonderful, thank you so much for the lovely note in the box!"}),
    )
    assert complaint["inbox"] is True and complaint["escalation"] == "alert"
    assert complaint["excerpt"] == "I found a piece of glass in the loaf, call me on ***** ****23."  # masked
    assert request["inbox"] is True and request["escalation"] == "watch"
    assert (thanks["inbox"], thanks["excerpt"], thanks["escalation"]) == (False, "", "none")


def test_the_engine_reads_the_shops_product_names_as_items_and_the_excerpt_quotes_them() -> None:
    seen: list[str] = []

    class Spy(LocalSentimentAnalyzer):
        def read_many(self, texts: Sequence[str], language: str | None = None) -> list[SentimentReading]:
            seen.extend(texts)
            return super().read_many(texts, language)

    settings = EscalationSettings(product_names=("Mouldy Old Dough",))
    text = "Hi. The Mouldy Old Dough was stale and hard, I'm really disappointed. I want a refund."
    [result] = score_lines([json.dumps({"text": text})], Spy(), settings, NOW)
    assert seen == ["Hi. The item was stale and hard, I'm really disappointed. I want a refund."]
    assert "Mouldy Old Dough" in str(result["excerpt"])
    assert result["escalation"] == "alert"


def test_the_learned_needs_a_person_reading_is_shown_whether_or_not_it_was_used() -> None:
    calm, danger = run(json.dumps({"text": "Could you tell me if the sourdough has sesame in it?"}),
                       json.dumps({"text": "My cat got into the treats and now she's twitching and falling over. "
                                           "I'm on the phone to the vet."}))
    assert set(calm["needs_person"]) == {"level", "score", "urgent", "words", "urgent_words"}  # type: ignore[call-overload]
    assert calm["needs_person"]["words"] == []  # type: ignore[index]  # a reading far from needing anyone names none
    assert danger["needs_person"]["words"]  # type: ignore[index]
    assert calm["needs_person"]["level"] == "none"  # type: ignore[index]
    assert danger["needs_person"]["level"] != "none"  # type: ignore[index]
    assert 0 <= float(calm["needs_person"]["score"]) < float(danger["needs_person"]["score"]) <= 1  # type: ignore[index]
    assert 0 <= float(calm["needs_person"]["urgent"]) < float(danger["needs_person"]["urgent"]) <= 1  # type: ignore[index]
