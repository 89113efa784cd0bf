"""`warmline score`: JSON lines in, one JSON-able reading and escalation per line out.

Input, one object per line: `{"text": "...", "language": "en"}` (`language` optional; an `id`
is echoed back if present). Output, in the same order:
`{"sentiment": "NEGATIVE", "scores": {...}, "escalation": "alert", "reasons": [...], "inbox": true,
"excerpt": "...", "degraded": false, "language": "en", "engine": "local"}`: `inbox` says whether the owner's
inbox would show it (every alert, and the watch-level messages a person should read), `excerpt` the sentence an
alert would quote, masked as in the alert ("" when none). A line that cannot be read yields
`{"error": "<plain sentence>", "line": n}` and the rest carry on. Blank lines are skipped.
Escalation here knows no customer history: only the message itself counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from ..config.model import EscalationSettings
from ..domain.cues import without_products
from ..domain.escalation import assess
from ..domain.state import SentimentReading
from ..ports import SentimentAnalyzer
from ..privacy import mask_pii

BATCH_SIZE = 25  # Comprehend's batch size; the local engine does not care


def _parse(line: str, number: int) -> tuple[str, str | None, Any] | dict[str, Any]:
    """(text, language, id) or an error dict."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        return {"error": f"Line {number} is not valid JSON ({error.msg} at column {error.colno}).", "line": number}
    if not isinstance(data, dict):
        return {"error": f'Line {number} must be a JSON object like {{"text": "..."}}.', "line": number}
    text = data.get("text")
    if not isinstance(text, str):
        return {"error": f'Line {number} has no "text" string.', "line": number}
    language = data.get("language")
    if language is not None and (not isinstance(language, str) or not language.strip()):
        return {"error": f'Line {number} has a "language" that is not a language code such as "en".', "line": number}
    return text, language.strip() if language else None, data.get("id")


def _result(
    reading: SentimentReading, text: str, settings: EscalationSettings, now: datetime, ident: Any
) -> dict[str, Any]:
    escalation = assess(reading, text, None, settings, now)
    result: dict[str, Any] = {} if ident is None else {"id": ident}
    result.update(
        {
            "sentiment": reading.label,
            "scores": reading.scores,
            "escalation": escalation.level,
            "reasons": list(escalation.reasons),
            "inbox": escalation.inbox or escalation.at_least("alert"),
            "excerpt": mask_pii(escalation.excerpt) if escalation.excerpt else "",
            "degraded": reading.degraded,
            "language": reading.language,
            "engine": reading.engine,
            # the learned "needs a person" reading (engine/person.py), whether or not escalation used it
            "needs_person": {"level": reading.person_level, "score": reading.person, "urgent": reading.person_urgent,
                             "words": list(reading.person_words), "urgent_words": list(reading.person_urgent_words)},
        }
    )
    return result


def score_lines(
    lines: Iterable[str], analyzer: SentimentAnalyzer, settings: EscalationSettings, now: datetime
) -> Iterator[dict[str, Any]]:
    """One output dict per non-blank input line, in order; bad lines become error dicts."""
    batch: list[tuple[int, str, str | None, Any]] = []
    out: dict[int, dict[str, Any]] = {}
    order: list[int] = []

    def flush() -> Iterator[dict[str, Any]]:
        by_language: dict[str | None, list[tuple[int, str, str | None, Any]]] = {}
        for item in batch:
            by_language.setdefault(item[2], []).append(item)
        for language, items in by_language.items():
            readings = analyzer.read_many([without_products(text, settings.product_names) for _, text, _, _ in items],
                                          language)
            for (number, text, _, ident), reading in zip(items, readings, strict=True):
                out[number] = _result(reading, text, settings, now, ident)
        batch.clear()
        for number in order:
            yield out.pop(number)
        order.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parsed = _parse(line, number)
        order.append(number)
        if isinstance(parsed, dict):
            out[number] = parsed
        else:
            batch.append((number, *parsed))
        if len(batch) >= BATCH_SIZE:
            yield from flush()
    yield from flush()
