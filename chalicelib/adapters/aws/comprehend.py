"""Amazon Comprehend behind the `SentimentAnalyzer` port, falling back to the local engine.

- Language: the configured language if any, else `DetectDominantLanguage` (or its batch form).
  Comprehend reads sentiment only in `SENTIMENT_LANGUAGES`. For any other language the
  message goes to the fallback engine and the reading is marked degraded, with the detected
  language kept: sending Dutch to the English model as "en" gives confident nonsense, while
  the local engine still sees emoji, ALL CAPS and any English customer-service phrases.
- Text is cut to 5,000 UTF-8 bytes on a character boundary (Comprehend's per-document limit).
- Throttling, 5xx and connection errors are retried here with exponential backoff and full
  jitter (`max_attempts` in all). Build the client with botocore retries off
  (`Config(retries={"max_attempts": 1})`) or the two retry loops multiply.
- When Comprehend stays unavailable, or refuses a document, the message is read by the fallback
  engine and the reading is marked `degraded=True`: a message is never dropped and this class
  never raises for an outage. After an outage the adapter goes straight to the fallback for
  `cool_down` seconds instead of waiting through the retries for every message.
- Comprehend reads the whole text (one request); the sentence an alert quotes (`SentimentReading.focus`)
  is the one the local engine reads as most upset, in-process and unbilled, so an angry sentence deep
  in a long polite email is what the owner sees, with either engine.
- Billed units are counted per document and request (1 unit = 100 characters, at least 3),
  for language detection and sentiment alike, in `billed_units` and `units_by_operation`.

- Same scale as the local model: Comprehend's Negative score is not a calibrated probability of an
  upset customer, so `calibrated_negative` maps it onto the local model's scale (MODEL_CARD.md)
  before escalation sees it, and the other three scores are scaled to keep the sum at 1. The map is
  piecewise linear through the anchors in `comprehend_calibration.json`, which says where they came
  from. As shipped they are set by hand, (0, 0), (0.6, 0.5), (0.85, 0.85), (1, 1): Comprehend's 0.6,
  Warmline's alerting point for it before the trained model, lands on the model's threshold (0.5).
  `bench/calibrate_comprehend.py` fits them the way the local model was calibrated (Platt scaling on
  the public validation splits, each set weighted equally, 15% of messages upset) and rewrites the
  file; it needs AWS credentials, which this project's CI does not have. Escalation, cues and
  thresholds are the same for both engines; the local model is the degraded fallback.

No boto3 import: the client is passed in (see `bootstrap.py`).
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Final

from ...domain.state import SentimentLabel, SentimentReading
from ...ports import SentimentAnalyzer

logger = logging.getLogger("warmline.comprehend")

MAX_BYTES: Final = 5000
BATCH_SIZE: Final = 25
UNIT_CHARACTERS: Final = 100
MINIMUM_UNITS: Final = 3
# Languages Comprehend's DetectSentiment accepts.
SENTIMENT_LANGUAGES: Final = frozenset({"en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh", "zh-TW"})
_RETRYABLE_CODES: Final = frozenset(
    {
        "ThrottlingException",
        "TooManyRequestsException",
        "Throttling",
        "RequestLimitExceeded",
        "InternalServerException",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "INTERNAL_SERVER_ERROR",
    }
)
_SCORE_NAMES: Final = ("Positive", "Negative", "Neutral", "Mixed")
_LABELS: Final[frozenset[str]] = frozenset({"POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"})


CALIBRATION_FILE: Final = Path(__file__).with_name("comprehend_calibration.json")


def check_anchors(anchors: Sequence[Sequence[float]]) -> tuple[tuple[float, float], ...]:
    """(Comprehend Negative, Warmline scale) pairs, validated: from 0 to 1 on both scales, strictly increasing
    in Comprehend's score, never decreasing on Warmline's (a higher Negative never reads calmer)."""
    pairs = tuple((float(x), float(y)) for x, y in anchors)
    if len(pairs) < 2 or pairs[0][0] != 0.0 or pairs[-1][0] != 1.0:
        raise ValueError("the anchors must start at Comprehend's 0 and end at its 1")
    if any(not 0.0 <= y <= 1.0 for _, y in pairs):
        raise ValueError("every anchor's calibrated score must be between 0 and 1")
    for (x0, y0), (x1, y1) in itertools.pairwise(pairs):
        if x1 <= x0 or y1 < y0:
            raise ValueError(f"the anchors must rise: ({x0}, {y0}) is followed by ({x1}, {y1})")
    return pairs


@cache
def calibration() -> tuple[tuple[float, float], ...]:
    """The shipped anchors, read on first use (not at import)."""
    return check_anchors(json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))["anchors"])


def interpolate(anchors: Sequence[tuple[float, float]], score: float) -> float:
    """The piecewise-linear map through validated `anchors` at a Comprehend score (clamped to 0..1)."""
    score = min(1.0, max(0.0, score))
    for (x0, y0), (x1, y1) in itertools.pairwise(anchors):
        if score <= x1:
            return y0 + (y1 - y0) * (score - x0) / (x1 - x0)
    return anchors[-1][1]  # pragma: no cover - the last anchor is at 1.0


def calibrated_negative(score: float) -> float:
    """Comprehend's Negative score on the local model's calibrated scale (monotone)."""
    return interpolate(calibration(), score)


class ComprehendUnavailable(Exception):
    """Comprehend could not be reached or kept failing; the caller falls back."""


def truncate_utf8(text: str, max_bytes: int = MAX_BYTES) -> str:
    """`text` cut to at most `max_bytes` of UTF-8, never in the middle of a character.

    Lone surrogates (which UTF-8 cannot carry) become "?" first.
    """
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        encoded = text.encode("utf-8", errors="replace")
        text = encoded.decode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def billed_units(text: str) -> int:
    """Comprehend units for one document in one request: 100 characters each, at least 3."""
    return max(MINIMUM_UNITS, -(-len(text) // UNIT_CHARACTERS))


@dataclass(frozen=True)
class _ItemError:
    code: str
    message: str


def _error_code(error: Exception) -> tuple[str, int]:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", type(error).__name__))
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return code, status


def _is_retryable(error: Exception) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(error, ClientError):
        code, status = _error_code(error)
        return code in _RETRYABLE_CODES or status >= 500 or status == 429
    return isinstance(error, BotoCoreError)  # connection refused, timeouts, endpoint errors


class ComprehendAnalyzer:
    """`SentimentAnalyzer` on Amazon Comprehend with a local fallback."""

    engine = "comprehend"

    def __init__(
        self,
        client: Any,
        fallback: SentimentAnalyzer,
        language: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 4,
        base_delay: float = 0.2,
        max_delay: float = 5.0,
        cool_down: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._client = client
        self._fallback = fallback
        self.language = language
        self._sleep = sleep
        self._max_attempts = max(1, max_attempts)
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._cool_down = cool_down
        self._clock = clock
        self._rng = rng or random.Random()
        self._unavailable_until = float("-inf")
        self.units_by_operation: dict[str, int] = {}
        self.degraded_count = 0

    # --- cost ------------------------------------------------------------
    @property
    def billed_units(self) -> int:
        """Units billed so far by this adapter (all operations)."""
        return sum(self.units_by_operation.values())

    def _bill(self, operation: str, texts: Sequence[str]) -> None:
        self.units_by_operation[operation] = self.units_by_operation.get(operation, 0) + sum(
            billed_units(t) for t in texts
        )

    # --- calls with retries ----------------------------------------------
    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        if self._clock() < self._unavailable_until:
            raise ComprehendUnavailable(f"{operation}: skipped, Comprehend was unavailable moments ago")
        method = getattr(self._client, operation)
        for attempt in range(self._max_attempts):
            try:
                response: dict[str, Any] = method(**params)
                return response
            except Exception as error:
                if not _is_retryable(error):
                    raise
                if attempt + 1 >= self._max_attempts:
                    self._unavailable_until = self._clock() + self._cool_down
                    raise ComprehendUnavailable(f"{operation}: {error}") from error
                delay = self._rng.uniform(0, min(self._max_delay, self._base_delay * 2**attempt))
                logger.info("comprehend %s retry %d in %.2fs: %s", operation, attempt + 1, delay, error)
                self._sleep(delay)
        raise ComprehendUnavailable(operation)  # pragma: no cover - the loop always returns or raises

    def _degraded(self, text: str, language: str | None, why: str) -> SentimentReading:
        self.degraded_count += 1
        logger.warning("comprehend fallback to the local engine: %s", why)
        reading = self._fallback.read(text, language)
        return replace(reading, degraded=True, language=language or reading.language)

    @staticmethod
    def _reading(result: dict[str, Any], language: str) -> SentimentReading:
        scores = result.get("SentimentScore", {})
        label = str(result.get("Sentiment", "NEUTRAL")).upper()
        typed: SentimentLabel = label if label in _LABELS else "NEUTRAL"  # type: ignore[assignment]
        raw = float(scores.get("Negative", 0.0))
        negative = calibrated_negative(raw)
        rest = (1.0 - negative) / (1.0 - raw) if raw < 1.0 else 0.0
        return SentimentReading(
            label=typed,
            positive=round(float(scores.get("Positive", 0.0)) * rest, 4),
            negative=round(negative, 4),
            neutral=round(float(scores.get("Neutral", 0.0)) * rest, 4),
            mixed=round(float(scores.get("Mixed", 0.0)) * rest, 4),
            language=language,
            engine="comprehend",
        )

    def _with_focus(self, reading: SentimentReading, text: str, language: str) -> SentimentReading:
        """Comprehend reads the whole text in one request; the sentence the owner's alert quotes is the one
        the local engine (in-process, nothing billed) reads as most upset, as when it reads the message
        itself. No sentence for a language the local engine cannot read: the alert then quotes the sentence
        with the strongest cue, or the opening."""
        local = self._fallback.read(text, language)
        # and the learned "needs a person" reading (engine/person.py), so escalation is the same for both engines
        return replace(reading, focus=local.focus or reading.focus, person_level=local.person_level,
                       person=local.person, person_focus=local.person_focus, person_urgent=local.person_urgent,
                       person_words=local.person_words, person_urgent_words=local.person_urgent_words)

    @staticmethod
    def _empty(language: str | None) -> SentimentReading:
        return SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language=language or "en", engine="comprehend")

    # --- the port ----------------------------------------------------------
    def detect_language(self, text: str) -> str:
        """Comprehend's dominant language for `text` (raises on failure)."""
        cut = truncate_utf8(text)
        response = self._call("detect_dominant_language", Text=cut)
        self._bill("DetectDominantLanguage", [cut])
        languages = sorted(response.get("Languages", []), key=lambda lang: -float(lang.get("Score", 0.0)))
        return str(languages[0]["LanguageCode"]) if languages else "en"

    def read(self, text: str, language: str | None = None) -> SentimentReading:
        from botocore.exceptions import BotoCoreError, ClientError

        language = language or self.language
        if not text.strip():
            return self._empty(language)
        cut = truncate_utf8(text)
        try:
            if language is None:
                language = self.detect_language(cut)
            if language not in SENTIMENT_LANGUAGES:
                return self._degraded(text, language, f"Comprehend has no sentiment model for {language!r}")
            response = self._call("detect_sentiment", Text=cut, LanguageCode=language)
            self._bill("DetectSentiment", [cut])
            return self._with_focus(self._reading(response, language), text, language)
        except (ComprehendUnavailable, ClientError, BotoCoreError) as error:
            return self._degraded(text, language, str(error))

    def read_many(self, texts: Sequence[str], language: str | None = None) -> list[SentimentReading]:
        language = language or self.language
        readings: list[SentimentReading | None] = [None] * len(texts)
        cuts = [truncate_utf8(t) for t in texts]
        pending = []
        for i, text in enumerate(texts):
            if text.strip():
                pending.append(i)
            else:
                readings[i] = self._empty(language)

        languages: dict[int, str] = {}
        if language is not None:
            languages = dict.fromkeys(pending, language)
        else:
            for chunk in _chunks(pending, BATCH_SIZE):
                found, errors = self._batch("batch_detect_dominant_language", "BatchDetectDominantLanguage",
                                            [cuts[i] for i in chunk])
                for offset, result in found.items():
                    ranked = sorted(result.get("Languages", []), key=lambda lang: -float(lang.get("Score", 0.0)))
                    languages[chunk[offset]] = str(ranked[0]["LanguageCode"]) if ranked else "en"
                for offset, error in errors.items():
                    index = chunk[offset]
                    readings[index] = self._degraded(texts[index], None, f"{error.code}: {error.message}")

        by_language: dict[str, list[int]] = {}
        for index, lang in languages.items():
            if lang in SENTIMENT_LANGUAGES:
                by_language.setdefault(lang, []).append(index)
            else:
                readings[index] = self._degraded(texts[index], lang, f"no sentiment model for {lang!r}")
        for lang, indexes in by_language.items():
            for chunk in _chunks(indexes, BATCH_SIZE):
                found, errors = self._batch("batch_detect_sentiment", "BatchDetectSentiment",
                                            [cuts[i] for i in chunk], LanguageCode=lang)
                for offset, result in found.items():
                    index = chunk[offset]
                    readings[index] = self._with_focus(self._reading(result, lang), texts[index], lang)
                for offset, error in errors.items():
                    index = chunk[offset]
                    readings[index] = self._degraded(texts[index], lang, f"{error.code}: {error.message}")
        return [r if r is not None else self._degraded(texts[i], language, "no result") for i, r in enumerate(readings)]

    def raw_scores(self, texts: Sequence[str], language: str = "en") -> list[dict[str, float] | None]:
        """Comprehend's own scores (Positive, Negative, Neutral, Mixed; not calibrated) for each text, in
        batches, with the adapter's retries; None where Comprehend refused a text or stayed unavailable.
        For fitting the calibration (`bench/calibrate_comprehend.py`); the product reads with `read`."""
        cuts = [truncate_utf8(t) for t in texts]
        out: list[dict[str, float] | None] = [None] * len(texts)
        for chunk in _chunks(list(range(len(texts))), BATCH_SIZE):
            found, _ = self._batch("batch_detect_sentiment", "BatchDetectSentiment", [cuts[i] for i in chunk],
                                   LanguageCode=language)
            for offset, result in found.items():
                scores = result.get("SentimentScore", {})
                out[chunk[offset]] = {k: float(scores.get(k, 0.0)) for k in _SCORE_NAMES}
        return out

    def _batch(
        self, operation: str, billed_as: str, texts: list[str], **params: Any
    ) -> tuple[dict[int, dict[str, Any]], dict[int, _ItemError]]:
        """One batch call; items that fail with a retryable error are sent once more in a smaller batch.

        Returns results and errors keyed by position in `texts`. Never raises: a failed call makes
        every item an error.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        results: dict[int, dict[str, Any]] = {}
        errors: dict[int, _ItemError] = {}
        todo = list(range(len(texts)))
        for round_number in range(2):
            if not todo:
                break
            try:
                response = self._call(operation, TextList=[texts[i] for i in todo], **params)
            except (ComprehendUnavailable, ClientError, BotoCoreError) as error:
                code, _ = _error_code(error)
                for i in todo:
                    errors[i] = _ItemError(code, str(error))
                break
            retry: list[int] = []
            for result in response.get("ResultList", []):
                position = todo[int(result["Index"])]
                results[position] = result
                errors.pop(position, None)
            self._bill(billed_as, [texts[todo[int(r["Index"])]] for r in response.get("ResultList", [])])
            for item in response.get("ErrorList", []):
                position = todo[int(item["Index"])]
                item_error = _ItemError(str(item.get("ErrorCode", "")), str(item.get("ErrorMessage", "")))
                errors[position] = item_error
                if item_error.code in _RETRYABLE_CODES and round_number == 0:
                    retry.append(position)
            todo = retry
        return results, errors


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
